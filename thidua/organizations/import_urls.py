from django.urls import path

from thidua.organizations import views_imports as views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("ca-nhan/", views.import_people, name="import_people"),
    path("don-vi/", views.import_units, name="import_units"),
    path("mau/ca-nhan.xlsx", views.template_people, name="template_people"),
    path("mau/don-vi.xlsx", views.template_units, name="template_units"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/tep/", views.import_file, name="import_file"),
]
