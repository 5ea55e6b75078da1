"""Shared fixtures: a small province and the personas that act in it.

    province (UBND tỉnh)
    ├── department  (Sở KH&CN, SKHCN)      ← officer, auditor
    │   ├── office  (Văn phòng Sở)         ← unit_manager, staff
    │   └── office2 (Phòng Quản lý khoa học)
    └── other_department (Sở Y tế)          ← outsider (an officer elsewhere)
admin holds `admin` on the province.
"""

import os

import pytest
from django.test import Client

from tests.factories import TEST_PASSWORD, make_person, make_unit, make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _vietnamese_by_default():
    """A request in English leaves English active on the thread; every test starts in Vietnamese."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def province(db):
    return make_unit("Ủy ban nhân dân tỉnh Tiền Giang", kind="ubnd_tinh", code="UBND_TG", short_name="UBND")


@pytest.fixture
def department(province):
    return make_unit("Sở Khoa học và Công nghệ", parent=province, kind="so_nganh", code="SKHCN", short_name="SKHCN")


@pytest.fixture
def office(department):
    return make_unit("Văn phòng Sở", parent=department, kind="phong", code="SKHCN_VP", short_name="VP")


@pytest.fixture
def office2(department):
    return make_unit("Phòng Quản lý khoa học", parent=department, kind="phong", code="SKHCN_QLKH", short_name="QLKH")


@pytest.fixture
def other_department(province):
    return make_unit("Sở Y tế", parent=province, kind="so_nganh", code="SYT", short_name="SYT")


@pytest.fixture
def admin_user(province):
    return make_user("admin", role="admin", unit=province)


@pytest.fixture
def officer(department):
    return make_user("vanphong", role="officer", unit=department)


@pytest.fixture
def manager(office):
    return make_user("truongphong", role="unit_manager", unit=office)


@pytest.fixture
def staff_person(office):
    return make_person("Lê Thị Cán Bộ", unit=office, gender="nu")


@pytest.fixture
def staff(office, staff_person):
    return make_user("canbo", role="staff", unit=office, person=staff_person)


@pytest.fixture
def auditor(department):
    return make_user("thanhtra", role="auditor", unit=department)


@pytest.fixture
def outsider(other_department):
    return make_user("soyte", role="officer", unit=other_department)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client_(admin_user):
    return _client_for(admin_user)


@pytest.fixture
def officer_client(officer):
    return _client_for(officer)


@pytest.fixture
def manager_client(manager):
    return _client_for(manager)


@pytest.fixture
def staff_client(staff):
    return _client_for(staff)


@pytest.fixture
def auditor_client(auditor):
    return _client_for(auditor)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def password():
    return TEST_PASSWORD
