from django.contrib import admin

from thidua.common.admin import ReadOnlyAdmin
from thidua.organizations.models import Employment, Person, Unit, UnitSuccession


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "short_name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["parent"]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(ReadOnlyAdmin):
    list_display = ["predecessor", "successor", "kind", "effective_on", "legal_basis"]
    list_filter = ["kind"]
    list_select_related = ["predecessor", "successor"]


class EmploymentInline(admin.TabularInline):
    model = Employment
    fields = ["unit", "position", "position_category", "rank", "start_date", "end_date", "note"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "gender", "birth_date", "cccd", "current_unit", "current_position"]
    list_filter = ["gender", "current_position_category"]
    # search_text is accent-folded: "nguyen van an" finds "Nguyễn Văn An".
    search_fields = ["search_text", "cccd", "email"]
    list_select_related = ["current_unit"]
    inlines = [EmploymentInline]


@admin.register(Employment)
class EmploymentAdmin(ReadOnlyAdmin):
    list_display = ["person", "unit", "position", "start_date", "end_date"]
    list_select_related = ["person", "unit"]
    search_fields = ["person__search_text", "position"]
