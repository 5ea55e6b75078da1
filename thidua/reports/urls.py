from django.urls import path

from thidua.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("danh-sach/", views.records, name="records"),
    path("danh-sach/xuat-excel/", views.records_export, name="records_export"),
    path("sang-kien/", views.initiatives, name="initiatives"),
    path("sang-kien/xuat-excel/", views.initiatives_export, name="initiatives_export"),
    path("bieu-mau/", views.form_list, name="form_list"),
    path("bieu-mau/<slug:slug>/", views.form_detail, name="form_detail"),
    path("bieu-mau/<slug:slug>/excel/", views.form_xlsx, name="form_xlsx"),
    path("bieu-mau/<slug:slug>/pdf/", views.form_pdf, name="form_pdf"),
    path("tong-hop/", views.five_year, name="five_year"),
    path("tong-hop/excel/", views.five_year_xlsx, name="five_year_xlsx"),
    path("tong-hop/pdf/", views.five_year_pdf, name="five_year_pdf"),
    path("ca-nhan/<int:pk>/qua-trinh-khen-thuong/", views.person_history, name="person_history"),
    path("ca-nhan/<int:pk>/qua-trinh-khen-thuong/pdf/", views.person_history_pdf, name="person_history_pdf"),
    path("ca-nhan/<int:pk>/qua-trinh-khen-thuong/excel/", views.person_history_xlsx, name="person_history_xlsx"),
    path("don-vi/<str:code>/qua-trinh-khen-thuong/", views.unit_history, name="unit_history"),
    path("don-vi/<str:code>/qua-trinh-khen-thuong/pdf/", views.unit_history_pdf, name="unit_history_pdf"),
    path("don-vi/<str:code>/qua-trinh-khen-thuong/excel/", views.unit_history_xlsx, name="unit_history_xlsx"),
]
