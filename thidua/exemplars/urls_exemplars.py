from django.urls import path

from thidua.exemplars import views_exemplars as views

app_name = "exemplars"

urlpatterns = [
    path("", views.exemplar_list, name="exemplar_list"),
    path("de-xuat/", views.exemplar_create, name="exemplar_create"),
    path("cong-khai-quyet-dinh/", views.publication_list, name="publication_list"),
    path("<int:pk>/", views.exemplar_detail, name="exemplar_detail"),
    path("<int:pk>/sua/", views.exemplar_edit, name="exemplar_edit"),
    path("<int:pk>/chuyen-trang-thai/", views.exemplar_transition, name="exemplar_transition"),
    path("<int:pk>/dong-y-cong-khai/", views.exemplar_consent, name="exemplar_consent"),
    path("<int:pk>/dang/", views.exemplar_publish, name="exemplar_publish"),
    path("<int:pk>/anh/", views.photo_add, name="photo_add"),
    path("<int:pk>/anh/<int:photo_id>/xoa/", views.photo_remove, name="photo_remove"),
    path("<int:pk>/nhan-rong/", views.replication_add, name="replication_add"),
    path("<int:pk>/nhan-rong/<int:item_id>/xoa/", views.replication_remove, name="replication_remove"),
]
