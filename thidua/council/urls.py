from django.urls import path

from thidua.council import views

app_name = "council"

# Mounted at /hoi-dong/.
urlpatterns = [
    path("", views.council_list, name="council_list"),
    path("them/", views.council_create, name="council_create"),
    path("<int:pk>/", views.council_detail, name="council_detail"),
    path("<int:pk>/thanh-vien/", views.membership_add, name="membership_add"),
    path("<int:pk>/thanh-vien/<int:membership_id>/ket-thuc/", views.membership_end, name="membership_end"),
    path("<int:pk>/phien-hop/them/", views.session_create, name="session_create"),
    path("phien-hop/", views.session_list, name="session_list"),
    path("phien-hop/<int:pk>/", views.session_detail, name="session_detail"),
    path("phien-hop/<int:pk>/sua/", views.session_edit, name="session_edit"),
    path("phien-hop/<int:pk>/chuong-trinh/", views.agenda_edit, name="agenda_edit"),
    path("phien-hop/<int:pk>/gui-thanh-vien/", views.session_publish, name="session_publish"),
    path("phien-hop/<int:pk>/diem-danh/", views.attendance, name="attendance"),
    path("phien-hop/<int:pk>/mo-bo-phieu/", views.voting_open, name="voting_open"),
    path("phien-hop/<int:pk>/tien-do/", views.progress, name="progress"),
    path("phien-hop/<int:pk>/phieu-giay/", views.paper_entry, name="paper_entry"),
    path("phien-hop/<int:pk>/y-kien-van-ban/", views.written_vote, name="written_vote"),
    path("phien-hop/<int:pk>/ket-thuc/", views.session_close, name="session_close"),
    path("phien-hop/<int:pk>/huy/", views.session_cancel, name="session_cancel"),
    path("phien-hop/<int:pk>/bo-phieu/", views.ballot, name="ballot"),
    path("phien-hop/<int:pk>/ket-qua/", views.session_tally, name="session_tally"),
    path("phien-hop/<int:pk>/kiem-tra-bien-nhan/", views.receipt_check, name="receipt_check"),
    path("phien-hop/<int:pk>/van-ban/", views.document_generate, name="document_generate"),
    path("phien-hop/<int:pk>/van-ban/<int:document_id>/", views.document_file, name="document_file"),
    path("phien-hop/<int:pk>/tep/<str:kind>/<str:file_id>/", views.session_file, name="session_file"),
]
