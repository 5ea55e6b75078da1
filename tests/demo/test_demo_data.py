"""The demo data (thidua.demo.data), built once for this module inside a transaction that is rolled
back at the end; each test runs in its own savepoint within it."""

import datetime
import re
import unicodedata
from collections import Counter

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
from thidua.records.models import AnnualRating, AwardRecord, Discipline, Initiative, InitiativeAuthor, Leave
from thidua.rules.engine import screen
from thidua.rules.enums import Verdict

CONFERENCE_DAY = datetime.date(2020, 8, 10)
LAST_DAY_OF_TIEN_GIANG = datetime.date(2025, 6, 30)
MERGER_DAY = datetime.date(2025, 7, 1)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    # The same fast hasher as the per-test settings in conftest, so that the passwords can be checked;
    # generated documents go to a temporary folder, not to var/media.
    fast_hasher = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=str(tmp_path_factory.mktemp("demo-media"))
    )
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
    usernames = ["admin", "canbo", "giamdoc", "hoidong1", "hoidong2", "hoidong3", "hoidong4", "hoidong5", "hoidong6", "hoidong7",
                 "thuky", "truongphong", "vanphong"]

    assert sorted(User.objects.filter(is_demo=True).values_list("username", flat=True)) == usernames
    assert [authenticate(username=name, password="thidua-demo") is not None for name in usernames] == [True] * len(usernames)
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
    from thidua.accounts.models import RoleAssignment

    # One audited grant per role assignment: the main accounts' 11 and the council members' 16.
    assert AuditEntry.objects.filter(action=AuditAction.GRANT).count() == RoleAssignment.objects.count() == 27
    director = Person.objects.get(given_name="Bon")
    assert director.search_text == " duong van bon"


# ---------------------------------------------------------------- evidence 2015–2025


def _department_staff() -> list[Person]:
    director = Person.objects.get(given_name="Bon")
    return list(
        Person.objects.filter(employments__unit__path__startswith=_unit("SKHCN_TG").path).exclude(pk=director.pk).distinct()
    )


@pytest.mark.django_db
def test_demo_staff_are_rated_for_every_year_they_worked(demo):
    expected = {}
    for person in _department_staff():
        years = set()
        for employment in person.employments.all():
            years |= set(range(max(employment.start_date.year, 2015), min((employment.end_date or datetime.date(2025, 12, 31)).year, 2025) + 1))
        expected[person.pk] = years
    rated = {}
    for person_id, year in AnnualRating.objects.filter(person__isnull=False).values_list("person_id", "year"):
        rated.setdefault(person_id, set()).add(year)

    assert rated == expected
    # The Director is a real person: nothing about his work is made up.
    assert not AnnualRating.objects.filter(person__given_name="Bon").exists()
    assert not AwardRecord.objects.filter(person__given_name="Bon").exists()
    assert Counter(AnnualRating.objects.filter(person__isnull=False).values_list("rating", flat=True)) == {
        "HTTNV": 394, "HTXSNV": 143, "HTNV": 72, "KHTNV": 30,
    }


@pytest.mark.django_db
def test_demo_offices_are_rated_before_and_after_the_merger(demo):
    rated = Counter(AnnualRating.objects.filter(unit__isnull=False).values_list("unit__code", flat=True))

    assert rated == {
        **dict.fromkeys(["SKHCN_TG", "SKHCN_TG_VP", "SKHCN_TG_TTRA", "SKHCN_TG_KHTC", "SKHCN_TG_QLKH", "SKHCN_TG_QLCN",
                         "SKHCN_TG_TDC", "SKHCN_TG_TTTK", "SKHCN_TG_TTUD"], 10),
        **dict.fromkeys(["SKHCN_DT_VP", "SKHCN_DT_KHTC", "SKHCN_DT_QLKH", "SKHCN_DT_QLCN", "SKHCN_DT_TDC", "SKHCN_DT_TT"], 1),
    }
    assert set(AnnualRating.objects.filter(unit__code="SKHCN_DT_QLKH").values_list("year", flat=True)) == {2025}


@pytest.mark.django_db
def test_demo_initiatives_are_by_colleagues_of_one_unit(demo):
    initiatives = list(Initiative.objects.prefetch_related("author_links__person__employments").select_related("unit"))

    assert len(initiatives) == 11
    assert InitiativeAuthor.objects.count() == 15
    assert Counter(i.scope for i in initiatives) == {"co_so": 9, "tinh": 2}
    assert Counter(i.kind for i in initiatives) == {"sang_kien": 9, "de_tai": 2}
    assert "Ứng dụng phần mềm quản lý hồ sơ khoa học tại Sở" in {i.title for i in initiatives}
    for initiative in initiatives:
        for link in initiative.author_links.all():
            assert any(
                e.unit_id == initiative.unit_id and e.start_date <= initiative.recognized_on and (e.end_date is None or e.end_date >= initiative.recognized_on)
                for e in link.person.employments.all()
            )
        expected = r"^\d+/QĐ-SKHCN$" if initiative.scope == "co_so" else r"^\d+/QĐ-UBND$"
        assert re.match(expected, initiative.recognizing_decision)
    assert [text for i in initiatives for text in (i.title, i.recognizing_body) if unicodedata.normalize("NFC", text) != text] == []
    newest = max(initiatives, key=lambda i: i.recognized_on)
    assert (newest.unit.code, newest.recognizing_body) == ("SKHCN_DT_QLKH", "Sở Khoa học và Công nghệ tỉnh Đồng Tháp")


@pytest.mark.django_db
def test_demo_has_one_reprimand_one_pending_matter_and_one_maternity_leave(demo):
    reprimand = Discipline.objects.get(pending=False)
    pending = Discipline.objects.get(pending=True)
    leave = Leave.objects.get()

    assert (reprimand.level, reprimand.start, reprimand.end, reprimand.decision) == (
        "khien_trach", datetime.date(2024, 6, 10), datetime.date(2025, 6, 9), "42/QĐ-SKHCN"
    )
    assert AnnualRating.objects.get(person=reprimand.person, year=2024).rating == "HTNV"
    assert (pending.pending_kind, pending.start, pending.end) == ("dieu_tra", datetime.date(2024, 11, 20), None)
    assert (leave.kind, leave.start, leave.end, leave.person.gender) == ("thai_san", datetime.date(2024, 2, 1), datetime.date(2024, 7, 31), "nu")


@pytest.mark.django_db
def test_demo_register_holds_the_past_titles_with_their_decisions(demo):
    records = list(AwardRecord.objects.select_related("award", "issuing_unit"))

    assert Counter(r.award.code for r in records) == {
        "LDTT": 426, "TTLDTT": 46, "CSTDCS": 17, "TTLDXS": 1, "CSTD_TINH": 1, "BANG_KHEN_TINH": 1, "GIAY_KHEN": 16,
    }
    assert {r.period_end for r in records} == set(range(2015, 2024))
    for record in records:
        if record.source == "decision":
            # The seed's Giấy khen, written by the Director's decision issued in the app (issue 7).
            assert (record.award.code, record.decision_number, record.decision_date, record.period_start, record.period_end) == (
                "GIAY_KHEN", "39/QĐ-SKHCN", datetime.date(2020, 8, 7), 2015, 2020)
        elif record.award.code in ("LDTT", "CSTDCS", "TTLDTT"):
            assert re.match(r"^\d{2}/QĐ-SKHCN$", record.decision_number)
            assert (record.issuing_unit.code, record.decision_date.year, record.decision_date.month) == ("SKHCN_TG", record.period_end + 1, 1)
        else:
            assert re.match(r"^\d{3,4}/QĐ-UBND$", record.decision_number)
            assert (record.issuing_unit.code, record.decision_date.year) == ("UBND_TG", record.period_end + 1)
    head = Person.objects.get(pk=User.objects.get(username="truongphong").person_id)
    assert sorted((r.award.code, r.period_start, r.period_end) for r in records if r.person_id == head.pk and r.award.code != "LDTT") == [
        ("BANG_KHEN_TINH", 2019, 2020), ("CSTDCS", 2019, 2019), ("CSTDCS", 2020, 2020), ("CSTDCS", 2021, 2021),
        ("CSTDCS", 2022, 2022), ("CSTDCS", 2023, 2023), ("CSTD_TINH", 2019, 2021),
    ]


@pytest.mark.django_db
def test_demo_register_agrees_with_the_engine(demo):
    department = _unit("SKHCN_TG")
    for year in (2019, 2022):
        result = screen(root=department, year=year, award_codes=["LDTT", "CSTDCS", "TTLDTT"], as_of=datetime.date(year + 1, 1, 16))
        for code, field in (("LDTT", "person_id"), ("CSTDCS", "person_id"), ("TTLDTT", "unit_id")):
            eligible = {v.subject_id for v in result.for_award(code) if v.verdict == Verdict.ELIGIBLE}
            held = set(AwardRecord.objects.filter(award__code=code, period_end=year).values_list(field, flat=True))
            assert held == eligible, (year, code)
    head = User.objects.get(username="truongphong").person
    # The head's Bằng khen (2019–2020, decided 16/04/2021) and CSTĐ tỉnh (2019–2021, decided 12/04/2022).
    for code, year, decided in (("BANG_KHEN_TINH", 2020, datetime.date(2021, 4, 16)), ("CSTD_TINH", 2021, datetime.date(2022, 4, 12))):
        result = screen(root=department, year=year, award_codes=[code], as_of=decided, include_collectives=False)
        assert [v.subject_id for v in result.for_award(code) if v.verdict == Verdict.ELIGIBLE] == [head.pk], code


@pytest.mark.django_db
def test_demo_screening_2024_shows_every_verdict_kind(demo):
    department = _unit("SKHCN_TG")
    director = Person.objects.get(given_name="Bon")
    reprimanded = Discipline.objects.get(pending=False).person
    pending = Discipline.objects.get(pending=True).person
    mother = Leave.objects.get().person
    head = User.objects.get(username="truongphong").person

    result = screen(
        root=department, year=2024, award_codes=["LDTT", "CSTDCS", "CSTD_TINH", "TTLDTT", "TTLDXS"], as_of=datetime.date(2025, 1, 15)
    )

    assert result.ruleset.code == "ND98_2023"
    ldtt = {v.subject_id: v for v in result.for_award("LDTT")}
    assert Counter(v.verdict for v in ldtt.values()) == {Verdict.ELIGIBLE: 49, Verdict.INELIGIBLE: 11, Verdict.NEEDS_REVIEW: 2}
    assert ldtt[reprimanded.pk].verdict == Verdict.INELIGIBLE
    assert [r.rule for r in ldtt[reprimanded.pk].missing] == ["rating", "discipline"]
    assert ldtt[pending.pk].verdict == Verdict.NEEDS_REVIEW
    assert [r.rule for r in ldtt[pending.pk].missing] == ["pending"]
    assert ldtt[director.pk].verdict == Verdict.NEEDS_REVIEW
    assert ldtt[director.pk].missing[0].message.startswith("Chưa có kết quả xếp loại năm 2024")
    # Maternity leave counts as time worked.
    assert ldtt[mother.pk].verdict == Verdict.ELIGIBLE
    assert [r.message for r in ldtt[mother.pk].reasons if r.rule == "tenure"][0].startswith("Thời gian công tác năm 2024: 12 tháng")
    assert Counter(v.verdict for v in result.for_award("CSTDCS")) == {Verdict.ELIGIBLE: 25, Verdict.INELIGIBLE: 36, Verdict.NEEDS_REVIEW: 1}
    assert [v.subject_id for v in result.for_award("CSTD_TINH") if v.verdict == Verdict.ELIGIBLE] == [head.pk]
    # The Party committee, trade union and youth union are not screened for these titles.
    assert Counter(v.verdict for v in result.for_award("TTLDTT")) == {Verdict.ELIGIBLE: 6, Verdict.INELIGIBLE: 3}
    assert result.quotas == []  # no nationwide CSTĐCS quota under Decree 98/2023


@pytest.mark.django_db
def test_demo_screening_2022_is_within_the_cstdcs_quota_of_decree_91(demo):
    result = screen(root=_unit("SKHCN_TG"), year=2022, award_codes=["LDTT", "CSTDCS"], as_of=datetime.date(2023, 1, 16))

    assert result.ruleset.code == "ND91_2017"
    assert [(q.award, q.of_award, q.allowed, q.eligible, q.mode, q.exceeded) for q in result.quotas] == [
        ("CSTĐCS", "LĐTT", 7, 2, "block", False)
    ]


@pytest.mark.django_db
def test_demo_evidence_is_written_through_the_audited_services(demo):
    def created(model):
        return AuditEntry.objects.filter(action=AuditAction.CREATE, content_type__model=model).count()

    assert created("annualrating") == AnnualRating.objects.count()
    assert created("initiative") == Initiative.objects.count()
    assert created("awardrecord") == AwardRecord.objects.count()
    assert created("discipline") == Discipline.objects.count() == 2
    assert created("leave") == Leave.objects.count() == 1


def test_demo_movements_reenact_the_2020_conference(demo):
    from thidua.movements.models import Movement, Registration, ReviewReport

    period = Movement.objects.get(title="Phong trào thi đua yêu nước giai đoạn 2015 – 2020")
    assert (period.status, period.closed_on) == ("closed", datetime.date(2020, 8, 10))
    assert "02 tập thể và 14 cá nhân" in period.final_review
    assert list(period.rounds.order_by("start").values_list("title", "status")) == [
        (f"Đợt thi đua năm {year}", "closed") for year in range(2016, 2021)
    ]
    assert ReviewReport.objects.filter(request__movement=period, request__kind="tong_ket").count() == 5

    current = Movement.objects.get(title="Phong trào thi đua yêu nước giai đoạn 2020 – 2025")
    assert (current.status, current.launched_on) == ("launched", datetime.date(2020, 8, 10))
    assert current.tasks.count() == 6
    assert current.tasks.first().text.startswith("Tăng cường sự chỉ đạo của Đảng ủy")
    assert sorted(current.legal_bases.values_list("number", flat=True)) == ["05-CT/TW", "140/HD-SNV", "204/KH-UBND"]
    assert Registration.objects.filter(movement=current, unit__isnull=False).count() == 4
    mid_term = current.review_requests.get(kind="so_ket")
    assert mid_term.reports.count() == 3  # one report still missing: the dashboard shows it overdue
