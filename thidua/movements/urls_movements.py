from django.urls import path

from thidua.movements import views

urlpatterns = [
    path("", views.movement_list, name="movement_list"),
    path("them/", views.movement_create, name="movement_create"),
    path("<int:pk>/", views.movement_detail, name="movement_detail"),
    path("<int:pk>/sua/", views.movement_edit, name="movement_edit"),
    path("<int:pk>/trang-thai/", views.movement_transition, name="movement_transition"),
    path("<int:pk>/tai-lieu/them/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/tai-lieu/<int:attachment_id>/", views.attachment_file, name="attachment_file"),
    path("<int:pk>/ke-hoach-phat-dong/", views.launch_letter, name="launch_letter"),
    path("<int:pk>/van-ban/<int:document_id>/", views.generated_file, name="generated_file"),
]
