"""Excel import of evidence, mounted at /minh-chung/nhap-excel/."""

from django.urls import path

from thidua.records import views_imports as views

app_name = "records_imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("xep-loai/", views.import_ratings, name="ratings"),
    path("sang-kien/", views.import_initiatives, name="initiatives"),
    path("khen-thuong/", views.import_awards, name="awards"),
    path("ky-luat/", views.import_disciplines, name="disciplines"),
    path("mau/<str:kind>.xlsx", views.template, name="template"),
    path("<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/tep/", views.batch_file, name="batch_file"),
]
