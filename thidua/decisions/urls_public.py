"""Public pages (no login): certificate verification. The QR codes print the address in upper case
(``/XAC-THUC/<code>``, the compact alphanumeric QR mode), so both spellings are answered."""

from django.urls import path

from thidua.decisions import views_public

app_name = "verification"

urlpatterns = [
    path("xac-thuc/", views_public.verify_form, name="verify_form"),
    path("xac-thuc/<str:code>", views_public.verify, name="verify"),
    path("XAC-THUC/<str:code>", views_public.verify, name="verify_upper"),
]
