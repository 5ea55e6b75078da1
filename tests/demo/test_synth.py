"""The synthetic province (thidua.demo.synth and `thidua synth`)."""

import datetime
import io
import unicodedata

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from tests.factories import make_person, make_unit, make_user
from thidua.common.models import AuditAction, AuditEntry
from thidua.common.text import fold
from thidua.demo.synth import DEFAULT_UNTIL, SynthRefused, synth_province
from thidua.organizations import selectors
from thidua.organizations.models import Employment, Person, Unit
from thidua.records.models import AnnualRating, AwardRecord, Discipline, Initiative, InitiativeAuthor, Leave

pytestmark = pytest.mark.django_db


def _rows():
    people = list(Person.objects.order_by("pk").values_list("family_name", "middle_name", "given_name", "cccd", "birth_date", "current_unit__code"))
    employments = list(
        Employment.objects.order_by("person_id", "start_date").values_list("person_id", "unit__code", "position", "rank", "start_date", "end_date")
    )
    units = list(Unit.objects.order_by("pk").values_list("code", "name", "path"))
    return people, employments, units


def _evidence_rows():
    ratings = list(AnnualRating.objects.order_by("person_id", "unit__code", "year").values_list("person_id", "unit__code", "year", "rating"))
    initiatives = list(
        Initiative.objects.order_by("pk").values_list("title", "kind", "scope", "unit__code", "recognized_on", "recognizing_decision", "applied")
    )
    authors = list(InitiativeAuthor.objects.order_by("initiative_id", "order").values_list("initiative__title", "person_id", "order"))
    disciplines = list(Discipline.objects.order_by("person_id", "start").values_list("person_id", "level", "pending", "pending_kind", "start", "end"))
    leaves = list(Leave.objects.order_by("person_id", "start").values_list("person_id", "kind", "start", "end"))
    awards = list(
        AwardRecord.objects.order_by("person_id", "unit__code", "award__code", "period_end").values_list(
            "person_id", "unit__code", "award__code", "period_start", "period_end", "decision_number", "decision_date",
            "issuing_unit__code", "counts_for_regular",
        )
    )
    return ratings, initiatives, authors, disciplines, leaves, awards


def test_synth_same_seed_gives_the_same_rows():
    synth_province(people=300, years=5, seed=11)
    first, first_evidence = _rows(), _evidence_rows()
    synth_province(people=300, years=5, seed=11, replace=True)

    assert _rows() == first
    assert _evidence_rows() == first_evidence
    assert all(first_evidence)


def test_synth_different_seed_gives_different_evidence():
    synth_province(people=300, years=5, seed=11)
    first = _evidence_rows()
    synth_province(people=300, years=5, seed=12, replace=True)

    assert [rows != before for rows, before in zip(_evidence_rows(), first, strict=True)] == [True] * 6


def test_synth_replace_wipes_the_evidence_and_the_register():
    synth_province(people=300, years=5, seed=11)
    assert AwardRecord.objects.exists()

    result = synth_province(people=20, years=1, seed=3, replace=True)

    assert result.evidence["awards"] == 0  # the titles of the only year are decided after the history ends
    assert (AnnualRating.objects.count(), Initiative.objects.count(), InitiativeAuthor.objects.count()) == (
        result.evidence["ratings"], result.evidence["initiatives"], result.evidence["authors"],
    )
    assert (Discipline.objects.count(), Leave.objects.count(), AwardRecord.objects.count()) == (
        result.evidence["disciplines"], result.evidence["leaves"], 0,
    )
    assert not AnnualRating.objects.filter(year__lt=DEFAULT_UNTIL.year - 1).exists()


def test_synth_different_seed_gives_different_rows():
    synth_province(people=300, years=5, seed=11)
    first_people, first_employments, _ = _rows()
    synth_province(people=300, years=5, seed=12, replace=True)
    second_people, second_employments, _ = _rows()

    assert [p[:3] for p in second_people] != [p[:3] for p in first_people]
    assert {p[3] for p in second_people} != {p[3] for p in first_people}
    assert second_employments != first_employments


def test_synth_builds_a_province_sized_tree_and_n_people():
    result = synth_province(people=500, years=10, seed=3)

    assert 1900 <= Unit.objects.count() <= 2100
    assert (result.units, result.people) == (Unit.objects.count(), 500)
    assert Person.objects.count() == 500
    assert Unit.objects.filter(depth=0).count() == 1
    assert Unit.objects.filter(kind="so_nganh").count() >= 20
    assert Unit.objects.filter(kind="xa").count() == 100
    assert {"dang_uy", "cong_doan", "doan_thanh_nien", "truong", "trung_tam", "chi_cuc"} <= set(Unit.objects.values_list("kind", flat=True))
    assert all(unit.path == (unit.parent.path if unit.parent else "") + unit.path[-8:] for unit in Unit.objects.select_related("parent"))


def test_synth_cccd_numbers_are_unique_and_well_formed():
    synth_province(people=2000, years=3, seed=5)
    numbers = list(Person.objects.exclude(cccd__isnull=True).values_list("cccd", flat=True))

    assert len(numbers) >= 1900
    assert len(set(numbers)) == len(numbers)
    assert all(len(number) == 12 and number.isdigit() for number in numbers)


def test_synth_history_is_consistent():
    synth_province(people=400, years=10, seed=8)
    window_start = datetime.date(DEFAULT_UNTIL.year - 10, 1, 1)

    assert Person.objects.annotate(n=Count("employments")).filter(n=0).count() == 0
    assert Employment.objects.filter(start_date__lt=window_start).count() == 0
    assert Employment.objects.values("person").annotate(n=Count("pk")).filter(n__gt=1).count() >= 40
    for person in Person.objects.prefetch_related("employments__unit"):
        periods = sorted(person.employments.all(), key=lambda e: e.start_date)
        for earlier, later in zip(periods, periods[1:], strict=False):
            assert earlier.end_date == later.start_date - datetime.timedelta(days=1)
        last = periods[-1]
        assert (person.current_unit_id, person.current_position) == (
            (last.unit_id, last.position) if last.end_date is None else (None, "")
        )
    assert Person.objects.filter(current_unit__isnull=True).exists()


def test_synth_names_are_nfc_and_searchable():
    synth_province(people=300, years=5, seed=9)
    person = Person.objects.order_by("pk")[17]
    texts = [*Unit.objects.values_list("name", flat=True), *(p.full_name for p in Person.objects.all())]

    assert [text for text in texts if unicodedata.normalize("NFC", text) != text] == []
    superuser = make_user("root", is_superuser=True)
    assert person in selectors.people_search(superuser, query=fold(person.full_name))
    assert person in selectors.people_search(superuser, query=person.full_name.upper())


def test_synth_records_one_audit_entry_with_its_parameters():
    synth_province(people=50, years=2, seed=4)

    # Migrations may log rows of their own (the award catalog); synth adds exactly one entry.
    entries = AuditEntry.objects.filter(unit_path__startswith=Unit.objects.get(depth=0).path)
    assert [(e.action, e.note.split(":")[0]) for e in entries] == [
        (AuditAction.IMPORT, f"thidua synth --people 50 --years 2 --seed 4 --until {DEFAULT_UNTIL.isoformat()}")
    ]
    assert entries[0].unit_path == Unit.objects.get(depth=0).path


def test_synth_leaves_the_services_working():
    synth_province(people=50, years=2, seed=4)
    root = Unit.objects.get(depth=0)

    unit = make_unit("Phòng mới", parent=root, code="SX_NEW")
    person = make_person("Nguyễn Văn Mới", unit=unit)

    assert unit.pk > Unit.objects.exclude(pk=unit.pk).latest("pk").pk
    assert person.pk > Person.objects.exclude(pk=person.pk).latest("pk").pk


def test_synth_refuses_a_database_with_units_unless_replacing():
    make_unit("Đơn vị có sẵn", kind="ubnd_tinh", code="CO_SAN")

    with pytest.raises(SynthRefused):
        synth_province(people=10, years=2, seed=1)
    assert list(Unit.objects.values_list("code", flat=True)) == ["CO_SAN"]

    synth_province(people=10, years=2, seed=1, replace=True)
    assert not Unit.objects.filter(code="CO_SAN").exists()


def test_synth_command_prints_counts_and_timings():
    out = io.StringIO()

    call_command("synth", "--people", "120", "--years", "3", "--seed", "2", stdout=out)

    output = out.getvalue()
    assert "lập dữ liệu:" in output
    assert "ghi cá nhân:" in output
    assert "lập minh chứng:" in output
    assert "ghi kết quả xếp loại:" in output
    assert "ghi sổ khen thưởng:" in output
    assert f"{Unit.objects.count():,}".replace(",", ".") + " đơn vị, 120 cá nhân" in output
    ratings = f"{AnnualRating.objects.count():,}".replace(",", ".")
    assert f"Minh chứng: {ratings} kết quả xếp loại, {Initiative.objects.count()} sáng kiến và đề tài" in output
    assert f"{AwardRecord.objects.count():,}".replace(",", ".") + " khen thưởng đã nhận." in output
    assert Person.objects.count() == 120


def test_synth_command_refuses_without_replace_when_units_exist():
    make_unit("Đơn vị có sẵn", kind="ubnd_tinh", code="CO_SAN")

    with pytest.raises(CommandError, match="--replace"):
        call_command("synth", "--people", "10", stdout=io.StringIO())


def test_synth_command_refuses_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        call_command("synth", "--people", "10", stdout=io.StringIO())
    assert Unit.objects.count() == 0
