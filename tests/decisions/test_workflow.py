"""Drafting from approved nominees, the decision workflow (the whole table, allowed and refused, by side),
issuing (number, register, certificates, dossiers decided), numbering under concurrency, immutability."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from tests.decisions.conftest import approved_dossier, award, issue
from tests.factories import make_person, make_user
from thidua.common.models import AuditAction, AuditEntry, ImmutableRecordError
from thidua.decisions import services
from thidua.decisions.enums import DECISION_TRANSITIONS, DRAFTER, DecisionStatus, Grouping
from thidua.decisions.models import Certificate, Decision, DecisionRecipient, NumberCounter
from thidua.nominations.enums import NominationStatus, NomineeStatus
from thidua.records.models import AwardRecord

ALL_STATUSES = list(DecisionStatus.values)


# ---------------------------------------------------------------- drafting


def test_draft_combined_takes_every_nominee_with_positions_and_defaults(draft, dossier, people, office):
    lines = list(draft.recipients.order_by("order"))

    assert draft.status == DecisionStatus.DRAFT and draft.issuing_unit.code == "SKHCN"
    assert [line.name for line in lines] == ["Văn phòng Sở", "Nguyễn Văn Ánh", "Trần Thị Bích Ngọc", "Lê Hoàng Dũng"]
    assert [line.salutation for line in lines] == ["Tập thể", "Ông", "Bà", "Ông"]
    assert lines[1].position == "Chuyên viên, Văn phòng Sở"
    assert lines[0].position == "Sở Khoa học và Công nghệ"
    assert draft.subject == "Về việc tặng Giấy khen cho các tập thể, cá nhân đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025"
    assert draft.authority_line == "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert (draft.signer.username, draft.signer_name, draft.signature_lines()) == ("giamdoc", "Dương Văn Bon", ["GIÁM ĐỐC"])
    assert [basis.text for basis in draft.bases.all()] == [
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;", "Căn cứ Nghị định 152/2025/NĐ-CP;", "Căn cứ Thông tư 01/2024/TT-BNV;"]
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(draft.pk), content_type__model="decision").count() == 1


def test_draft_per_award_and_subject_splits(officer, manager, office, round_, people, signer):
    nomination = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_, individuals=people[:2], collectives=[office])
    ldtt = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_, individuals=people[2:], code="LDTT")
    nominees = [*nomination.nominees.all(), *ldtt.nominees.all()]

    per_award = services.decisions_draft_from_nominees(actor=officer, nominees=nominees, grouping=Grouping.PER_AWARD)
    assert sorted(decision.recipients.count() for decision in per_award) == [1, 3]
    assert {decision.subject.split(" cho ")[0] for decision in per_award} >= {"Về việc tặng Giấy khen"}
    for decision in per_award:
        services.decision_transition(actor=officer, decision=decision, to="cancelled")

    split = services.decisions_draft_from_nominees(actor=officer, nominees=nominees, grouping=Grouping.PER_AWARD_SUBJECT)
    assert sorted(decision.recipients.count() for decision in split) == [1, 1, 2]
    ldtt_decision = next(decision for decision in split if decision.recipients.filter(award__code="LDTT").exists())
    assert ldtt_decision.subject == "Về việc công nhận danh hiệu “Lao động tiên tiến” năm 2025"


def test_draft_refuses_nominees_not_approved_taken_or_beyond_power(officer, manager, office, round_, people, draft):
    taken = draft.recipients.first().nominee
    with pytest.raises(ValidationError) as error:
        services.decisions_draft_from_nominees(actor=officer, nominees=[taken])
    assert "Đã có trong quyết định khác" in error.value.messages[0]

    from thidua.nominations import services as nominations

    pending = nominations.nomination_create(actor=manager, round=round_, proposing_unit=office)
    nominee = nominations.nominee_add(actor=manager, nomination=pending, award=award("GIAY_KHEN"), person=make_person("Phạm Văn Tư", unit=office))
    with pytest.raises(ValidationError) as error:
        services.decisions_draft_from_nominees(actor=officer, nominees=[nominee])
    assert error.value.messages == ["Chỉ lập quyết định cho đề nghị đã được chấp thuận: Phạm Văn Tư — Giấy khen (Chờ xét)."]

    beyond = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_, individuals=[make_person("Võ Thị Năm", unit=office)],
                              code="BANG_KHEN_TINH")
    with pytest.raises(ValidationError) as error:
        services.decisions_draft_from_nominees(actor=officer, nominees=list(beyond.nominees.all()))
    assert error.value.messages == ["Vượt thẩm quyền của Sở Khoa học và Công nghệ, cần trình cấp trên: Võ Thị Năm — Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh."]


def test_draft_refused_outside_scope(outsider, manager, dossier):
    with pytest.raises(PermissionDenied):
        services.decisions_draft_from_nominees(actor=outsider, nominees=list(dossier.nominees.all()))
    with pytest.raises(PermissionDenied):
        services.decisions_draft_from_nominees(actor=manager, nominees=list(dossier.nominees.all()))


def test_cancelled_draft_frees_its_nominees(officer, draft, dossier):
    services.decision_transition(actor=officer, decision=draft, to="cancelled")
    (again,) = services.decisions_draft_from_nominees(actor=officer, nominees=list(dossier.nominees.all()))
    assert again.recipients.count() == 4


# ---------------------------------------------------------------- the transition table


def _in_state(decision, status):
    extra = {}
    if status == DecisionStatus.ISSUED:
        today = timezone.localdate()
        extra = {"number": 99, "year": today.year, "decision_date": today, "reference": "99/QĐ-SKHCN"}
    Decision.objects.filter(pk=decision.pk).update(status=status, **extra)
    decision.refresh_from_db()
    return decision


@pytest.mark.parametrize("source", ALL_STATUSES)
@pytest.mark.parametrize("target", [status for status in ALL_STATUSES if status != DecisionStatus.ISSUED])
def test_transition_table_allowed_and_refused(draft, officer, signer, source, target):
    decision = _in_state(draft, source)
    side = DECISION_TRANSITIONS.get(source, {}).get(target)
    actor = officer if side == DRAFTER else signer
    if side is None:
        with pytest.raises((services.TransitionRefused, ValidationError)):
            services.decision_transition(actor=actor, decision=decision, to=target, note="Sửa lại căn cứ.")
        decision.refresh_from_db()
        assert decision.status == source
        return
    # The other side may not take the step.
    other = signer if side == DRAFTER else officer
    with pytest.raises(PermissionDenied):
        services.decision_transition(actor=other, decision=decision, to=target, note="Sửa lại căn cứ.")
    services.decision_transition(actor=actor, decision=decision, to=target, note="Sửa lại căn cứ.")
    decision.refresh_from_db()
    assert decision.status == target
    assert decision.transitions.last().to_status == target


def test_issue_is_the_drafters_step_after_approval_only(draft, officer, signer):
    with pytest.raises(services.TransitionRefused):
        services.decision_issue(actor=officer, decision=draft)
    services.decision_transition(actor=officer, decision=draft, to="submitted")
    services.decision_transition(actor=signer, decision=draft, to="approved")
    with pytest.raises(PermissionDenied):
        services.decision_issue(actor=signer, decision=draft)
    assert services.decision_issue(actor=officer, decision=draft).reference == "01/QĐ-SKHCN"


def test_submission_needs_a_complete_draft(draft, officer):
    services.decision_update(actor=officer, decision=draft, signer_name="", distribution=[])
    with pytest.raises(services.TransitionRefused) as refusal:
        services.decision_transition(actor=officer, decision=draft, to="submitted")
    assert refusal.value.message == "Dự thảo còn thiếu: họ tên người ký, nơi nhận."


def test_returning_needs_remarks_and_only_the_named_signer_acts(draft, officer, signer, department):
    deputy = make_user("phogiamdoc", role="signer", unit=department)
    services.decision_transition(actor=officer, decision=draft, to="submitted")
    with pytest.raises(PermissionDenied):
        services.decision_transition(actor=deputy, decision=draft, to="approved")
    with pytest.raises(services.TransitionRefused):
        services.decision_transition(actor=signer, decision=draft, to="returned")
    services.decision_transition(actor=signer, decision=draft, to="returned", note="Bổ sung căn cứ Kế hoạch 204/KH-UBND.")
    draft.refresh_from_db()
    assert (draft.status, draft.return_note) == (DecisionStatus.RETURNED, "Bổ sung căn cứ Kế hoạch 204/KH-UBND.")


# ---------------------------------------------------------------- issuing


def test_issue_writes_the_register_certificates_and_decides_the_dossier(issued, dossier, people, office):
    today = timezone.localdate()
    lines = list(issued.recipients.select_related("award_record").order_by("order"))

    assert (issued.status, issued.number, issued.year, issued.reference) == (DecisionStatus.ISSUED, 1, today.year, "01/QĐ-SKHCN")
    assert [line.register_number for line in lines] == [f"00{n}/{today.year}" for n in range(1, 5)]
    records = AwardRecord.objects.filter(pk__in=[line.award_record_id for line in lines]).order_by("pk")
    assert [(r.source, r.decision_number, r.decision_date, r.issuing_unit.code, r.period_start, r.revoked) for r in records] == [
        ("decision", "01/QĐ-SKHCN", today, "SKHCN", 2025, False)] * 4
    assert records.get(unit=office).amount == lines[0].amount
    assert Certificate.objects.filter(decision=issued).count() == 4
    dossier.refresh_from_db()
    assert dossier.status == NominationStatus.DECIDED
    assert set(dossier.nominees.values_list("status", flat=True)) == {NomineeStatus.DECIDED}
    assert issued.transitions.last().to_status == DecisionStatus.ISSUED


def test_numbers_are_consecutive_with_a_leading_zero_and_restart_each_year(officer, manager, signer, office, round_, department):
    decisions = []
    for index in range(3):
        nomination = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_,
                                      individuals=[make_person(f"Người Thứ {index}", unit=office)])
        (decision,) = services.decisions_draft_from_nominees(actor=officer, nominees=list(nomination.nominees.all()))
        decisions.append(decision)
    assert issue(decisions[0], officer=officer, signer=signer).reference == "01/QĐ-SKHCN"
    year = timezone.localdate().year
    NumberCounter.objects.filter(unit=department, year=year, series="QĐ").update(last=9)
    assert issue(decisions[1], officer=officer, signer=signer).reference == "10/QĐ-SKHCN"
    # A new year starts again at 01 (a counter per unit and year).
    last_year = datetime.date(year - 1, 12, 30)
    assert issue(decisions[2], officer=officer, signer=signer, day=last_year).reference == "01/QĐ-SKHCN"


def test_issue_refuses_a_future_day_or_one_before_an_issued_decision(issued, officer, manager, signer, office, round_):
    nomination = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_, individuals=[make_person("Đỗ Văn Sáu", unit=office)])
    (decision,) = services.decisions_draft_from_nominees(actor=officer, nominees=list(nomination.nominees.all()))
    services.decision_transition(actor=officer, decision=decision, to="submitted")
    services.decision_transition(actor=signer, decision=decision, to="approved")
    with pytest.raises(ValidationError) as error:
        services.decision_issue(actor=officer, decision=decision, decision_date=timezone.localdate() + datetime.timedelta(days=1))
    assert error.value.message_dict == {"decision_date": ["Ngày ký không được ở tương lai."]}
    if timezone.localdate().timetuple().tm_yday > 1:
        with pytest.raises(ValidationError) as error:
            services.decision_issue(actor=officer, decision=decision, decision_date=timezone.localdate() - datetime.timedelta(days=1))
        assert "đã ban hành ngày đó" in error.value.message_dict["decision_date"][0]


def test_a_failed_issue_gives_its_number_back(officer, manager, signer, office, round_, people, department):
    """The register refuses a second entry for the same award and period: the issue fails, nothing of it
    is saved, and the next decision still gets 01."""
    nomination = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_, individuals=people[:1])
    (decision,) = services.decisions_draft_from_nominees(actor=officer, nominees=list(nomination.nominees.all()))
    from thidua.records.services import award_record_create

    award_record_create(actor=officer, award=award("GIAY_KHEN"), person=people[0], period_start=2025, decision_number="99/QĐ-CU",
                        decision_date=datetime.date(2026, 1, 5))
    services.decision_transition(actor=officer, decision=decision, to="submitted")
    services.decision_transition(actor=signer, decision=decision, to="approved")
    with pytest.raises(services.TransitionRefused) as refusal:
        services.decision_issue(actor=officer, decision=decision)
    assert "Không ghi được vào sổ khen thưởng cho Nguyễn Văn Ánh" in refusal.value.message
    decision.refresh_from_db()
    assert (decision.status, decision.number, decision.reference) == (DecisionStatus.APPROVED, None, "")
    assert not NumberCounter.objects.filter(unit=department, last__gt=0).exists()
    assert not Certificate.objects.exists()

    other = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_, individuals=people[1:2])
    (second,) = services.decisions_draft_from_nominees(actor=officer, nominees=list(other.nominees.all()))
    assert issue(second, officer=officer, signer=signer).reference == "01/QĐ-SKHCN"


# ---------------------------------------------------------------- immutability


def test_an_issued_decision_refuses_every_edit(issued, officer, signer):
    line = issued.recipients.first()
    with pytest.raises(services.DecisionFrozen):
        services.decision_update(actor=officer, decision=issued, subject="Sửa trích yếu")
    with pytest.raises(services.DecisionFrozen):
        services.decision_recipient_update(actor=officer, recipient=line, name="Tên khác")
    with pytest.raises(services.DecisionFrozen):
        services.decision_recipient_remove(actor=officer, recipient=line)
    for target in ("draft", "cancelled", "returned", "submitted"):
        with pytest.raises(services.DecisionFrozen):
            services.decision_transition(actor=signer if target == "returned" else officer, decision=issued, to=target, note="x")
    with pytest.raises(services.DecisionFrozen):
        services.decision_issue(actor=officer, decision=issued)
    # Behind the services, the models refuse too.
    issued.subject = "Sửa thẳng vào bảng"
    with pytest.raises(ImmutableRecordError):
        issued.save()
    with pytest.raises(ImmutableRecordError):
        line.save()
    with pytest.raises(ImmutableRecordError):
        issued.delete()
    issued.refresh_from_db()
    assert issued.subject.startswith("Về việc tặng Giấy khen")


def test_a_correction_is_a_new_decision_linked_both_ways(issued, officer, signer, manager, office, round_):
    nomination = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_, individuals=[make_person("Bùi Thị Bảy", unit=office)])
    (correction,) = services.decisions_draft_from_nominees(actor=officer, nominees=list(nomination.nominees.all()))
    correction = services.decision_update(actor=officer, decision=correction, amends=issued)
    issue(correction, officer=officer, signer=signer)

    from thidua.decisions.selectors import decision_links

    assert decision_links(correction)["amends"] == issued
    assert decision_links(issued)["amended_by"] == [correction]


def test_a_draft_cannot_replace_a_draft(draft, officer, manager, office, round_):
    nomination = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_, individuals=[make_person("Lý Văn Tám", unit=office)])
    (other,) = services.decisions_draft_from_nominees(actor=officer, nominees=list(nomination.nominees.all()))
    with pytest.raises(ValidationError) as error:
        services.decision_update(actor=officer, decision=other, replaces=draft)
    assert error.value.message_dict == {"replaces": ["Chỉ thay thế hoặc sửa đổi một quyết định đã ban hành."]}


def test_draft_edits_are_audited(draft, officer):
    services.decision_update(actor=officer, decision=draft, subject="Về việc tặng Giấy khen năm 2025", bases=["Căn cứ Luật Thi đua, khen thưởng;"])
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(draft.pk), content_type__model="decision").latest("id")
    assert entry.changes["subject"][1] == "Về việc tặng Giấy khen năm 2025"
    assert entry.changes["bases"][1] == ["Căn cứ Luật Thi đua, khen thưởng;"]


# ---------------------------------------------------------------- numbering under concurrency


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_unique_consecutive_numbers(officer, manager, signer, office, round_, department):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises whole transactions")
    count = 8
    decisions = []
    for index in range(count):
        nomination = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_,
                                      individuals=[make_person(f"Người Song Song {index}", unit=office)])
        (decision,) = services.decisions_draft_from_nominees(actor=officer, nominees=list(nomination.nominees.all()))
        services.decision_transition(actor=officer, decision=decision, to="submitted")
        services.decision_transition(actor=signer, decision=decision, to="approved")
        decisions.append(decision)

    barrier = threading.Barrier(count)
    failures: list[BaseException] = []

    def issue_one(decision) -> None:
        from django.db import connections

        try:
            barrier.wait()
            services.decision_issue(actor=officer, decision=decision)
        except BaseException as error:  # noqa: BLE001 — reported below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue_one, args=(decision,)) for decision in decisions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    numbers = sorted(Decision.objects.filter(pk__in=[d.pk for d in decisions]).values_list("number", flat=True))
    assert numbers == list(range(1, count + 1))
    registers = sorted(DecisionRecipient.objects.filter(decision__in=decisions).values_list("register_number", flat=True))
    assert len(set(registers)) == count
    assert NumberCounter.objects.get(unit=department, year=timezone.localdate().year, series="QĐ").last == count


def test_numbering_continues_a_paper_register_and_never_goes_back(draft, officer, signer, department, outsider):
    year = timezone.localdate().year
    services.numbering_continue(actor=officer, unit=department, year=year, last=41)
    assert issue(draft, officer=officer, signer=signer).reference == "42/QĐ-SKHCN"
    with pytest.raises(ValidationError) as error:
        services.numbering_continue(actor=officer, unit=department, year=year, last=30)
    assert error.value.message_dict == {"last": [f"Năm {year}, Sở Khoa học và Công nghệ đã dùng đến số 42; không lùi số được."]}
    with pytest.raises(PermissionDenied):
        services.numbering_continue(actor=outsider, unit=department, year=year, last=50)
    entry = AuditEntry.objects.filter(content_type__model="numbercounter").latest("id")
    assert entry.changes == {"last": [0, 41]}
