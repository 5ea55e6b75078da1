from django.urls import path

from thidua.exemplars import views_conferences as views
from thidua.exemplars import views_door as door
from thidua.exemplars import views_presentations as presentations

app_name = "conferences"

urlpatterns = [
    path("", views.conference_list, name="conference_list"),
    path("them/", views.conference_create, name="conference_create"),
    path("<int:pk>/", views.conference_detail, name="conference_detail"),
    path("<int:pk>/sua/", views.conference_edit, name="conference_edit"),
    path("<int:pk>/chuyen-trang-thai/", views.conference_transition, name="conference_transition"),
    path("<int:pk>/chuong-trinh/", views.programme, name="programme"),
    path("<int:pk>/chuong-trinh/mau/", views.agenda_default, name="agenda_default"),
    path("<int:pk>/chuong-trinh/<int:item_id>/<str:action>/", views.agenda_item_action, name="agenda_item_action"),
    path("<int:pk>/chuong-trinh.pdf", views.programme_pdf, name="programme_pdf"),
    path("<int:pk>/kich-ban-trao-thuong.pdf", views.ceremony_pdf, name="ceremony_pdf"),
    path("<int:pk>/khen-thuong/", views.honours, name="honours"),
    path("<int:pk>/phat-dong/", views.launch, name="launch"),
    path("<int:pk>/nguoi-danh-gia/", views.reviewers, name="reviewers"),
    path("<int:pk>/nguoi-danh-gia/<int:assignment_id>/xoa/", views.reviewer_remove, name="reviewer_remove"),
    path("<int:pk>/bao-cao/", views.report, name="report"),
    path("<int:pk>/tep/<int:document_id>/", views.generated_file, name="generated_file"),
    path("<int:pk>/tham-luan/", presentations.presentation_list, name="presentation_list"),
    path("<int:pk>/tham-luan/gui/", presentations.presentation_submit, name="presentation_submit"),
    path("<int:pk>/danh-gia.xlsx", presentations.review_export, name="review_export"),
    path("<int:pk>/phan-bien/", presentations.review_queue, name="review_queue"),
    path("<int:pk>/giay-moi/", door.invitation_list, name="invitation_list"),
    path("<int:pk>/giay-moi.pdf", door.invitations_pdf, name="invitations_pdf"),
    path("<int:pk>/giay-moi/<int:invitation_id>.pdf", door.invitations_pdf, name="invitation_pdf"),
    path("<int:pk>/giay-moi/<int:invitation_id>/xoa/", door.invitation_remove, name="invitation_remove"),
    path("<int:pk>/diem-danh/", door.door, name="door"),
    path("tham-luan/<int:pk>/", presentations.presentation_detail, name="presentation_detail"),
    path("tham-luan/<int:pk>/tep/", presentations.presentation_file, name="presentation_file"),
    path("tham-luan/<int:pk>/quyet-dinh/", presentations.presentation_decide, name="presentation_decide"),
    path("tham-luan/<int:pk>/gui-lai/", presentations.presentation_resubmit, name="presentation_resubmit"),
    path("tham-luan/<int:pk>/rut/", presentations.presentation_withdraw, name="presentation_withdraw"),
    path("tham-luan/<int:pk>/ban-an-danh/", presentations.blind_copy, name="blind_copy"),
    path("tham-luan/<int:pk>/danh-gia/", presentations.review_submit, name="review_submit"),
]
