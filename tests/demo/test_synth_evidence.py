"""The evidence of the synthetic province (thidua.demo.synth_evidence): ratings, initiatives, discipline,
leave and the award register, checked against the rules. One province is built for the module inside a
transaction that is rolled back at the end."""

import datetime
import unicodedata
from collections import Counter, defaultdict

import pytest
from django.db import transaction

from thidua.demo.synth import DEFAULT_UNTIL, synth_province
from thidua.organizations.models import Employment, Person, Unit
from thidua.records.models import AnnualRating, AwardRecord, Discipline, Initiative, InitiativeAuthor, Leave
from thidua.rules.engine import screen
from thidua.rules.enums import Verdict
from thidua.rules.models import AwardType

PEOPLE, YEARS = 1500, 6
FIRST_YEAR, LAST_YEAR = DEFAULT_UNTIL.year - YEARS, DEFAULT_UNTIL.year - 1  # 2020–2025
AWARD_YEARS = range(FIRST_YEAR, LAST_YEAR)  # the titles of 2025 are decided in 2026, after the history ends
RANK = {"KHTNV": 1, "HTNV": 2, "HTTNV": 3, "HTXSNV": 4}


@pytest.fixture(scope="module")
def synthetic(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield synth_province(people=PEOPLE, years=YEARS, seed=21)
        transaction.set_rollback(True)


def _person_ratings() -> dict[int, dict[int, str]]:
    found: dict[int, dict[int, str]] = defaultdict(dict)
    for person_id, year, rating in AnnualRating.objects.filter(person__isnull=False).values_list(
        "person_id", "year", "rating"
    ):
        found[person_id][year] = rating
    return found


def _titles(code: str) -> set[tuple[int, int]]:
    return set(
        AwardRecord.objects.filter(award__code=code, person__isnull=False).values_list(
            "person_id", "period_end"
        )
    )


def _initiatives_by_person() -> dict[int, list[tuple[int, str, bool, str]]]:
    found: dict[int, list[tuple[int, str, bool, str]]] = defaultdict(list)
    for person_id, recognized_on, kind, applied, scope in InitiativeAuthor.objects.values_list(
        "person_id",
        "initiative__recognized_on",
        "initiative__kind",
        "initiative__applied",
        "initiative__scope",
    ):
        found[person_id].append((recognized_on.year, kind, applied, scope))
    return found


def _disciplined_years() -> set[tuple[int, int]]:
    found = set()
    for person_id, start, end in Discipline.objects.filter(pending=False).values_list(
        "person_id", "start", "end"
    ):
        for year in range(start.year, (end or DEFAULT_UNTIL).year + 1):
            found.add((person_id, year))
    return found


@pytest.mark.django_db
def test_synth_evidence_counts_are_reported_and_written(synthetic):
    assert synthetic.evidence == {
        "ratings": AnnualRating.objects.count(),
        "initiatives": Initiative.objects.count(),
        "authors": InitiativeAuthor.objects.count(),
        "disciplines": Discipline.objects.count(),
        "leaves": Leave.objects.count(),
        "awards": AwardRecord.objects.count(),
    }


@pytest.mark.django_db
def test_synth_rates_every_person_for_every_year_worked(synthetic):
    ratings = _person_ratings()
    worked: dict[int, set[int]] = defaultdict(set)
    for person_id, start, end in Employment.objects.values_list("person_id", "start_date", "end_date"):
        worked[person_id] |= set(
            range(max(start.year, FIRST_YEAR), min((end or DEFAULT_UNTIL).year, LAST_YEAR) + 1)
        )

    assert Person.objects.count() == PEOPLE
    assert {person_id: set(years) for person_id, years in ratings.items()} == dict(worked)


@pytest.mark.django_db
def test_synth_rates_every_unit_for_every_year(synthetic):
    per_unit = Counter(AnnualRating.objects.filter(unit__isnull=False).values_list("unit_id", flat=True))

    assert set(per_unit) == set(Unit.objects.values_list("pk", flat=True))
    assert set(per_unit.values()) == {YEARS}


@pytest.mark.django_db
def test_synth_rating_shares_are_as_designed(synthetic):
    people = Counter(AnnualRating.objects.filter(person__isnull=False).values_list("rating", flat=True))
    units = Counter(AnnualRating.objects.filter(unit__isnull=False).values_list("rating", flat=True))
    people_total, units_total = sum(people.values()), sum(units.values())

    assert 0.60 <= people["HTTNV"] / people_total <= 0.70
    assert 0.16 <= people["HTXSNV"] / people_total <= 0.24
    assert 0.09 <= people["HTNV"] / people_total <= 0.15
    assert 0.015 <= people["KHTNV"] / people_total <= 0.05
    assert 0.28 <= units["HTXSNV"] / units_total <= 0.40
    assert units["HTXSNV"] / units_total > people["HTXSNV"] / people_total


@pytest.mark.django_db
def test_synth_has_one_rating_per_subject_and_year(synthetic):
    keys = list(AnnualRating.objects.values_list("person_id", "unit_id", "year"))

    assert len(keys) == len(set(keys))
    assert all((person is None) != (unit is None) for person, unit, _ in keys)


@pytest.mark.django_db
def test_synth_award_records_match_their_recipients(synthetic):
    subjects = {award.pk: award.subjects for award in AwardType.objects.all()}
    records = list(AwardRecord.objects.select_related("issuing_unit"))

    assert records
    for record in records:
        subject = "individual" if record.person_id else "collective"
        assert (record.person_id is None) != (record.unit_id is None)
        assert record.household_name == ""
        assert subject in subjects[record.award_id]
        assert record.period_start <= record.period_end
        assert record.period_end in AWARD_YEARS
        assert record.decision_date.year == record.period_end + 1
        assert record.decision_date < DEFAULT_UNTIL
        assert record.source == "imported"
        assert not record.revoked
        assert record.issuing_unit.depth <= 1
        assert record.decision_number.split("/")[1].startswith("QĐ-")


@pytest.mark.django_db
def test_synth_titles_follow_the_evidence(synthetic):
    ratings = _person_ratings()
    initiatives = _initiatives_by_person()
    disciplined = _disciplined_years()
    ldtt, cstdcs = _titles("LDTT"), _titles("CSTDCS")
    person_years = sum(1 for years in ratings.values() for year in years if year in AWARD_YEARS)

    assert ldtt and cstdcs
    assert all(
        RANK[ratings[person][year]] >= RANK["HTTNV"] and (person, year) not in disciplined
        for person, year in ldtt
    )
    assert cstdcs <= ldtt
    for person, year in cstdcs:
        achieved = any(
            item_year == year and (kind == "sang_kien" or applied)
            for item_year, kind, applied, _ in initiatives[person]
        )
        # HTXSNV alone is enough only from the 2022 Law (decisions from 2024 on, for 2023 and later).
        assert achieved or (year >= 2023 and ratings[person][year] == "HTXSNV")
    for person, start, end in AwardRecord.objects.filter(award__code="CSTD_TINH").values_list(
        "person_id", "period_start", "period_end"
    ):
        assert start == end - 2
        assert {(person, year) for year in range(start, end + 1)} <= cstdcs
        assert any(
            start <= item_year <= end and scope != "co_so" for item_year, _, _, scope in initiatives[person]
        )
    bang_khen = list(
        AwardRecord.objects.filter(award__code="BANG_KHEN_TINH", person__isnull=False).values_list(
            "person_id", "period_start", "period_end"
        )
    )
    assert bang_khen
    for person, start, end in bang_khen:
        assert start == end - 1
        two_cstdcs = {(person, start), (person, end)} <= cstdcs
        excellent = ratings[person][start] == ratings[person][end] == "HTXSNV"
        works = [item for item in initiatives[person] if start <= item[0] <= end]
        # Decree 91/2017 (decisions until 2023): two years HTXSNV and two initiatives; from the 2022 Law
        # two consecutive CSTĐCS are enough.
        assert (end >= 2023 and two_cstdcs) or (excellent and len(works) >= 2)
    assert 0.6 * person_years <= len(ldtt) <= 0.9 * person_years
    assert 0.04 * len(ldtt) <= len(cstdcs) <= 0.25 * len(ldtt)


@pytest.mark.django_db
def test_synth_keeps_the_cstdcs_quota_of_decree_91(synthetic):
    issued = Counter()
    for code, issuer, year in AwardRecord.objects.filter(
        award__code__in=["LDTT", "CSTDCS"], period_end__lte=2022
    ).values_list("award__code", "issuing_unit_id", "period_end"):
        issued[(code, issuer, year)] += 1

    for (code, issuer, year), number in issued.items():
        if code == "CSTDCS":
            assert number <= 0.15 * issued[("LDTT", issuer, year)]


@pytest.mark.django_db
def test_synth_unit_titles_follow_unit_ratings(synthetic):
    ratings = dict(
        ((unit, year), rating)
        for unit, year, rating in AnnualRating.objects.filter(unit__isnull=False).values_list(
            "unit_id", "year", "rating"
        )
    )
    unit_titles = list(
        AwardRecord.objects.filter(unit__isnull=False).values_list("award__code", "unit_id", "period_end")
    )
    codes = Counter(code for code, _, _ in unit_titles)

    assert codes["TTLDTT"] > codes["TTLDXS"] > 0
    assert all(
        RANK[ratings[(unit, year)]] >= RANK["HTTNV"] for code, unit, year in unit_titles if code == "TTLDTT"
    )
    assert all(ratings[(unit, year)] == "HTXSNV" for code, unit, year in unit_titles if code == "TTLDXS")


@pytest.mark.django_db
def test_synth_register_agrees_with_the_engine(synthetic):
    root = Unit.objects.get(depth=0)
    codes = ["LDTT", "CSTDCS", "CSTD_TINH", "BANG_KHEN_TINH"]
    # 2021 under Decree 91/2017 (decided in 2022), 2024 under Decree 98/2023 (decided in 2025).
    for year in (2021, 2024):
        result = screen(
            root=root, year=year, award_codes=codes, as_of=datetime.date(year + 1, 2, 1), include_collectives=False
        )
        screened = {verdict.subject_id for verdict in result.verdicts}
        eligible = {code: {v.subject_id for v in result.for_award(code) if v.verdict == Verdict.ELIGIBLE} for code in codes}
        held = {code: {person for person, end in _titles(code) if end == year} & screened for code in codes}

        assert all(held[code] <= eligible[code] for code in codes), year
        assert len(held["LDTT"]) >= 0.9 * len(eligible["LDTT"])
        assert held["CSTDCS"] and held["BANG_KHEN_TINH"]


@pytest.mark.django_db
def test_synth_initiatives_have_one_to_three_authors_of_their_unit(synthetic):
    authors: dict[int, list[int]] = defaultdict(list)
    for initiative_id, person_id in InitiativeAuthor.objects.order_by("initiative_id", "order").values_list(
        "initiative_id", "person_id"
    ):
        authors[initiative_id].append(person_id)
    employed = defaultdict(list)
    for person_id, unit_id, start, end in Employment.objects.values_list(
        "person_id", "unit_id", "start_date", "end_date"
    ):
        employed[(person_id, unit_id)].append((start, end))
    initiatives = list(Initiative.objects.values_list("pk", "unit_id", "recognized_on", "scope", "kind"))
    scopes = Counter(scope for *_, scope, _ in initiatives)

    assert set(authors) == {pk for pk, *_ in initiatives}
    assert {len(people) for people in authors.values()} == {1, 2, 3}
    for pk, unit_id, recognized_on, _, _ in initiatives:
        for person_id in authors[pk]:
            assert any(
                start.year <= recognized_on.year and (end is None or end.year >= recognized_on.year)
                for start, end in employed[(person_id, unit_id)]
            )
    assert scopes["co_so"] >= 0.8 * len(initiatives)
    assert 0 < scopes["tinh"] <= 0.2 * len(initiatives)
    assert scopes["toan_quoc"] <= 0.03 * len(initiatives)
    assert {kind for *_, kind in initiatives} == {"sang_kien", "de_tai"}
    texts = [
        *Initiative.objects.values_list("title", flat=True),
        *Initiative.objects.values_list("recognizing_body", flat=True),
        *Discipline.objects.values_list("note", flat=True),
        *AwardRecord.objects.values_list("note", flat=True),
    ]
    assert [text for text in texts if unicodedata.normalize("NFC", text) != text] == []


@pytest.mark.django_db
def test_synth_disciplines_pending_matters_and_leaves_are_few_and_consistent(synthetic):
    ratings = _person_ratings()
    person_years = sum(len(years) for years in ratings.values())
    disciplines = list(
        Discipline.objects.filter(pending=False).values_list("person_id", "start", "end", "level")
    )
    pending = list(
        Discipline.objects.filter(pending=True).values_list("person_id", "start", "end", "pending_kind")
    )
    leaves = defaultdict(list)
    for person_id, kind, start, end in Leave.objects.values_list("person_id", "kind", "start", "end"):
        leaves[person_id].append((start, end, kind))
    women = set(Person.objects.filter(gender="nu").values_list("pk", flat=True))

    assert 0 < len(disciplines) <= 0.01 * person_years
    assert all(RANK[ratings[person][start.year]] <= RANK["HTNV"] for person, start, _, _ in disciplines)
    assert all(end == start + datetime.timedelta(days=364) for _, start, end, _ in disciplines)
    assert pending and all(kind for *_, kind in pending)
    assert any(end is None and start.year == LAST_YEAR for _, start, end, _ in pending)
    kinds = Counter(kind for items in leaves.values() for *_, kind in items)
    assert kinds["thai_san"] > kinds["khong_luong"] > 0
    assert all(
        person in women for person, items in leaves.items() for *_, kind in items if kind == "thai_san"
    )
    for items in leaves.values():
        ordered = sorted(items)
        assert all(earlier[1] < later[0] for earlier, later in zip(ordered, ordered[1:], strict=False))


@pytest.mark.django_db
def test_synth_screening_the_last_year_gives_every_verdict_kind(synthetic):
    root = Unit.objects.get(depth=0)
    annual = [award.code for award in AwardType.objects.filter(annual=True)]

    result = screen(root=root, year=LAST_YEAR, award_codes=annual, as_of=datetime.date(LAST_YEAR + 1, 3, 1))

    ldtt = Counter(v.verdict for v in result.for_award("LDTT"))
    assert set(ldtt) == {Verdict.ELIGIBLE, Verdict.INELIGIBLE, Verdict.NEEDS_REVIEW}
    assert ldtt[Verdict.ELIGIBLE] > ldtt[Verdict.INELIGIBLE] > ldtt[Verdict.NEEDS_REVIEW]
    cstdcs = Counter(v.verdict for v in result.for_award("CSTDCS"))
    assert 0 < cstdcs[Verdict.ELIGIBLE] < ldtt[Verdict.ELIGIBLE] * 0.5
    collectives = Counter(v.verdict for v in result.for_award("TTLDTT"))
    assert collectives[Verdict.ELIGIBLE] > 0
