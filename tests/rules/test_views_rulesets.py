"""The rulesets pages: which ruleset applies on a day, and a ruleset's parameters and rules in words."""

import datetime

import pytest
from django.urls import reverse

from thidua.rules.services import rule_override_create

LIST_URL = reverse("rules:ruleset_list")
TARGET = "awards.TTLDTT.collective.rules.members_ldtt.params.min_share"


def _detail(code="ND152_2025"):
    return reverse("rules:ruleset_detail", args=[code])


@pytest.fixture
def province_override(province):
    return rule_override_create(
        actor=None,
        unit=province,
        target=TARGET,
        value=0.7,
        valid_from=datetime.date(2025, 1, 1),
        legal_source="Quyết định 12/2025/QĐ-UBND",
    )


def test_ruleset_list_shows_shipped_rulesets_and_todays(officer_client):
    response = officer_client.get(LIST_URL)

    assert response.status_code == 200
    assert [row["code"] for row in response.context["rulesets"]] == ["ND152_2025", "ND98_2023", "ND91_2017"]
    assert response.context["answer"].code == "ND152_2025"
    assert "Quy định nào áp dụng vào ngày …?" in response.content.decode()


@pytest.mark.parametrize(
    ("day", "code"),
    [
        ("2023-12-31", "ND91_2017"),
        ("2024-01-01", "ND98_2023"),
        ("2025-06-30", "ND98_2023"),
        ("2025-07-01", "ND152_2025"),
    ],
)
def test_ruleset_list_answers_which_ruleset_applies_on_a_day(officer_client, day, code):
    response = officer_client.get(LIST_URL, {"on": day})

    assert response.context["answer"].code == code


def test_ruleset_list_warns_beyond_the_newest_validity(officer_client):
    response = officer_client.get(LIST_URL, {"on": "01/06/2027"})

    assert response.context["answer"].beyond_validity is True
    assert "đã quá thời hạn hiệu lực của quy định (đến 28/02/2027)" in response.content.decode()


def test_ruleset_list_for_a_unit_counts_its_overrides(officer_client, province_override):
    with_unit = officer_client.get(LIST_URL, {"on": "2026-01-15", "unit": "SKHCN"})

    assert [override.target for override in with_unit.context["answer"].overrides] == [TARGET]
    assert "Kèm 1 tham số của tỉnh, cơ quan." in with_unit.content.decode()


def test_ruleset_list_with_a_unit_outside_scope_is_not_found(outsider_client, department):
    assert outsider_client.get(LIST_URL, {"on": "2026-01-15", "unit": "SKHCN"}).status_code == 404


def test_ruleset_list_is_forbidden_to_staff(staff_client):
    assert staff_client.get(LIST_URL).status_code == 403


def test_ruleset_detail_shows_parameters_and_rules_in_words(officer_client):
    response = officer_client.get(_detail(), {"on": "2026-01-15"})

    assert response.status_code == 200
    view = response.context["view"]
    bang_khen = next(
        row for row in view.coefficients if row.award == "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
    )
    assert (bang_khen.individual.display, bang_khen.collective.display, bang_khen.household) == (
        "1,5",
        "3,0",
        "2,25",
    )
    assert [value.display for value in view.money.values] == [
        "Làm tròn lên hàng chục nghìn đồng",
        "10.000",
        "1,5",
        "có",
    ]
    cstd_tinh = next(award for award in view.awards if award.code == "CSTD_TINH")
    assert [rule.description for rule in cstd_tinh.rules] == [
        "03 lần liên tục đạt CSTĐCS",
        "Ít nhất 01 sáng kiến hoặc đề tài, đề án phạm vi từ cấp tỉnh, bộ, ngành trở lên trong 03 năm",
        "Không có vụ việc đang xem xét vào ngày xét",
    ]
    content = response.content.decode()
    assert "Tỷ lệ, định mức: Chiến sĩ thi đua cơ sở" in content
    assert "Do tỉnh quy định" in content
    assert "Cần xác minh" in content
    assert "Thời hạn thẩm định (ngày làm việc)" in content


def test_ruleset_detail_shows_overrides_inline(officer_client, province_override):
    response = officer_client.get(_detail(), {"on": "2026-01-15", "unit": "SKHCN"})

    ttldtt = next(award for award in response.context["view"].awards if award.code == "TTLDTT")
    rule = next(rule for rule in ttldtt.rules if rule.rule_id == "members_ldtt")
    assert rule.description == "Trên 70% cá nhân đạt LĐTT"
    (note,) = rule.overrides
    assert note.text == "Ủy ban nhân dân tỉnh Tiền Giang thay 50% bằng 70% từ 01/01/2025"
    assert "Ủy ban nhân dân tỉnh Tiền Giang thay 50% bằng 70% từ 01/01/2025" in response.content.decode()


def test_ruleset_detail_without_unit_leaves_out_unit_overrides(officer_client, province_override):
    response = officer_client.get(_detail(), {"on": "2026-01-15"})

    assert response.context["view"].notes == []


def test_ruleset_detail_outside_its_validity_says_which_applies(officer_client):
    response = officer_client.get(_detail("ND98_2023"), {"on": "2026-01-15"})

    assert response.context["view"].effective is None
    assert "quy định áp dụng ngày đó là ND152_2025" in response.content.decode()


def test_ruleset_detail_defaults_to_a_day_of_its_validity(officer_client):
    response = officer_client.get(_detail("ND91_2017"))

    assert response.context["view"].day == datetime.date(2023, 12, 31)
    assert response.context["view"].effective.code == "ND91_2017"


def test_ruleset_detail_of_an_unknown_code_is_not_found(officer_client):
    assert officer_client.get(_detail("ND00_1999")).status_code == 404


def test_ruleset_detail_with_a_unit_outside_scope_is_not_found(outsider_client, department):
    assert outsider_client.get(_detail(), {"unit": "SKHCN"}).status_code == 404


def test_ruleset_detail_is_forbidden_to_staff(staff_client):
    assert staff_client.get(_detail()).status_code == 403


def test_ruleset_detail_says_a_province_sets_a_value_left_empty_nationally(officer_client, province):
    rule_override_create(
        actor=None,
        unit=province,
        target="parameters.quotas.CSTDCS.max_share",
        value=0.15,
        valid_from=datetime.date(2025, 7, 1),
        legal_source="Quyết định 21/2025/QĐ-UBND",
    )

    response = officer_client.get(_detail(), {"on": "2026-01-15", "unit": "SKHCN"})

    quota = next(
        group
        for group in response.context["view"].groups
        if group.title == "Tỷ lệ, định mức: Chiến sĩ thi đua cơ sở"
    )
    max_share = next(value for value in quota.values if value.key == "max_share")
    assert max_share.display == "15%"
    assert [note.text for note in max_share.overrides] == [
        "Ủy ban nhân dân tỉnh Tiền Giang đặt 15% từ 01/07/2025"
    ]
