"""The dossier workflow: the whole transition table, allowed and refused, by side; its side effects;
concurrent steps on one dossier."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection

from tests.factories import make_person, make_user
from thidua.common.models import AuditAction, AuditEntry, Holiday
from thidua.common.workdays import add_working_days, working_days_between
from thidua.nominations import services
from thidua.nominations.enums import (
    AWARDER,
    NOMINATION_TRANSITIONS,
    AttachmentKind,
    NominationStatus,
    NomineeStatus,
)
from thidua.nominations.models import Nomination, NominationAttachment
from thidua.records.services import rating_set
from thidua.rules.models import AwardType

ALL_STATUSES = list(NominationStatus.values)


@pytest.fixture
def round_(officer, department):
    return services.round_create(
        actor=officer, awarding_unit=department, title="Xét khen thưởng năm 2025", period_start=2025, period_end=2025,
        opens_on=datetime.date(2025, 12, 1), submission_deadline=datetime.date(2026, 1, 10),
        accepted_awards=AwardType.objects.filter(code__in=["LDTT", "GIAY_KHEN"]),
    )


@pytest.fixture
def nominee_person(office):
    person = make_person("Nguyễn Văn An", unit=office, recruited_on=datetime.date(2015, 1, 1))
    rating_set(actor=None, person=person, year=2025, rating="HTTNV")
    return person


def _attach(nomination, *kinds):
    for kind in kinds:
        attachment = NominationAttachment(nomination=nomination, kind=kind, original_name=f"{kind}.pdf", size=10, sha256="0" * 64)
        attachment.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        attachment.save()


@pytest.fixture
def dossier(manager, office, round_, nominee_person):
    nomination = services.nomination_create(actor=manager, round=round_, proposing_unit=office)
    services.nominee_add(actor=manager, nomination=nomination, award=AwardType.objects.get(code="LDTT"), person=nominee_person,
                         summary="Hoàn thành tốt nhiệm vụ năm 2025.")
    _attach(nomination, AttachmentKind.COVER_LETTER, AttachmentKind.ACHIEVEMENT_REPORT, AttachmentKind.SCREENING_MINUTES)
    return nomination


def _in_state(nomination, status):
    Nomination.objects.filter(pk=nomination.pk).update(status=status)
    nomination.refresh_from_db()
    return nomination


def _move(nomination, to, *, manager, officer):
    side = NOMINATION_TRANSITIONS.get(nomination.status, {}).get(to)
    actor = officer if side == AWARDER else manager
    return services.nomination_transition(actor=actor, nomination=nomination, to=to, note="Lý do: thiếu số liệu.", items=["Bổ sung số liệu"])


@pytest.mark.parametrize("source", ALL_STATUSES)
@pytest.mark.parametrize("target", ALL_STATUSES)
def test_transition_table_allowed_and_refused(dossier, manager, officer, source, target):
    nomination = _in_state(dossier, source)
    if target == NominationStatus.FORWARDED:
        # ``nomination_forward`` carries the nominees first; the transition then records the dossier's step.
        nomination.nominees.update(status=NomineeStatus.FORWARDED)
    if target in NOMINATION_TRANSITIONS[source]:
        moved = _move(nomination, target, manager=manager, officer=officer)
        assert moved.status == target
        assert moved.transitions.last().from_status == source
        assert AuditEntry.objects.filter(action=AuditAction.TRANSITION, object_id=str(nomination.pk)).count() == 1
    else:
        with pytest.raises(services.TransitionRefused):
            _move(nomination, target, manager=manager, officer=officer)
        nomination.refresh_from_db()
        assert nomination.status == source


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s, targets in NOMINATION_TRANSITIONS.items() for t in targets],
)
def test_transitions_are_refused_to_the_wrong_side_and_to_outsiders(dossier, manager, outsider, source, target):
    nomination = _in_state(dossier, source)
    side = NOMINATION_TRANSITIONS[source][target]
    wrong = outsider if side != AWARDER else manager  # the manager of the office cannot appraise
    with pytest.raises(PermissionDenied):
        services.nomination_transition(actor=wrong, nomination=nomination, to=target, note="x", items=["y"])
    nomination.refresh_from_db()
    assert nomination.status == source


def test_submit_refuses_an_incomplete_dossier_and_names_what_is_missing(manager, office, round_, nominee_person):
    nomination = services.nomination_create(actor=manager, round=round_, proposing_unit=office)
    services.nominee_add(actor=manager, nomination=nomination, award=AwardType.objects.get(code="LDTT"), person=nominee_person)
    _attach(nomination, AttachmentKind.COVER_LETTER)
    with pytest.raises(services.TransitionRefused) as refused:
        services.nomination_transition(actor=manager, nomination=nomination, to="submitted")
    assert refused.value.message == "Hồ sơ còn thiếu: Báo cáo thành tích, Biên bản bình xét."


def test_submit_stores_each_nominees_verdict_with_the_ruleset(dossier, manager):
    services.nomination_transition(actor=manager, nomination=dossier, to="submitted")
    nominee = dossier.nominees.get()
    assert nominee.verdict == "eligible"
    assert nominee.ruleset_code  # the ruleset in force on the submission day
    assert {reason["rule"] for reason in nominee.verdict_reasons} >= {"rating", "tenure", "pending"}
    dossier.refresh_from_db()
    assert dossier.submission_count == 1 and dossier.submitted_at is not None


def test_return_needs_a_reason_and_items_and_resubmission_keeps_the_history(dossier, manager, officer):
    services.nomination_transition(actor=manager, nomination=dossier, to="submitted")
    services.nomination_transition(actor=officer, nomination=dossier, to="under_review")
    with pytest.raises(services.TransitionRefused) as refused:
        services.nomination_transition(actor=officer, nomination=dossier, to="returned", note="Thiếu số liệu")
    assert refused.value.message == "Liệt kê các nội dung đơn vị cần bổ sung."
    services.nomination_transition(actor=officer, nomination=dossier, to="returned", note="Thiếu số liệu", items=["Số liệu sáng kiến năm 2025"])
    dossier.refresh_from_db()
    assert (dossier.return_reason, dossier.items_to_complete) == ("Thiếu số liệu", ["Số liệu sáng kiến năm 2025"])
    services.nomination_transition(actor=manager, nomination=dossier, to="submitted")
    dossier.refresh_from_db()
    assert dossier.submission_count == 2
    assert list(dossier.transitions.values_list("to_status", flat=True)) == ["submitted", "under_review", "returned", "submitted"]


def test_receiving_sets_the_appraisal_due_date_in_working_days(dossier, manager, officer):
    services.nomination_transition(actor=manager, nomination=dossier, to="submitted")
    services.nomination_transition(actor=officer, nomination=dossier, to="under_review")
    dossier.refresh_from_db()
    assert dossier.assigned_officer == officer
    assert working_days_between(dossier.received_on, dossier.appraisal_due) == 20
    assert services.appraisal_days_left(dossier, dossier.received_on) == 20


def test_approval_carries_the_pending_nominees(dossier, manager, officer):
    for target, actor in [("submitted", manager), ("under_review", officer), ("in_council", officer), ("approved", officer)]:
        services.nomination_transition(actor=actor, nomination=dossier, to=target)
    assert list(dossier.nominees.values_list("status", flat=True)) == [NomineeStatus.APPROVED]


def test_same_person_same_award_twice_in_a_round_is_refused_across_units(dossier, round_, officer, office2, nominee_person):
    other = services.nomination_create(actor=officer, round=round_, proposing_unit=office2)
    with pytest.raises(ValidationError) as error:
        services.nominee_add(actor=officer, nomination=other, award=AwardType.objects.get(code="LDTT"), person=nominee_person)
    assert error.value.message_dict["award"] == ["Đã được đề nghị Lao động tiên tiến trong đợt này (hồ sơ của Văn phòng Sở)."]


def test_round_does_not_take_dossiers_from_outside_the_awarding_unit(round_, outsider, other_department):
    make_user("soyte2", role="officer", unit=other_department)
    with pytest.raises(ValidationError):
        services.nomination_create(actor=None, round=round_, proposing_unit=other_department)


@pytest.mark.django_db(transaction=True)
def test_concurrent_steps_on_one_dossier_exactly_one_wins(officer, manager, office, department, nominee_person):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises whole transactions")
    round_ = services.round_create(
        actor=officer, awarding_unit=department, title="Đợt xét", period_start=2025, period_end=2025,
        opens_on=datetime.date(2025, 12, 1), submission_deadline=datetime.date(2026, 1, 10),
        accepted_awards=AwardType.objects.filter(code__in=["LDTT"]),
    )
    nomination = services.nomination_create(actor=manager, round=round_, proposing_unit=office)
    services.nominee_add(actor=manager, nomination=nomination, award=AwardType.objects.get(code="LDTT"), person=nominee_person)
    _attach(nomination, AttachmentKind.COVER_LETTER, AttachmentKind.ACHIEVEMENT_REPORT, AttachmentKind.SCREENING_MINUTES)
    services.nomination_transition(actor=manager, nomination=nomination, to="submitted")

    outcomes: list[str] = []
    barrier = threading.Barrier(3)

    def step(target: str) -> None:
        from django.db import connections

        barrier.wait()
        try:
            services.nomination_transition(actor=officer, nomination=nomination, to=target, note="Trả lại", items=["Bổ sung"])
            outcomes.append(target)
        except services.TransitionRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    # Whichever step wins, the others are no longer in the table from the new status: exactly one may pass.
    threads = [threading.Thread(target=step, args=(target,)) for target in ("under_review", "under_review", "withdrawn")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    nomination.refresh_from_db()
    winners = [outcome for outcome in outcomes if outcome != "refused"]
    assert len(winners) == 1 and nomination.status == winners[0]
    assert nomination.transitions.count() == 2  # submitted, then the one winner


def test_working_days_skip_weekends_and_tet(db):
    Holiday.objects.bulk_create([Holiday(day=datetime.date(2026, 2, d), name="Tết Nguyên đán") for d in range(16, 21)])
    assert add_working_days(datetime.date(2026, 2, 13), 1) == datetime.date(2026, 2, 23)  # Friday before Tết → Monday after
    assert add_working_days(datetime.date(2026, 11, 27), 1) == datetime.date(2026, 11, 30)  # Friday → Monday
    assert working_days_between(datetime.date(2026, 2, 13), datetime.date(2026, 2, 27)) == 5


def test_a_unit_proposes_only_its_own_people(round_, officer, office2, nominee_person):
    other = services.nomination_create(actor=officer, round=round_, proposing_unit=office2)
    with pytest.raises(ValidationError) as error:
        services.nominee_add(actor=officer, nomination=other, award=AwardType.objects.get(code="GIAY_KHEN"), person=nominee_person)
    assert error.value.message_dict == {"person": ["Chỉ đề nghị cá nhân, tập thể thuộc Phòng Quản lý khoa học."]}
