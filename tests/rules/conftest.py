import datetime

import pytest

from tests.factories import make_person, make_unit
from thidua.records import services as records
from thidua.rules.models import AwardType


class Evidence:
    """Small helpers to write evidence through the real services."""

    def __init__(self, unit):
        self.unit = unit

    def person(self, name="Nguyễn Văn An", *, recruited=datetime.date(2015, 1, 1), unit=None, **fields):
        return make_person(name, unit=unit or self.unit, start_date=recruited, recruited_on=recruited, **fields)

    def rate(self, subject, year, rating):
        key = "unit" if hasattr(subject, "path") else "person"
        return records.rating_set(actor=None, year=year, rating=rating, **{key: subject})

    def award(self, subject, code, year, *, period_start=None, counts_for_regular=True, decision_date=None):
        key = "unit" if hasattr(subject, "path") else "person"
        return records.award_record_create(
            actor=None,
            award=AwardType.objects.get(code=code),
            period_start=period_start or year,
            period_end=year,
            decision_number=f"{year % 100:02d}/QĐ-TEST",
            decision_date=decision_date or datetime.date(year + 1, 1, 15),
            counts_for_regular=counts_for_regular,
            **{key: subject},
        )

    def initiative(self, person, year, *, kind="sang_kien", scope="co_so", applied=True):
        return records.initiative_create(
            actor=None,
            authors=[person],
            title=f"Sáng kiến {year} của {person.full_name}",
            kind=kind,
            scope=scope,
            recognized_on=datetime.date(year, 10, 1),
            applied=applied,
        )


@pytest.fixture
def team(db):
    province = make_unit("UBND tỉnh", kind="ubnd_tinh", code="TINH")
    department = make_unit("Sở Khoa học và Công nghệ", parent=province, kind="so_nganh", code="SO")
    office = make_unit("Văn phòng Sở", parent=department, kind="phong", code="VP")
    return Evidence(office)
