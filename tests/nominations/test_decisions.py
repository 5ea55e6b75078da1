"""Per-nominee decisions while others wait, forwarding to the next level, bulk steps, what changed on a
resubmission, and the proposing unit's corrections (services and the pages that call them)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.factories import make_person
from thidua.common.models import AuditAction, AuditEntry
from thidua.nominations import attachments, selectors, services
from thidua.nominations.enums import AttachmentKind, NominationStatus, NomineeStatus
from thidua.nominations.models import Nomination, NominationAttachment, NominationTransition, Nominee
from thidua.records.services import rating_set
from thidua.rules.models import AwardType

REQUIRED = (AttachmentKind.COVER_LETTER, AttachmentKind.ACHIEVEMENT_REPORT, AttachmentKind.SCREENING_MINUTES, AttachmentKind.AWARD_MINUTES)


def _award(code):
    return AwardType.objects.get(code=code)


@pytest.fixture
def round_(officer, department):
    return services.round_create(
        actor=officer, awarding_unit=department, title="Khen thưởng tổng kết giai đoạn 2021–2025", period_start=2021, period_end=2025,
        opens_on=datetime.date(2025, 12, 1), submission_deadline=datetime.date(2026, 1, 10),
        accepted_awards=AwardType.objects.filter(code__in=["LDTT", "GIAY_KHEN", "BANG_KHEN_TINH"]),
    )


@pytest.fixture
def province_round(admin_user, province):
    return services.round_create(
        actor=admin_user, awarding_unit=province, title="Khen thưởng của UBND tỉnh giai đoạn 2021–2025", period_start=2021, period_end=2025,
        opens_on=datetime.date(2025, 12, 1), submission_deadline=datetime.date(2026, 3, 1),
        accepted_awards=AwardType.objects.filter(code__in=["BANG_KHEN_TINH"]),
    )


@pytest.fixture
def people(office):
    found = []
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        person = make_person(name, unit=office, recruited_on=datetime.date(2015, 1, 1))
        for year in range(2021, 2026):
            rating_set(actor=None, person=person, year=year, rating="HTXSNV")
        found.append(person)
    return found


def _attach(nomination, *kinds):
    for kind in kinds:
        attachment = NominationAttachment(nomination=nomination, kind=kind, original_name=f"{kind}.pdf", size=10, sha256="0" * 64)
        attachment.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        attachment.save()


@pytest.fixture
def dossier(manager, office, round_, people):
    """Two Giấy khen (within the Sở's power) and one Bằng khen of the province (beyond it)."""
    nomination = services.nomination_create(actor=manager, round=round_, proposing_unit=office)
    services.nominee_add(actor=manager, nomination=nomination, award=_award("GIAY_KHEN"), person=people[0], summary="Hoàn thành xuất sắc.")
    services.nominee_add(actor=manager, nomination=nomination, award=_award("GIAY_KHEN"), person=people[1], summary="Có sáng kiến.")
    services.nominee_add(actor=manager, nomination=nomination, award=_award("BANG_KHEN_TINH"), person=people[2], summary="Năm năm xuất sắc.")
    _attach(nomination, *REQUIRED)
    return nomination


@pytest.fixture
def under_review(dossier, manager, officer):
    services.nomination_transition(actor=manager, nomination=dossier, to=NominationStatus.SUBMITTED)
    return services.nomination_transition(actor=officer, nomination=dossier, to=NominationStatus.UNDER_REVIEW)


def _nominees(nomination):
    return list(nomination.nominees.order_by("id"))


# ---------------------------------------------------------------- per-nominee decisions


def test_one_nominee_is_decided_while_the_others_wait(under_review, officer):
    first, second, third = _nominees(under_review)
    services.nominee_decide(actor=officer, nominee=first, to=NomineeStatus.APPROVED, note="Đủ tiêu chuẩn.")
    statuses = {n.pk: n.status for n in under_review.nominees.all()}
    assert statuses == {first.pk: NomineeStatus.APPROVED, second.pk: NomineeStatus.PENDING, third.pk: NomineeStatus.PENDING}
    first.refresh_from_db()
    assert first.appraisal_note == "Đủ tiêu chuẩn." and first.decided_by == officer and first.decided_at is not None
    under_review.refresh_from_db()
    assert under_review.status == NominationStatus.UNDER_REVIEW
    assert AuditEntry.objects.filter(action=AuditAction.TRANSITION, object_id=str(first.pk)).exists()


def test_rejecting_a_nominee_needs_a_reason_and_can_be_undone(under_review, officer):
    nominee = _nominees(under_review)[1]
    with pytest.raises(services.TransitionRefused, match="lý do không chấp thuận"):
        services.nominee_decide(actor=officer, nominee=nominee, to=NomineeStatus.REJECTED)
    services.nominee_decide(actor=officer, nominee=nominee, to=NomineeStatus.REJECTED, note="Chưa đủ số năm.")
    services.nominee_decide(actor=officer, nominee=nominee, to=NomineeStatus.PENDING)
    nominee.refresh_from_db()
    assert nominee.status == NomineeStatus.PENDING


def test_decisions_are_refused_outside_appraisal_and_to_the_proposing_unit(dossier, manager, officer):
    nominee = _nominees(dossier)[0]
    with pytest.raises(services.TransitionRefused, match="đang thẩm định"):
        services.nominee_decide(actor=officer, nominee=nominee, to=NomineeStatus.APPROVED)
    services.nomination_transition(actor=manager, nomination=dossier, to=NominationStatus.SUBMITTED)
    services.nomination_transition(actor=officer, nomination=dossier, to=NominationStatus.UNDER_REVIEW)
    with pytest.raises(PermissionDenied):
        services.nominee_decide(actor=manager, nominee=nominee, to=NomineeStatus.APPROVED)
    with pytest.raises(services.TransitionRefused, match="Không thể chuyển đề nghị"):
        services.nominee_decide(actor=officer, nominee=nominee, to=NomineeStatus.FORWARDED)
    nominee.refresh_from_db()
    assert nominee.status == NomineeStatus.PENDING


def test_the_council_deciding_its_last_nominee_settles_the_dossier(under_review, officer):
    first, second, third = _nominees(under_review)
    services.nominee_decide(actor=officer, nominee=third, to=NomineeStatus.REJECTED, note="Không thuộc đợt này.")
    services.nomination_transition(actor=officer, nomination=under_review, to=NominationStatus.IN_COUNCIL)
    assert {n.status for n in (Nominee.objects.get(pk=first.pk), Nominee.objects.get(pk=second.pk))} == {NomineeStatus.IN_COUNCIL}
    # A nominee not sent to the council cannot be re-decided while the council sits.
    with pytest.raises(services.TransitionRefused):
        services.nominee_decide(actor=officer, nominee=Nominee.objects.get(pk=third.pk), to=NomineeStatus.PENDING)
    services.nominee_decide(actor=officer, nominee=Nominee.objects.get(pk=first.pk), to=NomineeStatus.APPROVED)
    assert Nomination.objects.get(pk=under_review.pk).status == NominationStatus.IN_COUNCIL
    services.nominee_decide(actor=officer, nominee=Nominee.objects.get(pk=second.pk), to=NomineeStatus.REJECTED, note="Không đạt tỷ lệ phiếu.")
    settled = Nomination.objects.get(pk=under_review.pk)
    assert settled.status == NominationStatus.APPROVED
    assert settled.transitions.last().to_status == NominationStatus.APPROVED


def test_a_council_rejecting_everyone_rejects_the_dossier(under_review, officer):
    services.nomination_transition(actor=officer, nomination=under_review, to=NominationStatus.IN_COUNCIL)
    for nominee in _nominees(under_review):
        services.nominee_decide(actor=officer, nominee=nominee, to=NomineeStatus.REJECTED, note="Không đạt.")
    assert Nomination.objects.get(pk=under_review.pk).status == NominationStatus.REJECTED


# ---------------------------------------------------------------- forwarding


def test_forwarding_carries_the_nominees_beyond_the_units_power_with_the_documents(under_review, officer, province_round, department):
    first, second, third = _nominees(under_review)
    assert [n.pk for n in services.beyond_power(under_review)] == [third.pk]
    assert services.forward_targets(under_review) == [province_round]
    forward = services.nomination_forward(actor=officer, nomination=under_review, target_round=province_round)
    assert forward.forwarded_from_id == under_review.pk
    assert forward.proposing_unit == department and forward.round == province_round
    assert forward.status == NominationStatus.DRAFT
    carried = list(forward.nominees.all())
    assert [(n.person_id, n.award.code, n.source_nominee_id) for n in carried] == [(third.person_id, "BANG_KHEN_TINH", third.pk)]
    assert carried[0].summary == "Năm năm xuất sắc."
    originals = {a.file.name for a in under_review.attachments.all()}
    assert {a.file.name for a in forward.attachments.all()} == originals
    assert all(a.carried_from_id for a in forward.attachments.all())
    third.refresh_from_db()
    assert third.status == NomineeStatus.FORWARDED
    # The Giấy khen nominees still wait: the dossier stays under review, the step is on its timeline.
    under_review.refresh_from_db()
    assert under_review.status == NominationStatus.UNDER_REVIEW
    step = under_review.transitions.last()
    assert step.from_status == step.to_status == NominationStatus.UNDER_REVIEW and province_round.title in step.note


def test_forwarding_everything_left_moves_the_dossier_to_forwarded(under_review, officer, province_round):
    first, second, third = _nominees(under_review)
    services.nominee_decide(actor=officer, nominee=first, to=NomineeStatus.REJECTED, note="Không đạt.")
    services.nominee_decide(actor=officer, nominee=second, to=NomineeStatus.REJECTED, note="Không đạt.")
    services.nomination_forward(actor=officer, nomination=under_review, target_round=province_round)
    under_review.refresh_from_db()
    assert under_review.status == NominationStatus.FORWARDED
    assert under_review.transitions.last().to_status == NominationStatus.FORWARDED


def test_forwarding_refusals(under_review, officer, manager, round_, province_round):
    first = _nominees(under_review)[0]
    with pytest.raises(services.TransitionRefused, match="không nhận"):
        # The province round does not accept Giấy khen.
        services.nomination_forward(actor=officer, nomination=under_review, target_round=province_round, nominees=[first])
    with pytest.raises(services.TransitionRefused, match="không nhận hồ sơ trình"):
        services.nomination_forward(actor=officer, nomination=under_review, target_round=round_)  # not a level above
    with pytest.raises(PermissionDenied):
        services.nomination_forward(actor=manager, nomination=under_review, target_round=province_round)
    with pytest.raises(services.TransitionRefused, match="Trình cấp trên"):
        services.nomination_transition(actor=officer, nomination=under_review, to=NominationStatus.FORWARDED)
    assert not Nomination.objects.filter(forwarded_from=under_review).exists()
    assert set(under_review.nominees.values_list("status", flat=True)) == {NomineeStatus.PENDING}


def test_forward_page_preselects_the_nominees_beyond_power_and_creates_the_dossier(client, under_review, officer, province_round):
    third = _nominees(under_review)[2]
    client.force_login(officer)
    url = reverse("nominations:nomination_forward", args=[under_review.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert province_round.title in page.content.decode()
    assert page.context["form"].initial["nominees"] == [str(third.pk)]
    response = client.post(url, {"round": str(province_round.pk), "nominees": [str(third.pk)], "note": "Kính trình UBND tỉnh."})
    forward = Nomination.objects.get(forwarded_from=under_review)
    assert response.status_code == 302 and response.url == reverse("nominations:nomination_detail", args=[forward.pk])
    detail = client.get(response.url).content.decode()
    assert "Hồ sơ gốc" in detail and under_review.title in detail


def test_forward_page_is_closed_to_the_proposing_unit(client, under_review, manager):
    client.force_login(manager)
    assert client.get(reverse("nominations:nomination_forward", args=[under_review.pk])).status_code == 403


# ---------------------------------------------------------------- bulk steps


def test_bulk_receipt_is_all_or_nothing(client, dossier, manager, officer, office, round_, people):
    services.nomination_transition(actor=manager, nomination=dossier, to=NominationStatus.SUBMITTED)
    other = services.nomination_create(actor=manager, round=round_, proposing_unit=office, title="Hồ sơ thứ hai")
    client.force_login(officer)
    url = reverse("nominations:inbox_bulk")
    # The draft cannot be received: nothing changes, the refused dossier is named.
    response = client.post(url, {"ids": [dossier.pk, other.pk], "to": "under_review"}, follow=True)
    assert "Chưa chuyển hồ sơ nào" in response.content.decode() and "Hồ sơ thứ hai" in response.content.decode()
    assert Nomination.objects.get(pk=dossier.pk).status == NominationStatus.SUBMITTED
    response = client.post(url, {"ids": [dossier.pk], "to": "under_review"}, follow=True)
    assert "Đã chuyển 1 hồ sơ" in response.content.decode()
    assert Nomination.objects.get(pk=dossier.pk).status == NominationStatus.UNDER_REVIEW


def test_bulk_refuses_dossiers_out_of_sight(client, dossier, manager, outsider):
    services.nomination_transition(actor=manager, nomination=dossier, to=NominationStatus.SUBMITTED)
    client.force_login(outsider)
    response = client.post(reverse("nominations:inbox_bulk"), {"ids": [dossier.pk], "to": "under_review"}, follow=True)
    assert "không còn trong phạm vi" in response.content.decode()
    assert Nomination.objects.get(pk=dossier.pk).status == NominationStatus.SUBMITTED


def test_waiting_tab_offers_bulk_actions(client, dossier, manager, officer):
    services.nomination_transition(actor=manager, nomination=dossier, to=NominationStatus.SUBMITTED)
    client.force_login(officer)
    page = client.get(reverse("nominations:inbox"), {"tab": "cho-toi"}).content.decode()
    assert 'id="bulk-form"' in page and f'value="{dossier.pk}" form="bulk-form"' in page


# ---------------------------------------------------------------- resubmission shows what changed


def test_resubmission_shows_what_changed(client, dossier, manager, officer, people):
    services.nomination_transition(actor=manager, nomination=dossier, to=NominationStatus.SUBMITTED)
    services.nomination_transition(actor=officer, nomination=dossier, to=NominationStatus.RETURNED, note="Thiếu minh chứng.",
                                   items=["Bổ sung minh chứng sáng kiến", "Sửa tóm tắt thành tích của ông Cường"])
    third = _nominees(dossier)[2]
    services.nominee_update(actor=manager, nominee=third, summary="Năm năm xuất sắc; sáng kiến cấp tỉnh 2024.")
    _attach(dossier, AttachmentKind.INITIATIVE_PROOF)
    services.nominee_remove(actor=manager, nominee=_nominees(dossier)[1])
    services.nomination_transition(actor=manager, nomination=dossier, to=NominationStatus.SUBMITTED)
    steps = selectors.timeline(dossier)
    submissions = [step for step in steps if step.to_status == NominationStatus.SUBMITTED]
    assert len(submissions) == 2 and submissions[0].changes == []
    assert submissions[1].changes == [
        "Bỏ đề nghị: Trần Thị Bình — Giấy khen",
        "Sửa tóm tắt thành tích: Lê Văn Cường",
        f"Bổ sung tài liệu: Minh chứng sáng kiến, đề tài — {AttachmentKind.INITIATIVE_PROOF}.pdf",
    ]
    client.force_login(officer)
    page = client.get(reverse("nominations:nomination_detail", args=[dossier.pk])).content.decode()
    assert "Thay đổi so với lần gửi trước" in page and "Sửa tóm tắt thành tích: Lê Văn Cường" in page


# ---------------------------------------------------------------- the proposing unit's corrections


def test_edit_and_remove_only_while_draft_or_returned(dossier, manager, outsider):
    nominee = _nominees(dossier)[0]
    services.nominee_update(actor=manager, nominee=nominee, summary="Tóm tắt mới.")
    assert Nominee.objects.get(pk=nominee.pk).summary == "Tóm tắt mới."
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(nominee.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.nominee_update(actor=outsider, nominee=nominee, summary="x")
    services.nomination_transition(actor=manager, nomination=dossier, to=NominationStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        services.nominee_remove(actor=manager, nominee=nominee)
    assert Nominee.objects.filter(pk=nominee.pk).exists()


def test_removing_an_attachment_keeps_a_file_a_forwarded_dossier_still_uses(under_review, dossier, manager, officer, province_round):
    forward = services.nomination_forward(actor=officer, nomination=under_review, target_round=province_round)
    carried = forward.attachments.first()
    storage, name = carried.file.storage, carried.file.name
    with pytest.raises(ValidationError):
        attachments.nomination_attachment_remove(actor=manager, attachment=dossier.attachments.get(pk=carried.carried_from_id))
    # The Sở's own draft: removing the carried copy keeps the file of the original dossier.
    attachments.nomination_attachment_remove(actor=officer, attachment=carried)
    assert storage.exists(name)
    assert not NominationAttachment.objects.filter(pk=carried.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_removing_an_unshared_attachment_deletes_the_file(dossier, manager):
    attachment = dossier.attachments.first()
    storage, name = attachment.file.storage, attachment.file.name
    attachments.nomination_attachment_remove(actor=manager, attachment=attachment)
    assert not storage.exists(name)


# ---------------------------------------------------------------- the dossier page


def test_dossier_page_offers_decisions_to_the_officer_only(client, under_review, officer, manager):
    nominee = _nominees(under_review)[0]
    url = reverse("nominations:nomination_detail", args=[under_review.pk])
    decide = reverse("nominations:nominee_decide", args=[under_review.pk, nominee.pk])
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert decide in page and "Trình cấp trên…" in page
    response = client.post(decide, {"to": "approved", "note": "Đạt."}, follow=True)
    assert "Được chấp thuận" in response.content.decode()
    assert Nominee.objects.get(pk=nominee.pk).status == NomineeStatus.APPROVED
    client.force_login(manager)
    assert decide not in client.get(url).content.decode()
    assert client.post(decide, {"to": "pending"}).status_code == 403


def test_assigning_the_appraising_officer(client, under_review, officer, department, django_capture_on_commit_callbacks):
    from tests.factories import make_user

    colleague = make_user("thamdinh2", role="officer", unit=department)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("nominations:nomination_assign", args=[under_review.pk]), {"officer": str(colleague.pk)})
    under_review.refresh_from_db()
    assert under_review.assigned_officer == colleague
    assert colleague.notifications.filter(text__contains="được giao thẩm định").exists()
    response = client.post(reverse("nominations:nomination_assign", args=[under_review.pk]), {"officer": "999999"}, follow=True)
    assert "Chọn cán bộ thẩm định" in response.content.decode()
    assert NominationTransition.objects.filter(nomination=under_review).count() == 2


# ---------------------------------------------------------------- rounds limited to some units, tied to a movement


def test_round_form_limits_the_round_to_some_units(client, officer, department, office, office2):
    client.force_login(officer)
    response = client.post(reverse("nominations:round_create"), {
        "awarding_unit": str(department.pk), "title": "Xét riêng Văn phòng", "track": "cong_trang", "period_start": "2025", "period_end": "2025",
        "opens_on": "01/12/2025", "submission_deadline": "10/01/2026", "accepted_awards": [str(_award("LDTT").pk)], "accepted_units": [str(office.pk)],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    round_ = services.Round.objects.get(title="Xét riêng Văn phòng")
    assert list(round_.accepted_units.all()) == [office]
    with pytest.raises(ValidationError, match="Đợt xét này không nhận hồ sơ"):
        services.nomination_create(actor=officer, round=round_, proposing_unit=office2)


def test_round_refuses_units_outside_the_awarding_unit(officer, office, other_department):
    with pytest.raises(ValidationError) as refused:
        services.round_create(
            actor=officer, awarding_unit=office, title="Sai", period_start=2025, period_end=2025, opens_on=datetime.date(2025, 12, 1),
            submission_deadline=datetime.date(2026, 1, 10), accepted_awards=[_award("LDTT")], accepted_units=[other_department],
        )
    assert "Sở Y tế" in str(refused.value)


# ---------------------------------------------------------------- issued decisions


def test_nominees_decided_moves_a_settled_dossier_to_decided(under_review, officer):
    first, second, third = _nominees(under_review)
    services.nominee_decide(actor=officer, nominee=first, to=NomineeStatus.APPROVED)
    with pytest.raises(services.TransitionRefused, match="đã được chấp thuận"):
        services.nominees_decided(actor=officer, nominees=[first, second], note="Quyết định số 05/QĐ-SKHCN")
    assert Nominee.objects.get(pk=first.pk).status == NomineeStatus.APPROVED
    # Others still wait: the dossier stays where it is.
    assert services.nominees_decided(actor=officer, nominees=[first], note="Quyết định số 05/QĐ-SKHCN") == []
    assert Nominee.objects.get(pk=first.pk).status == NomineeStatus.DECIDED
    services.nominee_decide(actor=officer, nominee=second, to=NomineeStatus.APPROVED)
    services.nominee_decide(actor=officer, nominee=third, to=NomineeStatus.REJECTED, note="Vượt thẩm quyền, không trình.")
    moved = services.nominees_decided(actor=officer, nominees=[Nominee.objects.get(pk=second.pk)], note="Quyết định số 06/QĐ-SKHCN")
    assert [dossier.pk for dossier in moved] == [under_review.pk]
    steps = [(t.from_status, t.to_status) for t in under_review.transitions.all()][-2:]
    assert steps == [("under_review", "approved"), ("approved", "decided")]


def test_nominees_decided_refuses_the_proposing_unit(under_review, officer, manager):
    first = _nominees(under_review)[0]
    services.nominee_decide(actor=officer, nominee=first, to=NomineeStatus.APPROVED)
    with pytest.raises(PermissionDenied):
        services.nominees_decided(actor=manager, nominees=[first])


# ---------------------------------------------------------------- closing a round; people who moved


def test_closed_round_refuses_new_dossiers_but_the_workflow_goes_on(client, under_review, round_, officer, manager, office):
    client.force_login(officer)
    response = client.post(reverse("nominations:round_close", args=[round_.pk]), follow=True)
    assert "Đã kết thúc đợt xét" in response.content.decode()
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.nomination_create(actor=manager, round=round_, proposing_unit=office)
    services.nomination_transition(actor=officer, nomination=under_review, to=NominationStatus.IN_COUNCIL)
    listing = client.get(reverse("nominations:round_list"), {"status": "closed"}).content.decode()
    assert round_.title in listing and "đã kết thúc" in listing
    assert round_.title not in client.get(reverse("nominations:round_list"), {"status": "open"}).content.decode()
    with pytest.raises(PermissionDenied):
        services.round_close(actor=manager, round=round_)


def test_a_person_who_worked_in_the_unit_during_the_period_may_be_proposed(manager, office, office2, round_):
    from thidua.organizations.models import Employment

    moved = make_person("Phạm Thị Dung", unit=office2, recruited_on=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="Chỉ đề nghị cá nhân"):
        services.nominee_add(actor=manager, nomination=services.nomination_create(actor=manager, round=round_, proposing_unit=office),
                             award=_award("GIAY_KHEN"), person=moved)
    Employment.objects.create(person=moved, unit=office, start_date=datetime.date(2019, 1, 1), end_date=datetime.date(2023, 12, 31))
    dossier = services.nomination_create(actor=manager, round=round_, proposing_unit=office, title="Hồ sơ có người đã chuyển công tác")
    nominee = services.nominee_add(actor=manager, nomination=dossier, award=_award("GIAY_KHEN"), person=moved)
    assert nominee.person == moved
