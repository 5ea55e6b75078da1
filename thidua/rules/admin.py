from django.contrib import admin

from thidua.common.admin import ReadOnlyAdmin
from thidua.rules.models import AwardType, BaseSalaryRate, RuleOverride

# Browse only: the catalog, the overrides and the base salary are changed on thidua's own pages
# (/quy-dinh/…), through the services that record every change in the audit log.


@admin.register(AwardType)
class AwardTypeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "category", "level", "precedence", "annual", "is_active"]
    list_filter = ["category", "level", "annual", "is_active"]
    search_fields = ["code", "name", "short_name"]


@admin.register(RuleOverride)
class RuleOverrideAdmin(ReadOnlyAdmin):
    list_display = ["target", "value", "unit", "valid_from", "valid_to", "certainty", "legal_source"]
    list_filter = ["certainty"]
    search_fields = ["target", "legal_source", "note"]
    list_select_related = ["unit"]


@admin.register(BaseSalaryRate)
class BaseSalaryRateAdmin(ReadOnlyAdmin):
    list_display = ["effective_from", "amount", "legal_source", "certainty"]
    list_filter = ["certainty"]
