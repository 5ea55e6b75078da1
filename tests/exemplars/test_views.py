"""The remaining pages: happy path and forbidden access, list query counts, uploads through the forms, the
PDFs and the report downloads, the sidebar entries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.exemplars.conftest import make_conference, upload
from tests.exemplars.test_exemplars import jpeg_with_exif
from tests.factories import make_person
from thidua.common.documents import generated_versions
from thidua.exemplars import documents, services, services_conferences, services_reviews
from thidua.exemplars.models import AgendaItem, Conference, Exemplar, Replication


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_sidebar_has_both_entries(officer_client, staff_client, auditor_client):
    html = officer_client.get(reverse("common:dashboard")).content.decode()
    assert 'href="/dien-hinh/"' in html and 'href="/hoi-nghi/"' in html
    staff_html = staff_client.get(reverse("conferences:conference_list")).content.decode()
    assert 'href="/hoi-nghi/" class="active" aria-current="page"' in staff_html


def test_conference_list_query_count_does_not_grow(officer_client, officer, department):
    make_conference(officer, department)
    one = _queries(officer_client, reverse("conferences:conference_list"))
    for _ in range(3):
        make_conference(officer, department)
    assert _queries(officer_client, reverse("conferences:conference_list")) == one


def test_conference_list_filters(officer_client, officer, department, conference):
    url = reverse("conferences:conference_list")
    assert conference.title in officer_client.get(url, {"q": "dien hinh tien tien"}).content.decode()
    assert "Không có hội nghị nào khớp" in officer_client.get(url, {"status": "held"}).content.decode()


def test_only_organisers_create_conferences(staff_client, manager_client):
    assert staff_client.get(reverse("conferences:conference_create")).status_code == 403
    assert manager_client.get(reverse("conferences:conference_create")).status_code == 403


def test_programme_pages_and_pdfs(officer_client, staff_client, officer, open_conference):
    response = officer_client.post(reverse("conferences:programme", args=[open_conference.pk]),
                                   {"kind": "opening", "title": "Khai mạc", "starts_at": "07:30", "ends_at": "07:20"})
    assert response.status_code == 400 and "Giờ kết thúc phải sau giờ bắt đầu." in response.content.decode()
    assert not AgendaItem.objects.exists()
    officer_client.post(reverse("conferences:programme", args=[open_conference.pk]), {"kind": "opening", "title": "Khai mạc", "starts_at": "07:30"})
    item = AgendaItem.objects.get()
    officer_client.post(reverse("conferences:agenda_item_action", args=[open_conference.pk, item.pk, "xoa"]))
    assert not AgendaItem.objects.exists()
    officer_client.post(reverse("conferences:agenda_default", args=[open_conference.pk]))
    assert AgendaItem.objects.count() == 6
    pdf = officer_client.get(reverse("conferences:programme_pdf", args=[open_conference.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    # Participants see the programme only once published; the running order is the organiser's.
    assert staff_client.get(reverse("conferences:programme_pdf", args=[open_conference.pk])).status_code == 404
    assert staff_client.get(reverse("conferences:ceremony_pdf", args=[open_conference.pk])).status_code == 403
    services_conferences.conference_transition(actor=officer, conference=open_conference, to="programme_published")
    assert staff_client.get(reverse("conferences:programme_pdf", args=[open_conference.pk])).status_code == 200


def test_honours_page_links_decisions(officer_client, open_conference, issued):
    response = officer_client.post(reverse("conferences:honours", args=[open_conference.pk]), {"decisions": [issued.pk]})
    assert response.status_code == 302
    html = officer_client.get(reverse("conferences:honours", args=[open_conference.pk])).content.decode()
    assert "4 tập thể, cá nhân được khen thưởng" in html and "Nguyễn Văn Ánh" in html
    assert officer_client.get(reverse("conferences:ceremony_pdf", args=[open_conference.pk])).content.startswith(b"%PDF-")


def test_reviewer_assignment_through_the_page(officer_client, open_conference, reviewer, admin_user):
    response = officer_client.post(reverse("conferences:reviewers", args=[open_conference.pk]), {"user": reviewer.pk})
    assert response.status_code == 302 and open_conference.reviewers.filter(user=reviewer).exists()
    refused = officer_client.post(reverse("conferences:reviewers", args=[open_conference.pk]), {"user": admin_user.pk})
    assert refused.status_code == 400


def test_report_page_generates_and_downloads(officer_client, officer, department):
    conference = make_conference(officer, department, held_on=datetime.date(2020, 8, 10))
    for step in ("open_for_submissions", "programme_published", "held"):
        if step == "programme_published":
            services_conferences.agenda_item_add(actor=officer, conference=conference, title="Khai mạc", kind="opening")
        services_conferences.conference_transition(actor=officer, conference=conference, to=step)
    url = reverse("conferences:report", args=[conference.pk])
    officer_client.post(url, {"outcome": "Thành công.", "news_byline": "Bảo Sơn (Văn phòng Sở)", "report_recipients": "Lưu: VT"})
    assert Conference.objects.get(pk=conference.pk).outcome == "Thành công."
    officer_client.post(url, {"generate": "1"})
    report = generated_versions(conference, documents.REPORT_KIND).get()
    download = officer_client.get(reverse("conferences:generated_file", args=[conference.pk, report.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"PK")
    html = officer_client.get(url).content.decode()
    assert "Bảo Sơn (Văn phòng Sở)" in html and report.filename in html


def test_exemplar_pages_for_the_officer(officer_client, manager_client, manager, office, officer):
    person = make_person("Trương Văn Gương Mẫu", unit=office)
    exemplar = services.exemplar_propose(actor=manager, person=person, headline="Gương mẫu", period_start=2016, period_end=2020)
    photo = manager_client.post(reverse("exemplars:photo_add", args=[exemplar.pk]),
                                {"photo": upload("a.jpg", jpeg_with_exif()), "alt_text": "Ảnh", "caption": "Chú thích"})
    assert photo.status_code == 302 and exemplar.photos.count() == 1
    wrong = manager_client.post(reverse("exemplars:photo_add", args=[exemplar.pk]), {"photo": upload("a.gif", b"GIF89a"), "alt_text": "x"})
    assert wrong.status_code == 302 and exemplar.photos.count() == 1
    assert "Ảnh phải là tệp JPEG hoặc PNG." in manager_client.get(reverse("exemplars:exemplar_edit", args=[exemplar.pk])).content.decode()
    officer_client.post(reverse("exemplars:exemplar_transition", args=[exemplar.pk]), {"to": "confirmed"})
    officer_client.post(reverse("exemplars:exemplar_publish", args=[exemplar.pk]), {"published": "1"})
    officer_client.post(reverse("exemplars:replication_add", args=[exemplar.pk]), {"adopter": "Chi cục", "adopted_on": "2021-01-05"})
    exemplar = Exemplar.objects.get(pk=exemplar.pk)
    assert exemplar.status == "confirmed" and exemplar.published and Replication.objects.filter(exemplar=exemplar).count() == 1
    assert manager_client.post(reverse("exemplars:exemplar_publish", args=[exemplar.pk]), {"published": "0"}).status_code == 403
    assert Exemplar.objects.get(pk=exemplar.pk).published  # only the confirming officer takes it off


def test_publication_page_is_for_drafters(staff_client, manager_client):
    assert staff_client.get(reverse("exemplars:publication_list")).status_code == 403
    assert manager_client.get(reverse("exemplars:publication_list")).status_code == 403


def test_presentation_pages_forbidden_to_others(staff_client, presentation, outsider_client):
    url = reverse("conferences:presentation_detail", args=[presentation.pk])
    assert outsider_client.get(url).status_code == 404
    assert staff_client.get(url).status_code == 404  # a colleague of the office who is not an author
    assert staff_client.get(reverse("conferences:presentation_file", args=[presentation.pk])).status_code == 404


def test_withdrawn_presentations_leave_the_reviewers_queue(reviewer_client, presentation, author_user):
    services_reviews.presentation_withdraw(actor=author_user, presentation=presentation)
    assert reviewer_client.get(reverse("conferences:presentation_detail", args=[presentation.pk])).status_code == 404


@pytest.mark.parametrize("name", ["door", "invitation_list", "report", "launch"])
def test_organiser_pages_need_the_organiser(reviewer_client, open_conference, assigned, name):
    assert reviewer_client.get(reverse(f"conferences:{name}", args=[open_conference.pk])).status_code == 403
