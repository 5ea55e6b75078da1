from django.urls import path

from thidua.common import views

app_name = "common"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("nhat-ky/", views.audit_list, name="audit_list"),
    path("nhat-ky/<int:pk>/", views.audit_detail, name="audit_detail"),
]
