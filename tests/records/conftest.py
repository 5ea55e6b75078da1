"""Helpers for the evidence pages: people in the shared province, and evidence written through the
real services."""

import datetime

import pytest

from tests.factories import make_person
from thidua.records import services as records
from thidua.rules.models import AwardType


@pytest.fixture
def office_person(office):
    return make_person("Nguyễn Văn Ân", unit=office)


@pytest.fixture
def office2_person(office2):
    return make_person("Trần Thị Bích", unit=office2)


@pytest.fixture
def other_person(other_department):
    return make_person("Phạm Văn Cường", unit=other_department)


def rate(subject, year: int, rating: str):
    key = "unit" if hasattr(subject, "path") else "person"
    return records.rating_set(actor=None, year=year, rating=rating, **{key: subject})


def award(subject, code: str, year: int, **fields):
    key = "unit" if hasattr(subject, "path") else "person"
    fields.setdefault("decision_number", f"{year % 100:02d}/QĐ-UBND")
    fields.setdefault("decision_date", datetime.date(year + 1, 1, 15))
    return records.award_record_create(
        actor=None,
        award=AwardType.objects.get(code=code),
        period_start=fields.pop("period_start", year),
        period_end=year,
        **{key: subject},
        **fields,
    )


def initiative(person, year: int, *, title: str | None = None, **fields):
    fields.setdefault("kind", "sang_kien")
    fields.setdefault("scope", "co_so")
    authors = person if isinstance(person, list) else [person]
    return records.initiative_create(
        actor=None,
        authors=authors,
        title=title or f"Sáng kiến {year} của {authors[0].full_name}",
        recognized_on=fields.pop("recognized_on", datetime.date(year, 10, 1)),
        **fields,
    )


def audit_entries(obj, action=None):
    """The audit rows about one object (object ids repeat across types)."""
    from django.contrib.contenttypes.models import ContentType

    from thidua.common.models import AuditEntry

    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    )
    return entries.filter(action=action) if action else entries
