from django.urls import path

from thidua.nominations import views

app_name = "nominations"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("dot-xet/", views.round_list, name="round_list"),
    path("dot-xet/them/", views.round_create, name="round_create"),
    path("them/", views.nomination_create, name="nomination_create"),
    path("<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("<int:pk>/de-nghi/", views.nominee_add, name="nominee_add"),
    path("<int:pk>/tai-lieu/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/tai-lieu/<int:attachment_id>/", views.attachment_file, name="attachment_file"),
    path("<int:pk>/chuyen-trang-thai/", views.nomination_transition, name="nomination_transition"),
    path("<int:pk>/van-ban/", views.document_generate, name="document_generate"),
    path("<int:pk>/van-ban/<int:document_id>/", views.document_file, name="document_file"),
]
