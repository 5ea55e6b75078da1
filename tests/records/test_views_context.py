"""The evidence of one person and of one unit, the section tabs, and the person picker."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_person
from tests.records.conftest import award, initiative, rate
from thidua.records import services as records

PICKER = reverse("records:person_picker")


def _person_page(person):
    return reverse("records:person_records", args=[person.pk])


def _fill(person, office):
    rate(person, 2023, "HTTNV")
    rate(person, 2024, "HTXSNV")
    initiative(person, 2024, title="Số hóa hồ sơ")
    award(person, "LDTT", 2023)
    records.discipline_create(
        actor=None, person=person, pending=True, pending_kind="khieu_nai", start=datetime.date(2025, 2, 1)
    )
    records.leave_create(
        actor=None,
        person=person,
        kind="thai_san",
        start=datetime.date(2024, 2, 1),
        end=datetime.date(2024, 7, 31),
    )


# ---------------------------------------------------------------- one person


def test_person_records_shows_all_the_evidence_and_add_links(manager_client, office, office_person):
    _fill(office_person, office)

    response = manager_client.get(_person_page(office_person))

    assert response.status_code == 200
    assert [rating.year for rating in response.context["ratings"]] == [2024, 2023]
    assert [item.title for item in response.context["initiatives"]] == ["Số hóa hồ sơ"]
    assert [record.award.code for record in response.context["awards"]] == ["LDTT"]
    assert len(response.context["disciplines"]) == 1 and len(response.context["leaves"]) == 1
    html = response.content.decode()
    for name in ("rating_create", "initiative_create", "discipline_create", "leave_create", "award_create"):
        assert f"{reverse(f'records:{name}')}?person={office_person.pk}" in html
    assert "Thời gian nghỉ thai sản được tính là thời gian công tác" in html
    assert "tạm hoãn khen thưởng" in html


def test_person_records_for_a_reader_has_no_add_links(auditor_client, office_person):
    response = auditor_client.get(_person_page(office_person))

    assert response.status_code == 200
    assert reverse("records:rating_create") not in response.content.decode()
    assert "Chưa có kết quả xếp loại nào." in response.content.decode()


def test_person_records_is_404_outside_scope(outsider_client, staff_client, office_person, staff_person):
    assert outsider_client.get(_person_page(office_person)).status_code == 404
    # Staff see their own history (scopes.SELF_VISIBLE), nobody else's.
    assert staff_client.get(_person_page(staff_person)).status_code == 200
    assert staff_client.get(_person_page(office_person)).status_code == 404


def test_person_records_shows_staff_all_their_own_evidence(staff_client, office, staff_person):
    _fill(staff_person, office)

    response = staff_client.get(_person_page(staff_person))

    assert [rating.year for rating in response.context["ratings"]] == [2024, 2023]
    assert len(response.context["disciplines"]) == 1 and len(response.context["leaves"]) == 1
    assert response.context["can_manage"] is False
    assert reverse("records:rating_create") not in response.content.decode()


def test_person_records_query_count_does_not_grow_with_evidence(manager_client, office, office_person):
    rate(office_person, 2024, "HTTNV")
    initiative(office_person, 2024)
    with CaptureQueriesContext(connection) as one:
        manager_client.get(_person_page(office_person))
    _fill(office_person, office)
    colleague = make_person("Lê Văn Hai", unit=office)
    initiative([office_person, colleague], 2023, title="Chung")

    with CaptureQueriesContext(connection) as many:
        response = manager_client.get(_person_page(office_person))

    assert len(response.context["initiatives"]) == 3
    assert len(many) == len(one)


# ---------------------------------------------------------------- one unit


def test_unit_records_shows_unit_ratings_and_awards(officer_client, office):
    rate(office, 2024, "HTXSNV")
    award(office, "TTLDTT", 2024)

    response = officer_client.get(reverse("records:unit_records", args=["SKHCN_VP"]))

    assert response.status_code == 200
    assert [rating.rating for rating in response.context["ratings"]] == ["HTXSNV"]
    assert [record.award.code for record in response.context["awards"]] == ["TTLDTT"]
    html = response.content.decode()
    assert f"{reverse('records:rating_sheet')}?unit=SKHCN_VP" in html
    assert f"{reverse('records:award_create')}?unit=SKHCN_VP" in html


def test_unit_records_is_404_outside_scope(outsider_client, manager_client, office2):
    assert outsider_client.get(reverse("records:unit_records", args=["SKHCN_VP"])).status_code == 404
    assert manager_client.get(reverse("records:unit_records", args=["SKHCN_QLKH"])).status_code == 404
    assert manager_client.get(reverse("records:unit_records", args=["KHONG_CO"])).status_code == 404


def test_every_list_page_shows_the_section_tabs(officer_client):
    html = officer_client.get(reverse("records:leave_list")).content.decode()

    for name in ("rating_list", "initiative_list", "discipline_list", "leave_list", "award_list"):
        assert f'href="{reverse(f"records:{name}")}"' in html
    assert 'aria-current="page">Thời gian nghỉ</a>' in html


# ---------------------------------------------------------------- the person picker


def test_person_picker_finds_people_in_scope_without_accents(manager_client, office_person, office2_person):
    response = manager_client.get(PICKER, {"field": "authors", "multiple": "1", "authors_q": "nguyen an"})

    assert response.status_code == 200
    assert [person.full_name for person in response.context["people"]] == ["Nguyễn Văn Ân"]
    assert f"pick={office_person.pk}" in response.content.decode()


def test_person_picker_asks_for_two_letters_and_says_when_nobody_matches(manager_client, office_person):
    short = manager_client.get(PICKER, {"field": "person", "person_q": "n"})
    nobody = manager_client.get(PICKER, {"field": "person", "person_q": "zzz"})

    assert "Gõ ít nhất 2 chữ cái của họ tên." in short.content.decode()
    assert "Không tìm thấy ai tên “zzz” trong phạm vi của bạn." in nobody.content.decode()


def test_person_picker_pick_returns_a_ticked_box_and_clears_the_results(manager_client, office_person):
    response = manager_client.get(PICKER, {"field": "authors", "multiple": "1", "pick": office_person.pk})

    html = response.content.decode()
    assert f'<input type="checkbox" name="authors" value="{office_person.pk}" checked>' in html
    assert 'id="id_authors_results"' in html and 'hx-swap-oob="true"' in html


def test_person_picker_ignores_a_person_already_picked(manager_client, office_person):
    response = manager_client.get(
        PICKER, {"field": "authors", "multiple": "1", "pick": office_person.pk, "authors": office_person.pk}
    )

    assert response.status_code == 204


def test_person_picker_is_scoped(manager_client, staff_client, auditor_client, office2_person, other_person):
    assert manager_client.get(PICKER, {"field": "person", "pick": office2_person.pk}).status_code == 404
    assert manager_client.get(PICKER, {"field": "person", "pick": other_person.pk}).status_code == 404
    assert staff_client.get(PICKER, {"field": "person", "person_q": "an"}).status_code == 403
    assert (
        auditor_client.get(PICKER, {"field": "person", "scope": "manage", "person_q": "an"}).status_code
        == 403
    )
    assert manager_client.get(PICKER, {"field": "bad field"}).status_code == 400
