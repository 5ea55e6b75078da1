from django.contrib import admin

from thidua.common.admin import ReadOnlyAdmin
from thidua.records.models import AnnualRating, AwardRecord, Discipline, Initiative, InitiativeAuthor, Leave


@admin.register(AnnualRating)
class AnnualRatingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "person", "unit", "year", "rating"]
    list_filter = ["year", "rating"]
    # search_text is accent-folded: "nguyen van an" finds "Nguyễn Văn An".
    search_fields = ["person__search_text", "unit__name", "unit__code"]
    list_select_related = ["person", "unit"]


class InitiativeAuthorInline(admin.TabularInline):
    model = InitiativeAuthor
    fields = ["order", "person"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "scope", "recognized_on", "unit", "applied", "effective"]
    list_filter = ["kind", "scope", "applied"]
    search_fields = ["title", "recognizing_decision", "author_links__person__search_text"]
    date_hierarchy = "recognized_on"
    list_select_related = ["unit"]
    inlines = [InitiativeAuthorInline]


@admin.register(Discipline)
class DisciplineAdmin(ReadOnlyAdmin):
    list_display = ["person", "level", "pending", "pending_kind", "start", "end", "decision"]
    list_filter = ["pending", "level", "pending_kind"]
    search_fields = ["person__search_text", "decision"]
    list_select_related = ["person"]


@admin.register(Leave)
class LeaveAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "start", "end"]
    list_filter = ["kind"]
    search_fields = ["person__search_text"]
    list_select_related = ["person"]


@admin.register(AwardRecord)
class AwardRecordAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "award",
        "period_start",
        "period_end",
        "decision_number",
        "decision_date",
        "source",
        "revoked",
    ]
    list_filter = ["award", "source", "revoked", "counts_for_regular"]
    search_fields = [
        "person__search_text",
        "unit__name",
        "household_name",
        "decision_number",
        "register_number",
    ]
    list_select_related = ["person", "unit", "award"]
