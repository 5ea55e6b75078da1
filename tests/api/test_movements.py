"""The movements API: create, read, transitions (the whole workflow table), registrations."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import make_person
from thidua.common.models import AuditAction, AuditEntry
from thidua.movements import services
from thidua.movements.enums import MOVEMENT_TRANSITIONS, MovementStatus, RegistrationStatus
from thidua.movements.models import Movement, MovementTransition, Registration

URL = "/api/v1/movements"


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def _error(field, message, kind="value_error"):
    return {
        "detail": [{"loc": ["body", field], "field": field, "msg": message, "type": kind}],
        "errors": {field: [message]},
    }


def _new(actor, unit, **fields):
    values = {
        "title": "Thi đua thực hiện cải cách hành chính năm 2026",
        "kind": "theo_dot",
        "launching_unit": unit,
        "start": datetime.date(2026, 1, 1),
        "end": datetime.date(2026, 12, 31),
        "content": "Rút ngắn thời gian giải quyết thủ tục hành chính.",
        "tasks": ["Công khai thủ tục", "Tiếp nhận hồ sơ trực tuyến"],
    }
    values.update(fields)
    return services.movement_create(actor=actor, **values)


@pytest.fixture
def draft(officer, department):
    return _new(officer, department)


@pytest.fixture
def launched(officer, draft):
    return services.movement_transition(
        actor=officer, movement=draft, to="launched", on=datetime.date(2026, 2, 1)
    )


@pytest.fixture
def office2_person(office2):
    return make_person("Trần Thị Bích", unit=office2)


# ---------------------------------------------------------------- create


def test_movement_create_returns_201_with_the_movement(officer_api, officer, department, office):
    body = {
        "title": "Phong trào thi đua “Cán bộ, công chức thi đua thực hiện văn hóa công sở”",
        "kind": "chuyen_de",
        "launching_unit": "SKHCN",
        "start": "2026-03-01",
        "end": "2026-12-31",
        "purpose": "Xây dựng môi trường làm việc văn minh.",
        "content": "Thực hiện Chỉ thị 05-CT/TW.",
        "tasks": ["Chấp hành giờ giấc", "  Trang phục lịch sự  "],
        "criteria": [
            {"name": "Chấp hành kỷ luật", "max_points": 60},
            {"name": "Văn hóa ứng xử", "max_points": "40.5"},
        ],
        "planned_awards": ["TTLDTT", "LDTT"],
        "registration_deadline": "2026-03-31",
        "participation": "chosen",
        "chosen_units": ["SKHCN_VP"],
    }

    response = _post(officer_api, URL, body)

    movement = Movement.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": movement.pk,
        "title": "Phong trào thi đua “Cán bộ, công chức thi đua thực hiện văn hóa công sở”",
        "kind": "chuyen_de",
        "status": "draft",
        "launching_unit": "SKHCN",
        "parent": None,
        "start": "2026-03-01",
        "end": "2026-12-31",
        "purpose": "Xây dựng môi trường làm việc văn minh.",
        "content": "Thực hiện Chỉ thị 05-CT/TW.",
        "registration_deadline": "2026-03-31",
        "participation": "chosen",
        "launched_on": None,
        "closed_on": None,
        "final_review": "",
        "tasks": ["Chấp hành giờ giấc", "Trang phục lịch sự"],
        "criteria": [
            {"name": "Chấp hành kỷ luật", "max_points": 60.0},
            {"name": "Văn hóa ứng xử", "max_points": 40.5},
        ],
        "planned_awards": ["LDTT", "TTLDTT"],
        "participating_units": ["SKHCN_VP"],
        "registrations": {"total": 0, "submitted": 0, "approved": 0, "rejected": 0},
        "transitions": [],
    }
    assert movement.created_by == officer
    assert AuditEntry.objects.get(action=AuditAction.CREATE, object_repr=movement.title).actor == officer


def test_movement_create_as_a_round_of_a_parent(officer_api, officer, department, office, office2):
    parent = _new(
        officer,
        department,
        title="Phong trào thi đua 2026–2030",
        kind="thuong_xuyen",
        end=datetime.date(2030, 12, 31),
    )
    body = {
        "title": "Đợt 2027",
        "kind": "theo_dot",
        "launching_unit": "SKHCN",
        "start": "2027-01-01",
        "end": "2027-12-31",
        "parent": parent.pk,
    }

    response = _post(officer_api, URL, body)

    assert response.status_code == 201
    assert response.json()["parent"] == parent.pk
    assert response.json()["participating_units"] == ["SKHCN", "SKHCN_VP", "SKHCN_QLKH"]


def test_movement_create_422_when_the_service_refuses(officer_api, department):
    body = {
        "title": "Phong trào",
        "kind": "theo_dot",
        "launching_unit": "SKHCN",
        "start": "2026-05-01",
        "end": "2026-04-30",
    }

    response = _post(officer_api, URL, body)

    assert response.status_code == 422
    assert response.json() == _error("end", "Ngày kết thúc phải sau ngày bắt đầu.")


def test_movement_create_422_for_unknown_awards_and_units(officer_api, department):
    body = {
        "title": "Phong trào",
        "kind": "theo_dot",
        "launching_unit": "SKHCN",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "planned_awards": ["KHONG_CO"],
    }
    assert _post(officer_api, URL, body).json() == _error(
        "planned_awards", "Không có danh hiệu, hình thức khen thưởng mã “KHONG_CO”."
    )

    body.update(planned_awards=[], participation="chosen", chosen_units=["SYT"])
    response = _post(officer_api, URL, body)
    assert response.status_code == 422
    assert response.json() == _error("chosen_units", "Không tìm thấy đơn vị mã “SYT” trong phạm vi của bạn.")
    assert Movement.objects.count() == 0


def test_movement_create_422_for_schema_errors_in_vietnamese(officer_api, department):
    body = {
        "title": "Phong trào",
        "kind": "hang_nam",
        "launching_unit": "SKHCN",
        "start": "01/01/2026",
        "end": "2026-12-31",
        "criteria": [{"name": "Tiêu chí", "max_points": 0}],
    }

    response = _post(officer_api, URL, body)

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "kind": ["Loại phong trào phải là một trong: thuong_xuyen, theo_dot, chuyen_de."],
        "start": ["Ngày phải có dạng YYYY-MM-DD, ví dụ 1985-04-30."],
        "criteria.0.max_points": [
            "Điểm tối đa phải là một số lớn hơn 0, tối đa 9999,99, lấy đến 2 chữ số thập phân."
        ],
    }


def test_movement_create_403_without_movement_manage(manager_api, office):
    body = {
        "title": "Phong trào của phòng",
        "kind": "theo_dot",
        "launching_unit": "SKHCN_VP",
        "start": "2026-01-01",
        "end": "2026-12-31",
    }
    response = _post(manager_api, URL, body)
    assert response.status_code == 403
    assert response.json() == {"detail": "Không có quyền."}


def test_movement_create_404_for_a_unit_out_of_sight(outsider_api, department):
    body = {
        "title": "Phong trào",
        "kind": "theo_dot",
        "launching_unit": "SKHCN",
        "start": "2026-01-01",
        "end": "2026-12-31",
    }
    response = _post(outsider_api, URL, body)
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def test_movement_api_needs_a_token(draft):
    assert Client().get(f"{URL}/{draft.pk}").status_code == 401
    assert _post(Client(), URL, {}).status_code == 401


# ---------------------------------------------------------------- read


def test_movement_detail_shows_status_lists_counts_and_history(
    manager_api, officer, staff, office2, launched, staff_person
):
    services.registration_submit(actor=officer, movement=launched, awards=[], unit=launched.launching_unit)
    services.registration_submit(actor=staff, movement=launched, awards=[], person=staff_person)

    response = manager_api.get(f"{URL}/{launched.pk}")

    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["launched_on"]) == ("launched", "2026-02-01")
    assert data["tasks"] == ["Công khai thủ tục", "Tiếp nhận hồ sơ trực tuyến"]
    assert data["participating_units"] == ["SKHCN", "SKHCN_VP", "SKHCN_QLKH"]
    assert data["registrations"] == {"total": 2, "submitted": 1, "approved": 1, "rejected": 0}
    [transition] = data["transitions"]
    assert {key: transition[key] for key in ("from_status", "to_status", "by", "note")} == {
        "from_status": "draft",
        "to_status": "launched",
        "by": "vanphong",
        "note": "",
    }
    assert transition["at"].startswith(str(MovementTransition.objects.get().at.year))


def test_movement_detail_404_outside_scope(outsider_api, manager_api, draft):
    assert outsider_api.get(f"{URL}/{draft.pk}").status_code == 404
    # A draft is the launching unit's working paper: the office does not see it yet.
    assert manager_api.get(f"{URL}/{draft.pk}").status_code == 404
    assert outsider_api.get(f"{URL}/999999").status_code == 404


# ---------------------------------------------------------------- transitions


def _in_status(officer, department, status):
    movement = _new(officer, department)
    if status in (MovementStatus.LAUNCHED, MovementStatus.CLOSED):
        services.movement_transition(actor=officer, movement=movement, to="launched")
    if status == MovementStatus.CLOSED:
        services.movement_transition(
            actor=officer, movement=movement, to="closed", note="Hoàn thành 100% chỉ tiêu."
        )
    return movement


TABLE = [
    (source, target, target in MOVEMENT_TRANSITIONS[source])
    for source in MovementStatus.values
    for target in (MovementStatus.LAUNCHED, MovementStatus.CLOSED)
]


@pytest.mark.parametrize(("source", "target", "allowed"), TABLE)
def test_movement_transitions_follow_the_table(officer_api, officer, department, source, target, allowed):
    movement = _in_status(officer, department, source)

    response = _post(
        officer_api, f"{URL}/{movement.pk}/transitions", {"to": target, "note": "Tổng kết: đạt 95% chỉ tiêu."}
    )

    movement.refresh_from_db()
    if allowed:
        assert response.status_code == 200
        assert response.json()["status"] == target
        assert response.json()["transitions"][-1]["to_status"] == target
        assert movement.status == target
    else:
        labels = dict(MovementStatus.choices)
        assert response.status_code == 409
        assert response.json() == {
            "detail": f"Không thể chuyển phong trào từ “{labels[source]}” sang “{labels[target]}”."
        }
        assert movement.status == source


def test_movement_transitions_cover_the_whole_table():
    assert sorted((source, target) for source, target, allowed in TABLE if allowed) == [
        ("draft", "launched"),
        ("launched", "closed"),
    ]


def test_movement_transition_close_stores_the_final_review(officer_api, launched):
    response = _post(
        officer_api, f"{URL}/{launched.pk}/transitions", {"to": "closed", "note": "Đạt 95% chỉ tiêu."}
    )
    assert response.status_code == 200
    assert response.json()["final_review"] == "Đạt 95% chỉ tiêu."
    assert [item["to_status"] for item in response.json()["transitions"]] == ["launched", "closed"]


def test_movement_transition_409_when_closing_without_a_review(officer_api, launched):
    response = _post(officer_api, f"{URL}/{launched.pk}/transitions", {"to": "closed"})
    assert response.status_code == 409
    assert response.json() == {"detail": "Nhập kết quả tổng kết phong trào trước khi kết thúc."}


def test_movement_transition_409_when_launching_an_empty_movement(officer_api, officer, department):
    empty = _new(officer, department, content="", tasks=[])
    response = _post(officer_api, f"{URL}/{empty.pk}/transitions", {"to": "launched"})
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Phong trào chưa có nội dung hoặc nhiệm vụ trọng tâm: chưa phát động được."
    }


def test_movement_transition_403_for_a_participant(manager_api, launched):
    response = _post(manager_api, f"{URL}/{launched.pk}/transitions", {"to": "closed", "note": "Xong."})
    assert response.status_code == 403
    assert Movement.objects.get().status == "launched"


def test_movement_transition_404_outside_scope(outsider_api, launched):
    assert (
        _post(outsider_api, f"{URL}/{launched.pk}/transitions", {"to": "closed", "note": "Xong."}).status_code
        == 404
    )


def test_movement_transition_422_for_an_unknown_target(officer_api, draft):
    response = _post(officer_api, f"{URL}/{draft.pk}/transitions", {"to": "draft"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"to": ["Trạng thái mới phải là một trong: launched, closed."]}


# ---------------------------------------------------------------- registrations


def _register(client, movement, body):
    return _post(client, f"{URL}/{movement.pk}/registrations", body)


def test_registration_by_the_units_manager_is_approved(manager_api, launched, office):
    response = _register(
        manager_api,
        launched,
        {"unit": "SKHCN_VP", "awards": ["TTLDTT"], "commitment": "Hoàn thành xuất sắc nhiệm vụ."},
    )

    registration = Registration.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": registration.pk,
        "unit": "SKHCN_VP",
        "person": None,
        "on_behalf_of": "SKHCN_VP",
        "awards": ["TTLDTT"],
        "commitment": "Hoàn thành xuất sắc nhiệm vụ.",
        "status": "approved",
    }


def test_registration_again_replaces_it_with_200(manager_api, launched):
    _register(manager_api, launched, {"unit": "SKHCN_VP", "awards": ["TTLDTT"]})
    response = _register(
        manager_api, launched, {"unit": "SKHCN_VP", "awards": ["TTLDXS"], "commitment": "Xuất sắc."}
    )
    assert response.status_code == 200
    assert (response.json()["awards"], Registration.objects.count()) == (["TTLDXS"], 1)


def test_registration_of_a_person_by_self_awaits_approval(staff_api, launched, staff_person):
    response = _register(staff_api, launched, {"person": staff_person.pk, "awards": ["LDTT", "CSTDCS"]})
    assert response.status_code == 201
    assert response.json()["person"] == staff_person.pk
    assert response.json()["awards"] == ["CSTDCS", "LDTT"]
    assert response.json()["status"] == RegistrationStatus.SUBMITTED


def test_registration_a_manager_cannot_register_another_units_people(
    manager_api, auditor_api, launched, office2_person
):
    assert (
        _register(manager_api, launched, {"person": office2_person.pk, "awards": ["LDTT"]}).status_code == 404
    )
    # The auditor sees the office but registers nobody.
    assert _register(auditor_api, launched, {"unit": "SKHCN_VP", "awards": []}).status_code == 403
    assert Registration.objects.count() == 0


def test_registration_404_outside_scope(outsider_api, launched):
    assert _register(outsider_api, launched, {"unit": "SYT", "awards": []}).status_code == 404


def test_registration_409_while_the_movement_is_a_draft(officer_api, draft, office):
    response = _register(officer_api, draft, {"unit": "SKHCN_VP", "awards": []})
    assert response.status_code == 409
    assert response.json() == {"detail": "Phong trào chưa phát động hoặc đã tổng kết: không nhận đăng ký."}


def test_registration_409_after_the_deadline(manager_api, officer, department):
    late = _new(
        officer,
        department,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
        registration_deadline=datetime.date(2025, 1, 31),
    )
    services.movement_transition(actor=officer, movement=late, to="launched", on=datetime.date(2025, 1, 5))

    response = _register(manager_api, late, {"unit": "SKHCN_VP", "awards": []})

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Đã quá hạn đăng ký (31/01/2025). Liên hệ cán bộ thi đua để được đăng ký bổ sung."
    }


def test_registration_422_for_both_subjects_a_wrong_award_or_an_unknown_one(
    officer_api, launched, staff_person
):
    both = _register(officer_api, launched, {"unit": "SKHCN_VP", "person": staff_person.pk, "awards": []})
    assert both.status_code == 422
    assert both.json() == _error("person", "Chọn một cá nhân hoặc một tập thể.")

    wrong = _register(officer_api, launched, {"unit": "SKHCN_VP", "awards": ["LDTT"]})
    assert wrong.json() == _error("awards", "Lao động tiên tiến không dành cho tập thể.")

    unknown = _register(officer_api, launched, {"unit": "SKHCN_VP", "awards": ["XYZ"]})
    assert unknown.json() == _error("awards", "Không có danh hiệu, hình thức khen thưởng mã “XYZ”.")
    assert Registration.objects.count() == 0


def test_registration_list_is_scoped_to_what_the_user_may_see(
    officer_api,
    manager_api,
    staff_api,
    outsider_api,
    officer,
    launched,
    office,
    office2,
    staff_person,
    office2_person,
):
    services.registration_submit(actor=officer, movement=launched, awards=[], unit=office)
    services.registration_submit(actor=officer, movement=launched, awards=[], unit=office2)
    services.registration_submit(actor=officer, movement=launched, awards=[], person=staff_person)
    services.registration_submit(actor=officer, movement=launched, awards=[], person=office2_person)
    colleague = make_person("Võ Văn Cường", unit=office)
    services.registration_submit(actor=officer, movement=launched, awards=[], person=colleague)
    url = f"{URL}/{launched.pk}/registrations"

    def seen(client):
        items = client.get(url).json()["items"]
        return sorted((item["unit"] or "", item["person"] or 0) for item in items)

    everyone = officer_api.get(url).json()
    assert everyone["count"] == 5
    assert seen(manager_api) == sorted([("SKHCN_VP", 0), ("", staff_person.pk), ("", colleague.pk)])
    # Staff see their unit's collective registration and their own, not their colleagues'.
    assert seen(staff_api) == sorted([("SKHCN_VP", 0), ("", staff_person.pk)])
    assert outsider_api.get(url).status_code == 404


def test_registration_list_query_count_does_not_grow(officer_api, officer, launched, office, office2):
    url = f"{URL}/{launched.pk}/registrations"
    services.registration_submit(actor=officer, movement=launched, awards=[], unit=office)
    officer_api.get(url)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as one:
        assert officer_api.get(url).json()["count"] == 1
    services.registration_submit(actor=officer, movement=launched, awards=[], unit=office2)
    services.registration_submit(
        actor=officer, movement=launched, awards=[], person=make_person("Võ Văn Cường", unit=office)
    )
    with CaptureQueriesContext(connection) as three:
        assert officer_api.get(url).json()["count"] == 3
    assert len(three) == len(one)
