"""The public pages (no login): the honour board shows only what the holders consented to; awards only from
published decisions and never revoked ones; conferences from their published programme on; few queries per
page; readable without a script."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.decisions.conftest import issue
from tests.exemplars.conftest import upload
from tests.exemplars.test_exemplars import jpeg_with_exif
from tests.factories import make_person, make_user
from thidua.decisions import services as decision_services
from thidua.exemplars import services, services_conferences
from thidua.exemplars.models import Exemplar, PublicAward

SECRET_STORY = "Chuyện riêng chưa được phép kể"


@pytest.fixture
def public_client():
    return Client()


@pytest.fixture
def holder(office):
    return make_person("Hoàng Thị Vinh Danh", unit=office, position="Phó Chánh Văn phòng", gender="nu")


@pytest.fixture
def holder_user(holder, office):
    return make_user("vinhdanh", role="staff", unit=office, person=holder)


@pytest.fixture
def exemplar(officer, manager, holder):
    """Confirmed, published by the agency, with a story, a photo and a replication; no consent yet."""
    exemplar = services.exemplar_propose(actor=manager, person=holder, headline="Điển hình trong số hóa hồ sơ", field_of_work="Văn thư",
                                         period_start=2016, period_end=2020, summary="Tóm tắt thành tích.", story_html=f"<p>{SECRET_STORY}</p>")
    photo = services.exemplar_photo_add(actor=manager, exemplar=exemplar, file=upload("a.jpg", jpeg_with_exif()), alt_text="Ảnh nhận giải")
    services.exemplar_update(actor=manager, exemplar=exemplar, story_html=f'<p>{SECRET_STORY}</p><img src="/vinh-danh/anh/{photo.pk}/" alt="Ảnh nhận giải">')
    services.replication_add(actor=None, exemplar=exemplar, adopter="Chi cục Tiêu chuẩn", adopted_on=__import__("datetime").date(2021, 5, 1),
                             result="Áp dụng toàn chi cục")
    exemplar = services.exemplar_transition(actor=officer, exemplar=exemplar, to="confirmed")
    return services.exemplar_publish(actor=officer, exemplar=exemplar, published=True)


def _consent(user, exemplar, *fields):
    services.exemplar_consent_set(actor=user, exemplar=exemplar, fields=fields)


# ---------------------------------------------------------------- consent on the honour board


def test_without_consent_nothing_shows(public_client, exemplar):
    assert "Hoàng Thị Vinh Danh" not in public_client.get(reverse("honours:board")).content.decode()
    assert public_client.get(reverse("honours:exemplar", args=[exemplar.pk])).status_code == 404


def test_name_only_shows_the_name_and_nothing_else(public_client, exemplar, holder_user):
    _consent(holder_user, exemplar, "name")
    board = public_client.get(reverse("honours:board")).content.decode()
    assert "Hoàng Thị Vinh Danh" in board and "Văn phòng Sở" not in board
    page = public_client.get(reverse("honours:exemplar", args=[exemplar.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Hoàng Thị Vinh Danh" in html and "Điển hình trong số hóa hồ sơ" in html
    for hidden in (SECRET_STORY, "Tóm tắt thành tích", "Phó Chánh Văn phòng", "Văn phòng Sở", "/vinh-danh/anh/", "Chi cục Tiêu chuẩn"):
        assert hidden not in html, hidden
    photo = exemplar.photos.get()
    assert public_client.get(reverse("honours:photo", args=[photo.pk])).status_code == 404


def test_each_consented_part_shows(public_client, exemplar, holder_user):
    _consent(holder_user, exemplar, "name", "unit", "story", "photos", "replications")
    html = public_client.get(reverse("honours:exemplar", args=[exemplar.pk])).content.decode()
    photo = exemplar.photos.get()
    for shown in (SECRET_STORY, "Phó Chánh Văn phòng", "Văn phòng Sở", f"/vinh-danh/anh/{photo.pk}/", "Chi cục Tiêu chuẩn", "Áp dụng toàn chi cục"):
        assert shown in html, shown
    response = public_client.get(reverse("honours:photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg" and "public" in response["Cache-Control"]


def test_a_story_without_photo_consent_loses_its_images(public_client, exemplar, holder_user):
    _consent(holder_user, exemplar, "name", "story")
    html = public_client.get(reverse("honours:exemplar", args=[exemplar.pk])).content.decode()
    assert SECRET_STORY in html and "<img" not in html


def test_the_public_search_never_matches_what_is_not_shown(public_client, exemplar, holder_user):
    _consent(holder_user, exemplar, "name")
    url = reverse("honours:board")
    assert "Hoàng Thị Vinh Danh" in public_client.get(url, {"q": "vinh danh"}).content.decode()
    # The unit and the story are not consented: searching for them must not reveal who belongs there.
    for query in ("van phong so", "chua duoc phep"):
        assert "Hoàng Thị Vinh Danh" not in public_client.get(url, {"q": query}).content.decode(), query


def test_withdrawing_consent_takes_the_exemplar_off_at_once(public_client, exemplar, holder_user):
    _consent(holder_user, exemplar, "name", "story")
    assert public_client.get(reverse("honours:exemplar", args=[exemplar.pk])).status_code == 200
    _consent(holder_user, exemplar)
    assert public_client.get(reverse("honours:exemplar", args=[exemplar.pk])).status_code == 404
    assert "Hoàng Thị Vinh Danh" not in public_client.get(reverse("honours:board")).content.decode()


def test_unpublished_or_withdrawn_exemplars_are_not_public_even_with_consent(public_client, officer, exemplar, holder_user):
    _consent(holder_user, exemplar, "name")
    services.exemplar_publish(actor=officer, exemplar=exemplar, published=False)
    assert public_client.get(reverse("honours:exemplar", args=[exemplar.pk])).status_code == 404


def test_internal_users_still_see_unconsented_photos(exemplar, manager_client, outsider_client):
    photo = exemplar.photos.get()
    response = manager_client.get(reverse("honours:photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert outsider_client.get(reverse("honours:photo", args=[photo.pk])).status_code == 404


def test_a_story_cannot_carry_script_to_the_public(public_client, manager, officer, holder, holder_user):
    exemplar = services.exemplar_propose(actor=manager, person=holder, headline="x", period_start=2016, period_end=2020,
                                         story_html='<p onmouseover="alert(1)">a</p><script>alert(2)</script><a href="javascript:alert(3)">b</a>')
    services.exemplar_transition(actor=officer, exemplar=exemplar, to="confirmed")
    services.exemplar_publish(actor=officer, exemplar=exemplar, published=True)
    _consent(holder_user, exemplar, "name", "story")
    html = public_client.get(reverse("honours:exemplar", args=[exemplar.pk])).content.decode()
    assert "alert(" not in html and "javascript:" not in html and "<script" not in html


# ---------------------------------------------------------------- awards and published decisions


def test_awards_come_only_from_published_decisions(public_client, officer, issued):
    url = reverse("honours:awards")
    assert "Nguyễn Văn Ánh" not in public_client.get(url).content.decode()
    services.decision_publish(actor=officer, decision=issued)
    html = public_client.get(url).content.decode()
    assert "Nguyễn Văn Ánh" in html and "Tập thể Văn phòng Sở" in html and issued.reference in html
    decision_page = public_client.get(reverse("honours:decision", args=[issued.pk])).content.decode()
    assert issued.subject in decision_page and "4 tập thể, cá nhân được khen thưởng" in decision_page
    services.decision_unpublish(actor=officer, decision=issued)
    assert "Nguyễn Văn Ánh" not in public_client.get(url).content.decode()
    assert public_client.get(reverse("honours:decision", args=[issued.pk])).status_code == 404


def test_revoked_awards_leave_the_board_and_are_marked_on_the_decision(public_client, officer, signer, issued):
    services.decision_publish(actor=officer, decision=issued)
    line = issued.recipients.get(name="Nguyễn Văn Ánh")
    revocation = decision_services.revocation_draft(actor=officer, records=[line.award_record_id], ground="khai_man", reason="Kê khai sai.")
    issue(revocation, officer=officer, signer=signer)
    assert "Nguyễn Văn Ánh" not in public_client.get(reverse("honours:awards")).content.decode()
    assert "Trần Thị Bích Ngọc" in public_client.get(reverse("honours:awards")).content.decode()
    decision_page = public_client.get(reverse("honours:decision", args=[issued.pk])).content.decode()
    assert re.search(r"Nguyễn Văn Ánh\s*<span class=\"badge badge-no\">đã thu hồi", decision_page)
    # A revocation decision itself is not published as an award list.
    with pytest.raises(Exception, match="Chỉ công khai quyết định khen thưởng"):
        services.decision_publish(actor=officer, decision=revocation)


def test_awards_filter_by_year_unit_and_search(public_client, officer, issued, office, office2):
    services.decision_publish(actor=officer, decision=issued)
    url = reverse("honours:awards")
    year = issued.decision_date.year
    assert "Nguyễn Văn Ánh" in public_client.get(url, {"year": year, "unit": office.pk}).content.decode()
    assert "Nguyễn Văn Ánh" not in public_client.get(url, {"year": year - 1}).content.decode()
    assert "Nguyễn Văn Ánh" not in public_client.get(url, {"unit": office2.pk}).content.decode()
    assert "Nguyễn Văn Ánh" in public_client.get(url, {"q": "nguyen van anh"}).content.decode()
    assert "Nguyễn Văn Ánh" not in public_client.get(url, {"q": "bich ngoc"}).content.decode()
    rows = PublicAward.objects.filter(publication__decision=issued)
    assert set(rows.values_list("unit__code", flat=True)) == {"SKHCN_VP"}


def test_only_drafters_of_the_issuing_unit_publish(manager, outsider, issued):
    for user in (manager, outsider):
        with pytest.raises(Exception) as refused:
            services.decision_publish(actor=user, decision=issued)
        assert refused.type.__name__ == "PermissionDenied"


def test_publishing_through_the_page(officer_client, issued, public_client):
    url = reverse("exemplars:publication_list")
    assert issued.reference in officer_client.get(url).content.decode()
    officer_client.post(url, {"decision": issued.pk, "publish": "1"})
    assert issued.reference in public_client.get(reverse("honours:decisions")).content.decode()


# ---------------------------------------------------------------- conferences


def test_conferences_are_public_from_the_published_programme_on(public_client, officer, open_conference, issued):
    url = reverse("honours:conference", args=[open_conference.pk])
    assert public_client.get(url).status_code == 404
    services_conferences.conference_decisions_set(actor=officer, conference=open_conference, decisions=[issued])
    services_conferences.agenda_item_add(actor=officer, conference=open_conference, title="Khai mạc hội nghị", kind="opening")
    services_conferences.conference_transition(actor=officer, conference=open_conference, to="programme_published")
    html = public_client.get(url).content.decode()
    assert "Khai mạc hội nghị" in html and "204/KH-UBND" in html and "Tổng kết phong trào thi đua yêu nước" in html
    # Honourees only once their decision is published.
    assert "Nguyễn Văn Ánh" not in html
    services.decision_publish(actor=officer, decision=issued)
    html = public_client.get(url).content.decode()
    assert "Nguyễn Văn Ánh" in html and "Khen thưởng: 1 tập thể, 3 cá nhân" in html
    pdf = public_client.get(reverse("honours:conference_programme_pdf", args=[open_conference.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


# ---------------------------------------------------------------- fast, accessible


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def _public_exemplar(officer, manager, name, office):
    person = make_person(name, unit=office)
    exemplar = services.exemplar_propose(actor=manager, person=person, headline="x", period_start=2016, period_end=2020)
    services.exemplar_photo_add(actor=manager, exemplar=exemplar, file=upload("a.jpg", jpeg_with_exif()), alt_text="Ảnh")
    services.exemplar_transition(actor=officer, exemplar=exemplar, to="confirmed")
    services.exemplar_publish(actor=officer, exemplar=exemplar, published=True)
    services.exemplar_consent_set(actor=officer, exemplar=exemplar, fields=["name", "unit", "photos"], note="Giấy đồng ý")


def test_board_and_awards_query_counts_do_not_grow(public_client, officer, manager, office, issued):
    services.decision_publish(actor=officer, decision=issued)
    _public_exemplar(officer, manager, "Một Người", office)
    board, awards = _queries(public_client, reverse("honours:board")), _queries(public_client, reverse("honours:awards"))
    for name in ("Hai Người", "Ba Người", "Bốn Người"):
        _public_exemplar(officer, manager, name, office)
    assert _queries(public_client, reverse("honours:board")) == board <= 8
    assert _queries(public_client, reverse("honours:awards")) == awards <= 6


def test_public_pages_are_accessible_html(public_client, officer, manager, office):
    _public_exemplar(officer, manager, "Một Người", office)
    exemplar = Exemplar.objects.get()
    for url in (reverse("honours:board"), reverse("honours:awards"), reverse("honours:decisions"), reverse("honours:conferences"),
                reverse("honours:exemplar", args=[exemplar.pk])):
        html = public_client.get(url).content.decode()
        assert '<html lang="vi">' in html and 'href="#main"' in html and '<main id="main"' in html, url
        assert html.count("<h1") == 1, url
        assert "<script" not in html, url  # server-rendered, nothing to run
        for match in re.finditer(r'<input[^>]*id="([^"]+)"', html):
            assert f'for="{match.group(1)}"' in html, (url, match.group(1))
        for image in re.findall(r"<img[^>]*>", html):
            assert 'alt="' in image, (url, image)
