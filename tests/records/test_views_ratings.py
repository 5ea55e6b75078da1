import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_person, make_unit
from tests.records.conftest import audit_entries, rate
from thidua.common.models import AuditAction, AuditEntry
from thidua.organizations import services as org
from thidua.records.models import AnnualRating

LIST = reverse("records:rating_list")
CREATE = reverse("records:rating_create")
SHEET = reverse("records:rating_sheet")


def _names(response) -> list[str]:
    return [str(rating.person or rating.unit) for rating in response.context["page"].object_list]


# ---------------------------------------------------------------- list


def test_rating_list_shows_people_and_units_in_scope(officer_client, office, office_person, other_person):
    rate(office_person, 2024, "HTXSNV")
    rate(office, 2024, "HTTNV")
    rate(other_person, 2024, "HTNV")

    response = officer_client.get(LIST)

    assert response.status_code == 200
    assert _names(response) == ["Nguyễn Văn Ân", "Văn phòng Sở"]
    assert "Hoàn thành xuất sắc nhiệm vụ" in response.content.decode()


def test_rating_list_is_forbidden_without_records_view(staff_client):
    assert staff_client.get(LIST).status_code == 403


def test_rating_list_shows_nothing_of_other_departments(outsider_client, office_person):
    rate(office_person, 2024, "HTXSNV")

    response = outsider_client.get(LIST)

    assert response.status_code == 200
    assert _names(response) == []
    assert "Chưa có kết quả xếp loại nào trong phạm vi của bạn." in response.content.decode()


def test_rating_list_filters_by_year_rating_kind_and_unit(
    officer_client, office, office2, office_person, office2_person
):
    rate(office_person, 2023, "HTTNV")
    rate(office_person, 2024, "HTXSNV")
    rate(office2_person, 2024, "HTXSNV")
    rate(office, 2024, "HTXSNV")

    assert _names(officer_client.get(LIST, {"year": 2023})) == ["Nguyễn Văn Ân"]
    assert _names(officer_client.get(LIST, {"year": 2024, "kind": "unit"})) == ["Văn phòng Sở"]
    assert _names(officer_client.get(LIST, {"year": 2024, "unit": "SKHCN_VP"})) == [
        "Nguyễn Văn Ân",
        "Văn phòng Sở",
    ]
    assert _names(officer_client.get(LIST, {"rating": "HTTNV"})) == ["Nguyễn Văn Ân"]
    filtered = officer_client.get(LIST, {"year": 2022})
    assert "Không có kết quả xếp loại nào khớp với bộ lọc." in filtered.content.decode()


def test_rating_list_search_ignores_accents_for_people_and_units(
    officer_client, office, office_person, office2_person
):
    rate(office_person, 2024, "HTTNV")
    rate(office2_person, 2024, "HTTNV")
    rate(office, 2024, "HTTNV")

    assert _names(officer_client.get(LIST, {"q": "nguyen an"})) == ["Nguyễn Văn Ân"]
    assert _names(officer_client.get(LIST, {"q": "van phong"})) == ["Văn phòng Sở"]
    assert _names(officer_client.get(LIST, {"q": "BÍCH"})) == ["Trần Thị Bích"]
    # Words match from their start, as in the people search.
    assert _names(officer_client.get(LIST, {"q": "guyen"})) == []
    assert _names(officer_client.get(LIST, {"q": "hong"})) == []


def test_rating_list_htmx_search_answers_only_the_results(officer_client, office_person):
    rate(office_person, 2024, "HTTNV")

    response = officer_client.get(LIST, {"q": "an"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "Nguyễn Văn Ân" in html
    assert "HX-Request" in response["Vary"]


def test_rating_list_query_count_does_not_grow_with_rows(officer_client, office):
    person = make_person("Lê Văn Một", unit=office)
    rate(person, 2024, "HTTNV")
    with CaptureQueriesContext(connection) as one:
        assert officer_client.get(LIST).status_code == 200
    for name in ("Lê Văn Hai", "Lê Văn Ba"):
        rate(make_person(name, unit=office), 2024, "HTTNV")
    rate(office, 2024, "HTTNV")

    with CaptureQueriesContext(connection) as many:
        response = officer_client.get(LIST)

    assert len(response.context["page"].object_list) == 4
    assert len(many) == len(one)


def test_rating_export_has_the_filtered_rows(officer_client, office, office_person, office2_person):
    rate(office_person, 2024, "HTXSNV")
    rate(office2_person, 2023, "HTTNV")
    rate(office, 2024, "HTNV")

    response = officer_client.get(reverse("records:rating_export"), {"year": 2024})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert rows == [
        (1, "Nguyễn Văn Ân", "Cá nhân", "Văn phòng Sở", 2024, "HTXSNV", "Hoàn thành xuất sắc nhiệm vụ", None),
        (2, "Văn phòng Sở", "Tập thể", "SKHCN_VP", 2024, "HTNV", "Hoàn thành nhiệm vụ", None),
    ]


def test_rating_export_is_forbidden_without_records_view(staff_client):
    assert staff_client.get(reverse("records:rating_export")).status_code == 403


# ---------------------------------------------------------------- one rating


def test_rating_create_for_a_person_records_it_and_its_audit_row(manager_client, manager, office_person):
    response = manager_client.post(
        f"{CREATE}?person={office_person.pk}",
        {"person": office_person.pk, "year": 2024, "rating": "HTXSNV", "note": "Xuất sắc"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("records:person_records", args=[office_person.pk])
    rating = AnnualRating.objects.get()
    assert (rating.person, rating.unit, rating.year, rating.rating, rating.note) == (
        office_person,
        None,
        2024,
        "HTXSNV",
        "Xuất sắc",
    )
    entry = audit_entries(rating, AuditAction.CREATE).get()
    assert entry.actor == manager
    assert entry.changes["rating"] == [None, "HTXSNV"]


def test_rating_create_form_is_prefilled_with_the_person(manager_client, office_person):
    response = manager_client.get(f"{CREATE}?person={office_person.pk}")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'name="person" value="{office_person.pk}" checked' in html


def test_rating_create_for_a_unit(officer_client, office):
    response = officer_client.post(CREATE, {"unit": office.pk, "year": 2024, "rating": "HTTNV"})

    assert response.status_code == 302
    assert response["Location"] == reverse("records:unit_records", args=["SKHCN_VP"])
    assert AnnualRating.objects.get().unit == office


def test_rating_create_for_an_existing_year_replaces_the_rating(officer_client, office_person):
    rate(office_person, 2024, "HTNV")

    officer_client.post(CREATE, {"person": office_person.pk, "year": 2024, "rating": "HTXSNV"})

    assert list(AnnualRating.objects.values_list("year", "rating")) == [(2024, "HTXSNV")]


def test_rating_create_needs_exactly_one_subject(officer_client, office, office_person):
    both = officer_client.post(
        CREATE, {"person": office_person.pk, "unit": office.pk, "year": 2024, "rating": "HTTNV"}
    )
    none = officer_client.post(CREATE, {"year": 2024, "rating": "HTTNV"})

    assert both.status_code == 400
    assert both.context["form"].errors == {
        "unit": ["Chỉ chọn một đối tượng: một cá nhân hoặc một tập thể, không chọn cả hai."]
    }
    assert none.context["form"].errors == {"person": ["Chọn một cá nhân hoặc một tập thể."]}
    assert AnnualRating.objects.count() == 0


def test_rating_create_refuses_a_year_out_of_range_and_a_missing_rating(officer_client, office_person):
    next_year = datetime.date.today().year + 1

    response = officer_client.post(CREATE, {"person": office_person.pk, "year": next_year, "rating": ""})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "year": [f"Năm phải trong khoảng 1945–{next_year - 1}."],
        "rating": ["Chọn xếp loại."],
    }


def test_rating_create_refuses_a_person_outside_scope(manager_client, office2_person):
    response = manager_client.post(CREATE, {"person": office2_person.pk, "year": 2024, "rating": "HTTNV"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "person": ["Không tìm thấy cá nhân đã chọn, hoặc người này ngoài phạm vi của bạn."]
    }


def test_rating_create_prefill_answers_404_outside_scope_and_403_without_manage(
    outsider_client, auditor_client, office_person
):
    assert outsider_client.get(f"{CREATE}?person={office_person.pk}").status_code == 404
    assert auditor_client.get(CREATE).status_code == 403


def test_rating_edit_changes_the_rating(officer_client, office_person):
    rating = rate(office_person, 2024, "HTNV")

    response = officer_client.post(
        reverse("records:rating_edit", args=[rating.pk]), {"rating": "HTTNV", "note": ""}
    )

    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.rating == "HTTNV"
    assert audit_entries(rating, AuditAction.UPDATE).get().changes == {"rating": ["HTNV", "HTTNV"]}


def test_rating_edit_is_404_outside_scope_and_403_without_manage(
    outsider_client, auditor_client, office_person
):
    rating = rate(office_person, 2024, "HTNV")
    url = reverse("records:rating_edit", args=[rating.pk])

    assert outsider_client.get(url).status_code == 404
    assert auditor_client.get(url).status_code == 403
    assert auditor_client.post(url, {"rating": "HTXSNV"}).status_code == 403
    rating.refresh_from_db()
    assert rating.rating == "HTNV"


def test_rating_delete_removes_it(officer_client, office):
    rating = rate(office, 2024, "HTNV")

    response = officer_client.post(reverse("records:rating_delete", args=[rating.pk]))

    assert response.status_code == 302
    assert AnnualRating.objects.count() == 0
    assert audit_entries(rating, AuditAction.DELETE).count() == 1


def test_rating_delete_is_404_outside_scope_and_405_on_get(outsider_client, officer_client, office):
    rating = rate(office, 2024, "HTNV")
    url = reverse("records:rating_delete", args=[rating.pk])

    assert outsider_client.post(url).status_code == 404
    assert officer_client.get(url).status_code == 405
    assert AnnualRating.objects.count() == 1


# ---------------------------------------------------------------- the sheet


@pytest.fixture
def sheet_team(office, office2, other_department):
    """Office people given out of alphabetical order; one moved to another department in 2025,
    one joined in 2025, one works in the sub-unit QLKH (not under the office)."""
    people = {
        "dat": make_person("Hoàng Văn Đạt", unit=office, start_date=datetime.date(2020, 1, 1)),
        "anh": make_person("Trần Thị Ánh", unit=office, start_date=datetime.date(2020, 1, 1)),
        "an": make_person("Bùi Thị An", unit=office, start_date=datetime.date(2020, 1, 1)),
        "new": make_person("Lê Văn Mới", unit=office, start_date=datetime.date(2025, 3, 1)),
        "other": make_person("Đỗ Văn Khác", unit=office2, start_date=datetime.date(2020, 1, 1)),
    }
    org.employment_start(
        actor=None, person=people["dat"], unit=other_department, start_date=datetime.date(2025, 2, 1)
    )
    return people


def _sheet_url(code: str = "SKHCN_VP", year: int = 2024) -> str:
    return f"{SHEET}?unit={code}&year={year}"


def test_rating_sheet_lists_the_people_at_year_end_in_vietnamese_order_and_the_units(
    manager_client, office, sheet_team
):
    rate(sheet_team["an"], 2024, "HTXSNV")
    rate(sheet_team["an"], 2023, "HTTNV")
    rate(office, 2024, "HTTNV")

    response = manager_client.get(_sheet_url())

    assert response.status_code == 200
    sheet = response.context["sheet"]
    assert [row["subject"].full_name for row in sheet.person_rows] == [
        "Bùi Thị An",
        "Trần Thị Ánh",
        "Hoàng Văn Đạt",
    ]
    assert [row["subject"].name for row in sheet.unit_rows] == ["Văn phòng Sở"]
    assert sheet.initial == {
        f"p{sheet_team['an'].pk}": "HTXSNV",
        f"p{sheet_team['anh'].pk}": "",
        f"p{sheet_team['dat'].pk}": "",
        f"u{office.pk}": "HTTNV",
    }
    html = response.content.decode()
    assert "nay công tác tại Sở Y tế (SYT)" in html
    assert "3 cá nhân công tác ngày 31/12/2024, 1 tập thể" in html


def test_rating_sheet_of_the_next_year_follows_the_moves(manager_client, sheet_team):
    response = manager_client.get(_sheet_url(year=2025))

    assert [row["subject"].full_name for row in response.context["sheet"].person_rows] == [
        "Bùi Thị An",
        "Trần Thị Ánh",
        "Lê Văn Mới",
    ]


def test_rating_sheet_of_a_department_includes_its_sub_units(
    officer_client, department, office, office2, sheet_team
):
    response = officer_client.get(_sheet_url("SKHCN"))

    sheet = response.context["sheet"]
    assert [row["subject"].full_name for row in sheet.person_rows] == [
        "Bùi Thị An",
        "Trần Thị Ánh",
        "Hoàng Văn Đạt",
        "Đỗ Văn Khác",
    ]
    assert [row["subject"].code for row in sheet.unit_rows] == ["SKHCN", "SKHCN_VP", "SKHCN_QLKH"]


def test_rating_sheet_saves_many_ratings_at_once(manager_client, manager, office, sheet_team):
    cleared = rate(sheet_team["dat"], 2024, "HTNV")
    unchanged = rate(sheet_team["anh"], 2024, "HTTNV")

    response = manager_client.post(
        _sheet_url(),
        {
            f"p{sheet_team['an'].pk}": "HTXSNV",
            f"p{sheet_team['anh'].pk}": "HTTNV",
            f"p{sheet_team['dat'].pk}": "",
            f"u{office.pk}": "HTTNV",
        },
        follow=True,
    )

    assert response.redirect_chain == [(_sheet_url(), 302)]
    assert "Đã lưu 3 kết quả." in [str(message) for message in response.context["messages"]]
    assert set(AnnualRating.objects.values_list("person__given_name", "unit__code", "rating")) == {
        ("An", None, "HTXSNV"),
        ("Ánh", None, "HTTNV"),
        (None, "SKHCN_VP", "HTTNV"),
    }
    assert not AnnualRating.objects.filter(pk=cleared.pk).exists()
    assert AnnualRating.objects.get(pk=unchanged.pk).updated_at == unchanged.updated_at
    actions = sorted(AuditEntry.objects.filter(actor=manager).values_list("action", flat=True))
    assert actions == [AuditAction.CREATE, AuditAction.CREATE, AuditAction.DELETE]


def test_rating_sheet_rolls_back_everything_on_one_bad_value(manager_client, office, sheet_team):
    kept = rate(sheet_team["dat"], 2024, "HTNV")
    audit_before = AuditEntry.objects.count()

    response = manager_client.post(
        _sheet_url(),
        {
            f"p{sheet_team['an'].pk}": "HTXSNV",
            f"p{sheet_team['anh'].pk}": "XUATSAC",
            f"p{sheet_team['dat'].pk}": "",
            f"u{office.pk}": "HTTNV",
        },
    )

    assert response.status_code == 400
    assert response.context["sheet"].errors == {
        f"p{sheet_team['anh'].pk}": ["Xếp loại “XUATSAC” không hợp lệ; dùng HTXSNV, HTTNV, HTNV hoặc KHTNV."]
    }
    assert "Không lưu được: 1 dòng có giá trị không hợp lệ" in response.content.decode()
    assert list(AnnualRating.objects.values_list("pk", "rating")) == [(kept.pk, "HTNV")]
    assert AuditEntry.objects.count() == audit_before


def test_rating_sheet_without_changes_says_so(manager_client, sheet_team):
    response = manager_client.post(_sheet_url(), {}, follow=True)

    assert "Không có thay đổi nào để lưu." in [str(message) for message in response.context["messages"]]


def test_rating_sheet_query_count_does_not_grow_with_people(manager_client, office):
    make_person("Lê Văn Một", unit=office)
    with CaptureQueriesContext(connection) as one:
        assert manager_client.get(_sheet_url()).status_code == 200
    for name in ("Lê Văn Hai", "Lê Văn Ba"):
        rate(make_person(name, unit=office), 2024, "HTTNV")
    make_unit("Tổ Hành chính", parent=office, code="SKHCN_VP_HC")

    with CaptureQueriesContext(connection) as many:
        response = manager_client.get(_sheet_url())

    assert len(response.context["sheet"].rows) == 5
    assert len(many) == len(one)


def test_rating_sheet_is_404_for_a_unit_outside_scope_and_403_without_manage(
    manager_client, auditor_client, staff_client, office2
):
    assert manager_client.get(_sheet_url("SKHCN_QLKH")).status_code == 404
    assert manager_client.post(_sheet_url("SYT"), {}).status_code == 404
    assert auditor_client.get(_sheet_url()).status_code == 403
    assert staff_client.get(SHEET).status_code == 403


def test_rating_sheet_without_a_choice_shows_only_the_picker(manager_client, office):
    response = manager_client.get(SHEET)

    assert response.status_code == 200
    assert response.context["sheet"] is None
    assert [code for code, _ in response.context["pick"].fields["unit"].choices] == ["", "SKHCN_VP"]
