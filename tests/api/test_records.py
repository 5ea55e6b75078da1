"""The evidence API: ratings, initiatives, disciplines and the award register."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.api.conftest import bearer_client
from tests.factories import make_person, make_user
from thidua.accounts.services import role_grant
from thidua.common.models import AuditAction, AuditEntry
from thidua.records import services as records
from thidua.records.models import AnnualRating, AwardRecord, Discipline, Initiative
from thidua.rules.models import AwardType

THIS_YEAR = datetime.date.today().year


@pytest.fixture
def office_person(office):
    return make_person("Nguyễn Văn Ân", unit=office)


@pytest.fixture
def office2_person(office2):
    return make_person("Trần Thị Bích", unit=office2)


@pytest.fixture
def other_person(other_department):
    return make_person("Phạm Văn Cường", unit=other_department)


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def _audit(obj, action):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk), action=action
    )


def _error(field, message, kind="value_error"):
    return {
        "detail": [{"loc": ["body", field], "field": field, "msg": message, "type": kind}],
        "errors": {field: [message]},
    }


# ---------------------------------------------------------------- ratings


def test_person_rating_post_creates_then_updates(manager_api, manager, office_person):
    url = f"/api/v1/people/{office_person.pk}/ratings"

    created = _post(manager_api, url, {"year": 2024, "rating": "HTTNV"})
    updated = _post(manager_api, url, {"year": 2024, "rating": "HTXSNV"})

    rating = AnnualRating.objects.get()
    assert created.status_code == 201
    assert created.json() == {"id": rating.pk, "person": office_person.pk, "year": 2024, "rating": "HTTNV"}
    assert updated.status_code == 200
    assert updated.json() == {"id": rating.pk, "person": office_person.pk, "year": 2024, "rating": "HTXSNV"}
    assert _audit(rating, AuditAction.CREATE).get().actor == manager
    assert _audit(rating, AuditAction.UPDATE).get().changes == {"rating": ["HTTNV", "HTXSNV"]}


def test_unit_rating_post_creates_then_updates(officer_api, office):
    url = "/api/v1/units/SKHCN_VP/ratings"

    created = _post(officer_api, url, {"year": 2023, "rating": "HTXSNV"})
    updated = _post(officer_api, url, {"year": 2023, "rating": "HTTNV", "note": "Điều chỉnh"})

    rating = AnnualRating.objects.get()
    assert created.status_code == 201
    assert created.json() == {"id": rating.pk, "unit": "SKHCN_VP", "year": 2023, "rating": "HTXSNV"}
    assert updated.status_code == 200
    assert (rating.rating, rating.note) == ("HTTNV", "Điều chỉnh")


def test_rating_post_refuses_bad_values_with_vietnamese_messages(officer_api, office_person):
    url = f"/api/v1/people/{office_person.pk}/ratings"

    bad_rating = _post(officer_api, url, {"year": 2024, "rating": "XUATSAC"})
    future = _post(officer_api, url, {"year": THIS_YEAR + 1, "rating": "HTTNV"})
    missing = _post(officer_api, url, {"rating": "HTTNV"})
    extra = _post(officer_api, url, {"year": 2024, "rating": "HTTNV", "unit": "SKHCN"})

    assert bad_rating.status_code == 422
    assert bad_rating.json() == _error(
        "rating", "Xếp loại phải là một trong: HTXSNV, HTTNV, HTNV, KHTNV.", "thidua_choice"
    )
    assert future.json() == _error("year", f"Năm phải trong khoảng 1945–{THIS_YEAR}.", "thidua_year")
    assert missing.json() == _error("year", "Trường này là bắt buộc.", "missing")
    assert extra.json() == _error("unit", "Trường này không được hỗ trợ.", "extra_forbidden")
    assert AnnualRating.objects.count() == 0


def test_rating_post_is_404_outside_scope_and_403_without_manage(
    outsider_api, auditor_api, staff_api, office, office_person
):
    body = {"year": 2024, "rating": "HTTNV"}

    assert _post(outsider_api, f"/api/v1/people/{office_person.pk}/ratings", body).status_code == 404
    assert _post(outsider_api, "/api/v1/units/SKHCN_VP/ratings", body).status_code == 404
    assert _post(outsider_api, "/api/v1/people/999999/ratings", body).status_code == 404
    assert _post(staff_api, f"/api/v1/people/{office_person.pk}/ratings", body).status_code == 404
    forbidden = _post(auditor_api, f"/api/v1/people/{office_person.pk}/ratings", body)
    assert forbidden.status_code == 403
    assert forbidden.json() == {"detail": "Không có quyền."}
    assert _post(auditor_api, "/api/v1/units/SKHCN_VP/ratings", body).status_code == 403
    assert AnnualRating.objects.count() == 0


def test_rating_post_needs_a_token(client, office_person):
    response = _post(client, f"/api/v1/people/{office_person.pk}/ratings", {"year": 2024, "rating": "HTTNV"})

    assert response.status_code == 401


def test_rating_lists_of_a_person_and_a_unit(auditor_api, outsider_api, office, office_person):
    old = records.rating_set(actor=None, person=office_person, year=2023, rating="HTTNV")
    new = records.rating_set(actor=None, person=office_person, year=2024, rating="HTXSNV")
    unit_rating = records.rating_set(actor=None, unit=office, year=2024, rating="HTTNV")

    people = auditor_api.get(f"/api/v1/people/{office_person.pk}/ratings")
    units = auditor_api.get("/api/v1/units/SKHCN_VP/ratings")

    assert people.json() == {
        "count": 2,
        "items": [
            {"id": new.pk, "person": office_person.pk, "year": 2024, "rating": "HTXSNV"},
            {"id": old.pk, "person": office_person.pk, "year": 2023, "rating": "HTTNV"},
        ],
    }
    assert units.json() == {
        "count": 1,
        "items": [{"id": unit_rating.pk, "unit": "SKHCN_VP", "year": 2024, "rating": "HTTNV"}],
    }
    assert outsider_api.get(f"/api/v1/people/{office_person.pk}/ratings").status_code == 404
    assert outsider_api.get("/api/v1/units/SKHCN_VP/ratings").status_code == 404


# ---------------------------------------------------------------- initiatives


def _initiative(**overrides):
    body = {
        "title": "Số hóa hồ sơ lưu trữ",
        "kind": "sang_kien",
        "authors": [],
        "scope": "co_so",
        "recognized_on": "2024-10-15",
        "applied": True,
    }
    body.update(overrides)
    return body


def test_initiative_post_creates_it_with_ordered_authors(officer_api, officer, office_person, office2_person):
    response = _post(
        officer_api,
        "/api/v1/initiatives",
        _initiative(
            authors=[office2_person.pk, office_person.pk], recognizing_decision="125/QĐ-SKHCN", unit="SKHCN"
        ),
    )

    initiative = Initiative.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": initiative.pk,
        "title": "Số hóa hồ sơ lưu trữ",
        "kind": "sang_kien",
        "authors": [office2_person.pk, office_person.pk],
        "scope": "co_so",
        "recognized_on": "2024-10-15",
        "recognizing_decision": "125/QĐ-SKHCN",
        "recognizing_body": "",
        "unit": "SKHCN",
        "applied": True,
        "effective": False,
    }
    assert _audit(initiative, AuditAction.CREATE).get().actor == officer


def test_initiative_post_refuses_invisible_authors_and_bad_fields(officer_api, office_person, other_person):
    hidden = _post(
        officer_api, "/api/v1/initiatives", _initiative(authors=[office_person.pk, other_person.pk])
    )
    empty = _post(officer_api, "/api/v1/initiatives", _initiative(authors=[]))
    kind = _post(
        officer_api, "/api/v1/initiatives", _initiative(authors=[office_person.pk], kind="sang-kien")
    )
    future = _post(
        officer_api,
        "/api/v1/initiatives",
        _initiative(
            authors=[office_person.pk],
            recognized_on=(datetime.date.today() + datetime.timedelta(days=1)).isoformat(),
        ),
    )
    twice = _post(
        officer_api, "/api/v1/initiatives", _initiative(authors=[office_person.pk, office_person.pk])
    )

    assert hidden.status_code == 422
    assert hidden.json() == _error(
        "authors", f"Không tìm thấy cá nhân mã {other_person.pk}, hoặc người này ngoài phạm vi của bạn."
    )
    assert empty.json() == _error("authors", "Cần ít nhất một tác giả.", "thidua_authors")
    assert kind.json() == _error("kind", "Loại phải là một trong: sang_kien, de_tai.", "thidua_choice")
    assert future.json() == _error("recognized_on", "Ngày công nhận không được ở tương lai.")
    assert twice.json() == _error("authors", "Một người được ghi tên tác giả hai lần.")
    assert Initiative.objects.count() == 0


def test_initiative_post_is_403_without_manage_and_404_for_a_unit_outside(
    auditor_api, outsider_api, department, office, office2_person, office_person
):
    assert (
        _post(auditor_api, "/api/v1/initiatives", _initiative(authors=[office_person.pk])).status_code == 403
    )
    assert (
        _post(
            outsider_api, "/api/v1/initiatives", _initiative(authors=[office_person.pk], unit="SKHCN")
        ).status_code
        == 404
    )
    # Sees the department but writes only for the office: an initiative of QLKH alone is not theirs.
    user = make_user("hai_vai", role="auditor", unit=department)
    role_grant(actor=None, user=user, role="unit_manager", unit=office)
    two_hats = bearer_client(user)
    assert _post(two_hats, "/api/v1/initiatives", _initiative(authors=[office2_person.pk])).status_code == 403
    assert (
        _post(
            two_hats, "/api/v1/initiatives", _initiative(authors=[office2_person.pk], unit="SKHCN_VP")
        ).status_code
        == 201
    )


# ---------------------------------------------------------------- disciplines


def test_discipline_post_creates_a_discipline(manager_api, manager, office_person):
    response = _post(
        manager_api,
        "/api/v1/disciplines",
        {
            "person": office_person.pk,
            "level": "canh_cao",
            "start": "2024-03-01",
            "end": "2025-02-28",
            "pending": False,
        },
    )

    discipline = Discipline.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": discipline.pk,
        "person": office_person.pk,
        "level": "canh_cao",
        "pending": False,
        "pending_kind": None,
        "start": "2024-03-01",
        "end": "2025-02-28",
        "decision": "",
    }
    assert _audit(discipline, AuditAction.CREATE).get().actor == manager


def test_discipline_post_pending_defaults_to_discipline_being_considered(officer_api, office_person):
    response = _post(
        officer_api,
        "/api/v1/disciplines",
        {"person": office_person.pk, "level": None, "start": "2025-01-05", "end": None, "pending": True},
    )

    assert response.status_code == 201
    assert (response.json()["pending"], response.json()["pending_kind"], response.json()["level"]) == (
        True,
        "xem_xet_ky_luat",
        None,
    )


def test_discipline_post_refuses_bad_values(officer_api, office_person):
    no_level = _post(
        officer_api,
        "/api/v1/disciplines",
        {"person": office_person.pk, "start": "2024-03-01", "end": None, "pending": False},
    )
    backwards = _post(
        officer_api,
        "/api/v1/disciplines",
        {
            "person": office_person.pk,
            "level": "khien_trach",
            "start": "2024-03-01",
            "end": "2024-02-01",
            "pending": False,
        },
    )
    level = _post(
        officer_api,
        "/api/v1/disciplines",
        {"person": office_person.pk, "level": "phat", "start": "2024-03-01"},
    )
    date = _post(
        officer_api,
        "/api/v1/disciplines",
        {"person": office_person.pk, "level": "khien_trach", "start": "01/03/2024"},
    )

    assert no_level.status_code == 422
    assert no_level.json() == _error("level", "Chọn hình thức kỷ luật.")
    assert backwards.json() == _error("end", "Ngày kết thúc phải sau ngày bắt đầu.")
    assert level.json()["errors"] == {
        "level": [
            "Hình thức kỷ luật phải là một trong: khien_trach, canh_cao, ha_bac_luong, giang_chuc, cach_chuc, buoc_thoi_viec."
        ]
    }
    assert date.json() == _error(
        "start", "Ngày phải có dạng YYYY-MM-DD, ví dụ 1985-04-30.", "thidua_date_format"
    )
    assert Discipline.objects.count() == 0


def test_discipline_post_is_404_outside_scope_and_403_without_manage(
    outsider_api, auditor_api, office_person
):
    body = {
        "person": office_person.pk,
        "level": "khien_trach",
        "start": "2024-03-01",
        "end": None,
        "pending": False,
    }

    assert _post(outsider_api, "/api/v1/disciplines", body).status_code == 404
    assert _post(auditor_api, "/api/v1/disciplines", body).status_code == 403
    assert Discipline.objects.count() == 0


# ---------------------------------------------------------------- the award register


def _history(**overrides):
    body = {"award": "LDTT", "year": 2023, "decision_number": "45/QĐ-SKHCN", "decision_date": "2024-01-20"}
    body.update(overrides)
    return body


def test_award_history_post_for_a_person(officer_api, officer, province, office_person):
    response = _post(
        officer_api,
        "/api/v1/awards/history",
        _history(
            person=office_person.pk,
            award="BANG_KHEN_TINH",
            year=2022,
            period_start=2021,
            issuing_unit="UBND_TG",
            register_number="S-9",
        ),
    )

    record = AwardRecord.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": record.pk,
        "person": office_person.pk,
        "unit": None,
        "award": "BANG_KHEN_TINH",
        "award_name": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "year": 2022,
        "period_start": 2021,
        "decision_number": "45/QĐ-SKHCN",
        "decision_date": "2024-01-20",
        "issuing_unit": "UBND_TG",
        "issuer_name": "",
        "register_number": "S-9",
        "source": "imported",
        "counts_for_regular": True,
        "revoked": False,
    }
    assert record.issuing_unit == province
    assert _audit(record, AuditAction.CREATE).get().actor == officer


def test_award_history_post_for_a_unit(officer_api, office):
    response = _post(
        officer_api,
        "/api/v1/awards/history",
        _history(unit="SKHCN_VP", award="TTLDTT", issuer_name="Giám đốc Sở"),
    )

    assert response.status_code == 201
    assert (response.json()["unit"], response.json()["person"], response.json()["award"]) == (
        "SKHCN_VP",
        None,
        "TTLDTT",
    )


def test_award_history_post_refuses_unknown_or_mismatched_awards(officer_api, office, office_person):
    unknown = _post(
        officer_api, "/api/v1/awards/history", _history(person=office_person.pk, award="HUAN_CHUONG_X")
    )
    wrong = _post(officer_api, "/api/v1/awards/history", _history(person=office_person.pk, award="TTLDTT"))
    wrong_unit = _post(officer_api, "/api/v1/awards/history", _history(unit="SKHCN_VP", award="CSTDCS"))

    assert unknown.status_code == 422
    assert unknown.json() == _error(
        "award", "Không có danh hiệu, hình thức mã “HUAN_CHUONG_X” trong danh mục."
    )
    assert wrong.json() == _error("award", "Tập thể lao động tiên tiến không dành cho đối tượng này.")
    assert wrong_unit.json() == _error("award", "Chiến sĩ thi đua cơ sở không dành cho đối tượng này.")
    assert AwardRecord.objects.count() == 0


def test_award_history_post_refuses_other_bad_input(officer_api, office, office_person):
    both = _post(officer_api, "/api/v1/awards/history", _history(person=office_person.pk, unit="SKHCN_VP"))
    neither = _post(officer_api, "/api/v1/awards/history", _history())
    period = _post(
        officer_api, "/api/v1/awards/history", _history(person=office_person.pk, period_start=2024)
    )
    issuer = _post(
        officer_api, "/api/v1/awards/history", _history(person=office_person.pk, issuing_unit="SYT")
    )
    early = _post(
        officer_api, "/api/v1/awards/history", _history(person=office_person.pk, decision_date="2022-05-01")
    )

    assert both.status_code == 422
    assert both.json() == _error("person", "Gửi đúng một trong hai trường: person hoặc unit.")
    assert neither.json() == _error("person", "Gửi đúng một trong hai trường: person hoặc unit.")
    assert period.json() == _error("year", "Năm kết thúc phải từ năm bắt đầu trở đi.")
    assert issuer.json() == _error("issuing_unit", "Không tìm thấy đơn vị mã “SYT”.")
    assert early.json() == _error("decision_date", "Ngày quyết định phải sau thời gian đạt thành tích.")
    assert AwardRecord.objects.count() == 0


def test_award_history_post_refuses_a_duplicate(officer_api, office_person):
    assert _post(officer_api, "/api/v1/awards/history", _history(person=office_person.pk)).status_code == 201

    again = _post(
        officer_api, "/api/v1/awards/history", _history(person=office_person.pk, decision_number="46/QĐ")
    )

    assert again.status_code == 422
    assert again.json() == _error(
        "award", "Đã có Lao động tiên tiến cho thành tích 2023 trong sổ khen thưởng."
    )


def test_award_history_post_is_404_outside_scope_and_403_without_manage(
    outsider_api, auditor_api, office, office_person
):
    assert _post(outsider_api, "/api/v1/awards/history", _history(person=office_person.pk)).status_code == 404
    assert (
        _post(outsider_api, "/api/v1/awards/history", _history(unit="SKHCN_VP", award="TTLDTT")).status_code
        == 404
    )
    assert _post(auditor_api, "/api/v1/awards/history", _history(person=office_person.pk)).status_code == 403
    assert (
        _post(auditor_api, "/api/v1/awards/history", _history(unit="SKHCN_VP", award="TTLDTT")).status_code
        == 403
    )
    assert AwardRecord.objects.count() == 0


def test_award_history_list_filters_and_pages(
    auditor_api, outsider_api, office, office2, office_person, office2_person
):
    def add(subject, code, year):
        key = "unit" if hasattr(subject, "path") else "person"
        return records.award_record_create(
            actor=None,
            award=AwardType.objects.get(code=code),
            period_start=year,
            period_end=year,
            decision_number=f"{year}/QĐ",
            decision_date=datetime.date(year + 1, 1, 10),
            **{key: subject},
        )

    person_2023 = add(office_person, "LDTT", 2023)
    person_2024 = add(office_person, "CSTDCS", 2024)
    unit_2024 = add(office, "TTLDTT", 2024)
    other = add(office2_person, "LDTT", 2024)

    everything = auditor_api.get("/api/v1/awards/history")
    by_person = auditor_api.get("/api/v1/awards/history", {"person": office_person.pk})
    by_unit = auditor_api.get("/api/v1/awards/history", {"unit": "SKHCN_VP", "year": 2024})

    assert everything.status_code == 200
    assert {key: value for key, value in everything.json().items() if key != "items"} == {
        "count": 4,
        "page": 1,
        "pages": 1,
        "page_size": 50,
        "next": None,
    }
    assert sorted(item["id"] for item in everything.json()["items"]) == sorted(
        [person_2023.pk, person_2024.pk, unit_2024.pk, other.pk]
    )
    assert [item["id"] for item in by_person.json()["items"]] == [person_2024.pk, person_2023.pk]
    assert sorted(item["id"] for item in by_unit.json()["items"]) == sorted([person_2024.pk, unit_2024.pk])
    assert outsider_api.get("/api/v1/awards/history").json()["count"] == 0
    assert outsider_api.get("/api/v1/awards/history", {"person": office_person.pk}).status_code == 404
    assert outsider_api.get("/api/v1/awards/history", {"unit": "SKHCN_VP"}).status_code == 404
