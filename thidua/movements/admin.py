"""Browse-only admin pages: movements and what hangs on them change through thidua's services (and
the audit log), never here."""

from django.contrib import admin

from thidua.common.admin import ReadOnlyAdmin
from thidua.movements.models import (
    Cluster,
    ClusterMember,
    Movement,
    MovementAttachment,
    MovementCriterion,
    MovementTask,
    MovementTransition,
    Registration,
    ReviewReport,
    ReviewRequest,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TaskInline(ReadOnlyInline):
    model = MovementTask
    fields = ["order", "text"]


class CriterionInline(ReadOnlyInline):
    model = MovementCriterion
    fields = ["order", "name", "max_points"]


class TransitionInline(ReadOnlyInline):
    model = MovementTransition
    fields = ["from_status", "to_status", "at", "by", "note"]


class AttachmentInline(ReadOnlyInline):
    model = MovementAttachment
    fields = ["title", "file", "uploaded_by", "uploaded_at"]


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "launching_unit", "start", "end", "status", "launched_on"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "launching_unit__name", "launching_unit__code"]
    date_hierarchy = "start"
    list_select_related = ["launching_unit"]
    inlines = [TaskInline, CriterionInline, TransitionInline, AttachmentInline]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["movement", "unit", "person", "on_behalf_of", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["movement__title", "unit__name", "person__search_text"]
    list_select_related = ["movement", "unit", "person", "on_behalf_of"]


@admin.register(ReviewRequest)
class ReviewRequestAdmin(ReadOnlyAdmin):
    list_display = ["title", "movement", "kind", "deadline"]
    list_filter = ["kind"]
    search_fields = ["title", "movement__title"]
    list_select_related = ["movement"]


@admin.register(ReviewReport)
class ReviewReportAdmin(ReadOnlyAdmin):
    list_display = ["request", "unit", "registrations_met", "titles_achieved", "initiatives", "submitted_at"]
    search_fields = ["request__title", "unit__name"]
    list_select_related = ["request", "unit"]


class MemberInline(ReadOnlyInline):
    model = ClusterMember
    fields = ["unit", "covenant_signed_at", "covenant_signed_by"]


@admin.register(Cluster)
class ClusterAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "year", "organizer", "head_unit"]
    list_filter = ["kind", "year"]
    search_fields = ["name", "organizer__name"]
    list_select_related = ["organizer", "head_unit"]
    inlines = [MemberInline]
