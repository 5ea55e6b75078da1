"""The call for presentations: submitting (who, for which unit, until when, which files), the organiser's
decisions with their messages (every transition allowed and refused), revision, reviews and the exports."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from tests.exemplars.conftest import AUTHOR_NAME, client_for, docx_by, upload
from thidua.exemplars import services_conferences, services_reviews
from thidua.exemplars.enums import PRESENTATION_TRANSITIONS, PresentationStatus
from thidua.exemplars.models import Presentation, Review
from thidua.exemplars.services import TransitionRefused


def _scores(conference, points=(30, 30, 15)):
    return {criterion.pk: value for criterion, value in zip(conference.criteria.all(), points, strict=True)}


# ---------------------------------------------------------------- submitting


def test_staff_submit_for_their_own_unit(presentation, author_user, office):
    assert presentation.status == "submitted" and presentation.unit == office and presentation.submitted_by == author_user
    assert [(a.name, a.person_id) for a in presentation.authors.all()] == [(AUTHOR_NAME, author_user.person_id)]
    assert presentation.original_name == f"Tham luan - {AUTHOR_NAME}.docx" and presentation.blind_source == "auto"
    assert presentation.file.name.rsplit("/", 1)[-1].startswith("tham-luan")  # the stored name says nothing


def test_no_one_submits_for_another_unit(author_user, open_conference, office2, outsider, other_department):
    for actor, unit in ((author_user, office2), (outsider, other_department)):
        with pytest.raises(PermissionDenied):
            services_reviews.presentation_submit(actor=actor, conference=open_conference, unit=unit, title="x", authors=[{"name": "A"}])


def test_submissions_only_while_called_for_and_before_the_deadline(author_user, conference, officer, office):
    with pytest.raises(ValidationError, match="không trong thời gian nhận tham luận"):
        services_reviews.presentation_submit(actor=author_user, conference=conference, unit=office, title="x", authors=[{"name": "A"}])
    services_conferences.conference_transition(actor=officer, conference=conference, to="open_for_submissions")
    services_conferences.conference_update(actor=officer, conference=conference, submission_deadline=datetime.date.today() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="Đã quá hạn gửi tham luận"):
        services_reviews.presentation_submit(actor=author_user, conference=conference, unit=office, title="x", authors=[{"name": "A"}])
    # The organiser may still take one in late.
    late = services_reviews.presentation_submit(actor=officer, conference=conference, unit=office, title="Nhận muộn", authors=[{"name": "A"}])
    assert late.status == "submitted"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("tham-luan.exe", b"MZ", "PDF hoặc DOCX"),
    ("tham-luan.pdf", b"MZ\x90 renamed", "đổi tên"),
    ("tham-luan.docx", b"PK\x03\x04 not a docx", "đổi tên"),
    ("tham-luan.pdf", b"", "Tệp rỗng"),
])
def test_bad_files_are_refused_and_nothing_is_saved(author_user, open_conference, office, name, content, message):
    with pytest.raises(ValidationError, match=message):
        services_reviews.presentation_submit(actor=author_user, conference=open_conference, unit=office, title="x", authors=[{"name": "A"}],
                                             file=upload(name, content))
    assert not Presentation.objects.exists()


def test_an_author_is_needed(author_user, open_conference, office):
    with pytest.raises(ValidationError, match="ít nhất một tác giả"):
        services_reviews.presentation_submit(actor=author_user, conference=open_conference, unit=office, title="x", authors=[{"name": " "}])
    assert not Presentation.objects.exists()


def test_submitting_through_the_page(author_user, open_conference, office):
    client = client_for(author_user)
    form = client.get(reverse("conferences:presentation_submit", args=[open_conference.pk]))
    assert form.status_code == 200 and AUTHOR_NAME in form.content.decode()  # the submitter is offered as the author
    response = client.post(reverse("conferences:presentation_submit", args=[open_conference.pk]), {
        "unit": office.pk, "title": "Cải cách hành chính", "abstract": "Tóm tắt", "authors": f"{AUTHOR_NAME} | Văn phòng Sở\nNgười Thứ Hai",
        "file": upload("a.docx", docx_by(AUTHOR_NAME)),
    })
    presentation = Presentation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("conferences:presentation_detail", args=[presentation.pk])
    assert [(a.name, a.affiliation, a.person_id) for a in presentation.authors.all()] == [
        (AUTHOR_NAME, "Văn phòng Sở", author_user.person_id), ("Người Thứ Hai", "", None)]


# ---------------------------------------------------------------- decisions


def test_the_table():
    assert PRESENTATION_TRANSITIONS == {
        "submitted": {"accepted": "organiser", "revisions_required": "organiser", "rejected": "organiser", "withdrawn": "author"},
        "revisions_required": {"submitted": "author", "withdrawn": "author"},
        "accepted": {}, "rejected": {}, "withdrawn": {},
    }


@pytest.mark.parametrize("source", ["accepted", "rejected", "withdrawn", "revisions_required"])
def test_decisions_outside_the_table_are_refused(officer, author_user, presentation, source):
    if source == "withdrawn":
        services_reviews.presentation_withdraw(actor=author_user, presentation=presentation)
    else:
        services_reviews.presentation_decide(actor=officer, presentation=presentation, to=source, message="Lý do")
    for target in ("accepted", "revisions_required", "rejected"):
        with pytest.raises(TransitionRefused):
            services_reviews.presentation_decide(actor=officer, presentation=presentation, to=target, message="x")
    assert Presentation.objects.get(pk=presentation.pk).status == source


def test_a_decision_other_than_accepting_needs_a_message_and_reaches_the_author(officer, presentation, author_user, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError, match="Ghi ý kiến gửi tác giả"):
        services_reviews.presentation_decide(actor=officer, presentation=presentation, to="rejected")
    with django_capture_on_commit_callbacks(execute=True):
        services_reviews.presentation_decide(actor=officer, presentation=presentation, to="revisions_required",
                                             message="Bổ sung số liệu năm 2024")
    note = author_user.notifications.get()
    assert "Cần chỉnh sửa" in note.text and "Bổ sung số liệu năm 2024" in note.text
    assert note.url == reverse("conferences:presentation_detail", args=[presentation.pk])


def test_only_the_organiser_decides(manager, reviewer, author_user, presentation):
    for user in (manager, reviewer, author_user):
        with pytest.raises(PermissionDenied):
            services_reviews.presentation_decide(actor=user, presentation=presentation, to="accepted")


def test_revision_and_resubmission(officer, author_user, presentation, reviewer):
    services_reviews.review_submit(actor=reviewer, presentation=presentation, scores=_scores(presentation.conference), recommendation="revise")
    services_reviews.presentation_decide(actor=officer, presentation=presentation, to="revisions_required", message="Rút gọn")
    with pytest.raises(TransitionRefused):
        services_reviews.review_submit(actor=reviewer, presentation=presentation, scores=_scores(presentation.conference), recommendation="accept")
    revised = services_reviews.presentation_resubmit(actor=author_user, presentation=presentation, title="Tên mới",
                                                     file=upload("b.pdf", b"%PDF-1.4\n/Author (Ai)\n%%EOF"))
    assert (revised.status, revised.revision, revised.title, revised.original_name) == ("submitted", 2, "Tên mới", "b.pdf")
    review, created = services_reviews.review_submit(actor=reviewer, presentation=revised, scores=_scores(revised.conference, (40, 40, 20)),
                                                     recommendation="accept")
    assert not created and review.total == 100 and Review.objects.count() == 1


def test_the_author_withdraws_but_not_someone_else(author_user, staff, presentation):
    with pytest.raises(PermissionDenied):
        services_reviews.presentation_withdraw(actor=staff, presentation=presentation)
    assert services_reviews.presentation_withdraw(actor=author_user, presentation=presentation).status == "withdrawn"


# ---------------------------------------------------------------- reviews


def test_a_review_covers_every_criterion_within_its_maximum(reviewer, presentation):
    conference = presentation.conference
    ids = [criterion.pk for criterion in conference.criteria.all()]
    with pytest.raises(ValidationError, match="Chưa chấm tiêu chí: Hình thức"):
        services_reviews.review_submit(actor=reviewer, presentation=presentation, scores={ids[0]: 10, ids[1]: 10}, recommendation="accept")
    with pytest.raises(ValidationError, match="từ 0 đến 20"):
        services_reviews.review_submit(actor=reviewer, presentation=presentation, scores={ids[0]: 10, ids[1]: 10, ids[2]: 21}, recommendation="accept")
    with pytest.raises(ValidationError, match="không có trong hội nghị"):
        services_reviews.review_submit(actor=reviewer, presentation=presentation, scores={ids[0]: 1, ids[1]: 1, ids[2]: 1, 99999: 1}, recommendation="accept")
    with pytest.raises(ValidationError, match="Chọn đề nghị"):
        services_reviews.review_submit(actor=reviewer, presentation=presentation, scores=_scores(conference), recommendation="maybe")
    assert not Review.objects.exists()
    review, created = services_reviews.review_submit(actor=reviewer, presentation=presentation, scores=_scores(conference), recommendation="accept",
                                                     comment="Thiết thực")
    assert created and review.total == 75 and review.scores.count() == 3


def test_only_assigned_reviewers_review(officer, auditor, author_user, presentation):
    for user in (officer, auditor, author_user):
        with pytest.raises(PermissionDenied):
            services_reviews.review_submit(actor=user, presentation=presentation, scores=_scores(presentation.conference), recommendation="accept")


def test_review_through_the_page(reviewer_client, presentation):
    fields = {f"score_{pk}": points for pk, points in _scores(presentation.conference).items()}
    bad = reviewer_client.post(reverse("conferences:review_submit", args=[presentation.pk]), {**fields, f"score_{next(iter(fields))[6:]}": 99})
    assert bad.status_code == 400 and "Tối đa 40 điểm." in bad.content.decode()
    response = reviewer_client.post(reverse("conferences:review_submit", args=[presentation.pk]), {**fields, "recommendation": "accept"})
    assert response.status_code == 302 and Review.objects.get().total == 75


def test_the_organisers_export_names_authors_and_scores(officer_client, presentation, reviewer):
    services_reviews.review_submit(actor=reviewer, presentation=presentation, scores=_scores(presentation.conference), recommendation="accept",
                                   comment="Tốt")
    response = officer_client.get(reverse("conferences:review_export", args=[presentation.conference_id]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:6] == ("Mã", "Tên tham luận", "Tác giả", "Đơn vị gửi", "Trạng thái", "Người đánh giá")
    assert rows[2][1:4] == ("Ứng dụng chữ ký số trong văn thư", AUTHOR_NAME, "Văn phòng Sở")
    assert rows[2][6:] == (30, 30, 15, 75, "Đề nghị chọn", "Tốt")


def test_the_organisers_table_lists_totals_and_average(officer_client, presentation, reviewer):
    services_reviews.review_submit(actor=reviewer, presentation=presentation, scores=_scores(presentation.conference), recommendation="accept")
    html = officer_client.get(reverse("conferences:presentation_list", args=[presentation.conference_id])).content.decode()
    assert "75 (Đề nghị chọn)" in html and "75,0" in html


def test_statuses_are_labelled():
    assert PresentationStatus("revisions_required").label == "Cần chỉnh sửa"
