"""Provincial and agency overrides, the base-salary timeline and the award catalog: reading, writing
through the services (with audit rows) and who may do what."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thidua.common.models import AuditEntry
from thidua.rules.models import AwardType, BaseSalaryRate, RuleOverride
from thidua.rules.services import rule_override_create

LIST_URL = reverse("rules:override_list")
CREATE_URL = reverse("rules:override_create")
QUOTA = "parameters.quotas.CSTDCS.max_share"
TTLDTT_SHARE = "awards.TTLDTT.collective.rules.members_ldtt.params.min_share"


def _override(unit=None, target=TTLDTT_SHARE, value=0.7, **fields):
    return rule_override_create(
        actor=None,
        unit=unit,
        target=target,
        value=value,
        valid_from=fields.pop("valid_from", datetime.date(2025, 1, 1)),
        legal_source=fields.pop("legal_source", "Quyết định 12/2025/QĐ-UBND"),
        **fields,
    )


def _audit(model, obj):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=str(obj.pk)
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


def _form(**overrides):
    data = {
        "unit": "",
        "target": QUOTA,
        "value": "15%",
        "valid_from": "01/01/2026",
        "valid_to": "",
        "legal_source": "Quyết định 05/2026/QĐ-UBND tỉnh",
        "certainty": "provincial",
        "note": "Giữ tỷ lệ 15% như trước 2024",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- list


def test_override_list_shows_overrides_in_scope(officer_client, province, department, other_department):
    _override(unit=department)
    _override(unit=other_department, value=0.6)
    _override(unit=None, target=QUOTA, value=0.15)

    response = officer_client.get(LIST_URL)

    assert response.status_code == 200
    assert [(row["override"].unit_id, row["value"]) for row in response.context["rows"]] == [
        (department.pk, "70%"),
        (None, "15%"),
    ]


def test_override_list_filters_by_status(officer_client, department):
    _override(unit=department, valid_to=datetime.date(2025, 12, 31))
    current = _override(unit=department, valid_from=datetime.date(2026, 1, 1), value=0.65)

    response = officer_client.get(LIST_URL, {"status": "active"})

    assert [row["override"].pk for row in response.context["rows"]] == [current.pk]


def test_override_list_query_count_does_not_grow(admin_client_, department):
    _override(unit=department)
    with CaptureQueriesContext(connection) as one:
        assert admin_client_.get(LIST_URL).status_code == 200
    _override(unit=department, target=QUOTA, value=0.15)
    _override(unit=department, valid_from=datetime.date(2026, 1, 1), value=0.6)
    with CaptureQueriesContext(connection) as three:
        response = admin_client_.get(LIST_URL)
    assert len(response.context["rows"]) == 3
    assert len(three) == len(one)


def test_override_list_is_forbidden_to_staff(staff_client):
    assert staff_client.get(LIST_URL).status_code == 403


# ---------------------------------------------------------------- create


def test_override_form_offers_the_paths_of_the_ruleset_in_force(admin_client_):
    response = admin_client_.get(CREATE_URL)

    assert response.status_code == 200
    targets = set(response.context["form"].paths)
    assert {QUOTA, TTLDTT_SHARE, "parameters.money.rounding", "parameters.quorum.min_share"} <= targets
    assert "awards.BANG_KHEN_TINH.individual.rules.grounds.params.rules.cstdcs.params.count" in targets
    assert "parameters.dossier_documents.title" not in targets  # a list, not a value


def test_override_create_saves_and_audits(admin_client_, admin_user):
    response = admin_client_.post(CREATE_URL, _form())

    assert response.status_code == 302
    override = RuleOverride.objects.get()
    assert (override.target, override.value, override.unit, override.created_by) == (
        QUOTA,
        0.15,
        None,
        admin_user,
    )
    assert (override.valid_from, override.valid_to) == (datetime.date(2026, 1, 1), None)
    assert _audit(RuleOverride, override) == ["create"]


def test_override_create_for_a_unit(admin_client_, department):
    response = admin_client_.post(CREATE_URL, _form(unit=department.pk, target=TTLDTT_SHARE, value="0,7"))

    assert response.status_code == 302
    assert RuleOverride.objects.get().unit == department
    assert RuleOverride.objects.get().value == 0.7


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"value": "mười lăm"}, "value", "Tham số này cần một số, ví dụ 0,7 hoặc 70% hoặc 6."),
        (
            {"target": "parameters.money.highest_title_only", "value": "hay"},
            "value",
            "Tham số này chỉ nhận “có” hoặc “không”.",
        ),
        ({"valid_to": "31/12/2025"}, "valid_to", "Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."),
        ({"valid_from": "32/01/2026"}, "valid_from", "Nhập ngày theo dạng dd/mm/yyyy."),
        ({"target": "parameters.khong_co"}, "target", "Chọn một tham số trong danh sách."),
        ({"legal_source": ""}, "legal_source", "Trường này là bắt buộc."),
    ],
)
def test_override_create_refuses_invalid_input_in_vietnamese(admin_client_, changes, field, message):
    response = admin_client_.post(CREATE_URL, _form(**changes))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert RuleOverride.objects.count() == 0


def test_override_create_reads_a_list_value(admin_client_):
    target = "awards.CSTDCS.individual.rules.achievement.params.rules.initiative.params.kinds"

    response = admin_client_.post(CREATE_URL, _form(target=target, value="sang_kien, de_tai"))

    assert response.status_code == 302
    assert RuleOverride.objects.get().value == ["sang_kien", "de_tai"]


@pytest.mark.parametrize(
    "client_fixture", ["officer_client", "manager_client", "staff_client", "auditor_client"]
)
def test_override_create_is_only_for_admins(request, client_fixture):
    client = request.getfixturevalue(client_fixture)

    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, _form()).status_code == 403
    assert RuleOverride.objects.count() == 0


def test_override_create_by_a_department_admin_needs_a_unit(department):
    from tests.conftest import _client_for
    from tests.factories import make_user

    client = _client_for(make_user("quantriso", role="admin", unit=department))
    response = client.post(CREATE_URL, _form())

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["unit"]


# ---------------------------------------------------------------- end


def test_override_end_sets_the_last_day_and_audits(admin_client_, department):
    override = _override(unit=department)
    url = reverse("rules:override_end", args=[override.pk])

    assert admin_client_.get(url).status_code == 200
    response = admin_client_.post(url, {"valid_to": "30/06/2026"})

    assert response.status_code == 302
    override.refresh_from_db()
    assert override.valid_to == datetime.date(2026, 6, 30)
    assert _audit(RuleOverride, override) == ["create", "update"]


def test_override_end_before_its_start_is_refused(admin_client_, department):
    override = _override(unit=department)

    response = admin_client_.post(
        reverse("rules:override_end", args=[override.pk]), {"valid_to": "31/12/2024"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["valid_to"] == [
        "Ngày kết thúc không được trước ngày bắt đầu hiệu lực (01/01/2025)."
    ]


def test_override_end_is_not_found_for_non_admins(officer_client, department):
    override = _override(unit=department)

    response = officer_client.post(
        reverse("rules:override_end", args=[override.pk]), {"valid_to": "30/06/2026"}
    )

    assert response.status_code == 404
    override.refresh_from_db()
    assert override.valid_to is None


# ---------------------------------------------------------------- base salary


BASE_SALARY_URL = reverse("rules:base_salary")


def test_base_salary_shows_the_timeline_with_uncertain_rows_marked(officer_client):
    response = officer_client.get(BASE_SALARY_URL)

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row.effective_from, row.amount_display) for row in rows[:2]] == [
        (datetime.date(2026, 7, 1), "2.530.000"),
        (datetime.date(2024, 7, 1), "2.340.000"),
    ]
    assert rows[0].certainty_label == "Cần xác minh"
    assert response.context["form"] is None


def test_base_salary_admin_replaces_a_rate_with_audit(admin_client_):
    response = admin_client_.post(
        BASE_SALARY_URL,
        {
            "effective_from": "01/07/2026",
            "amount": "2.530.000",
            "legal_source": "Nghị định 161/2026/NĐ-CP",
            "certainty": "verified",
        },
    )

    assert response.status_code == 302
    row = BaseSalaryRate.objects.get()
    assert (row.amount, row.certainty) == (2530000, "verified")
    assert _audit(BaseSalaryRate, row) == ["create"]
    timeline = admin_client_.get(BASE_SALARY_URL).context["rows"]
    assert (timeline[0].added_here, timeline[0].certainty_label) == (True, "")


def test_base_salary_refuses_a_bad_amount(admin_client_):
    response = admin_client_.post(
        BASE_SALARY_URL,
        {
            "effective_from": "01/07/2026",
            "amount": "hai triệu",
            "legal_source": "NĐ",
            "certainty": "verified",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["amount"] == ["Nhập số tiền bằng chữ số, ví dụ 2.340.000."]


def test_base_salary_cannot_be_changed_by_an_officer(officer_client):
    response = officer_client.post(
        BASE_SALARY_URL,
        {"effective_from": "01/07/2026", "amount": "2530000", "legal_source": "NĐ", "certainty": "verified"},
    )

    assert response.status_code == 403
    assert BaseSalaryRate.objects.count() == 0


def test_base_salary_is_forbidden_to_staff(staff_client):
    assert staff_client.get(BASE_SALARY_URL).status_code == 403


# ---------------------------------------------------------------- award catalog


def test_award_list_keeps_titles_and_forms_apart(officer_client):
    response = officer_client.get(reverse("rules:award_list"))

    assert response.status_code == 200
    assert {award.code for award in response.context["titles"]} == {
        "LDTT",
        "CSTDCS",
        "CSTD_TINH",
        "CSTD_TOAN_QUOC",
        "TTLDTT",
        "TTLDXS",
        "CO_THI_DUA_TINH",
        "GIA_DINH_VAN_HOA",
    }
    assert {award.code for award in response.context["forms"]} == {
        "GIAY_KHEN",
        "BANG_KHEN_TINH",
        "BANG_KHEN_TTG",
    }
    assert response.context["can_manage"] is False


def test_award_edit_saves_through_the_service_with_audit(admin_client_):
    award = AwardType.objects.get(code="BANG_KHEN_TINH")
    url = reverse("rules:award_edit", args=["BANG_KHEN_TINH"])
    data = {
        "name": "Bằng khen của Chủ tịch UBND tỉnh",
        "short_name": "Bằng khen tỉnh",
        "artifacts": "Bằng khen, khung",
        "conferrer": "Chủ tịch UBND tỉnh",
        "conferrer_unit_kinds": ["ubnd_tinh"],
        "precedence": "36",
        "annual": "on",
        "legal_source": award.legal_source,
        "is_active": "on",
    }

    assert admin_client_.get(url).status_code == 200
    response = admin_client_.post(url, data)

    assert response.status_code == 302
    award.refresh_from_db()
    assert (award.name, award.artifacts, award.precedence, award.annual) == (
        "Bằng khen của Chủ tịch UBND tỉnh",
        "Bằng khen, khung",
        36,
        True,
    )
    assert _audit(AwardType, award)[-1] == "update"


def test_award_edit_is_forbidden_to_an_officer(officer_client):
    assert officer_client.get(reverse("rules:award_edit", args=["LDTT"])).status_code == 403


def test_award_edit_of_an_unknown_code_is_not_found(admin_client_):
    assert admin_client_.get(reverse("rules:award_edit", args=["KHONG_CO"])).status_code == 404
