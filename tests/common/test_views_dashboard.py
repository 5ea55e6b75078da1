import pytest
from django.urls import reverse

from tests.factories import make_person

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("common:dashboard")


def test_dashboard_for_an_officer_shows_counts_roles_and_actions(officer_client, office, office2):
    make_person("Nguyễn Văn An", unit=office)
    response = officer_client.get(DASHBOARD)
    assert response.status_code == 200
    content = response.content.decode()
    assert response.context["unit_count"] == 3
    assert response.context["person_count"] == 1
    assert "Cán bộ thi đua – khen thưởng</strong> — " in content
    assert reverse("organizations:person_create") in content
    assert "Thay đổi gần đây" not in content  # officers do not read the audit log


def test_dashboard_for_an_auditor_lists_recent_changes(auditor_client, office):
    make_person("Nguyễn Văn An", unit=office)
    content = auditor_client.get(DASHBOARD).content.decode()
    assert "Thay đổi gần đây" in content
    assert "Nguyễn Văn An" in content
    assert reverse("organizations:person_create") not in content


def test_dashboard_for_staff_links_their_own_record(staff_client, staff_person):
    response = staff_client.get(DASHBOARD)
    assert response.status_code == 200
    assert reverse("organizations:person_detail", args=[staff_person.pk]) in response.content.decode()
    assert "person_count" not in response.context


def test_dashboard_requires_login(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
