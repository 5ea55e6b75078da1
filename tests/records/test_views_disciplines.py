"""Discipline and pending matters, and leave."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_person
from tests.records.conftest import audit_entries
from thidua.common.models import AuditAction
from thidua.records import services as records
from thidua.records.models import Discipline, Leave

LIST = reverse("records:discipline_list")
CREATE = reverse("records:discipline_create")
LEAVES = reverse("records:leave_list")
LEAVE_CREATE = reverse("records:leave_create")
PENDING_HELP = "Vụ việc đang xem xét sẽ tạm hoãn mọi hình thức khen thưởng"
MATERNITY_HELP = "Thời gian nghỉ thai sản được tính là thời gian công tác"


def _discipline(person, **fields):
    fields.setdefault("level", "khien_trach")
    fields.setdefault("start", datetime.date(2024, 3, 1))
    return records.discipline_create(actor=None, person=person, **fields)


def _leave(person, **fields):
    fields.setdefault("kind", "thai_san")
    fields.setdefault("start", datetime.date(2024, 2, 1))
    fields.setdefault("end", datetime.date(2024, 7, 31))
    return records.leave_create(actor=None, person=person, **fields)


def _people(response) -> list[str]:
    return [row.person.full_name for row in response.context["page"].object_list]


# ---------------------------------------------------------------- discipline list


def test_discipline_list_shows_discipline_and_pending_matters(
    officer_client, office_person, office2_person, other_person
):
    _discipline(office_person, end=datetime.date(2025, 3, 1), decision="12/QĐ-SKHCN")
    _discipline(
        office2_person, level="", pending=True, pending_kind="dieu_tra", start=datetime.date(2025, 1, 5)
    )
    _discipline(other_person)

    response = officer_client.get(LIST)

    assert response.status_code == 200
    assert _people(response) == ["Trần Thị Bích", "Nguyễn Văn Ân"]
    html = response.content.decode()
    assert "Đang bị điều tra, thanh tra, kiểm tra" in html
    assert "Khiển trách" in html and "12/QĐ-SKHCN" in html
    assert PENDING_HELP in html


def test_discipline_list_is_forbidden_without_records_view(staff_client):
    assert staff_client.get(LIST).status_code == 403


def test_discipline_list_filters_by_type_status_unit_and_name(officer_client, office_person, office2_person):
    _discipline(office_person, end=datetime.date(2024, 12, 31))
    _discipline(
        office2_person, level="", pending=True, pending_kind="khieu_nai", start=datetime.date(2025, 1, 5)
    )

    assert _people(officer_client.get(LIST, {"type": "pending"})) == ["Trần Thị Bích"]
    assert _people(officer_client.get(LIST, {"type": "discipline"})) == ["Nguyễn Văn Ân"]
    assert _people(officer_client.get(LIST, {"status": "ended"})) == ["Nguyễn Văn Ân"]
    assert _people(officer_client.get(LIST, {"status": "current"})) == ["Trần Thị Bích"]
    assert _people(officer_client.get(LIST, {"unit": "SKHCN_VP"})) == ["Nguyễn Văn Ân"]
    assert _people(officer_client.get(LIST, {"q": "bich"})) == ["Trần Thị Bích"]


def test_discipline_list_query_count_does_not_grow_with_rows(officer_client, office, office_person):
    _discipline(office_person)
    with CaptureQueriesContext(connection) as one:
        officer_client.get(LIST)
    for name in ("Lê Văn Hai", "Lê Văn Ba"):
        _discipline(make_person(name, unit=office))

    with CaptureQueriesContext(connection) as many:
        response = officer_client.get(LIST)

    assert len(response.context["page"].object_list) == 3
    assert len(many) == len(one)


# ---------------------------------------------------------------- discipline forms


def test_discipline_create_records_a_discipline(manager_client, manager, office_person):
    response = manager_client.post(
        f"{CREATE}?person={office_person.pk}",
        {
            "person": office_person.pk,
            "type": "discipline",
            "level": "canh_cao",
            "decision": "15/QĐ-SKHCN",
            "start": "01/03/2024",
            "end": "28/02/2025",
            "pending_kind": "dieu_tra",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("records:person_records", args=[office_person.pk])
    row = Discipline.objects.get()
    assert (row.person, row.level, row.pending, row.pending_kind, row.start, row.end, row.decision) == (
        office_person,
        "canh_cao",
        False,
        "",
        datetime.date(2024, 3, 1),
        datetime.date(2025, 2, 28),
        "15/QĐ-SKHCN",
    )
    assert audit_entries(row, AuditAction.CREATE).get().actor == manager


def test_discipline_create_records_a_pending_matter_and_warns(officer_client, office_person):
    response = officer_client.post(
        CREATE,
        {
            "person": office_person.pk,
            "type": "pending",
            "pending_kind": "khieu_nai",
            "level": "canh_cao",
            "start": "05/01/2025",
        },
        follow=True,
    )

    row = Discipline.objects.get()
    assert (row.pending, row.pending_kind, row.level, row.end) == (True, "khieu_nai", "", None)
    assert [str(message) for message in response.context["messages"]] == [
        f"Đã ghi vụ việc đang xem xét của Nguyễn Văn Ân. {PENDING_HELP}."
    ]


def test_discipline_form_shows_the_pending_consequence(officer_client):
    response = officer_client.get(f"{CREATE}?type=pending")

    html = response.content.decode()
    assert f"{PENDING_HELP} (khoản 4 Điều 4 Nghị định 152/2025/NĐ-CP)." in html
    assert 'name="pending_kind"' in html and 'name="level"' not in html


def test_discipline_form_switches_its_fields_through_htmx(officer_client, office_person):
    response = officer_client.get(
        CREATE,
        {"switch": "1", "type": "pending", "person": office_person.pk, "start": "2025-01-05"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert html.startswith('<div id="record-fields"')
    assert 'name="pending_kind"' in html and 'name="level"' not in html
    assert f'name="person" value="{office_person.pk}" checked' in html
    assert 'value="2025-01-05"' in html


def test_discipline_create_validates_in_vietnamese(officer_client, office_person):
    missing = officer_client.post(CREATE, {"type": "discipline", "start": ""})
    pending = officer_client.post(
        CREATE, {"person": office_person.pk, "type": "pending", "start": "05/01/2025"}
    )
    backwards = officer_client.post(
        CREATE,
        {
            "person": office_person.pk,
            "type": "discipline",
            "level": "canh_cao",
            "start": "05/01/2025",
            "end": "04/01/2025",
        },
    )

    assert missing.status_code == 400
    assert missing.context["form"].errors == {
        "person": ["Chọn cá nhân."],
        "start": ["Nhập ngày bắt đầu."],
        "level": ["Chọn hình thức kỷ luật."],
    }
    assert pending.context["form"].errors == {"pending_kind": ["Chọn loại vụ việc đang xem xét."]}
    assert backwards.context["form"].errors == {"end": ["Ngày kết thúc phải sau ngày bắt đầu."]}
    assert Discipline.objects.count() == 0


def test_discipline_create_is_403_without_manage_and_404_for_a_person_outside(
    auditor_client, outsider_client, office_person
):
    assert auditor_client.get(CREATE).status_code == 403
    assert outsider_client.get(f"{CREATE}?person={office_person.pk}").status_code == 404


def test_discipline_edit_turns_a_pending_matter_into_a_discipline(officer_client, office_person):
    row = _discipline(office_person, level="", pending=True, pending_kind="xem_xet_ky_luat")

    response = officer_client.post(
        reverse("records:discipline_edit", args=[row.pk]),
        {"type": "discipline", "level": "khien_trach", "start": "01/03/2024", "decision": "20/QĐ-SKHCN"},
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.pending, row.pending_kind, row.level, row.decision) == (
        False,
        "",
        "khien_trach",
        "20/QĐ-SKHCN",
    )
    assert audit_entries(row, AuditAction.UPDATE).get().changes["pending"] == [True, False]


def test_discipline_edit_and_delete_are_404_outside_scope_and_403_without_manage(
    outsider_client, auditor_client, office_person
):
    row = _discipline(office_person)

    assert outsider_client.get(reverse("records:discipline_edit", args=[row.pk])).status_code == 404
    assert auditor_client.get(reverse("records:discipline_edit", args=[row.pk])).status_code == 403
    assert auditor_client.post(reverse("records:discipline_delete", args=[row.pk])).status_code == 403
    assert Discipline.objects.count() == 1


def test_discipline_delete(officer_client, office_person):
    row = _discipline(office_person)

    assert officer_client.post(reverse("records:discipline_delete", args=[row.pk])).status_code == 302
    assert Discipline.objects.count() == 0
    assert audit_entries(row, AuditAction.DELETE).count() == 1


# ---------------------------------------------------------------- leave


def test_leave_list_shows_leave_and_the_maternity_rule(officer_client, office_person, other_person):
    _leave(office_person)
    _leave(other_person)

    response = officer_client.get(LEAVES)

    assert response.status_code == 200
    assert _people(response) == ["Nguyễn Văn Ân"]
    assert MATERNITY_HELP in response.content.decode()


def test_leave_list_marks_unverified_counting_rules(officer_client, office_person):
    _leave(office_person, kind="khong_luong", start=datetime.date(2023, 1, 1), end=datetime.date(2023, 3, 1))

    html = officer_client.get(LEAVES).content.decode()

    assert "Cần xác minh" in html


def test_leave_list_is_forbidden_without_records_view(staff_client):
    assert staff_client.get(LEAVES).status_code == 403


def test_leave_list_filters_by_kind_year_and_unit(officer_client, office_person, office2_person):
    _leave(office_person)
    _leave(office2_person, kind="om_dau", start=datetime.date(2023, 12, 1), end=datetime.date(2024, 1, 10))

    assert _people(officer_client.get(LEAVES, {"kind": "om_dau"})) == ["Trần Thị Bích"]
    assert _people(officer_client.get(LEAVES, {"year": 2023})) == ["Trần Thị Bích"]
    assert _people(officer_client.get(LEAVES, {"year": 2024})) == ["Nguyễn Văn Ân", "Trần Thị Bích"]
    assert _people(officer_client.get(LEAVES, {"unit": "SKHCN_VP"})) == ["Nguyễn Văn Ân"]


def test_leave_list_query_count_does_not_grow_with_rows(officer_client, office, office_person):
    _leave(office_person)
    with CaptureQueriesContext(connection) as one:
        officer_client.get(LEAVES)
    for name in ("Lê Thị Hai", "Lê Thị Ba"):
        _leave(make_person(name, unit=office))

    with CaptureQueriesContext(connection) as many:
        response = officer_client.get(LEAVES)

    assert len(response.context["page"].object_list) == 3
    assert len(many) == len(one)


def test_leave_create_records_the_leave(manager_client, manager, office_person):
    form = manager_client.get(f"{LEAVE_CREATE}?person={office_person.pk}")
    assert MATERNITY_HELP in form.content.decode()

    response = manager_client.post(
        f"{LEAVE_CREATE}?person={office_person.pk}",
        {"person": office_person.pk, "kind": "thai_san", "start": "01/02/2024", "end": "31/07/2024"},
    )

    assert response.status_code == 302
    leave = Leave.objects.get()
    assert (leave.person, leave.kind, leave.start, leave.end) == (
        office_person,
        "thai_san",
        datetime.date(2024, 2, 1),
        datetime.date(2024, 7, 31),
    )
    assert audit_entries(leave, AuditAction.CREATE).get().actor == manager


def test_leave_create_validates_dates_and_overlaps(officer_client, office_person):
    _leave(office_person)

    backwards = officer_client.post(
        LEAVE_CREATE,
        {"person": office_person.pk, "kind": "om_dau", "start": "10/01/2025", "end": "01/01/2025"},
    )
    overlapping = officer_client.post(
        LEAVE_CREATE,
        {"person": office_person.pk, "kind": "om_dau", "start": "01/07/2024", "end": "01/09/2024"},
    )
    empty = officer_client.post(LEAVE_CREATE, {})

    assert backwards.context["form"].errors == {"end": ["Ngày kết thúc phải sau ngày bắt đầu."]}
    assert overlapping.context["form"].errors == {
        "start": ["Thời gian nghỉ trùng với một thời gian nghỉ đã ghi."]
    }
    assert empty.context["form"].errors == {
        "person": ["Chọn cá nhân."],
        "kind": ["Chọn loại nghỉ."],
        "start": ["Nhập ngày bắt đầu nghỉ."],
        "end": ["Nhập ngày kết thúc nghỉ."],
    }
    assert Leave.objects.count() == 1


def test_leave_create_is_forbidden_without_manage(auditor_client):
    assert auditor_client.get(LEAVE_CREATE).status_code == 403


def test_leave_delete(officer_client, outsider_client, auditor_client, office_person):
    leave = _leave(office_person)
    url = reverse("records:leave_delete", args=[leave.pk])

    assert outsider_client.post(url).status_code == 404
    assert auditor_client.post(url).status_code == 403
    assert officer_client.post(url).status_code == 302
    assert Leave.objects.count() == 0
    assert audit_entries(leave, AuditAction.DELETE).count() == 1
