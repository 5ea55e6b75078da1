"""Counts against the hand-counted register of conftest.py: mergers, revocation, a person who changed
units, someone who left, the statistical year, and every figure equal to the length of its list."""

import datetime

import pytest

from tests.reports.conftest import AFTER_MERGER, BEFORE_MERGER
from thidua.reports.enums import Revoked, YearBasis
from thidua.reports.scope import resolve_scope
from thidua.reports.statistics import Filters, award_records, initiatives_per_year, summary

pytestmark = pytest.mark.django_db

PERIOD = Filters(2020, 2021)


def _counts(result, *dims):
    return {tuple(row[dim] for dim in dims) if len(dims) > 1 else row[dims[0]]: row["count"] for row in result.rows}


def test_summary_by_award_and_year_counts_the_department_without_the_revoked_award(register, department):
    result = summary(resolve_scope(department, AFTER_MERGER), PERIOD, ["award", "year"], count_revoked=True)

    assert _counts(result, "award", "year") == {
        ("CSTD_TINH", 2021): 1,
        ("CSTDCS", 2021): 1,
        ("TTLDTT", 2021): 1,
        ("LDTT", 2020): 1,
        ("LDTT", 2021): 3,
        ("GIA_DINH_VAN_HOA", 2021): 1,
        ("BANG_KHEN_TTG", 2021): 2,
        ("BANG_KHEN_TINH", 2021): 1,
        ("GIAY_KHEN", 2021): 1,
    }
    assert result.total == 12
    assert result.revoked_count == 1


def test_summary_keeps_titles_before_forms(register, department):
    result = summary(resolve_scope(department, AFTER_MERGER), PERIOD, ["award"])

    categories = [result.catalog[row["award"]].category for row in result.rows]
    assert categories == sorted(categories) and categories[0] == "danh_hieu" and categories[-1] == "hinh_thuc"


def test_revoked_awards_can_be_counted_alone(register, department):
    result = summary(resolve_scope(department, AFTER_MERGER), PERIOD.narrowed(revoked=Revoked.ONLY), ["award"])

    assert _counts(result, "award") == {"CSTDCS": 1}


def test_by_unit_places_a_person_under_the_unit_of_the_decision_date(register, department, office, office2):
    result = summary(resolve_scope(department, AFTER_MERGER), PERIOD, ["unit"])

    # An's LĐTT 2020 was decided while he was in office; his 2022 decisions after his move to office2.
    # Em had left by her decision date: she counts in the last unit she worked in.
    assert _counts(result, "unit") == {"SKHCN": 1, "SKHCN_VP": 7, "SKHCN_QLKH": 4}


def test_by_current_unit_places_people_where_they_are_now(register, department):
    result = summary(resolve_scope(department, AFTER_MERGER), PERIOD.narrowed(by_current_unit=True), ["unit"])

    # An now in office2 (all five); Em works nowhere: her award counts under its issuing unit.
    assert _counts(result, "unit") == {"SKHCN": 2, "SKHCN_VP": 5, "SKHCN_QLKH": 5}


def test_the_successor_counts_its_predecessors_records_after_the_merger(register):
    new_department = register["new_department"]

    after = summary(resolve_scope(new_department, AFTER_MERGER), PERIOD, ["unit"])
    before = summary(resolve_scope(new_department, BEFORE_MERGER), PERIOD, ["unit"])

    # Both old offices went into the new office; the old department into the new department itself.
    assert _counts(after, "unit") == {"SKHCN_MOI": 1, "SKHCN_MOI_VP": 11}
    assert after.total == 12
    assert before.total == 0


def test_the_scope_names_the_merged_units(register):
    scope = resolve_scope(register["new_department"], AFTER_MERGER)

    assert {code for code, _ in scope.merged_in} == {"SKHCN", "SKHCN_VP", "SKHCN_QLKH"}


def test_an_old_unit_keeps_its_own_history_after_the_merger(register, office):
    result = summary(resolve_scope(office, AFTER_MERGER), PERIOD, ["year"])

    assert _counts(result, "year") == {2020: 1, 2021: 6}


def test_the_province_counts_everything_without_a_unit_filter(register, province):
    scope = resolve_scope(province, AFTER_MERGER)

    assert scope.everything
    assert summary(scope, PERIOD, ["year"]).total == 13


def test_other_departments_are_left_out(register, other_department):
    result = summary(resolve_scope(other_department, AFTER_MERGER), PERIOD, ["award"])

    assert _counts(result, "award") == {"LDTT": 1}


def test_gender_and_subject(register, department):
    scope = resolve_scope(department, AFTER_MERGER)

    genders = summary(scope, PERIOD.narrowed(subject="individual"), ["gender"])
    subjects = summary(scope, PERIOD, ["subject"])

    assert _counts(genders, "gender") == {"nam": 5, "nu": 3, "": 1}
    assert _counts(subjects, "subject") == {"individual": 9, "collective": 2, "household": 1}


def test_position_is_the_one_held_on_the_decision_date(register, department):
    result = summary(resolve_scope(department, AFTER_MERGER), PERIOD.narrowed(subject="individual"), ["position"])

    assert _counts(result, "position") == {"chuyen_mon": 1, "quan_ly": 4, "truc_tiep": 3, "": 1}


def test_the_statistical_year_runs_from_december_to_november(register, department):
    scope = resolve_scope(department, AFTER_MERGER)

    result = summary(scope, Filters(2021, 2022, basis=YearBasis.STATISTICAL), ["year"])

    # Bình's Giấy khen decided on 05/12/2021 belongs to the statistical year 2022.
    assert _counts(result, "year") == {2021: 1, 2022: 11}


@pytest.mark.parametrize(
    "narrowing",
    [
        {},
        {"award": "LDTT"},
        {"year": 2021},
        {"category": "hinh_thuc"},
        {"subject": "collective"},
        {"gender": "nu"},
        {"gender": ""},
        {"position": "quan_ly"},
        {"revoked": Revoked.ONLY},
    ],
)
def test_every_figure_equals_the_length_of_its_list(register, department, narrowing):
    scope = resolve_scope(department, AFTER_MERGER)
    filters = PERIOD.narrowed(**narrowing)

    assert award_records(scope, filters).count() == summary(scope, filters, []).total


def test_a_unit_bucket_lists_exactly_its_figure(register, department, office2):
    scope = resolve_scope(department, AFTER_MERGER)
    bucket = scope.bucket_by_code("SKHCN_QLKH")

    listed = award_records(scope, PERIOD.narrowed(bucket=bucket))

    assert sorted(listed.values_list("award__code", flat=True)) == ["BANG_KHEN_TTG", "CSTDCS", "CSTD_TINH", "LDTT"]
    assert set(listed.values_list("attributed_unit", flat=True)) == {office2.pk}


def test_initiatives_per_year_count_the_units_in_scope(register, department, office, other_department):
    from thidua.records.services import initiative_create

    an = register["people"]["an"]
    dung = register["people"]["dung"]
    for title, unit, author, day in (
        ("Số hóa hồ sơ", office, an, datetime.date(2020, 5, 1)),
        ("Phần mềm một cửa", None, an, datetime.date(2021, 6, 1)),
        ("Quy trình khám bệnh", other_department, dung, datetime.date(2021, 7, 1)),
    ):
        initiative_create(
            actor=None, authors=[author], title=title, kind="sang_kien", unit=unit, scope="co_so", recognized_on=day
        )

    counts = initiatives_per_year(resolve_scope(department, AFTER_MERGER), 2020, 2021)

    assert counts == {2020: 1, 2021: 1}
