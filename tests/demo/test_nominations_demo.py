"""The demo's 2020 dossiers (thidua.demo.nominations_data), built once for this module inside a transaction
that is rolled back at the end; each test runs in its own savepoint within it."""

import datetime
import unicodedata

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from thidua.accounts.models import User
from thidua.common.models import AuditAction, AuditEntry, GeneratedDocument
from thidua.demo.data import STAGES, build_demo, nominations
from thidua.nominations import selectors, services
from thidua.nominations.enums import NominationStatus, NomineeStatus
from thidua.nominations.models import Nomination, NominationAttachment, NominationTransition, Nominee, Round

YEAR_2020 = (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media):
    # The uploaded and generated files go to a temporary media folder, not to the checkout's var/.
    isolated = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=demo_media)
    # The stages up to this one: later stages (the council's session) move some of these dossiers on.
    stages = STAGES[: STAGES.index(nominations) + 1]
    with django_db_blocker.unblock(), transaction.atomic(), isolated:
        yield build_demo(stages)
        transaction.set_rollback(True)


@pytest.fixture
def media(settings, demo_media):
    settings.MEDIA_ROOT = demo_media


def _department_2020() -> list[Nomination]:
    return list(Nomination.objects.filter(round__awarding_unit__code="SKHCN_TG", round__opens_on__year=2020))


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


@pytest.mark.django_db
def test_demo_department_2020_dossiers_stand_in_every_status(demo):
    dossiers = _department_2020()

    assert {n.status for n in dossiers} == set(NominationStatus.values)
    assert {n.proposing_unit.code for n in dossiers} == {
        "SKHCN_TG_VP", "SKHCN_TG_QLKH", "SKHCN_TG_TTUD", "SKHCN_TG_TDC", "SKHCN_TG_QLCN", "SKHCN_TG_KHTC", "SKHCN_TG_TTTK", "SKHCN_TG_TTRA",
    }
    assert demo.nominations["resubmitted_qlkh"].round.title == "Khen thưởng tổng kết phong trào thi đua giai đoạn 2015–2020"
    period_round = demo.nominations["resubmitted_qlkh"].round
    assert (period_round.track, period_round.period_start, period_round.period_end) == ("chuyen_de", 2015, 2020)
    assert (period_round.opens_on, period_round.submission_deadline) == (datetime.date(2020, 6, 15), datetime.date(2020, 7, 15))
    assert sorted(period_round.accepted_awards.values_list("code", flat=True)) == ["BANG_KHEN_TINH", "GIAY_KHEN"]
    assert period_round.movement.title == "Phong trào thi đua yêu nước giai đoạn 2015 – 2020"


@pytest.mark.django_db
def test_demo_every_step_is_dated_in_2020(demo):
    dossiers = _department_2020() + [demo.nominations["forward_to_province"]]
    steps = NominationTransition.objects.filter(nomination__in=dossiers)

    assert steps.count() == 40
    assert [s.pk for s in steps if not YEAR_2020[0] <= _local_day(s.at) <= YEAR_2020[1]] == []
    for nomination in dossiers:
        assert YEAR_2020[0] <= _local_day(nomination.created_at) <= YEAR_2020[1]
        if nomination.submitted_at:
            assert _local_day(nomination.submitted_at).year == 2020
        if nomination.received_on:
            assert nomination.received_on.year == 2020 and nomination.received_on < nomination.appraisal_due
    uploaded = NominationAttachment.objects.filter(nomination__in=dossiers)
    assert uploaded.count() >= 35
    assert {_local_day(a.uploaded_at).year for a in uploaded} == {2020}
    assert {_local_day(n.evaluated_at).year for n in Nominee.objects.filter(nomination__in=dossiers, evaluated_at__isnull=False)} == {2020}
    stamped = [
        *Nomination.objects.values_list("created_at", "updated_at"),
        *Nominee.objects.values_list("created_at", "updated_at"),
        *Round.objects.values_list("created_at", "updated_at"),
    ]
    assert {_local_day(moment).year for pair in stamped for moment in pair} == {2020}
    # The verdicts are those of the submission day: under Decree 91/2017, in force in 2020.
    assert set(Nominee.objects.exclude(ruleset_code="").values_list("ruleset_code", flat=True)) == {"ND91_2017"}
    # Received again on Wednesday 15 July 2020, due 20 working days later (the ruleset's appraisal limit).
    resubmitted = demo.nominations["resubmitted_qlkh"]
    assert (resubmitted.received_on, resubmitted.appraisal_due) == (datetime.date(2020, 7, 15), datetime.date(2020, 8, 12))


@pytest.mark.django_db
def test_demo_returned_dossier_was_completed_and_sent_again(demo):
    nomination = demo.nominations["resubmitted_qlkh"]
    submissions = list(nomination.transitions.filter(to_status=NominationStatus.SUBMITTED).order_by("at"))

    assert [t.to_status for t in nomination.transitions.order_by("at")] == [
        "submitted", "under_review", "returned", "submitted", "under_review", "in_council",
    ]
    assert nomination.submission_count == 2
    returned = nomination.transitions.get(to_status=NominationStatus.RETURNED)
    assert returned.by.username == "vanphong"
    assert returned.items == [
        "Bổ sung báo cáo thành tích của tập thể Phòng Quản lý khoa học giai đoạn 2015–2020",
        "Nêu cụ thể số nhiệm vụ khoa học và công nghệ đã quản lý, nghiệm thu trong tóm tắt thành tích của tập thể",
    ]
    assert [t.by.username for t in submissions] == ["truongphong", "truongphong"]
    assert services.snapshot_changes(submissions[0].snapshot, submissions[1].snapshot) == [
        "Sửa tóm tắt thành tích: Tập thể Phòng Quản lý khoa học",
        "Bổ sung tài liệu: Báo cáo thành tích — bao-cao-thanh-tich-tap-the-qlkh.docx",
    ]
    assert [step.changes for step in selectors.timeline(nomination) if step.to_status == NominationStatus.SUBMITTED][1] == [
        "Sửa tóm tắt thành tích: Tập thể Phòng Quản lý khoa học",
        "Bổ sung tài liệu: Báo cáo thành tích — bao-cao-thanh-tich-tap-the-qlkh.docx",
    ]
    # The generated tờ trình was made again for the second submission: two versions, each dated by its submission.
    versions = GeneratedDocument.objects.filter(object_id=str(nomination.pk), kind="to_trinh").order_by("version")
    assert [(v.version, _local_day(v.created_at)) for v in versions] == [(1, datetime.date(2020, 7, 8)), (2, datetime.date(2020, 7, 14))]


@pytest.mark.django_db
def test_demo_bang_khen_was_carried_to_the_provinces_round(demo):
    original = demo.nominations["forwarded_qlkh"]
    upward = demo.nominations["forward_to_province"]

    assert original.status == NominationStatus.FORWARDED
    assert list(original.forwards.all()) == [upward]
    assert upward.forwarded_from == original
    assert upward.round.awarding_unit.code == "UBND_TG"
    assert upward.round.title == "Khen thưởng tổng kết phong trào thi đua yêu nước giai đoạn 2015–2020"
    assert (upward.proposing_unit.code, upward.status) == ("SKHCN_TG", NominationStatus.SUBMITTED)
    carried = upward.nominees.get()
    assert carried.source_nominee.nomination == original
    assert (carried.award.code, carried.person, carried.source_nominee.status) == ("BANG_KHEN_TINH", demo.people["qlkh_head"], NomineeStatus.FORWARDED)
    # The original documents go up with it (the same stored files), plus the department's own tờ trình.
    assert upward.attachments.filter(carried_from__nomination=original).count() == original.attachments.count() == 3
    assert upward.attachments.filter(carried_from__isnull=True, kind="to_trinh").count() == 1


@pytest.mark.django_db
def test_demo_seed_giay_khen_nominees_wait_for_the_council(demo):
    seed = demo.seed_nominees

    assert len(seed) == 16
    assert sum(1 for n in seed if n.unit_id) == 2 and sum(1 for n in seed if n.person_id) == 14
    assert {n.unit.code for n in seed if n.unit_id} == {"SKHCN_TG_QLKH", "SKHCN_TG_TTUD"}
    assert {(n.award.code, n.status, n.nomination.status, n.verdict) for n in seed} == {
        ("GIAY_KHEN", NomineeStatus.IN_COUNCIL, NominationStatus.IN_COUNCIL, "eligible")
    }
    assert len({n.nomination.proposing_unit.code for n in seed}) == 4
    assert len({n.person_id for n in seed if n.person_id}) == 14
    assert demo.people["director"].pk not in {n.person_id for n in seed}
    # Another dossier waits in the council, for a session still to be opened.
    others = Nomination.objects.filter(status=NominationStatus.IN_COUNCIL).exclude(pk__in={n.nomination_id for n in seed})
    assert list(others) == [demo.nominations["in_council_qlcn"]]


@pytest.mark.django_db
def test_demo_appraisal_decides_some_nominees_while_others_wait(demo):
    nomination = demo.nominations["under_review_khtc"]
    nominees = list(nomination.nominees.order_by("id"))

    assert nomination.status == NominationStatus.UNDER_REVIEW
    assert [n.status for n in nominees] == [NomineeStatus.APPROVED, NomineeStatus.PENDING, NomineeStatus.PENDING]
    assert nominees[0].decided_by.username == "vanphong" and _local_day(nominees[0].decided_at) == datetime.date(2020, 7, 24)
    assert [bool(n.appraisal_note) for n in nominees] == [True, True, False]
    rejected = demo.nominations["rejected_tttk"]
    assert rejected.nominees.get().verdict == "ineligible"
    assert "chưa đủ tiêu chuẩn" in rejected.transitions.get(to_status=NominationStatus.REJECTED).note
    returned = demo.nominations["returned_ttra"]
    assert returned.return_reason and len(returned.items_to_complete) == 2
    assert demo.nominations["withdrawn_tdc"].transitions.last().note.startswith("Chi cục rút hồ sơ")
    draft = demo.nominations["draft_qlcn"]
    assert (draft.status, draft.submission_count, services.missing_documents(draft)) == (
        NominationStatus.DRAFT, 0, ["bao_cao_thanh_tich", "bien_ban_xet_khen_thuong"]
    )


@pytest.mark.django_db
def test_demo_dossiers_are_written_through_the_audited_services(demo):
    nominations = Nomination.objects.all()
    created = AuditEntry.objects.filter(action=AuditAction.CREATE, content_type__model="nomination", note="")

    assert nominations.count() == 15
    assert sorted(created.values_list("object_id", flat=True)) == sorted(str(n.pk) for n in nominations)
    transitions = AuditEntry.objects.filter(action=AuditAction.TRANSITION, content_type__model="nomination")
    assert transitions.count() == NominationTransition.objects.count()
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, content_type__model="nominee").count() == Nominee.objects.count()
    texts = [*Nominee.objects.values_list("summary", flat=True), *Nomination.objects.values_list("title", flat=True)]
    assert [t for t in texts if unicodedata.normalize("NFC", t) != t] == []


@pytest.mark.django_db
def test_demo_officer_sees_and_can_appraise_the_department_dossiers(demo, media):
    client = _client("vanphong")
    nomination = demo.nominations["resubmitted_qlkh"]

    response = client.get(f"/ho-so/{nomination.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phòng Quản lý khoa học" in page
    assert "Trình Hội đồng" in page
    assert "Trả lại để bổ sung" in page  # the timeline
    assert "Bổ sung tài liệu: Báo cáo thành tích — bao-cao-thanh-tich-tap-the-qlkh.docx" in page
    for key in ["in_council_vp", "forwarded_qlkh", "under_review_khtc", "returned_ttra", "draft_qlcn", "decided_tdc"]:
        assert client.get(f"/ho-so/{demo.nominations[key].pk}/").status_code == 200, key
    returned = client.get(f"/ho-so/{demo.nominations['returned_ttra'].pk}/").content.decode()
    assert "Hồ sơ bị trả lại để bổ sung." in returned
    assert "Xác nhận kết quả xếp loại năm 2019 của các cá nhân được đề nghị" in returned
    attachment = nomination.attachments.get(original_name="bao-cao-thanh-tich-tap-the-qlkh.docx")
    download = client.get(f"/ho-so/{nomination.pk}/tai-lieu/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"

    inbox = client.get("/ho-so/", {"tab": "cho-toi"})
    assert inbox.status_code == 200
    waiting = {n.pk for n in selectors.waiting_for(User.objects.get(username="vanphong"), selectors.nominations_visible_to(User.objects.get(username="vanphong")))}
    assert {demo.nominations[key].pk for key in ["submitted_ttud", "under_review_khtc", "in_council_vp", "approved_tttk"]} <= waiting


@pytest.mark.django_db
def test_demo_science_office_head_sees_the_office_dossiers_only(demo, media):
    manager = User.objects.get(username="truongphong")
    visible = set(selectors.nominations_visible_to(manager).values_list("pk", flat=True))

    assert visible == {demo.nominations[key].pk for key in ["resubmitted_qlkh", "forwarded_qlkh"]}
    client = _client("truongphong")
    page = client.get(f"/ho-so/{demo.nominations['resubmitted_qlkh'].pk}/")
    assert page.status_code == 200
    assert "Tập thể: Phòng Quản lý khoa học" in page.content.decode()
    assert "Thay đổi so với lần gửi trước" in page.content.decode()
    assert client.get(f"/ho-so/{demo.nominations['in_council_vp'].pk}/").status_code == 404
