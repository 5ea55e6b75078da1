import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_unit
from thidua.organizations.services import unit_record_succession

URL = "/api/v1/units"


@pytest.fixture
def old_centre(department):
    """A centre of the department that stopped on 30/06/2025; its successor starts on 01/07/2025."""
    return make_unit(
        "Trung tâm Thông tin cũ",
        parent=department,
        kind="trung_tam",
        code="SKHCN_TT_CU",
        valid_from=datetime.date(2010, 1, 1),
        valid_to=datetime.date(2025, 6, 30),
    )


@pytest.fixture
def new_centre(department):
    return make_unit(
        "Trung tâm Ứng dụng",
        parent=department,
        kind="trung_tam",
        code="SKHCN_TT",
        valid_from=datetime.date(2025, 7, 1),
    )


def _codes(response) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


def test_unit_list_shows_the_department_subtree_in_tree_order(officer_api, office, office2, other_department):
    response = officer_api.get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "count": 3,
        "items": [
            {
                "code": "SKHCN",
                "name": "Sở Khoa học và Công nghệ",
                "kind": "so_nganh",
                "parent": "UBND_TG",
                "valid_from": "2000-01-01",
                "valid_to": None,
            },
            {
                "code": "SKHCN_VP",
                "name": "Văn phòng Sở",
                "kind": "phong",
                "parent": "SKHCN",
                "valid_from": "2000-01-01",
                "valid_to": None,
            },
            {
                "code": "SKHCN_QLKH",
                "name": "Phòng Quản lý khoa học",
                "kind": "phong",
                "parent": "SKHCN",
                "valid_from": "2000-01-01",
                "valid_to": None,
            },
        ],
    }


def test_unit_list_for_admin_is_the_whole_tree_with_null_parent_at_the_root(
    admin_api, office, office2, other_department
):
    response = admin_api.get(URL)

    items = response.json()["items"]
    assert [item["code"] for item in items] == ["UBND_TG", "SKHCN", "SKHCN_VP", "SKHCN_QLKH", "SYT"]
    assert items[0]["parent"] is None


def test_unit_list_for_outsider_shows_none_of_the_department(outsider_api, office, office2, other_department):
    response = outsider_api.get(URL)

    assert response.json() == {
        "count": 1,
        "items": [
            {
                "code": "SYT",
                "name": "Sở Y tế",
                "kind": "so_nganh",
                "parent": "UBND_TG",
                "valid_from": "2000-01-01",
                "valid_to": None,
            }
        ],
    }


def test_unit_list_for_staff_is_their_office(staff_api, office, office2):
    assert _codes(staff_api.get(URL)) == ["SKHCN_VP"]


def test_unit_list_under_a_unit_includes_it_and_its_subunits(admin_api, office, office2, other_department):
    response = admin_api.get(URL, {"under": "SKHCN"})

    assert response.json()["count"] == 3
    assert _codes(response) == ["SKHCN", "SKHCN_VP", "SKHCN_QLKH"]


def test_unit_list_under_another_department_is_404(outsider_api, office):
    response = outsider_api.get(URL, {"under": "SKHCN"})

    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def test_unit_list_under_an_unknown_code_is_404(admin_api):
    assert admin_api.get(URL, {"under": "KHONG_CO"}).status_code == 404


def test_unit_list_at_a_date_keeps_units_valid_that_day(officer_api, office, old_centre, new_centre):
    before = officer_api.get(URL, {"at": "2025-06-30"})
    after = officer_api.get(URL, {"at": "2025-07-01"})
    everything = officer_api.get(URL)

    assert _codes(before) == ["SKHCN", "SKHCN_VP", "SKHCN_TT_CU"]
    assert _codes(after) == ["SKHCN", "SKHCN_VP", "SKHCN_TT"]
    assert _codes(everything) == ["SKHCN", "SKHCN_VP", "SKHCN_TT_CU", "SKHCN_TT"]
    assert before.json()["items"][2]["valid_to"] == "2025-06-30"


def test_unit_list_under_and_at_combine(admin_api, office, old_centre, other_department):
    response = admin_api.get(URL, {"under": "SKHCN", "at": "2026-01-01"})

    assert _codes(response) == ["SKHCN", "SKHCN_VP"]


@pytest.mark.parametrize("value", ["31/02/2020", "2020-13-01", "hôm nay"])
def test_unit_list_with_bad_date_is_422(admin_api, value):
    response = admin_api.get(URL, {"at": value})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["at"]
    assert response.json()["detail"][0]["loc"] == ["query", "at"]


def test_unit_list_with_impossible_date_names_the_day(admin_api):
    response = admin_api.get(URL, {"at": "2025-02-29"})

    assert response.json()["errors"] == {"at": ["Ngày 2025-02-29 không tồn tại."]}


def test_unit_list_query_count_does_not_grow_with_units(admin_api, department):
    admin_api.get(URL)  # the first use of a token records it; later requests only read
    with CaptureQueriesContext(connection) as one:
        admin_api.get(URL, {"under": "SKHCN"})
    make_unit("Phòng A", parent=department)
    make_unit("Phòng B", parent=department)
    with CaptureQueriesContext(connection) as three:
        response = admin_api.get(URL, {"under": "SKHCN"})

    assert response.json()["count"] == 3
    assert len(three) == len(one)


def test_unit_detail_shows_short_name_and_links(admin_api, old_centre, new_centre):
    unit_record_succession(
        actor=None,
        predecessors=[old_centre],
        successor=new_centre,
        kind="rename",
        effective_on=datetime.date(2025, 7, 1),
    )

    response = admin_api.get(f"{URL}/SKHCN_TT")
    old = admin_api.get(f"{URL}/SKHCN_TT_CU")

    assert response.status_code == 200
    assert response.json() == {
        "code": "SKHCN_TT",
        "name": "Trung tâm Ứng dụng",
        "kind": "trung_tam",
        "kind_label": "Trung tâm, đơn vị sự nghiệp",
        "short_name": "",
        "address": "",
        "parent": "SKHCN",
        "valid_from": "2025-07-01",
        "valid_to": None,
        "predecessors": ["SKHCN_TT_CU"],
        "successors": [],
    }
    assert old.json()["successors"] == ["SKHCN_TT"]
    assert old.json()["valid_to"] == "2025-06-30"


def test_unit_detail_hides_links_to_units_out_of_scope(officer_api, admin_api, office, other_department):
    clinic = make_unit(
        "Phòng khám cũ", parent=other_department, code="SYT_PK", valid_from=datetime.date(2000, 1, 1)
    )
    unit_record_succession(
        actor=None,
        predecessors=[clinic],
        successor=office,
        kind="transfer",
        effective_on=datetime.date(2024, 1, 1),
    )

    assert officer_api.get(f"{URL}/SKHCN_VP").json()["predecessors"] == []
    assert admin_api.get(f"{URL}/SKHCN_VP").json()["predecessors"] == ["SYT_PK"]


def test_unit_detail_of_another_department_is_404(outsider_api, office):
    response = outsider_api.get(f"{URL}/SKHCN_VP")

    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def test_unit_detail_without_token_is_401(client, office):
    assert client.get(f"{URL}/SKHCN_VP").status_code == 401
