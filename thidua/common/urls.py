from django.urls import path

from thidua.common import views

app_name = "common"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("nhat-ky/", views.audit_list, name="audit_list"),
    path("nhat-ky/<int:pk>/", views.audit_detail, name="audit_detail"),
]

# The document register and the notifications (movements UI helper).
from thidua.common import views_documents, views_notifications  # noqa: E402

urlpatterns += [
    path("van-ban/", views_documents.document_list, name="document_list"),
    path("van-ban/them/", views_documents.document_create, name="document_create"),
    path("van-ban/<int:pk>/sua/", views_documents.document_edit, name="document_edit"),
    path("van-ban/<int:pk>/tep/", views_documents.document_file, name="document_file"),
    path("thong-bao/", views_notifications.notification_list, name="notification_list"),
    path("thong-bao/da-doc/", views_notifications.notification_read, name="notification_read"),
]
