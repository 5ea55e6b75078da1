"""The demo data (thidua.demo.data), built once for this module inside a transaction that is rolled
back at the end; each test runs in its own savepoint within it."""

import datetime
import unicodedata

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.test import override_settings

from thidua.accounts.checks import accounts_with_demo_password
from thidua.accounts.models import User
from thidua.common.models import AuditAction, AuditEntry
from thidua.demo.data import MERGER_BASIS, build_demo
from thidua.organizations import selectors
from thidua.organizations.models import Employment, Person, Unit, UnitSuccession

CONFERENCE_DAY = datetime.date(2020, 8, 10)
LAST_DAY_OF_TIEN_GIANG = datetime.date(2025, 6, 30)
MERGER_DAY = datetime.date(2025, 7, 1)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # The same fast hasher as the per-test settings in conftest, so that the passwords can be checked.
    fast_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), fast_hasher:
        yield build_demo()
        transaction.set_rollback(True)


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


@pytest.mark.django_db
def test_demo_director_is_linked_to_giamdoc(demo):
    director = Person.objects.get(family_name="Dương", middle_name="Văn", given_name="Bon")

    assert User.objects.get(username="giamdoc").person == director
    assert director.current_unit.code == "SKHCN_DT"
    assert director.current_position == "Giám đốc Sở"
    assert [(e.unit.code, e.position, e.end_date) for e in selectors.employment_history(director)] == [
        ("SKHCN_DT", "Giám đốc Sở", None),
        ("SKHCN_TG", "Giám đốc Sở", LAST_DAY_OF_TIEN_GIANG),
    ]


@pytest.mark.django_db
def test_demo_department_has_about_sixty_staff(demo):
    department = _unit("SKHCN_TG")

    assert selectors.people_in_unit_on(department, CONFERENCE_DAY).count() == 61
    assert selectors.people_in_unit_on(department, LAST_DAY_OF_TIEN_GIANG).count() == 62
    assert selectors.people_in_unit_on(department, MERGER_DAY).count() == 0


@pytest.mark.django_db
def test_demo_everyone_still_working_moved_to_the_successors_on_merger_day(demo):
    old_units = Unit.objects.filter(valid_to=LAST_DAY_OF_TIEN_GIANG)
    working_on_last_day = Employment.objects.filter(unit__in=old_units, end_date=LAST_DAY_OF_TIEN_GIANG)
    moved = Employment.objects.filter(start_date=MERGER_DAY, person__in=working_on_last_day.values("person"))

    assert working_on_last_day.count() == 62 + 8 + 7 + 8
    assert moved.count() == working_on_last_day.count()
    assert not Person.objects.filter(current_unit__in=old_units).exists()
    # The department's inspectors went to the provincial inspectorate, everyone else to the new department.
    assert selectors.people_in_unit_on(_unit("SKHCN_DT"), MERGER_DAY).count() == 62 - 4 + 8
    assert selectors.people_in_unit_on(_unit("TTRA_DT"), MERGER_DAY).count() == 4


@pytest.mark.django_db
def test_demo_people_have_varied_realistic_records(demo):
    people = list(Person.objects.all())
    department_people = selectors.people_in_unit_on(_unit("SKHCN_TG"), CONFERENCE_DAY)

    assert {p.gender for p in department_people} == {"nam", "nu"}
    assert {"Hoa", "Khmer"} <= {p.ethnicity for p in department_people}
    assert len({p.family_name for p in department_people}) >= 12
    with_cccd = [p for p in people if p.cccd]
    assert len(with_cccd) >= 0.8 * len(people)
    assert all(len(p.cccd) == 12 and p.cccd.isdigit() for p in with_cccd)
    assert all(p.cccd[:3] in {"082", "087"} for p in with_cccd)
    assert len({p.full_name for p in people}) == len(people)
    moved_between_offices = [
        p for p in department_people
        if len({e.unit_id for e in p.employments.all() if e.start_date < MERGER_DAY}) > 1
    ]
    assert len(moved_between_offices) >= 5


@pytest.mark.django_db
def test_demo_users_are_demo_accounts_with_the_demo_password(demo):
    usernames = ["admin", "canbo", "giamdoc", "truongphong", "vanphong"]

    assert sorted(User.objects.filter(is_demo=True).values_list("username", flat=True)) == usernames
    assert [authenticate(username=name, password="thidua-demo") is not None for name in usernames] == [True] * 5
    assert accounts_with_demo_password() == usernames


@pytest.mark.django_db
def test_demo_roles_reach_the_old_and_the_new_units(demo):
    def roles(username):
        return sorted((a.role, a.unit.code) for a in User.objects.get(username=username).roles.select_related("unit"))

    assert roles("admin") == [("admin", "UBND_DT"), ("admin", "UBND_DT_CU"), ("admin", "UBND_TG")]
    assert roles("vanphong") == [("officer", "SKHCN_DT"), ("officer", "SKHCN_TG")]
    assert roles("giamdoc") == [("signer", "SKHCN_DT"), ("signer", "SKHCN_TG")]
    assert roles("truongphong") == [("unit_manager", "SKHCN_DT_QLKH"), ("unit_manager", "SKHCN_TG_QLKH")]
    assert roles("canbo") == [("staff", "SKHCN_DT_QLKH"), ("staff", "SKHCN_TG_QLKH")]
    assert User.objects.get(username="truongphong").person.current_position == "Trưởng phòng"
    assert User.objects.get(username="canbo").person.current_unit.code == "SKHCN_DT_QLKH"


@pytest.mark.django_db
def test_demo_scoping_keeps_other_departments_apart(demo):
    officer = User.objects.get(username="vanphong")
    staff = User.objects.get(username="canbo")
    visible_units = {p.current_unit.code for p in selectors.people_visible_to(officer)}

    assert visible_units == {"SKHCN_DT", "SKHCN_DT_VP", "SKHCN_DT_KHTC", "SKHCN_DT_QLKH", "SKHCN_DT_QLCN", "SKHCN_DT_TDC", "SKHCN_DT_TT"}
    assert list(selectors.people_visible_to(staff)) == [staff.person]
    assert selectors.people_visible_to(User.objects.get(username="admin")).count() == Person.objects.count()


@pytest.mark.django_db
def test_demo_department_ends_with_the_merger_and_has_a_successor(demo):
    old = _unit("SKHCN_TG")
    new = _unit("SKHCN_DT")

    assert (old.valid_from, old.valid_to, old.short_name) == (None, LAST_DAY_OF_TIEN_GIANG, "SKHCN")
    assert (new.valid_from, new.valid_to, new.parent.code) == (MERGER_DAY, None, "UBND_DT")
    assert selectors.unit_successor_on(old, MERGER_DAY) == new
    assert selectors.unit_successor_on(old, CONFERENCE_DAY) == old
    assert sorted((link.predecessor.code, link.kind, link.legal_basis) for link in selectors.unit_predecessors(new)) == [
        ("SKHCN_DT_CU", "merger", MERGER_BASIS),
        ("SKHCN_TG", "merger", MERGER_BASIS),
    ]
    assert selectors.unit_successor_on(_unit("SKHCN_TG_TTTK"), datetime.date(2026, 1, 1)).code == "SKHCN_DT_TT"
    assert selectors.unit_successor_on(_unit("UBND_TG"), MERGER_DAY).code == "UBND_DT"


@pytest.mark.django_db
def test_demo_every_old_unit_ended_with_a_successor(demo):
    old_units = Unit.objects.filter(valid_to__isnull=False)

    assert old_units.count() == Unit.objects.filter(valid_from__isnull=True).count() == 25
    assert set(old_units.values_list("valid_to", flat=True)) == {LAST_DAY_OF_TIEN_GIANG}
    assert set(UnitSuccession.objects.values_list("predecessor__code", flat=True)) == set(old_units.values_list("code", flat=True))


@pytest.mark.django_db
def test_demo_units_under_the_department_depend_on_the_date(demo):
    def codes(root_code, day):
        return sorted(selectors.units_under(_unit(root_code), at=day, include_self=False).values_list("code", flat=True))

    tien_giang_offices = [
        "SKHCN_TG_CD", "SKHCN_TG_DTN", "SKHCN_TG_DU", "SKHCN_TG_KHTC", "SKHCN_TG_QLCN", "SKHCN_TG_QLKH",
        "SKHCN_TG_TDC", "SKHCN_TG_TTRA", "SKHCN_TG_TTTK", "SKHCN_TG_TTUD", "SKHCN_TG_VP",
    ]
    assert codes("SKHCN_TG", CONFERENCE_DAY) == tien_giang_offices
    assert codes("SKHCN_TG", datetime.date(2026, 1, 1)) == []
    assert codes("SKHCN_DT", CONFERENCE_DAY) == []
    assert codes("SKHCN_DT", datetime.date(2026, 1, 1)) == [
        "SKHCN_DT_CD", "SKHCN_DT_DTN", "SKHCN_DT_DU", "SKHCN_DT_KHTC", "SKHCN_DT_QLCN", "SKHCN_DT_QLKH",
        "SKHCN_DT_TDC", "SKHCN_DT_TT", "SKHCN_DT_VP",
    ]


@pytest.mark.django_db
def test_demo_text_is_nfc(demo):
    texts = [
        *Unit.objects.values_list("name", flat=True),
        *Unit.objects.values_list("short_name", flat=True),
        *(p.full_name for p in Person.objects.all()),
        *Person.objects.values_list("ethnicity", flat=True),
        *Employment.objects.values_list("position", flat=True),
        *Employment.objects.values_list("rank", flat=True),
        *Employment.objects.values_list("note", flat=True),
    ]

    assert [text for text in texts if unicodedata.normalize("NFC", text) != text] == []


@pytest.mark.django_db
def test_demo_is_written_through_the_audited_services(demo):
    person_entries = AuditEntry.objects.filter(action=AuditAction.CREATE, content_type__model="person")

    assert person_entries.count() == Person.objects.count()
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, content_type__model="unit").count() == Unit.objects.count()
    assert AuditEntry.objects.filter(action=AuditAction.GRANT).count() == 11
    director = Person.objects.get(given_name="Bon")
    assert director.search_text == " duong van bon"
