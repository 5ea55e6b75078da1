"""The demo's re-enactment of the 10/08/2020 conference (thidua.demo.exemplars_data), built once for this
module inside a transaction rolled back at the end."""

import datetime

import pytest
from django.db import transaction
from django.test import Client, override_settings

from tests.exemplars.test_documents import _docx_text
from thidua.common.documents import generated_versions
from thidua.demo.data import STAGES, build_demo, exemplars
from thidua.exemplars import documents, selectors
from thidua.exemplars.models import Conference, Exemplar, Invitation, PublicAward


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media):
    isolated = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=demo_media,
                                 TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}})
    with django_db_blocker.unblock(), transaction.atomic(), isolated:
        yield build_demo(STAGES[: STAGES.index(exemplars) + 1])
        transaction.set_rollback(True)


@pytest.fixture
def media(settings, demo_media):
    settings.MEDIA_ROOT = demo_media


@pytest.fixture
def conference(demo):
    return Conference.objects.get(held_on=datetime.date(2020, 8, 10))


def _login(username: str) -> Client:
    from thidua.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.django_db
def test_the_conference_is_re_enacted_from_the_seed(conference, media):
    assert (conference.status, conference.organising_unit.code, conference.period_label) == ("reported", "SKHCN_TG", "2015 – 2020")
    assert [d.number for d in conference.legal_bases.order_by("issued_on")] == ["204/KH-UBND", "140/HD-SNV"]
    assert len(conference.purposes) == 3 and conference.purposes[0].startswith("Tổng kết phong trào thi đua yêu nước giai đoạn 2015 - 2020")
    assert [t.to_status for t in conference.transitions.all()] == ["open_for_submissions", "programme_published", "held", "reported"]
    kinds = [item.kind for item in conference.agenda.all()]
    assert kinds.count("presentation") == 3 and kinds[-4:] == ["award_ceremony", "speech", "launch", "closing"]


@pytest.mark.django_db
def test_presentations_were_reviewed_blind_and_decided(conference, media):
    statuses = sorted(conference.presentations.values_list("status", flat=True))
    assert statuses == ["accepted", "accepted", "accepted", "rejected"]
    revised = conference.presentations.get(revision=2)
    assert revised.status == "accepted" and revised.reviews.count() == 2
    assert conference.blind_review and all(p.blind_source == "auto" for p in conference.presentations.all())


@pytest.mark.django_db
def test_the_sixteen_honourees_the_speech_and_the_launched_movement(conference, media):
    honourees = selectors.honourees(conference)
    assert (sum(1 for line in honourees if line.unit_id), sum(1 for line in honourees if line.person_id)) == (2, 14)
    assert conference.speaker_name == "Dương Văn Bon" and conference.speech_text.endswith("như sau:")
    movement = conference.launched_movement
    assert movement.title == "Phong trào thi đua yêu nước giai đoạn 2020 – 2025" and movement.launched_on == datetime.date(2020, 8, 10)
    assert movement.tasks.count() == 6
    assert Exemplar.objects.filter(source_conference=conference).count() == 16


@pytest.mark.django_db
def test_attendance_and_the_report(conference, media):
    counts = selectors.attendance(conference)
    assert counts.guests == 2 and counts.declined == 2 and counts.pending == 1 and counts.present == counts.invited - 3
    assert not Invitation.objects.filter(conference=conference, checked_in_at__date__gt=datetime.date(2020, 8, 10)).exists()
    report = generated_versions(conference, documents.REPORT_KIND).get()
    with report.file.open("rb") as handle:
        text = _docx_text(handle.read())
    assert "Số: 48/BC-SKHCN" in text and "Giấy khen cho 02 tập thể và 14 cá nhân" in text
    news = documents.news_text(conference)
    assert "Ngày 10/8/2020, Sở Khoa học và Công nghệ tỉnh Tiền Giang đã tiến hành tổ chức hội nghị điển hình tiên tiến" in news
    assert "ông Dương Văn Bon, Giám đốc Sở Khoa học và Công nghệ đã phát biểu chỉ đạo và phát động phong trào thi đua yêu nước giai đoạn 2020 – 2025" in news
    assert news.strip().endswith("Bảo Sơn (Văn phòng Sở)")


@pytest.mark.django_db
def test_the_public_board_respects_consent(conference, media, demo):
    client = Client()
    board = client.get("/vinh-danh/")
    assert board.status_code == 200
    public = Exemplar.objects.filter(source_conference=conference, published=True, public_name=True)
    assert public.count() == 14  # canbo has not answered, one declined
    canbo = demo.users["canbo"].person
    html = board.content.decode()
    cards = html[html.index('<div class="honour-grid">'):html.index("</section>", html.index('<div class="honour-grid">'))]
    assert canbo.full_name not in cards  # not on the honour board of exemplars…
    assert canbo.full_name in html  # …though his award, from the published decision, is in the awards list
    exemplar = Exemplar.objects.get(source_conference=conference, person=canbo)
    assert client.get(f"/vinh-danh/dien-hinh/{exemplar.pk}/").status_code == 404
    assert PublicAward.objects.filter(publication__decision__in=conference.decisions.all()).count() == 16
    conference_page = client.get(f"/vinh-danh/hoi-nghi/{conference.pk}/").content.decode()
    assert "Khen thưởng: 2 tập thể, 14 cá nhân" in conference_page and "Bảo Sơn" in conference_page


@pytest.mark.django_db
def test_canbo_can_consent_himself_and_reviewers_see_no_names(conference, media, demo):
    canbo = demo.users["canbo"]
    exemplar = Exemplar.objects.get(source_conference=conference, person=canbo.person)
    page = _login("canbo").get(f"/dien-hinh/{exemplar.pk}/")
    assert page.status_code == 200 and "Đồng ý công khai" in page.content.decode()
    reviewer = _login("hoidong2")
    for presentation in conference.presentations.all():
        html = reviewer.get(f"/hoi-nghi/tham-luan/{presentation.pk}/").content.decode()
        for author in presentation.authors.all():
            assert author.name not in html


@pytest.mark.django_db
def test_a_proposal_waits_for_the_officer(demo, media):
    waiting = Exemplar.objects.get(status="proposed")
    assert (waiting.unit.code, waiting.period_start, waiting.period_end) == ("SKHCN_DT_QLKH", 2021, 2025)
    assert "Điển hình trong chuyển đổi số" in _login("vanphong").get("/dien-hinh/").content.decode()
