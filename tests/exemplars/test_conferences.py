"""The conference workflow (every transition of the table allowed and refused), the programme, the decisions
honoured there, reviewers, the launch of the next movement, and who sees what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.exemplars.conftest import make_conference
from thidua.common.documents import generated_versions
from thidua.exemplars import services_conferences as conferences
from thidua.exemplars import services_reviews as reviews
from thidua.exemplars.enums import CONFERENCE_TRANSITIONS, ConferenceStatus
from thidua.exemplars.models import Conference, ConferenceTransition, Exemplar
from thidua.exemplars.services import TransitionRefused
from thidua.movements.models import Movement

PAST = datetime.date(2020, 8, 10)


def _advance(officer, conference, *, to):
    """Walk a conference along the table up to ``to`` (with what each step needs)."""
    order = ["open_for_submissions", "programme_published", "held", "reported"]
    for step in order[: order.index(to) + 1]:
        if step == "programme_published" and not conference.agenda.exists():
            conferences.agenda_item_add(actor=officer, conference=conference, title="Khai mạc", kind="opening")
        if step == "reported":
            conferences.conference_update(actor=officer, conference=conference, outcome="Hội nghị thành công tốt đẹp.")
        conference = conferences.conference_transition(actor=officer, conference=conference, to=step)
    return conference


@pytest.fixture
def past_conference(officer, department, plan, guidance):
    return make_conference(officer, department, held_on=PAST, documents=[plan, guidance])


def test_the_table_is_the_workflow():
    assert CONFERENCE_TRANSITIONS == {
        "planning": {"open_for_submissions"},
        "open_for_submissions": {"programme_published"},
        "programme_published": {"held", "open_for_submissions"},
        "held": {"reported"},
        "reported": set(),
    }


@pytest.mark.parametrize("source", ConferenceStatus.values)
def test_every_transition_outside_the_table_is_refused(officer, past_conference, source):
    conference = past_conference if source == "planning" else _advance(officer, past_conference, to=source)
    assert conference.status == source
    for target in set(ConferenceStatus.values) - CONFERENCE_TRANSITIONS[source]:
        with pytest.raises(TransitionRefused):
            conferences.conference_transition(actor=officer, conference=conference, to=target)
    assert Conference.objects.get(pk=conference.pk).status == source


def test_the_whole_way_with_history(officer, past_conference):
    conference = _advance(officer, past_conference, to="reported")
    steps = list(ConferenceTransition.objects.filter(conference=conference).values_list("from_status", "to_status"))
    assert steps == [("planning", "open_for_submissions"), ("open_for_submissions", "programme_published"),
                     ("programme_published", "held"), ("held", "reported")]
    kinds = set(generated_versions(conference).values_list("kind", flat=True))
    assert kinds == {"bao_cao_hoi_nghi", "tin_bai"}


def test_a_published_programme_can_be_taken_back(officer, past_conference):
    conference = _advance(officer, past_conference, to="programme_published")
    conference = conferences.conference_transition(actor=officer, conference=conference, to="open_for_submissions")
    assert conference.status == "open_for_submissions"


def test_opening_needs_a_deadline_and_criteria(officer, department):
    conference = conferences.conference_create(actor=officer, organising_unit=department, title="Hội nghị", held_on=PAST,
                                               period_start=2015, period_end=2020)
    with pytest.raises(TransitionRefused, match="hạn gửi tham luận"):
        conferences.conference_transition(actor=officer, conference=conference, to="open_for_submissions")
    conferences.conference_update(actor=officer, conference=conference, submission_deadline=datetime.date(2020, 7, 30))
    with pytest.raises(TransitionRefused, match="tiêu chí"):
        conferences.conference_transition(actor=officer, conference=conference, to="open_for_submissions")


def test_publishing_needs_an_agenda_with_accepted_presentations_only(officer, open_conference, presentation):
    with pytest.raises(TransitionRefused, match="chưa có nội dung"):
        conferences.conference_transition(actor=officer, conference=open_conference, to="programme_published")
    with pytest.raises(ValidationError, match="đã được chọn"):
        conferences.agenda_item_add(actor=officer, conference=open_conference, presentation=presentation)
    reviews.presentation_decide(actor=officer, presentation=presentation, to="accepted")
    item = conferences.agenda_item_add(actor=officer, conference=open_conference, presentation=presentation)
    assert item.kind == "presentation" and item.title == "Tham luận: Ứng dụng chữ ký số trong văn thư"
    assert item.speaker == "Nguyễn Thị Tác Giả – Văn phòng Sở"
    conference = conferences.conference_transition(actor=officer, conference=open_conference, to="programme_published")
    assert conference.status == "programme_published"


def test_held_only_on_or_after_the_day(officer, conference):
    conference = _advance(officer, conference, to="programme_published")
    with pytest.raises(TransitionRefused, match="chưa ghi nhận đã tổ chức"):
        conferences.conference_transition(actor=officer, conference=conference, to="held")


def test_reporting_needs_the_overall_assessment(officer, past_conference):
    conference = _advance(officer, past_conference, to="held")
    with pytest.raises(TransitionRefused, match="đánh giá chung"):
        conferences.conference_transition(actor=officer, conference=conference, to="reported")


def test_only_the_organiser_moves_the_conference(manager, outsider, auditor, conference):
    for user in (manager, outsider, auditor):
        with pytest.raises(PermissionDenied):
            conferences.conference_transition(actor=user, conference=conference, to="open_for_submissions")
    assert Conference.objects.get(pk=conference.pk).status == "planning"


def test_held_adds_the_honourees_to_the_registry_and_launches_the_prepared_movement(officer, department, issued, signer):
    conference = make_conference(officer, department, held_on=issued.decision_date)
    conferences.conference_decisions_set(actor=officer, conference=conference, decisions=[issued])
    movement = conferences.conference_movement_launch(
        actor=officer, conference=conference, title="Phong trào thi đua giai đoạn 2026 – 2030", start=issued.decision_date,
        end=datetime.date(2030, 12, 31), tasks=["Hoàn thành xuất sắc nhiệm vụ", "Đẩy mạnh chuyển đổi số"],
    )
    assert movement.status == "draft" and list(movement.tasks.values_list("text", flat=True)) == ["Hoàn thành xuất sắc nhiệm vụ", "Đẩy mạnh chuyển đổi số"]
    assert set(movement.legal_bases.all()) == set(conference.legal_bases.all())
    conference = _advance(officer, conference, to="held")
    movement = Movement.objects.get(pk=movement.pk)
    assert (movement.status, movement.launched_on) == ("launched", conference.held_on)
    registered = Exemplar.objects.filter(source_conference=conference)
    lines = list(issued.recipients.all())
    assert registered.count() == len(lines) == 4
    assert set(registered.values_list("status", flat=True)) == {"confirmed"}
    # Nothing becomes public on its own: no consent, not published.
    assert not registered.filter(published=True).exists() and not registered.filter(public_name=True).exists()
    assert {record.pk for exemplar in registered for record in exemplar.awards.all()} == {line.award_record_id for line in lines}


def test_only_issued_award_decisions_are_honoured(officer, conference, draft):
    with pytest.raises(ValidationError, match="đã ban hành"):
        conferences.conference_decisions_set(actor=officer, conference=conference, decisions=[draft])


def test_the_default_agenda_follows_the_usual_order(officer, open_conference, presentation):
    reviews.presentation_decide(actor=officer, presentation=presentation, to="accepted")
    items = conferences.agenda_default(actor=officer, conference=open_conference)
    assert [item.kind for item in items] == ["opening", "period_report", "presentation", "award_ceremony", "speech", "launch", "closing"]
    assert items[0].starts_at == datetime.time(7, 30) and items[1].starts_at == datetime.time(7, 50)
    assert items[4].speaker == "Dương Văn Bon, Giám đốc Sở Khoa học và Công nghệ"
    with pytest.raises(ValidationError):
        conferences.agenda_default(actor=officer, conference=open_conference)


def test_agenda_items_move_and_go(officer, open_conference):
    first = conferences.agenda_item_add(actor=officer, conference=open_conference, title="Một", kind="opening")
    second = conferences.agenda_item_add(actor=officer, conference=open_conference, title="Hai", kind="closing")
    conferences.agenda_item_move(actor=officer, item=second, up=True)
    assert list(open_conference.agenda.values_list("title", flat=True)) == ["Hai", "Một"]
    conferences.agenda_item_remove(actor=officer, item=first)
    assert list(open_conference.agenda.values_list("title", flat=True)) == ["Hai"]


def test_participants_see_a_conference_once_it_calls_for_presentations(staff_client, outsider_client, conference, officer):
    url = reverse("conferences:conference_detail", args=[conference.pk])
    assert staff_client.get(url).status_code == 404  # still being planned
    conferences.conference_transition(actor=officer, conference=conference, to="open_for_submissions")
    html = staff_client.get(url).content.decode()
    assert "Gửi tham luận" in html and "Chương trình sẽ hiển thị khi Ban Tổ chức công bố." in html
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.get(reverse("conferences:conference_list")).content.decode().count(conference.title) == 0


def test_organiser_pages_are_forbidden_to_participants(staff_client, open_conference):
    for name in ("programme", "honours", "launch", "reviewers", "report", "invitation_list", "door", "presentation_list", "conference_edit"):
        assert staff_client.get(reverse(f"conferences:{name}", args=[open_conference.pk])).status_code == 403, name


def test_organiser_pages_render(officer_client, open_conference, presentation):
    for name in ("conference_detail", "programme", "honours", "launch", "reviewers", "report", "invitation_list", "presentation_list",
                 "conference_edit"):
        response = officer_client.get(reverse(f"conferences:{name}", args=[open_conference.pk]))
        assert response.status_code == 200, name


def test_create_a_conference_through_the_page(officer_client, department, plan):
    response = officer_client.post(reverse("conferences:conference_create"), {
        "organising_unit": department.pk, "title": "Hội nghị điển hình tiên tiến năm 2026", "held_on": "2026-12-20", "starts_at": "08:00",
        "venue": "Hội trường", "period_start": 2021, "period_end": 2026, "legal_bases": [plan.pk],
        "purposes": "Tổng kết phong trào\n\nBiểu dương điển hình", "submission_deadline": "2026-12-01", "blind_review": "on",
        "criteria": "Thực tiễn | 60\nTrình bày | 40", "ceremony_batch_size": 7,
    })
    assert response.status_code == 302
    conference = Conference.objects.get(title="Hội nghị điển hình tiên tiến năm 2026")
    assert conference.purposes == ["Tổng kết phong trào", "Biểu dương điển hình"] and conference.blind_review
    assert list(conference.criteria.values_list("name", "max_points")) == [("Thực tiễn", 60), ("Trình bày", 40)]


def test_bad_input_says_what_and_where(officer_client, department):
    response = officer_client.post(reverse("conferences:conference_create"), {
        "organising_unit": department.pk, "title": "", "held_on": "20/12", "period_start": 2026, "period_end": 2021,
        "criteria": "Không có điểm", "ceremony_batch_size": 7,
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nhập tên hội nghị." in html and "Nhập ngày theo dạng dd/mm/yyyy." in html
    assert "Năm kết thúc phải từ năm bắt đầu trở đi." in html and "Dòng 1: viết “tên tiêu chí | điểm tối đa”" in html
    assert not Conference.objects.exists()


def test_launching_a_movement_through_the_page(officer_client, past_conference, officer):
    response = officer_client.post(reverse("conferences:launch", args=[past_conference.pk]), {
        "form": "new", "title": "Phong trào thi đua yêu nước giai đoạn 2020 – 2025", "start": "2020-08-10", "end": "2025-12-31",
        "tasks": "Nhiệm vụ một\nNhiệm vụ hai", "purpose": "",
    })
    assert response.status_code == 302
    past_conference.refresh_from_db()
    assert past_conference.launched_movement.title == "Phong trào thi đua yêu nước giai đoạn 2020 – 2025"
    response = officer_client.post(reverse("conferences:launch", args=[past_conference.pk]), {
        "form": "new", "title": "Lần hai", "start": "2020-08-10", "end": "2025-12-31", "tasks": "X"})
    assert response.status_code == 400 and "đã phát động phong trào" in response.content.decode()
