"""Factories build rows through the real services, so that derived columns (paths, search text,
sort keys) and audit rows are exactly what production would write."""

import datetime
import itertools

from thidua.accounts.services import role_grant, user_create
from thidua.organizations import services as org

_codes = itertools.count(1)

TEST_PASSWORD = "mat-khau-kiem-thu-2026"


def make_unit(name: str = "Đơn vị", *, parent=None, kind: str = "phong", code: str | None = None, **fields):
    return org.unit_create(
        actor=None,
        code=code or f"U{next(_codes):04d}",
        name=name,
        kind=kind,
        parent=parent,
        valid_from=fields.pop("valid_from", datetime.date(2000, 1, 1)),
        **fields,
    )


def make_person(full_name: str = "Nguyễn Văn An", *, unit=None, position: str = "Chuyên viên", **fields):
    return org.person_create(
        actor=None,
        full_name=full_name,
        unit=unit,
        position=position,
        start_date=fields.pop("start_date", datetime.date(2015, 1, 1)),
        **fields,
    )


def make_user(username: str, *, role: str | None = None, unit=None, person=None, **fields):
    user = user_create(actor=None, username=username, password=TEST_PASSWORD, person=person, **fields)
    if role is not None:
        role_grant(actor=None, user=user, role=role, unit=unit)
    return user
