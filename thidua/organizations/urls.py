from django.urls import path

from thidua.organizations import views

app_name = "organizations"

# Actions on units live beside "don-vi/<code>/", not under it, so that no unit code can shadow them.
urlpatterns = [
    path("don-vi/", views.unit_tree, name="unit_tree"),
    path("them-don-vi/", views.unit_create, name="unit_create"),
    path("ke-thua-don-vi/", views.unit_succession, name="unit_succession"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<str:code>/sua/", views.unit_edit, name="unit_edit"),
    path("ca-nhan/", views.person_list, name="person_list"),
    path("ca-nhan/xuat-excel/", views.person_export, name="person_export"),
    path("ca-nhan/them/", views.person_create, name="person_create"),
    path("ca-nhan/<int:pk>/", views.person_detail, name="person_detail"),
    path("ca-nhan/<int:pk>/sua/", views.person_edit, name="person_edit"),
    path("ca-nhan/<int:pk>/cong-tac/them/", views.employment_add, name="employment_add"),
    path("ca-nhan/<int:pk>/cong-tac/<int:employment_pk>/sua/", views.employment_edit, name="employment_edit"),
    path(
        "ca-nhan/<int:pk>/cong-tac/<int:employment_pk>/xoa/",
        views.employment_delete,
        name="employment_delete",
    ),
]
