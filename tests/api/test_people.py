import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_person, make_unit
from thidua.organizations.models import Employment, Person

URL = "/api/v1/people"


def _names(response) -> list[str]:
    return [item["full_name"] for item in response.json()["items"]]


def _post(client, body):
    return client.post(URL, body, content_type="application/json")


def _patch(client, person, body):
    return client.patch(f"{URL}/{person.pk}", body, content_type="application/json")


@pytest.fixture
def office_people(office):
    """Given in an order that is neither alphabetical nor by family name."""
    names = [
        "Hoàng Văn Đạt",
        "Trần Thị Ánh",
        "Nguyễn Văn An",
        "Phạm Đức Dũng",
        "Đỗ Thị Anh",
        "Lê Văn Bình",
        "Bùi Thị An",
    ]
    return [make_person(name, unit=office) for name in names]


# ---------------------------------------------------------------- list


def test_person_list_is_sorted_the_vietnamese_way(officer_api, office_people):
    response = officer_api.get(URL)

    assert response.status_code == 200
    # Given name first (An, Anh, Ánh, Bình, Dũng, Đạt: tones after letters, đ after d), then family name.
    assert _names(response) == [
        "Bùi Thị An",
        "Nguyễn Văn An",
        "Đỗ Thị Anh",
        "Trần Thị Ánh",
        "Lê Văn Bình",
        "Phạm Đức Dũng",
        "Hoàng Văn Đạt",
    ]
    assert response.json()["count"] == 7


def test_person_list_item_has_the_unit_code_and_name_parts(officer_api, office):
    person = make_person(
        "Nguyễn Thị Minh Khai",
        unit=office,
        position="Chánh Văn phòng",
        gender="nu",
        birth_date=datetime.date(1980, 5, 1),
    )

    response = officer_api.get(URL)

    assert response.json() == {
        "count": 1,
        "page": 1,
        "pages": 1,
        "page_size": 50,
        "next": None,
        "items": [
            {
                "id": person.pk,
                "full_name": "Nguyễn Thị Minh Khai",
                "family_name": "Nguyễn",
                "middle_name": "Thị Minh",
                "given_name": "Khai",
                "gender": "nu",
                "birth_date": "1980-05-01",
                "cccd": None,
                "unit": "SKHCN_VP",
                "unit_name": "Văn phòng Sở",
                "position": "Chánh Văn phòng",
                "recruited_on": None,
            }
        ],
    }


@pytest.mark.parametrize("query", ["nguyen van an", "Nguyễn Văn An", "NGUYEN VAN AN", "nguyễn an"])
def test_person_list_search_ignores_diacritics_and_case(officer_api, office_people, query):
    assert _names(officer_api.get(URL, {"q": query})) == ["Nguyễn Văn An"]


def test_person_list_search_by_given_name_finds_every_accent(officer_api, office_people):
    assert _names(officer_api.get(URL, {"q": "ánh"})) == ["Đỗ Thị Anh", "Trần Thị Ánh"]


def test_person_list_search_with_no_match_is_empty(officer_api, office_people):
    assert officer_api.get(URL, {"q": "không có ai"}).json()["items"] == []


def test_person_list_unit_filter_includes_subunits(officer_api, office, office2):
    make_person("Nguyễn Văn An", unit=office)
    make_person("Trần Thị Bích", unit=office2)

    department_wide = officer_api.get(URL, {"unit": "SKHCN"})
    one_office = officer_api.get(URL, {"unit": "SKHCN_QLKH"})

    assert _names(department_wide) == ["Nguyễn Văn An", "Trần Thị Bích"]
    assert _names(one_office) == ["Trần Thị Bích"]


def test_person_list_unit_filter_of_another_department_is_404(outsider_api, office):
    make_person("Nguyễn Văn An", unit=office)

    response = outsider_api.get(URL, {"unit": "SKHCN_VP"})

    assert response.status_code == 404


def test_person_list_for_outsider_shows_only_their_department(outsider_api, office_people, other_department):
    make_person("Võ Thị Sáu", unit=other_department)

    response = outsider_api.get(URL, {"q": "an"})
    everyone = outsider_api.get(URL)

    assert response.json()["count"] == 0
    assert _names(everyone) == ["Võ Thị Sáu"]


def test_person_list_for_staff_is_their_own_record(staff_api, office_people, staff_person):
    assert _names(staff_api.get(URL)) == ["Lê Thị Cán Bộ"]


def test_person_list_pages_by_fifty(officer_api, office):
    for number in range(52):
        make_person(f"Nguyễn Văn Số{number:02d}", unit=office)

    first = officer_api.get(URL).json()
    second = officer_api.get(URL, {"page": 2}).json()
    beyond = officer_api.get(URL, {"page": 3}).json()

    assert (first["count"], first["pages"], first["page"], first["next"], len(first["items"])) == (
        52,
        2,
        1,
        2,
        50,
    )
    assert (second["page"], second["next"], len(second["items"])) == (2, None, 2)
    assert [item["full_name"] for item in second["items"]] == ["Nguyễn Văn Số50", "Nguyễn Văn Số51"]
    assert (beyond["count"], beyond["items"]) == (52, [])


@pytest.mark.parametrize("page", ["0", "-1", "hai"])
def test_person_list_with_bad_page_is_422(officer_api, page):
    response = officer_api.get(URL, {"page": page})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["page"]


def test_person_list_query_count_does_not_grow_with_people(officer_api, office, office2):
    make_person("Nguyễn Văn An", unit=office)
    officer_api.get(URL)  # the first use of a token records it; later requests only read
    with CaptureQueriesContext(connection) as one:
        officer_api.get(URL, {"unit": "SKHCN"})
    make_person("Trần Thị Bích", unit=office2)
    make_person("Lê Văn Cường", unit=office)
    with CaptureQueriesContext(connection) as three:
        response = officer_api.get(URL, {"unit": "SKHCN"})

    assert response.json()["count"] == 3
    assert len(three) == len(one)


# ---------------------------------------------------------------- create


def test_person_create_splits_the_name_and_starts_employment(officer_api, office):
    response = _post(
        officer_api,
        {
            "full_name": "  Nguyễn   Thị Minh Khai ",
            "unit": "SKHCN_VP",
            "gender": "nu",
            "birth_date": "1990-02-28",
            "cccd": "012345678901",
            "position": "Chuyên viên",
            "recruited_on": "2020-03-01",
        },
    )

    assert response.status_code == 201
    person = Person.objects.get(cccd="012345678901")
    assert response.json() == {
        "id": person.pk,
        "full_name": "Nguyễn Thị Minh Khai",
        "family_name": "Nguyễn",
        "middle_name": "Thị Minh",
        "given_name": "Khai",
        "gender": "nu",
        "birth_date": "1990-02-28",
        "cccd": "012345678901",
        "unit": "SKHCN_VP",
        "unit_name": "Văn phòng Sở",
        "position": "Chuyên viên",
        "recruited_on": "2020-03-01",
    }
    employment = Employment.objects.get(person=person)
    assert (employment.unit, employment.start_date, employment.end_date) == (
        office,
        datetime.date(2020, 3, 1),
        None,
    )


def test_person_create_with_only_name_and_unit(manager_api, office):
    response = _post(manager_api, {"full_name": "Bon", "unit": "SKHCN_VP"})

    assert response.status_code == 201
    body = response.json()
    assert (body["family_name"], body["middle_name"], body["given_name"], body["gender"]) == (
        "",
        "",
        "Bon",
        None,
    )
    assert Employment.objects.get(person_id=body["id"]).start_date == timezone.localdate()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"gender": "x"}, {"gender": ["Giới tính phải là “nam” hoặc “nu”."]}),
        ({"birth_date": "31/02/2020"}, {"birth_date": ["Ngày phải có dạng YYYY-MM-DD, ví dụ 1985-04-30."]}),
        ({"birth_date": "2020-02-31"}, {"birth_date": ["Ngày 2020-02-31 không tồn tại."]}),
        ({"recruited_on": 20200101}, {"recruited_on": ["Ngày phải có dạng YYYY-MM-DD, ví dụ 1985-04-30."]}),
        ({"cccd": "12345"}, {"cccd": ["Số CCCD phải gồm đúng 12 chữ số."]}),
        ({"cccd": "01234567890a"}, {"cccd": ["Số CCCD phải gồm đúng 12 chữ số."]}),
        ({"full_name": "   "}, {"full_name": ["Họ và tên không được để trống."]}),
        ({"full_name": 42}, {"full_name": ["Phải là một chuỗi ký tự."]}),
        ({"email": "an@example.vn"}, {"email": ["Trường này không được hỗ trợ."]}),
        (
            {"gender": "x", "birth_date": "31/02/2020"},
            {
                "gender": ["Giới tính phải là “nam” hoặc “nu”."],
                "birth_date": ["Ngày phải có dạng YYYY-MM-DD, ví dụ 1985-04-30."],
            },
        ),
    ],
)
def test_person_create_with_bad_input_is_422_with_field_messages(officer_api, office, body, errors):
    before = Person.objects.count()

    response = _post(officer_api, {"full_name": "Nguyễn Văn An", "unit": "SKHCN_VP", **body})

    assert response.status_code == 422
    assert response.json()["errors"] == errors
    assert [(item["loc"], item["field"]) for item in response.json()["detail"]] == [
        (["body", field], field) for field, messages in errors.items() for _ in messages
    ]
    assert Person.objects.count() == before


def test_person_create_with_missing_fields_is_422(officer_api, office):
    response = _post(officer_api, {"gender": "nam"})

    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "loc": ["body", "full_name"],
                "field": "full_name",
                "msg": "Trường này là bắt buộc.",
                "type": "missing",
            },
            {"loc": ["body", "unit"], "field": "unit", "msg": "Trường này là bắt buộc.", "type": "missing"},
        ],
        "errors": {"full_name": ["Trường này là bắt buộc."], "unit": ["Trường này là bắt buộc."]},
    }


def test_person_create_with_duplicate_cccd_is_422(officer_api, office):
    make_person("Trần Văn Cũ", unit=office, cccd="012345678901")

    response = _post(officer_api, {"full_name": "Nguyễn Văn Mới", "unit": "SKHCN_VP", "cccd": "012345678901"})

    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "loc": ["body", "cccd"],
                "field": "cccd",
                "msg": "Số CCCD 012345678901 đã có trong hồ sơ của người khác.",
                "type": "value_error",
            }
        ],
        "errors": {"cccd": ["Số CCCD 012345678901 đã có trong hồ sơ của người khác."]},
    }
    assert Person.objects.filter(cccd="012345678901").count() == 1


def test_person_create_in_a_unit_no_longer_valid_is_422(officer_api, department):
    make_unit("Trung tâm cũ", parent=department, code="SKHCN_TT_CU", valid_to=datetime.date(2025, 6, 30))

    response = _post(
        officer_api, {"full_name": "Nguyễn Văn An", "unit": "SKHCN_TT_CU", "start_date": "2026-01-15"}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "unit": ["Đơn vị Trung tâm cũ không còn hiệu lực vào ngày 15/01/2026."]
    }
    assert Person.objects.count() == 0


def test_person_create_in_another_department_is_404(outsider_api, office):
    response = _post(outsider_api, {"full_name": "Nguyễn Văn An", "unit": "SKHCN_VP"})

    assert response.status_code == 404
    assert Person.objects.count() == 0


def test_person_create_in_an_unknown_unit_is_404(officer_api):
    assert _post(officer_api, {"full_name": "Nguyễn Văn An", "unit": "KHONG_CO"}).status_code == 404


def test_person_create_by_manager_outside_their_office_is_404(manager_api, office, office2):
    assert _post(manager_api, {"full_name": "Nguyễn Văn An", "unit": "SKHCN_QLKH"}).status_code == 404


@pytest.mark.parametrize("persona", ["auditor_api", "staff_api"])
def test_person_create_without_manage_permission_is_403(request, persona, office):
    client = request.getfixturevalue(persona)

    response = _post(client, {"full_name": "Nguyễn Văn An", "unit": "SKHCN_VP"})

    assert response.status_code == 403
    assert response.json() == {"detail": "Không có quyền."}
    assert not Person.objects.filter(given_name="An").exists()


# ---------------------------------------------------------------- detail


def test_person_detail_shows_the_record(auditor_api, office):
    person = make_person("Nguyễn Văn An", unit=office, cccd="012345678901", gender="nam")

    response = auditor_api.get(f"{URL}/{person.pk}")

    assert response.status_code == 200
    assert response.json()["cccd"] == "012345678901"
    assert response.json()["unit"] == "SKHCN_VP"


def test_person_detail_of_another_department_is_404(outsider_api, office):
    person = make_person("Nguyễn Văn An", unit=office)

    response = outsider_api.get(f"{URL}/{person.pk}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def test_person_detail_of_unknown_id_is_404(admin_api):
    assert admin_api.get(f"{URL}/999999").status_code == 404


def test_person_detail_for_staff_is_only_their_own(staff_api, staff_person, office):
    colleague = make_person("Nguyễn Văn An", unit=office)

    assert staff_api.get(f"{URL}/{staff_person.pk}").status_code == 200
    assert staff_api.get(f"{URL}/{colleague.pk}").status_code == 404


# ---------------------------------------------------------------- patch


@pytest.fixture
def employee(office):
    return make_person(
        "Nguyễn Văn An", unit=office, position="Chuyên viên", start_date=datetime.date(2015, 1, 1)
    )


def test_person_patch_changes_only_the_fields_sent(officer_api, employee):
    response = _patch(
        officer_api, employee, {"full_name": "Nguyễn Văn Anh", "gender": "nam", "birth_date": "1988-08-08"}
    )

    assert response.status_code == 200
    employee.refresh_from_db()
    assert (employee.given_name, employee.gender, employee.birth_date) == (
        "Anh",
        "nam",
        datetime.date(1988, 8, 8),
    )
    assert (employee.current_position, employee.employments.count()) == ("Chuyên viên", 1)
    assert response.json()["full_name"] == "Nguyễn Văn Anh"


def test_person_patch_clears_a_field_sent_as_null(officer_api, office):
    person = make_person("Nguyễn Văn An", unit=office, cccd="012345678901", gender="nam")

    response = _patch(officer_api, person, {"cccd": None, "gender": None})

    assert response.status_code == 200
    assert (response.json()["cccd"], response.json()["gender"]) == (None, None)


def test_person_patch_unit_starts_a_new_employment_on_the_given_day(officer_api, employee, office, office2):
    response = _patch(officer_api, employee, {"unit": "SKHCN_QLKH", "start_date": "2026-03-01"})

    assert response.status_code == 200
    assert (response.json()["unit"], response.json()["position"]) == ("SKHCN_QLKH", "Chuyên viên")
    history = list(
        employee.employments.order_by("start_date").values_list("unit__code", "start_date", "end_date")
    )
    assert history == [
        ("SKHCN_VP", datetime.date(2015, 1, 1), datetime.date(2026, 2, 28)),
        ("SKHCN_QLKH", datetime.date(2026, 3, 1), None),
    ]


def test_person_patch_position_starts_a_new_employment_today(officer_api, employee, office):
    response = _patch(officer_api, employee, {"position": "Phó Chánh Văn phòng"})

    assert response.status_code == 200
    assert response.json()["position"] == "Phó Chánh Văn phòng"
    current = employee.employments.get(end_date__isnull=True)
    assert (current.unit, current.position, current.start_date) == (
        office,
        "Phó Chánh Văn phòng",
        timezone.localdate(),
    )


def test_person_patch_with_the_same_unit_and_position_changes_nothing(officer_api, employee):
    response = _patch(officer_api, employee, {"unit": "SKHCN_VP", "position": "Chuyên viên"})

    assert response.status_code == 200
    assert employee.employments.count() == 1


def test_person_patch_is_all_or_nothing(officer_api, employee, office2):
    response = _patch(
        officer_api, employee, {"full_name": "Trần Văn Mới", "unit": "SKHCN_QLKH", "start_date": "2010-01-01"}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "start_date": ["Ngày bắt đầu phải sau ngày bắt đầu của vị trí hiện tại (01/01/2015)."]
    }
    employee.refresh_from_db()
    assert (employee.full_name, employee.current_unit.code) == ("Nguyễn Văn An", "SKHCN_VP")


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"unit": None}, {"unit": ["Đơn vị không được để trống."]}),
        ({"full_name": None}, {"full_name": ["Họ và tên không được để trống."]}),
        (
            {"start_date": "2026-01-01"},
            {"start_date": ["Ngày bắt đầu chỉ dùng khi đổi đơn vị hoặc chức vụ."]},
        ),
        ({"cccd": "123"}, {"cccd": ["Số CCCD phải gồm đúng 12 chữ số."]}),
        ({"gender": "female"}, {"gender": ["Giới tính phải là “nam” hoặc “nu”."]}),
    ],
)
def test_person_patch_with_bad_input_is_422(officer_api, employee, body, errors):
    response = _patch(officer_api, employee, body)

    assert response.status_code == 422
    assert response.json()["errors"] == errors


def test_person_patch_to_a_unit_of_another_department_is_404(officer_api, employee, other_department):
    response = _patch(officer_api, employee, {"unit": "SYT"})

    assert response.status_code == 404
    assert employee.employments.count() == 1


def test_person_patch_of_another_department_is_404(outsider_api, employee):
    response = _patch(outsider_api, employee, {"full_name": "Người Lạ"})

    assert response.status_code == 404
    employee.refresh_from_db()
    assert employee.full_name == "Nguyễn Văn An"


@pytest.mark.parametrize("persona", ["auditor_api", "staff_api"])
def test_person_patch_without_manage_permission_is_403(request, persona, employee, staff_person):
    client = request.getfixturevalue(persona)

    own = _patch(client, staff_person, {"full_name": "Lê Thị Đổi Tên"})
    other = _patch(client, employee, {"full_name": "Người Lạ"})

    # Staff see only their own record (403 there, 404 for the colleague); the auditor sees both.
    expected = (403, 404) if persona == "staff_api" else (403, 403)
    assert (own.status_code, other.status_code) == expected
    staff_person.refresh_from_db()
    assert staff_person.full_name == "Lê Thị Cán Bộ"
