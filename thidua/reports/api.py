"""Reports over the API: counts grouped as asked, the standard forms as Excel files, and a person's
award history. Reading needs ``report.view`` on the unit (``records.view`` on the person for the
history); anything out of the caller's sight answers 404."""

import datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from thidua.accounts import scopes
from thidua.api.schemas import Message, ValidationErrorOut
from thidua.common.spreadsheets import XLSX_CONTENT_TYPE, xlsx_response
from thidua.organizations import selectors as org_selectors
from thidua.records.services import MIN_YEAR
from thidua.reports import history, selectors, spreadsheets, standard_forms
from thidua.reports.enums import Dimension, Revoked, YearBasis
from thidua.reports.statistics import Filters, summary
from thidua.reports.views import default_form_year

router = Router(tags=["Thống kê, báo cáo"])

MAX_SPAN_YEARS = 30
FIVE_YEAR_FORM = "tong-hop"


class SummaryOut(Schema):
    rows: list[dict[str, Any]] = Field(
        description="Một dòng cho mỗi nhóm: các khóa theo `by` (award: mã danh hiệu, hình thức; year; unit: mã "
        "đơn vị trực thuộc; gender; subject; category; level; ethnicity; position) và `count`."
    )
    total: int = Field(description="Tổng số lượt khen thưởng (không tính khen thưởng đã thu hồi, trừ khi yêu cầu).")


class HistoryPersonOut(Schema):
    id: int
    full_name: str


class HistoryItemOut(Schema):
    award: str = Field(description="Mã danh hiệu, hình thức.")
    award_name: str
    category: str = Field(description="danh_hieu (danh hiệu thi đua) hoặc hinh_thuc (hình thức khen thưởng).")
    level: str
    period_start: int
    period_end: int
    decision_number: str
    decision_date: datetime.date
    issuer: str
    unit_then: str = Field(description="Đơn vị công tác tại ngày quyết định.")
    unit_now: str = Field(description="Đơn vị kế thừa hiện nay nếu đơn vị đó đã sáp nhập; rỗng nếu không đổi.")
    revoked: bool


class HistoryOut(Schema):
    person: HistoryPersonOut
    count: int = Field(description="Số khen thưởng còn hiệu lực (không tính đã thu hồi).")
    items: list[HistoryItemOut]


def _invalid(errors: dict[str, str]) -> Status:
    return Status(
        422,
        {
            "detail": [{"loc": ["query", field], "field": field, "msg": message, "type": "value_error"} for field, message in errors.items()],
            "errors": {field: [message] for field, message in errors.items()},
        },
    )


def _report_unit(user, code: str | None):
    scopes.require(user, "report.view")
    if code:
        return selectors.access_report_unit(user, code)
    unit = selectors.default_report_unit(user)
    if unit is None:
        raise PermissionDenied
    return unit


@router.get(
    "/reports/summary",
    response={200: SummaryOut, 401: Message, 403: Message, 404: Message, 422: ValidationErrorOut},
    summary="Thống kê khen thưởng",
)
def report_summary(
    request,
    unit: Annotated[str | None, Query(description="Mã đơn vị; mặc định đơn vị cao nhất được xem.")] = None,
    year_from: Annotated[int | None, Query(alias="from", description="Từ năm (YYYY); mặc định 5 năm gần nhất.")] = None,
    year_to: Annotated[int | None, Query(alias="to", description="Đến năm (YYYY).")] = None,
    by: Annotated[str, Query(description="Nhóm theo, cách nhau dấu phẩy: award, year, unit, gender, subject, category, level, ethnicity, position.")] = "award,year",
    as_of: Annotated[datetime.date | None, Query(description="Tổ chức tại ngày (sau sáp nhập, đơn vị mới gồm cả đơn vị cũ); mặc định hôm nay.")] = None,
    basis: Annotated[str, Query(description="achievement: năm thành tích; statistical: năm thống kê 01/12–30/11 theo ngày quyết định.")] = YearBasis.ACHIEVEMENT,
    current: Annotated[bool, Query(description="Cá nhân tính theo đơn vị hiện nay thay vì đơn vị tại ngày quyết định.")] = False,
    revoked: Annotated[str, Query(description="exclude (mặc định), only hoặc include khen thưởng đã thu hồi.")] = Revoked.EXCLUDE,
):
    """Số lượt khen thưởng của đơn vị (cả đơn vị trực thuộc và đơn vị đã sáp nhập vào) trong các năm, nhóm theo `by`."""
    root = _report_unit(request.auth, unit)
    today = timezone.localdate()
    first = year_from if year_from is not None else today.year - 5
    last = year_to if year_to is not None else today.year - 1
    errors: dict[str, str] = {}
    dims = [part.strip() for part in by.split(",") if part.strip()]
    unknown = [part for part in dims if part not in Dimension.values]
    if unknown or not dims or len(set(dims)) != len(dims):
        errors["by"] = _("Nhóm theo không hợp lệ: %(value)s. Dùng: %(allowed)s.") % {
            "value": by,
            "allowed": ", ".join(Dimension.values),
        }
    for field, value in (("from", first), ("to", last)):
        if not MIN_YEAR <= value <= today.year + 1:
            errors[field] = _("Năm phải trong khoảng %(first)s–%(last)s.") % {"first": MIN_YEAR, "last": today.year + 1}
    if "from" not in errors and "to" not in errors:
        if first > last:
            errors["to"] = _("“to” phải bằng hoặc sau “from”.")
        elif last - first >= MAX_SPAN_YEARS:
            errors["to"] = _("Chỉ thống kê tối đa %(years)s năm một lần.") % {"years": MAX_SPAN_YEARS}
    if basis not in YearBasis.values:
        errors["basis"] = _("Chỉ nhận achievement hoặc statistical.")
    if revoked not in Revoked.values:
        errors["revoked"] = _("Chỉ nhận exclude, only hoặc include.")
    if errors:
        return _invalid(errors)
    scope = selectors.report_scope(root, as_of or today)
    result = summary(scope, Filters(first, last, basis=basis, by_current_unit=current, revoked=revoked), dims)
    return {"rows": result.rows, "total": result.total}


@router.get(
    "/reports/forms/{form}.xlsx",
    response={401: Message, 403: Message, 404: Message, 422: ValidationErrorOut},
    summary="Biểu mẫu thống kê (Excel)",
    openapi_extra={
        "responses": {
            200: {
                "description": "Tệp Excel của biểu mẫu.",
                "content": {XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def report_form_xlsx(
    request,
    form: str,
    unit: Annotated[str | None, Query(description="Mã đơn vị báo cáo; mặc định đơn vị cao nhất được xem.")] = None,
    year: Annotated[int | None, Query(description="Năm báo cáo (năm thống kê 01/12 năm trước – 30/11); với tong-hop: năm cuối giai đoạn.")] = None,
    year_from: Annotated[int | None, Query(alias="from", description="Chỉ với tong-hop: năm đầu giai đoạn (mặc định năm cuối − 5).")] = None,
):
    """Biểu mẫu (0601, 0602, 0603, 0604, 0605 theo Thông tư 02/2023/TT-BNV; 0701–0703 theo Thông tư 03/2018/TT-BNV) hoặc
    `tong-hop`: bảng tổng hợp kết quả khen thưởng theo giai đoạn."""
    template = standard_forms.template_by_slug(form)
    if template is None and form != FIVE_YEAR_FORM:
        return Status(404, {"detail": _("Không có biểu mẫu “%(form)s”.") % {"form": form}})
    root = _report_unit(request.auth, unit)
    today = timezone.localdate()
    chosen = year if year is not None else default_form_year()
    if not 1990 <= chosen <= today.year:
        return _invalid({"year": _("Năm báo cáo phải trong khoảng 1990–%(last)s.") % {"last": today.year}})
    scope = selectors.report_scope(root, today)
    if template is None:
        first = year_from if year_from is not None else chosen - 5
        if not MIN_YEAR <= first <= chosen or chosen - first >= MAX_SPAN_YEARS:
            return _invalid({"from": _("Năm đầu giai đoạn phải trước năm cuối và cách không quá %(years)s năm.") % {"years": MAX_SPAN_YEARS}})
        table = standard_forms.five_year_table(scope, first, chosen)
        return xlsx_response(f"tong-hop-khen-thuong-{first}-{chosen}-{root.code}.xlsx", spreadsheets.five_year_workbook(table))
    filled = standard_forms.fill_form(template, scope, chosen)
    return xlsx_response(f"bieu-{template.slug}-{chosen}-{root.code}.xlsx", spreadsheets.form_workbook(filled))


@router.get(
    "/people/{int:person_id}/history",
    response={200: HistoryOut, 401: Message, 404: Message},
    summary="Quá trình khen thưởng của cá nhân",
)
def person_history(request, person_id: int):
    """Mọi khen thưởng trong sổ của người này, cũ trước, kể cả đã thu hồi (có đánh dấu), với đơn vị công tác
    tại ngày quyết định và đơn vị kế thừa hiện nay."""
    person = org_selectors.access_person(request.auth, person_id, "records.view")
    result = history.person_history(person)
    return {
        "person": {"id": person.pk, "full_name": person.full_name},
        "count": len(result.counted),
        "items": [
            {
                "award": entry.award_code,
                "award_name": entry.award_name,
                "category": entry.category,
                "level": entry.level,
                "period_start": entry.period_start,
                "period_end": entry.period_end,
                "decision_number": entry.decision_number,
                "decision_date": entry.decision_date,
                "issuer": entry.issuer,
                "unit_then": entry.unit_then,
                "unit_now": entry.unit_now,
                "revoked": entry.revoked,
            }
            for entry in result.entries
        ],
    }
