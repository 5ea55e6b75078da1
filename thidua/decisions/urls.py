from django.urls import path

from thidua.decisions import views, views_certificates

app_name = "decisions"

urlpatterns = [
    path("", views.decision_list, name="decision_list"),
    path("xuat-excel/", views.decision_export, name="decision_export"),
    path("lap-tu-de-nghi/", views.draft_from_nominees, name="draft_from_nominees"),
    path("tien-thuong/", views.money_totals, name="money_totals"),
    path("danh-so/", views.numbering, name="numbering"),
    path("mau-phoi/", views_certificates.template_list, name="template_list"),
    path("mau-phoi/them/", views_certificates.template_edit, name="template_create"),
    path("mau-phoi/<int:template_id>/", views_certificates.template_edit, name="template_edit"),
    path("mau-phoi/<int:template_id>/in-thu.pdf", views_certificates.template_test_print, name="template_test_print"),
    path("<int:pk>/", views.decision_detail, name="decision_detail"),
    path("<int:pk>/sua/", views.decision_edit, name="decision_edit"),
    path("<int:pk>/chuyen-trang-thai/", views.decision_transition, name="decision_transition"),
    path("<int:pk>/ban-hanh/", views.decision_issue, name="decision_issue"),
    path("<int:pk>/dong/<int:line_id>/sua/", views.recipient_edit, name="recipient_edit"),
    path("<int:pk>/dong/<int:line_id>/bo/", views.recipient_remove, name="recipient_remove"),
    path("<int:pk>/van-ban.docx", views.document_docx, name="document_docx"),
    path("<int:pk>/van-ban.pdf", views.document_pdf, name="document_pdf"),
    path("<int:pk>/tep/<int:document_id>/", views.generated_file, name="generated_file"),
    path("<int:pk>/ban-ky/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/ban-ky/<int:attachment_id>/", views.attachment_file, name="attachment_file"),
    path("<int:pk>/chi-tien-thuong.<str:fmt>", views.payments_file, name="payments_file"),
    path("<int:pk>/giay-khen/", views_certificates.certificates_start, name="certificates_start"),
    path("<int:pk>/giay-khen/<int:batch_id>/tien-do/", views_certificates.batch_progress, name="batch_progress"),
    path("<int:pk>/thu-hoi/", views.revocation_create, name="revocation_create"),
    path("<int:pk>/thu-hoi/<int:item_id>/da-nop/", views.revocation_returned, name="revocation_returned"),
]
