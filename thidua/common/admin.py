from django.contrib import admin

from thidua.common.models import AuditEntry, ImportBatch


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse only. Writes go through thidua's services, which record them in the audit log; a
    change saved here would bypass the log."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_username", "action", "content_type", "object_repr", "unit_path"]
    list_filter = ["action", "content_type"]
    search_fields = ["actor_username", "object_repr", "object_id", "note"]
    date_hierarchy = "at"
    list_select_related = ["content_type"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "uploaded_at",
        "kind",
        "original_name",
        "uploaded_by",
        "row_count",
        "created_count",
        "updated_count",
    ]
    list_filter = ["kind"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["uploaded_by"]
