"""Blind review, tested as an attacker would: an assigned reviewer looks for the author's name (and unit, and
the file's original name) in every page, file, export and API answer open to them."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.api.conftest import bearer_client
from tests.exemplars.conftest import AUTHOR_NAME, client_for, docx_by, make_conference, pdf_by, upload
from thidua.exemplars import blind, services_conferences, services_reviews
from thidua.exemplars.models import Presentation

SECRETS = (AUTHOR_NAME, "Thị Tác Giả", "tacgia", "Văn phòng Sở", "Tham luan - ")


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret.casefold() in text.casefold()]


def _every_part(content: bytes) -> str:
    """Everything inside a DOCX (each part, decoded), or the PDF's bytes."""
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return content.decode("latin-1")


def test_the_original_file_names_the_author_everywhere(presentation):
    # The premise: without the reviewer copy, the file would give the author away.
    with presentation.file.open("rb") as handle:
        original = _every_part(handle.read())
    assert AUTHOR_NAME in original and f"Văn phòng của {AUTHOR_NAME}" in original


def test_blind_reviewer_pages_do_not_name_the_author(presentation, reviewer_client, open_conference):
    pages = [
        reverse("conferences:conference_detail", args=[open_conference.pk]),
        reverse("conferences:review_queue", args=[open_conference.pk]),
        reverse("conferences:presentation_detail", args=[presentation.pk]),
    ]
    for url in pages:
        response = reviewer_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert _leaks(html) == [], url
    # The review page shows what a reviewer needs.
    html = reviewer_client.get(pages[2]).content.decode()
    assert "Ứng dụng chữ ký số trong văn thư" in html and "Kinh nghiệm triển khai chữ ký số" in html and 'name="score_' in html


def test_blind_reviewer_file_is_the_cleaned_copy_under_a_neutral_name(presentation, reviewer_client):
    response = reviewer_client.get(reverse("conferences:presentation_file", args=[presentation.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="tham-luan-{presentation.pk}.docx"'
    content = b"".join(response.streaming_content)
    everything = _every_part(content)
    assert _leaks(everything) == []
    assert blind.ANONYMOUS in everything  # the tracked change and the comment now say "Ẩn danh"
    assert "Nội dung tham luận về thi đua." in everything  # the text itself is untouched


def test_blind_reviewer_export_has_no_author_columns(presentation, reviewer_client, open_conference):
    response = reviewer_client.get(reverse("conferences:review_export", args=[open_conference.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)
    assert _leaks(cells) == []
    assert "Ứng dụng chữ ký số trong văn thư" in cells


def test_blind_reviewer_api_answers_carry_no_author(presentation, reviewer, open_conference):
    api = bearer_client(reviewer)
    payload = api.get(f"/api/v1/conferences/{open_conference.pk}").json()
    assert payload["role"] == "reviewer"
    (item,) = payload["presentations"]
    assert item["authors"] is None and item["unit"] is None and item["decision_message"] is None
    assert _leaks(str(payload)) == []
    criteria = payload["criteria"]
    answer = api.post(f"/api/v1/presentations/{presentation.pk}/reviews", {
        "scores": [{"criterion": c["id"], "points": c["max_points"] // 2} for c in criteria], "recommendation": "accept", "comment": "Tốt",
    }, content_type="application/json")
    assert answer.status_code == 201 and _leaks(answer.content.decode()) == []


def test_the_organiser_still_sees_the_authors(presentation, officer_client, open_conference):
    html = officer_client.get(reverse("conferences:presentation_detail", args=[presentation.pk])).content.decode()
    assert AUTHOR_NAME in html and "Văn phòng Sở" in html
    response = officer_client.get(reverse("conferences:presentation_file", args=[presentation.pk]))
    assert f"Tham luan - {AUTHOR_NAME}.docx" in response["Content-Disposition"] or "filename*=" in response["Content-Disposition"]


def test_without_blind_review_reviewers_see_the_authors(officer, department, office, reviewer, author_user, author_person):
    conference = make_conference(officer, department, blind=False)
    conference = services_conferences.conference_transition(actor=officer, conference=conference, to="open_for_submissions")
    services_conferences.reviewer_assign(actor=officer, conference=conference, user=reviewer)
    presentation = services_reviews.presentation_submit(actor=author_user, conference=conference, unit=office, title="Tham luận mở",
                                                        authors=[{"person": author_person}], file=None)
    html = client_for(reviewer).get(reverse("conferences:presentation_detail", args=[presentation.pk])).content.decode()
    assert AUTHOR_NAME in html


def test_a_reviewer_is_never_given_their_own_units_presentation(officer, open_conference, office, manager, presentation, assigned):
    # The office's manager, assigned as a reviewer, would know the authors: the presentation is not theirs to review.
    services_conferences.reviewer_assign(actor=officer, conference=open_conference, user=manager)
    manager_client = client_for(manager)
    queue = manager_client.get(reverse("conferences:review_queue", args=[open_conference.pk])).content.decode()
    assert "Ứng dụng chữ ký số" not in queue
    with pytest.raises(Exception) as refused:
        services_reviews.review_submit(actor=manager, presentation=presentation, scores={}, recommendation="accept")
    assert refused.type.__name__ == "PermissionDenied"


def test_an_organiser_cannot_be_a_blind_reviewer(officer, open_conference, admin_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services_conferences.reviewer_assign(actor=officer, conference=open_conference, user=admin_user)
    assert "không đánh giá ẩn danh được" in str(refused.value)


def test_a_pdf_loses_its_author_and_xmp(author_user, open_conference, office, assigned, reviewer_client, author_person):
    presentation = services_reviews.presentation_submit(
        actor=author_user, conference=open_conference, unit=office, title="Tham luận PDF", authors=[{"person": author_person}],
        file=upload("tham-luan.pdf", pdf_by("Nguyen Thi Tac Gia")),
    )
    assert presentation.blind_source == "auto"
    response = reviewer_client.get(reverse("conferences:presentation_file", args=[presentation.pk]))
    content = b"".join(response.streaming_content)
    assert b"Nguyen Thi Tac Gia" not in content and b"dc:creator" not in content
    with presentation.file.open("rb") as handle:
        original = handle.read()
    assert len(content) == len(original)  # blanked in place: the cross-reference offsets still hold
    assert content.startswith(b"%PDF-") and b"Noi dung tham luan" in content


def test_a_pdf_with_compressed_metadata_is_withheld_until_the_organiser_uploads_a_copy(
    author_user, open_conference, office, assigned, reviewer_client, officer_client, author_person,
):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pageCompression=1)
    page.drawString(72, 720, "x")
    page.showPage()
    page.save()
    import zlib

    hidden = zlib.compress(b"<< /Author (Nguyen Thi Tac Gia) >>")
    content = buffer.getvalue().replace(b"%%EOF", b"9 0 obj << /Length %d /Filter /FlateDecode >> stream\n" % len(hidden) + hidden + b"\nendstream endobj\n%%EOF")
    presentation = services_reviews.presentation_submit(actor=author_user, conference=open_conference, unit=office, title="PDF nén",
                                                        authors=[{"person": author_person}], file=upload("a.pdf", content))
    assert presentation.blind_source == "" and not presentation.blind_file
    assert reviewer_client.get(reverse("conferences:presentation_file", args=[presentation.pk])).status_code == 404
    assert "chưa có bản ẩn danh" in reviewer_client.get(reverse("conferences:presentation_detail", args=[presentation.pk])).content.decode()
    # The organiser uploads a clean copy; the reviewer now gets it.
    response = officer_client.post(reverse("conferences:blind_copy", args=[presentation.pk]), {"file": upload("sach.docx", docx_by("Ai Đó"))})
    assert response.status_code == 302
    presentation = Presentation.objects.get(pk=presentation.pk)
    assert presentation.blind_source == "manual"
    served = b"".join(reviewer_client.get(reverse("conferences:presentation_file", args=[presentation.pk])).streaming_content)
    assert "Ai Đó" not in _every_part(served)
