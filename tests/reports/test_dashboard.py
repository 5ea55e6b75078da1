"""The per-role panels on the home page."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import make_person, make_user
from tests.reports.conftest import record

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("common:dashboard")


def _last_year() -> int:
    return datetime.date.today().year - 1


@pytest.fixture
def last_year_awards(department, office, office2):
    year = _last_year()
    a = make_person("Nguyễn Văn Một", unit=office)
    b = make_person("Trần Thị Hai", unit=office2)
    record("LDTT", person=a, start=year, decided=datetime.date(year, 12, 20), issuing_unit=department)
    record("LDTT", person=b, start=year, decided=datetime.date(year, 12, 20), issuing_unit=department)
    record("CSTDCS", person=a, start=year, decided=datetime.date(year, 12, 20), issuing_unit=department)
    record("GIAY_KHEN", unit=office, start=year, decided=datetime.date(year, 12, 20), issuing_unit=department)


def test_officer_sees_waiting_dossiers_and_the_quota_share(officer_client, last_year_awards):
    response = officer_client.get(DASHBOARD)

    html = response.content.decode()
    assert 'id="panel-officer"' in html and "Hồ sơ chờ xử lý" in html
    assert "CSTĐCS / LĐTT" in html and "1/2 (50,0%)" in html


def test_manager_sees_the_units_figures_and_registrations(manager_client, last_year_awards):
    html = manager_client.get(DASHBOARD).content.decode()

    assert 'id="panel-manager"' in html and "Số liệu của Văn phòng Sở" in html
    assert "Đăng ký thi đua" in html
    assert 'id="panel-officer"' not in html


def test_director_sees_the_year_at_a_glance_with_links_behind_the_bars(department, last_year_awards):
    from django.test import Client

    director = make_user("giamdoc", role="signer", unit=department)
    client = Client()
    client.force_login(director)

    html = client.get(DASHBOARD).content.decode()

    assert 'id="panel-director"' in html
    assert f"Năm {_last_year()} trong một trang" in html
    assert "<svg" in html and "bucket=SKHCN_VP" in html


def test_staff_sees_no_report_panels(staff_client):
    assert 'id="report-panels"' not in staff_client.get(DASHBOARD).content.decode()
