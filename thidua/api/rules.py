"""Eligibility and reward money: /api/v1/eligibility and /api/v1/money.

Eligibility runs the engine once for the unit's subtree (``rules.selectors.eligibility_payload``, the
same answer as ``thidua eligibility --json``); the unit must be in the caller's scope for screening.
"""

import datetime
from typing import Annotated, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from thidua.api.schemas import IsoDate, Message, ValidationErrorOut
from thidua.organizations.selectors import access_person, access_unit
from thidua.rules import selectors
from thidua.rules.engine import COLLECTIVE, INDIVIDUAL
from thidua.rules.models import AwardType
from thidua.rules.money import MoneyError, amount_in_words, base_salary_on, reward_amount
from thidua.rules.rulesets import ruleset_for

router = Router(tags=["Xét khen thưởng"])


class ReasonOut(Schema):
    rule: str = Field(description="Mã điều kiện trong bộ quy định (điều kiện con: mã cha.mã con).")
    passed: bool | None = Field(description="true: đạt; false: không đạt; null: chưa xác định được.")
    message: str = Field(description="Giải thích bằng tiếng Việt, kèm căn cứ.")
    source: str = Field(description="Căn cứ pháp lý.")
    label: str = Field(description="Tên điều kiện.")
    certainty: str = Field(
        description="verified: đã đối chiếu văn bản; recollection: cần xác minh; provincial: do tỉnh quy định."
    )
    children: list["ReasonOut"] | None = Field(
        None, description="Các điều kiện con (với “một trong”, “tất cả”)."
    )


class EligibilityItem(Schema):
    person: int | None = Field(None, description="Mã hồ sơ cá nhân (với danh hiệu cá nhân).")
    unit: str | None = Field(None, description="Mã đơn vị (với danh hiệu tập thể).")
    award: str
    verdict: Literal["eligible", "ineligible", "needs_review"]
    reasons: list[ReasonOut]


class QuotaOut(Schema):
    award: str
    of_award: str
    max_share: float
    allowed: int
    eligible: int
    mode: Literal["warn", "block"]
    exceeded: bool
    message: str
    source: str
    certainty: str


class EligibilityOut(Schema):
    ruleset: str = Field(description="Mã bộ quy định áp dụng vào ngày as_of.")
    ruleset_name: str
    ruleset_valid_from: datetime.date | None
    ruleset_valid_to: datetime.date | None
    beyond_validity: bool = Field(description="true khi as_of đã quá hạn hiệu lực của bộ quy định mới nhất.")
    year: int
    as_of: datetime.date
    quotas: list[QuotaOut]
    items: list[EligibilityItem]


class MoneyOut(Schema):
    coefficient: float = Field(description="Hệ số × mức lương cơ sở.")
    base_salary: int = Field(description="Mức lương cơ sở áp dụng vào ngày quyết định (đồng).")
    amount: int = Field(description="Số tiền thưởng sau khi làm tròn (đồng).")
    multiplier: float = Field(description="Hệ số nhân thêm (hộ gia đình: 1,5 lần mức cá nhân).")
    ruleset: str
    rounding: str = Field(description="up: làm tròn lên hàng chục nghìn; nearest: làm tròn gần nhất.")
    amount_in_words: str
    source: str
    certainty: str
    base_salary_source: str
    base_salary_certainty: str


def _query_error(field: str, message: str) -> Status:
    """The API's 422 shape, for a query parameter the schema accepted but the domain refuses."""
    return Status(
        422,
        {
            "detail": [{"loc": ["query", field], "field": field, "msg": message, "type": "value_error"}],
            "errors": {field: [message]},
        },
    )


@router.get(
    "/eligibility",
    response={200: EligibilityOut, 401: Message, 404: Message, 422: ValidationErrorOut},
    exclude_unset=True,
    summary="Xét điều kiện khen thưởng",
)
def eligibility(
    request,
    award: Annotated[str, Query(description="Mã danh hiệu, hình thức, ví dụ LDTT, CSTDCS, TTLDXS.")],
    year: Annotated[int, Query(description="Năm thành tích.")],
    unit: Annotated[str, Query(description="Mã đơn vị: xét mọi cá nhân, tập thể của đơn vị và cấp dưới.")],
    person: Annotated[int | None, Query(description="Chỉ xét một cá nhân (mã hồ sơ).")] = None,
    as_of: Annotated[
        IsoDate | None, Query(description="Xét theo quy định có hiệu lực vào ngày này (mặc định hôm nay).")
    ] = None,
):
    """Mỗi cá nhân (danh hiệu cá nhân) hoặc tập thể (danh hiệu tập thể) với kết quả `eligible`,
    `ineligible` hoặc `needs_review` và từng điều kiện đã xét kèm căn cứ."""
    user = request.auth
    root = access_unit(user, unit, "screening.view")
    award_type = AwardType.objects.filter(code=award).first()
    if award_type is None:
        return _query_error(
            "award", _("Không có danh hiệu, hình thức khen thưởng mã “%(code)s”.") % {"code": award}
        )
    problem = selectors.year_problem(year)
    if problem:
        return _query_error("year", problem)
    subject = access_person(user, person, "screening.view") if person is not None else None
    day = as_of or timezone.localdate()
    ruleset = ruleset_for(day, root)
    has_individual = bool(ruleset.award_rules(award, INDIVIDUAL))
    if not has_individual and not ruleset.award_rules(award, COLLECTIVE):
        return _query_error(
            "award",
            _("Quy định %(ruleset)s không có tiêu chuẩn xét %(award)s cho cá nhân hoặc tập thể.")
            % {"ruleset": ruleset.code, "award": award_type.name},
        )
    if subject is not None and not has_individual:
        return _query_error(
            "person", _("%(award)s chỉ xét cho tập thể: bỏ tham số person.") % {"award": award_type.name}
        )
    return selectors.eligibility_payload(root=root, year=year, award_codes=[award], as_of=day, person=subject)


@router.get(
    "/money",
    response={200: MoneyOut, 401: Message, 404: Message, 422: ValidationErrorOut},
    summary="Tiền thưởng",
)
def money(
    request,
    award: Annotated[str, Query(description="Mã danh hiệu, hình thức.")],
    subject: Annotated[
        Literal["individual", "collective", "household"],
        Query(description="individual: cá nhân; collective: tập thể; household: hộ gia đình."),
    ],
    decision_date: Annotated[IsoDate, Query(description="Ngày ký quyết định khen thưởng.")],
    unit: Annotated[
        str | None, Query(description="Mã đơn vị, để áp dụng tham số riêng của tỉnh, cơ quan (nếu có).")
    ] = None,
):
    """Hệ số × mức lương cơ sở áp dụng vào ngày quyết định, làm tròn theo bộ quy định."""
    scope_unit = access_unit(request.auth, unit, "rules.view") if unit else None
    try:
        base_salary_on(decision_date)
    except MoneyError as error:
        return _query_error("decision_date", str(error))
    try:
        result = reward_amount(award=award, subject=subject, decision_date=decision_date, unit=scope_unit)
    except MoneyError as error:
        return _query_error("award", str(error))
    return {
        "coefficient": float(result.coefficient),
        "base_salary": result.base_salary,
        "amount": result.amount,
        "multiplier": float(result.multiplier),
        "ruleset": result.ruleset,
        "rounding": result.rounding,
        "amount_in_words": amount_in_words(result.amount),
        "source": result.source,
        "certainty": result.certainty,
        "base_salary_source": result.base_salary_source,
        "base_salary_certainty": result.base_salary_certainty,
    }
