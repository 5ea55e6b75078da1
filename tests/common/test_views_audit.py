import datetime

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_person
from thidua.common.models import AuditAction, AuditEntry
from thidua.organizations import services

pytestmark = pytest.mark.django_db

LIST = reverse("common:audit_list")


def _entries(response) -> list[str]:
    return [f"{entry.action} {entry.object_repr}" for entry in response.context["page"].object_list]


def test_audit_list_shows_entries_newest_first(admin_client_, admin_user, office):
    person = make_person("Nguyễn Văn An", unit=office)
    services.person_update(actor=admin_user, person=person, full_name="Nguyễn Văn Ân")
    services.person_update(actor=admin_user, person=person, full_name="Nguyễn Văn Bảo")
    response = admin_client_.get(LIST, {"type": "organizations.person", "action": "update"})
    assert response.status_code == 200
    assert _entries(response) == ["update Nguyễn Văn Bảo", "update Nguyễn Văn Ân"]


def test_audit_list_keeps_auditors_in_their_subtree(auditor_client, office, other_department):
    services.person_update(actor=None, person=make_person("Nguyễn Văn An", unit=office), phone="0273 111 111")
    services.person_update(
        actor=None, person=make_person("Phạm Văn Y", unit=other_department), phone="0273 111 112"
    )
    objects = {entry.object_repr for entry in auditor_client.get(LIST).context["page"].object_list}
    assert "Nguyễn Văn An" in objects
    assert "Phạm Văn Y" not in objects
    assert "Sở Y tế" not in objects


def test_audit_list_filters(admin_client_, admin_user, officer, office):
    person = make_person("Nguyễn Văn An", unit=office)
    services.person_update(actor=officer, person=person, cccd="082080000001")
    services.unit_update(actor=admin_user, unit=office, address="Số 1, phường 1")
    assert _entries(admin_client_.get(LIST, {"actor": "vanph"})) == ["update Nguyễn Văn An"]
    assert _entries(admin_client_.get(LIST, {"actor": "admin", "action": "update"})) == [
        "update Văn phòng Sở"
    ]
    assert _entries(admin_client_.get(LIST, {"q": "Nguyễn Văn", "action": "update"})) == [
        "update Nguyễn Văn An"
    ]
    assert _entries(admin_client_.get(LIST, {"type": "organizations.unit", "action": "update"})) == [
        "update Văn phòng Sở"
    ]
    assert _entries(
        admin_client_.get(
            LIST, {"type": "organizations.person", "object_id": str(person.pk), "action": "update"}
        )
    ) == ["update Nguyễn Văn An"]


def test_audit_list_filters_by_date_range(admin_client_, office):
    today = timezone.localdate()
    assert admin_client_.get(LIST, {"date_from": today.isoformat()}).context["page"].paginator.count > 0
    tomorrow = today + datetime.timedelta(days=1)
    assert admin_client_.get(LIST, {"date_from": tomorrow.isoformat()}).context["page"].paginator.count == 0
    yesterday = today - datetime.timedelta(days=1)
    assert (
        admin_client_.get(LIST, {"date_to": yesterday.strftime("%d/%m/%Y")}).context["page"].paginator.count
        == 0
    )


def test_audit_list_refuses_a_reversed_date_range(admin_client_, province):
    response = admin_client_.get(LIST, {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()


def test_audit_list_filters_by_unit_subtree(admin_client_, department, office, other_department):
    services.person_update(actor=None, person=make_person("Nguyễn Văn An", unit=office), phone="0273 111 111")
    services.person_update(
        actor=None, person=make_person("Phạm Văn Y", unit=other_department), phone="0273 111 112"
    )
    objects = {
        entry.object_repr for entry in admin_client_.get(LIST, {"unit": "SKHCN"}).context["page"].object_list
    }
    assert "Nguyễn Văn An" in objects and "Văn phòng Sở" in objects
    assert "Phạm Văn Y" not in objects


def test_audit_list_unit_filter_outside_scope_is_404(auditor_client, other_department):
    assert auditor_client.get(LIST, {"unit": "SYT"}).status_code == 404


def test_audit_list_query_count_does_not_grow_with_entries(admin_client_, admin_user, office):
    person = make_person("Nguyễn Văn An", unit=office)
    filters = {"type": "organizations.person", "action": "update"}
    services.person_update(actor=admin_user, person=person, phone="0273 111 111")
    with CaptureQueriesContext(connection) as one:
        admin_client_.get(LIST, filters)
    services.person_update(actor=admin_user, person=person, phone="0273 222 222")
    services.person_update(actor=admin_user, person=person, phone="0273 333 333")
    with CaptureQueriesContext(connection) as three:
        response = admin_client_.get(LIST, filters)
    assert response.context["page"].paginator.count == 3
    assert len(one.captured_queries) == len(three.captured_queries)


def test_audit_list_forbidden_without_audit_view(officer_client):
    assert officer_client.get(LIST).status_code == 403


def test_audit_list_cannot_be_posted_to(admin_client_):
    assert admin_client_.post(LIST).status_code == 405


# ---------------------------------------------------------------- detail


def test_audit_detail_shows_old_and_new_values(auditor_client, officer, office, office2):
    person = make_person("Nguyễn Văn An", unit=office)
    services.person_update(actor=officer, person=person, gender="nam", birth_date=datetime.date(1980, 5, 17))
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, content_type__model="person")
    response = auditor_client.get(reverse("common:audit_detail", args=[entry.pk]))
    assert response.status_code == 200
    rows = {row["label"]: (row["old"], row["new"]) for row in response.context["rows"]}
    assert rows == {"Giới tính": ("—", "Nam"), "Ngày sinh": ("—", "17/05/1980")}
    assert response.context["object_url"] == reverse("organizations:person_detail", args=[person.pk])


def test_audit_detail_names_related_objects(admin_client_, office, office2):
    person = make_person("Nguyễn Văn An", unit=office)
    employment = person.employments.get()
    services.employment_update(actor=None, employment=employment, unit=office2)
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, content_type__model="employment")
    response = admin_client_.get(reverse("common:audit_detail", args=[entry.pk]))
    rows = {row["name"]: (row["old"], row["new"]) for row in response.context["rows"]}
    assert rows == {"unit": ("Văn phòng Sở", "Phòng Quản lý khoa học")}
    assert "→" in response.content.decode()


def test_audit_detail_outside_scope_is_404(auditor_client, other_department):
    entry = AuditEntry.objects.get(content_type__model="unit", object_id=str(other_department.pk))
    assert auditor_client.get(reverse("common:audit_detail", args=[entry.pk])).status_code == 404


def test_audit_detail_forbidden_without_audit_view(officer_client, office):
    entry = AuditEntry.objects.filter(content_type__model="unit").first()
    assert officer_client.get(reverse("common:audit_detail", args=[entry.pk])).status_code == 403


def test_audit_detail_cannot_be_posted_to(admin_client_, office):
    entry = AuditEntry.objects.first()
    assert admin_client_.post(reverse("common:audit_detail", args=[entry.pk])).status_code == 405


def test_audit_entries_are_read_only_in_django_admin(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = site._registry[AuditEntry]
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_delete_permission(request) is False
