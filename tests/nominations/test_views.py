"""The round, inbox and dossier pages: happy paths, access outside the scope, uploads, workflow buttons."""

import datetime
import hashlib
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_person
from thidua.nominations import services
from thidua.nominations.enums import AttachmentKind, NominationStatus
from thidua.nominations.models import Nomination, NominationAttachment, Nominee, Round
from thidua.records.services import rating_set
from thidua.rules.models import AwardType


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
        attachment = NominationAttachment(nomination=nomination, kind=kind, original_name=f"{kind}.pdf", size=13, sha256="0" * 64)
        attachment.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        attachment.save()


@pytest.fixture
def dossier(manager, office, round_, nominee_person):
    nomination = services.nomination_create(actor=manager, round=round_, proposing_unit=office)
    services.nominee_add(actor=manager, nomination=nomination, award=AwardType.objects.get(code="LDTT"), person=nominee_person,
                         summary="Hoàn thành tốt nhiệm vụ năm 2025.")
    _attach(nomination, AttachmentKind.COVER_LETTER, AttachmentKind.ACHIEVEMENT_REPORT, AttachmentKind.SCREENING_MINUTES)
    return nomination


def _files(settings) -> list:
    root = settings.MEDIA_ROOT
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


# ---------------------------------------------------------------- rounds


def test_round_list_shows_visible_rounds(manager_client, round_):
    response = manager_client.get(reverse("nominations:round_list"))
    assert response.status_code == 200
    assert "Xét khen thưởng năm 2025" in response.text
    assert "Lập hồ sơ" in response.text


def test_round_list_hides_rounds_of_other_units(outsider_client, round_):
    response = outsider_client.get(reverse("nominations:round_list"))
    assert response.status_code == 200
    assert "Xét khen thưởng năm 2025" not in response.text


def test_round_list_staff_forbidden(staff_client):
    assert staff_client.get(reverse("nominations:round_list")).status_code == 403


def test_round_create_opens_round(officer_client, department):
    awards = AwardType.objects.filter(code__in=["LDTT", "GIAY_KHEN"])
    response = officer_client.post(reverse("nominations:round_create"), {
        "awarding_unit": department.pk, "title": "Đợt xét 2026", "track": "cong_trang", "period_start": 2026, "period_end": 2026,
        "opens_on": "01/12/2026", "submission_deadline": "15/01/2027", "accepted_awards": [award.pk for award in awards],
    })
    assert response.status_code == 302
    round_ = Round.objects.get(title="Đợt xét 2026")
    assert round_.awarding_unit == department
    assert set(round_.accepted_awards.values_list("code", flat=True)) == {"LDTT", "GIAY_KHEN"}


def test_round_create_form_lists_awards_as_checkboxes(officer_client):
    response = officer_client.get(reverse("nominations:round_create"))
    assert response.status_code == 200
    assert 'type="checkbox" name="accepted_awards"' in response.text


def test_round_create_unit_manager_forbidden(manager_client):
    assert manager_client.get(reverse("nominations:round_create")).status_code == 403


def test_round_create_refuses_unit_outside_scope(officer_client, other_department):
    response = officer_client.post(reverse("nominations:round_create"), {
        "awarding_unit": other_department.pk, "title": "Đợt xét", "track": "cong_trang", "period_start": 2026, "period_end": 2026,
        "opens_on": "01/12/2026", "submission_deadline": "15/01/2027", "accepted_awards": [AwardType.objects.get(code="LDTT").pk],
    })
    assert response.status_code == 400
    assert "Đơn vị không thuộc phạm vi của bạn." in response.text
    assert not Round.objects.filter(title="Đợt xét").exists()


# ---------------------------------------------------------------- the inbox


def test_inbox_lists_visible_dossiers(manager_client, officer_client, dossier):
    for client in (manager_client, officer_client):
        response = client.get(reverse("nominations:inbox"))
        assert response.status_code == 200
        assert dossier.title in response.text


def test_inbox_outsider_sees_nothing(outsider_client, dossier):
    response = outsider_client.get(reverse("nominations:inbox"))
    assert response.status_code == 200
    assert dossier.title not in response.text


def test_inbox_staff_forbidden(staff_client):
    assert staff_client.get(reverse("nominations:inbox")).status_code == 403


def test_inbox_waiting_tab_follows_sides(manager_client, officer_client, dossier, manager, officer):
    services.nomination_transition(actor=manager, nomination=dossier, to=NominationStatus.SUBMITTED)
    waiting = reverse("nominations:inbox") + "?tab=cho-toi"
    assert dossier.title in officer_client.get(waiting).text
    # The unit may still withdraw a submitted dossier, so it waits for the manager too; after review starts it does not.
    assert dossier.title in manager_client.get(waiting).text
    services.nomination_transition(actor=officer, nomination=dossier, to=NominationStatus.UNDER_REVIEW)
    assert dossier.title not in manager_client.get(waiting).text
    assert dossier.title in officer_client.get(waiting).text


def test_inbox_waiting_tab_matches_transitions_allowed(officer, manager, dossier, round_, office):
    from thidua.nominations import selectors

    for status in NominationStatus.values:
        Nomination.objects.filter(pk=dossier.pk).update(status=status)
        dossier.refresh_from_db()
        for user in (officer, manager):
            in_tab = selectors.waiting_for(user, selectors.nominations_visible_to(user)).filter(pk=dossier.pk).exists()
            assert in_tab == bool(services.transitions_allowed_for(user, dossier)), (status, user)


def test_inbox_filters_by_status(officer_client, dossier):
    response = officer_client.get(reverse("nominations:inbox"), {"status": "approved"})
    assert response.status_code == 200
    assert dossier.title not in response.text
    response = officer_client.get(reverse("nominations:inbox"), {"status": "draft", "round": dossier.round_id})
    assert dossier.title in response.text


def test_appraisal_days_left_many_matches_service(dossier):
    from thidua.common.models import Holiday
    from thidua.nominations import selectors

    Holiday.objects.create(day=datetime.date(2026, 3, 4), name="Ngày nghỉ thử")
    today = datetime.date(2026, 3, 2)
    for due in (datetime.date(2026, 2, 20), datetime.date(2026, 3, 2), datetime.date(2026, 3, 10)):
        Nomination.objects.filter(pk=dossier.pk).update(status=NominationStatus.UNDER_REVIEW, appraisal_due=due)
        dossier.refresh_from_db()
        assert selectors.appraisal_days_left_many([dossier], today) == {dossier.pk: services.appraisal_days_left(dossier, today)}


def test_inbox_shows_overdue_in_red(officer_client, dossier):
    Nomination.objects.filter(pk=dossier.pk).update(status=NominationStatus.UNDER_REVIEW, appraisal_due=datetime.date(2020, 1, 6))
    response = officer_client.get(reverse("nominations:inbox"))
    assert 'class="badge badge-no">quá hạn' in response.text


def test_inbox_query_count_does_not_grow(officer_client, manager, office, round_):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert officer_client.get(reverse("nominations:inbox")).status_code == 200
        return len(context.captured_queries)

    def add(title):
        nomination = services.nomination_create(actor=manager, round=round_, proposing_unit=office, title=title)
        Nomination.objects.filter(pk=nomination.pk).update(status=NominationStatus.UNDER_REVIEW, appraisal_due=datetime.date(2026, 3, 2))

    add("Hồ sơ 1")
    one = count()
    add("Hồ sơ 2")
    add("Hồ sơ 3")
    assert count() == one


# ---------------------------------------------------------------- dossiers


def test_nomination_create_makes_draft(manager_client, round_, office):
    url = reverse("nominations:nomination_create") + f"?round={round_.pk}"
    assert manager_client.get(url).status_code == 200
    response = manager_client.post(url, {"proposing_unit": office.pk, "title": "Đề nghị năm 2025"})
    nomination = Nomination.objects.get(title="Đề nghị năm 2025")
    assert response.status_code == 302
    assert response["Location"] == reverse("nominations:nomination_detail", args=[nomination.pk])
    assert nomination.status == NominationStatus.DRAFT


def test_nomination_create_round_out_of_sight_404(outsider_client, round_):
    assert outsider_client.get(reverse("nominations:nomination_create") + f"?round={round_.pk}").status_code == 404


def test_nomination_create_staff_forbidden(staff_client, round_):
    assert staff_client.get(reverse("nominations:nomination_create") + f"?round={round_.pk}").status_code == 403


def test_nomination_detail_shows_dossier(manager_client, dossier, nominee_person):
    response = manager_client.get(reverse("nominations:nomination_detail", args=[dossier.pk]))
    assert response.status_code == 200
    assert nominee_person.full_name in response.text
    assert "✓ đã có" in response.text
    assert 'name="to" value="submitted"' in response.text
    assert 'value="under_review"' not in response.text


def test_nomination_detail_outsider_and_staff_404(outsider_client, staff_client, dossier):
    url = reverse("nominations:nomination_detail", args=[dossier.pk])
    assert outsider_client.get(url).status_code == 404
    assert staff_client.get(url).status_code == 404


def test_nominee_add_person(manager_client, dossier, office):
    person = make_person("Trần Thị Bình", unit=office)
    response = manager_client.post(reverse("nominations:nominee_add", args=[dossier.pk]), {
        "subject": person.pk, "award": AwardType.objects.get(code="LDTT").pk, "summary": "Hoàn thành xuất sắc.",
    })
    assert response.status_code == 302
    assert Nominee.objects.filter(nomination=dossier, person=person).exists()


def test_nominee_add_duplicate_shows_service_error(manager_client, dossier, nominee_person):
    response = manager_client.post(reverse("nominations:nominee_add", args=[dossier.pk]), {
        "subject": nominee_person.pk, "award": AwardType.objects.get(code="LDTT").pk,
    })
    assert response.status_code == 400
    assert "Đã được đề nghị" in response.text
    assert Nominee.objects.filter(nomination=dossier).count() == 1


def test_nominee_add_outsider_and_staff_404(outsider_client, staff_client, dossier, nominee_person):
    url = reverse("nominations:nominee_add", args=[dossier.pk])
    assert outsider_client.post(url, {"subject": nominee_person.pk}).status_code == 404
    assert staff_client.post(url, {"subject": nominee_person.pk}).status_code == 404


def test_attachment_add_stores_pdf_with_hash(manager_client, dossier, settings):
    before = len(_files(settings))
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.7 body", content_type="application/pdf")
    response = manager_client.post(reverse("nominations:attachment_add", args=[dossier.pk]), {"kind": AttachmentKind.OTHER, "file": upload})
    assert response.status_code == 302
    attachment = NominationAttachment.objects.get(nomination=dossier, kind=AttachmentKind.OTHER)
    assert attachment.size == len(b"%PDF-1.7 body")
    assert attachment.sha256 == hashlib.sha256(b"%PDF-1.7 body").hexdigest()
    assert len(_files(settings)) == before + 1


def test_attachment_add_accepts_docx(manager_client, dossier):
    upload = SimpleUploadedFile("to-trinh.docx", _docx_bytes())
    response = manager_client.post(reverse("nominations:attachment_add", args=[dossier.pk]), {"kind": AttachmentKind.OTHER, "file": upload})
    assert response.status_code == 302


@pytest.mark.parametrize(("name", "content", "message"), [
    ("virus.exe", b"MZ\x90\x00", "Chỉ nhận tệp PDF, DOCX, XLSX, JPEG hoặc PNG."),
    ("gia-mao.pdf", b"MZ\x90\x00 not a pdf", "Nội dung tệp không đúng định dạng PDF; tệp có thể đã bị đổi tên."),
    ("gia-mao.docx", _docx_bytes().replace(b"word/", b"xxxx/"), "Nội dung tệp không đúng định dạng DOCX; tệp có thể đã bị đổi tên."),
])
def test_attachment_add_refuses_wrong_type(manager_client, dossier, settings, name, content, message):
    count, files = NominationAttachment.objects.count(), len(_files(settings))
    response = manager_client.post(reverse("nominations:attachment_add", args=[dossier.pk]),
                                   {"kind": AttachmentKind.OTHER, "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.text
    assert NominationAttachment.objects.count() == count
    assert len(_files(settings)) == files


def test_attachment_add_refuses_oversized_file(manager_client, dossier, settings):
    settings.NOMINATION_ATTACHMENT_MAX_BYTES = 1024 * 1024
    count, files = NominationAttachment.objects.count(), len(_files(settings))
    upload = SimpleUploadedFile("lon.pdf", b"%PDF-1.4 " + b"0" * (1024 * 1024))
    response = manager_client.post(reverse("nominations:attachment_add", args=[dossier.pk]), {"kind": AttachmentKind.OTHER, "file": upload})
    assert response.status_code == 400
    assert "Tệp lớn hơn giới hạn 1 MB." in response.text
    assert NominationAttachment.objects.count() == count
    assert len(_files(settings)) == files


def test_attachment_add_outsider_404_staff_404(outsider_client, staff_client, dossier, settings):
    url = reverse("nominations:attachment_add", args=[dossier.pk])
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    assert outsider_client.post(url, {"kind": AttachmentKind.OTHER, "file": upload}).status_code == 404
    upload.seek(0)
    assert staff_client.post(url, {"kind": AttachmentKind.OTHER, "file": upload}).status_code == 404
    assert dossier.attachments.count() == 3


def test_attachment_file_served_to_viewers_only(manager_client, officer_client, outsider_client, staff_client, dossier):
    attachment = dossier.attachments.first()
    url = reverse("nominations:attachment_file", args=[dossier.pk, attachment.pk])
    for client in (manager_client, officer_client):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert outsider_client.get(url).status_code == 404
    assert staff_client.get(url).status_code == 404


def test_transition_submit_then_return_with_items(manager_client, officer_client, dossier):
    url = reverse("nominations:nomination_transition", args=[dossier.pk])
    assert manager_client.post(url, {"to": "submitted"}).status_code == 302
    response = officer_client.post(url, {"to": "returned", "note": "Thiếu số liệu.", "items": "Bổ sung số liệu\n\nBổ sung biên bản"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == NominationStatus.RETURNED
    assert dossier.items_to_complete == ["Bổ sung số liệu", "Bổ sung biên bản"]
    page = manager_client.get(reverse("nominations:nomination_detail", args=[dossier.pk])).text
    assert "Hồ sơ bị trả lại để bổ sung." in page
    assert "Bổ sung biên bản" in page
    assert "Lý do xét điều kiện" in page
    assert '<span class="badge badge-ok">Đủ điều kiện</span>' in page


def test_transition_refused_shows_message(manager_client, officer_client, dossier):
    url = reverse("nominations:nomination_transition", args=[dossier.pk])
    manager_client.post(url, {"to": "submitted"})
    response = officer_client.post(url, {"to": "returned", "note": "", "items": ""})
    assert response.status_code == 409
    assert "Ghi rõ lý do trả lại hồ sơ." in response.text
    dossier.refresh_from_db()
    assert dossier.status == NominationStatus.SUBMITTED


def test_transition_unit_manager_cannot_appraise(manager_client, dossier, manager):
    services.nomination_transition(actor=manager, nomination=dossier, to=NominationStatus.SUBMITTED)
    response = manager_client.post(reverse("nominations:nomination_transition", args=[dossier.pk]), {"to": "under_review"})
    assert response.status_code == 403
    assert "Bạn không có quyền chuyển hồ sơ này sang “Đang thẩm định”." in response.text
    dossier.refresh_from_db()
    assert dossier.status == NominationStatus.SUBMITTED


def test_transition_outsider_404(outsider_client, dossier):
    response = outsider_client.post(reverse("nominations:nomination_transition", args=[dossier.pk]), {"to": "submitted"})
    assert response.status_code == 404
