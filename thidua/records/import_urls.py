from django.urls import path  # noqa: F401

app_name = "records_imports"

urlpatterns: list = []
