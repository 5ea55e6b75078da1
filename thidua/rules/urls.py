from django.urls import path

from thidua.rules import views

app_name = "rules"

# Mounted at /quy-dinh/. Actions live beside "bo-quy-dinh/<code>/" and "danh-muc/<code>/", not under a
# code that could shadow them.
urlpatterns = [
    path("binh-xet/", views.screening, name="screening"),
    path("binh-xet/xuat-excel/", views.screening_export, name="screening_export"),
    path("bo-quy-dinh/", views.ruleset_list, name="ruleset_list"),
    path("bo-quy-dinh/<str:code>/", views.ruleset_detail, name="ruleset_detail"),
    path("tham-so/", views.override_list, name="override_list"),
    path("tham-so/them/", views.override_create, name="override_create"),
    path("tham-so/<int:pk>/ket-thuc/", views.override_end, name="override_end"),
    path("luong-co-so/", views.base_salary, name="base_salary"),
    path("danh-muc/", views.award_list, name="award_list"),
    path("danh-muc/<str:code>/sua/", views.award_edit, name="award_edit"),
    path("ca-nhan/<int:pk>/dieu-kien-khen-thuong/", views.person_next_levels, name="person_next_levels"),
]
