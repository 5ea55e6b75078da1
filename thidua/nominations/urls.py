from django.urls import path

from thidua.nominations import views, views_appraisal, views_imports

app_name = "nominations"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("dot-xet/", views.round_list, name="round_list"),
    path("dot-xet/them/", views.round_create, name="round_create"),
    path("dot-xet/<int:pk>/ket-thuc/", views.round_close, name="round_close"),
    path("them/", views.nomination_create, name="nomination_create"),
    path("<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("<int:pk>/de-nghi/", views.nominee_add, name="nominee_add"),
    path("<int:pk>/tai-lieu/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/tai-lieu/<int:attachment_id>/", views.attachment_file, name="attachment_file"),
    path("<int:pk>/chuyen-trang-thai/", views.nomination_transition, name="nomination_transition"),
    path("<int:pk>/van-ban/", views.document_generate, name="document_generate"),
    path("<int:pk>/van-ban/<int:document_id>/", views.document_file, name="document_file"),
    path("<int:pk>/nhap-excel/", views_imports.import_upload, name="import_upload"),
    path("<int:pk>/nhap-excel/mau/", views_imports.import_template, name="import_template"),
    path("<int:pk>/nhap-excel/<int:import_id>/", views_imports.import_preview, name="import_preview"),
    path("<int:pk>/nhap-excel/<int:import_id>/cot/", views_imports.import_mapping, name="import_mapping"),
    path("<int:pk>/nhap-excel/<int:import_id>/nhap/", views_imports.import_apply, name="import_apply"),
    path("<int:pk>/nhap-excel/<int:import_id>/huy/", views_imports.import_cancel, name="import_cancel"),
    path("<int:pk>/nhap-excel/<int:import_id>/tep/", views_imports.import_file, name="import_file"),
    path("xu-ly-nhieu/", views_appraisal.inbox_bulk, name="inbox_bulk"),
    path("<int:pk>/giao-tham-dinh/", views_appraisal.nomination_assign, name="nomination_assign"),
    path("<int:pk>/trinh-cap-tren/", views_appraisal.nomination_forward, name="nomination_forward"),
    path("<int:pk>/de-nghi/<int:nominee_id>/ket-qua/", views_appraisal.nominee_decide, name="nominee_decide"),
    path("<int:pk>/de-nghi/<int:nominee_id>/y-kien/", views_appraisal.nominee_note, name="nominee_note"),
    path("<int:pk>/de-nghi/<int:nominee_id>/sua/", views_appraisal.nominee_edit, name="nominee_edit"),
    path("<int:pk>/de-nghi/<int:nominee_id>/bo/", views_appraisal.nominee_remove, name="nominee_remove"),
    path("<int:pk>/tai-lieu/<int:attachment_id>/go/", views_appraisal.attachment_remove, name="attachment_remove"),
]
