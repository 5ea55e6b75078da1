"""Taking part in a movement: registrations (unit, Excel list, self), the overview with reminders,
and the mid-term and final reviews. Mounted under /phong-trao/ in the "movements" namespace."""

from django.urls import path

from thidua.movements import views_participation as views

urlpatterns = [
    path("<int:pk>/dang-ky/", views.registration_unit, name="registration_unit"),
    path("<int:pk>/dang-ky/nhap-excel/", views.registration_import, name="registration_import"),
    path("<int:pk>/dang-ky/mau-excel/", views.registration_template, name="registration_template"),
    path("dang-ky/<int:pk>/duyet/", views.registration_decide, name="registration_decide"),
    path("<int:pk>/tu-dang-ky/", views.registration_self, name="registration_self"),
    path("<int:pk>/tinh-hinh-dang-ky/", views.registration_overview, name="registration_overview"),
    path(
        "<int:pk>/tinh-hinh-dang-ky/xuat-excel/",
        views.registration_overview_export,
        name="registration_overview_export",
    ),
    path("<int:pk>/tinh-hinh-dang-ky/nhac/", views.registration_remind, name="registration_remind"),
    path("<int:pk>/bao-cao/them/", views.review_request_create, name="review_request_create"),
    path("bao-cao/<int:pk>/", views.review_submit, name="review_submit"),
    path("bao-cao/<int:pk>/tong-hop/", views.review_detail, name="review_detail"),
    path("bao-cao/<int:pk>/tong-hop/xuat-excel/", views.review_export, name="review_export"),
    path("bao-cao/<int:pk>/bao-cao-tong-hop/", views.review_summary_docx, name="review_summary_docx"),
    path("bao-cao/tep/<int:pk>/", views.review_file, name="review_file"),
]
