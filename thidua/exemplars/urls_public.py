"""Public pages (no login): the honour board under /vinh-danh/, and the delegates' invitations under
/thu-moi/<token> (the QR codes print the address in upper case, /THU-MOI/…, so both are answered)."""

from django.urls import path

from thidua.exemplars import views_door, views_public

app_name = "honours"

urlpatterns = [
    path("vinh-danh/", views_public.board, name="board"),
    path("vinh-danh/khen-thuong/", views_public.awards, name="awards"),
    path("vinh-danh/dien-hinh/<int:pk>/", views_public.exemplar_page, name="exemplar"),
    path("vinh-danh/anh/<int:photo_id>/", views_public.photo, name="photo"),
    path("vinh-danh/quyet-dinh/", views_public.decisions, name="decisions"),
    path("vinh-danh/quyet-dinh/<int:pk>/", views_public.decision_page, name="decision"),
    path("vinh-danh/hoi-nghi/", views_public.conferences, name="conferences"),
    path("vinh-danh/hoi-nghi/<int:pk>/", views_public.conference_page, name="conference"),
    path("vinh-danh/hoi-nghi/<int:pk>/chuong-trinh.pdf", views_public.conference_programme_pdf, name="conference_programme_pdf"),
    path("thu-moi/<str:token>", views_door.invitation_page, name="invitation"),
    path("THU-MOI/<str:token>", views_door.invitation_page, name="invitation_upper"),
]
