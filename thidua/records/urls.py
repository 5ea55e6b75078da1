from django.urls import path

from thidua.records import views

app_name = "records"

urlpatterns = [
    path("xep-loai/", views.rating_list, name="rating_list"),
    path("xep-loai/xuat-excel/", views.rating_export, name="rating_export"),
    path("xep-loai/theo-don-vi/", views.rating_sheet, name="rating_sheet"),
    path("xep-loai/them/", views.rating_create, name="rating_create"),
    path("xep-loai/<int:pk>/sua/", views.rating_edit, name="rating_edit"),
    path("xep-loai/<int:pk>/xoa/", views.rating_delete, name="rating_delete"),
    path("sang-kien/", views.initiative_list, name="initiative_list"),
    path("sang-kien/them/", views.initiative_create, name="initiative_create"),
    path("sang-kien/<int:pk>/sua/", views.initiative_edit, name="initiative_edit"),
    path("sang-kien/<int:pk>/xoa/", views.initiative_delete, name="initiative_delete"),
    path("ky-luat/", views.discipline_list, name="discipline_list"),
    path("ky-luat/them/", views.discipline_create, name="discipline_create"),
    path("ky-luat/<int:pk>/sua/", views.discipline_edit, name="discipline_edit"),
    path("ky-luat/<int:pk>/xoa/", views.discipline_delete, name="discipline_delete"),
    path("nghi/", views.leave_list, name="leave_list"),
    path("nghi/them/", views.leave_create, name="leave_create"),
    path("nghi/<int:pk>/xoa/", views.leave_delete, name="leave_delete"),
    path("khen-thuong/", views.award_list, name="award_list"),
    path("khen-thuong/xuat-excel/", views.award_export, name="award_export"),
    path("khen-thuong/them/", views.award_create, name="award_create"),
    path("khen-thuong/<int:pk>/sua/", views.award_edit, name="award_edit"),
    path("khen-thuong/<int:pk>/xoa/", views.award_delete, name="award_delete"),
    path("ca-nhan/<int:pk>/", views.person_records, name="person_records"),
    path("don-vi/<str:code>/", views.unit_records, name="unit_records"),
    path("chon-ca-nhan/", views.person_picker, name="person_picker"),
]
