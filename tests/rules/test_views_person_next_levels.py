"""A person's title history and what is missing for the next levels (loaded into the person page)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_person
from tests.rules.conftest import Evidence


@pytest.fixture
def achiever(office):
    evidence = Evidence(office)
    person = evidence.person("Trần Thị Xuất Sắc")
    year = timezone.localdate().year - 1
    for offset in range(3):
        evidence.rate(person, year - offset, "HTXSNV")
    evidence.award(person, "LDTT", year - 2, decision_date=datetime.date(year - 1, 1, 10))
    evidence.award(person, "CSTDCS", year - 2, decision_date=datetime.date(year - 1, 1, 20))
    evidence.award(person, "CSTDCS", year - 1)
    evidence.initiative(person, year)
    return person


def _url(person):
    return reverse("rules:person_next_levels", args=[person.pk])


def test_next_levels_show_history_and_missing_rules(officer_client, achiever):
    response = officer_client.get(_url(achiever))

    assert response.status_code == 200
    year = timezone.localdate().year - 1
    assert [(record.award.code, record.period_end) for record in response.context["history"]] == [
        ("CSTDCS", year - 1),
        ("CSTDCS", year - 2),
        ("LDTT", year - 2),
    ]
    levels = {level.code: level for level in response.context["levels"]}
    assert list(levels) == ["CSTDCS", "CSTD_TINH", "BANG_KHEN_TINH", "CSTD_TOAN_QUOC", "BANG_KHEN_TTG"]
    assert levels["CSTDCS"].verdict == "eligible"
    assert levels["CSTDCS"].missing == []
    assert levels["CSTD_TINH"].verdict == "ineligible"
    assert [line.rule for line in levels["CSTD_TINH"].missing] == ["effect"]
    content = response.content.decode()
    assert "Khen thưởng và điều kiện cho mức tiếp theo" in content
    assert "Có sáng kiến hoặc đề tài có phạm vi ảnh hưởng cấp tỉnh trong thời gian đó" in content


def test_next_levels_for_htmx_is_the_section_only(officer_client, achiever):
    response = officer_client.get(_url(achiever), headers={"HX-Request": "true"})

    assert response.content.decode().startswith('<section id="person-next-levels"')


def test_next_levels_for_another_year(officer_client, achiever):
    year = timezone.localdate().year - 2

    response = officer_client.get(_url(achiever), {"year": year})

    assert response.context["year"] == year
    assert response.context["result"].year == year


def test_next_levels_refuses_a_future_year(officer_client, achiever):
    response = officer_client.get(_url(achiever), {"year": timezone.localdate().year + 1})

    assert response.context["year"] == timezone.localdate().year - 1
    assert "Năm xét không được sau năm hiện tại" in response.content.decode()


def test_next_levels_of_someone_without_a_unit_says_so(admin_client_, db):
    person = make_person("Ngô Văn Tự Do", unit=None)

    response = admin_client_.get(_url(person))

    assert response.status_code == 200
    assert "Người này hiện không công tác tại đơn vị nào nên chưa xét được." in response.content.decode()


def test_next_levels_of_another_departments_person_is_not_found(outsider_client, achiever):
    assert outsider_client.get(_url(achiever)).status_code == 404


def test_next_levels_are_not_shown_to_staff(staff_client, achiever):
    assert staff_client.get(_url(achiever)).status_code == 404
