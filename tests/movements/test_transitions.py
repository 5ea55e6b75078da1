"""Every transition of the movement workflow, allowed and refused, through the service and through
the page; what a launch does (history, audit, deadlines, notifications, the launch letter)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import make_user
from tests.movements.helpers_movements import launch, make_movement
from thidua.common.models import AuditAction, AuditEntry, Deadline, GeneratedDocument, Notification
from thidua.movements.enums import MOVEMENT_TRANSITIONS
from thidua.movements.models import Movement, MovementTransition
from thidua.movements.services import TransitionRefused, movement_transition

LAUNCH_DAY = datetime.date(2020, 8, 10)


def transition_url(movement):
    return reverse("movements:movement_transition", args=[movement.pk])


def reload(movement):
    return Movement.objects.get(pk=movement.pk)


@pytest.fixture
def draft(officer, department):
    return make_movement(officer, department)


@pytest.fixture
def launched(officer, draft):
    return launch(officer, draft, on=LAUNCH_DAY)


@pytest.fixture
def closed(officer, launched):
    return movement_transition(
        actor=officer, movement=launched, to="closed", note="Khen thưởng 2 tập thể, 14 cá nhân."
    )


def test_the_workflow_table_is_draft_launched_closed():
    assert MOVEMENT_TRANSITIONS == {"draft": {"launched"}, "launched": {"closed"}, "closed": set()}


# ---------------------------------------------------------------- through the service


def test_service_launches_a_draft_with_history_and_audit(officer, draft):
    movement = movement_transition(actor=officer, movement=draft, to="launched", on=LAUNCH_DAY)

    assert (movement.status, movement.launched_on) == ("launched", LAUNCH_DAY)
    step = MovementTransition.objects.get(movement=movement)
    assert (step.from_status, step.to_status, step.by) == ("draft", "launched", officer)
    entry = AuditEntry.objects.get(action=AuditAction.TRANSITION, object_id=str(movement.pk))
    assert entry.changes["status"] == ["draft", "launched"]


def test_service_refuses_to_close_a_draft(officer, draft):
    with pytest.raises(TransitionRefused) as refused:
        movement_transition(actor=officer, movement=draft, to="closed", note="Tổng kết")

    assert refused.value.message == "Không thể chuyển phong trào từ “Dự thảo” sang “Đã tổng kết”."
    assert reload(draft).status == "draft"
    assert not MovementTransition.objects.exists()


def test_service_refuses_to_close_without_the_final_review(officer, launched):
    with pytest.raises(TransitionRefused) as refused:
        movement_transition(actor=officer, movement=launched, to="closed", note="   ")

    assert refused.value.message == "Nhập kết quả tổng kết phong trào trước khi kết thúc."
    assert reload(launched).status == "launched"


def test_service_closes_a_launched_movement_with_its_final_review(officer, launched):
    movement = movement_transition(
        actor=officer,
        movement=launched,
        to="closed",
        note="Khen thưởng 2 tập thể, 14 cá nhân.",
        on=datetime.date(2025, 12, 20),
    )

    assert (movement.status, movement.closed_on, movement.final_review) == (
        "closed",
        datetime.date(2025, 12, 20),
        "Khen thưởng 2 tập thể, 14 cá nhân.",
    )
    assert list(MovementTransition.objects.values_list("from_status", "to_status")) == [
        ("draft", "launched"),
        ("launched", "closed"),
    ]
    assert not Deadline.objects.filter(
        key__startswith=f"movement:{movement.pk}:", done_at__isnull=True
    ).exists()


@pytest.mark.parametrize("target", ["draft", "launched", "closed"])
def test_service_refuses_every_transition_out_of_closed(officer, closed, target):
    with pytest.raises(TransitionRefused):
        movement_transition(actor=officer, movement=closed, to=target, note="Mở lại")

    assert reload(closed).status == "closed"


@pytest.mark.parametrize("target", ["launched", "draft"])
def test_service_refuses_to_relaunch_or_unlaunch(officer, launched, target):
    with pytest.raises(TransitionRefused):
        movement_transition(actor=officer, movement=launched, to=target)

    assert reload(launched).launched_on == LAUNCH_DAY


def test_service_refuses_a_launch_without_content_or_tasks(officer, department):
    movement = make_movement(officer, department, content="", tasks=[])

    with pytest.raises(TransitionRefused) as refused:
        movement_transition(actor=officer, movement=movement, to="launched")

    assert (
        refused.value.message == "Phong trào chưa có nội dung hoặc nhiệm vụ trọng tâm: chưa phát động được."
    )


@pytest.mark.parametrize("who", ["manager", "staff", "auditor", "outsider"])
def test_service_refuses_a_transition_by_a_non_manager(request, draft, launched, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        movement_transition(actor=actor, movement=launched, to="closed", note="Tổng kết")

    assert reload(launched).status == "launched"


# ---------------------------------------------------------------- what a launch does


def test_launch_creates_the_registration_deadline_of_every_participating_unit(
    officer, draft, department, office, office2
):
    launch(officer, draft, on=LAUNCH_DAY)

    deadlines = Deadline.objects.order_by("unit__path")
    assert [(d.unit, d.due_on) for d in deadlines] == [
        (department, datetime.date(2020, 9, 30)),
        (office, datetime.date(2020, 9, 30)),
        (office2, datetime.date(2020, 9, 30)),
    ]
    assert {d.key for d in deadlines} == {
        f"movement:{draft.pk}:registration:unit:{u.pk}" for u in (department, office, office2)
    }
    assert all(d.url == reverse("movements:registration_unit", args=[draft.pk]) for d in deadlines)


def test_launch_notifies_managers_and_officers_of_participating_units_once_each(
    django_capture_on_commit_callbacks, officer, manager, staff, auditor, outsider, draft, office, office2
):
    both = make_user("hai_don_vi", role="unit_manager", unit=office)
    from thidua.accounts.services import role_grant

    role_grant(actor=None, user=both, role="unit_manager", unit=office2)

    with django_capture_on_commit_callbacks(execute=True):
        launch(officer, draft)

    counts = {
        user.username: Notification.objects.filter(user=user).count()
        for user in (officer, manager, both, staff, auditor, outsider)
    }
    assert counts == {"vanphong": 1, "truongphong": 1, "hai_don_vi": 1, "canbo": 0, "thanhtra": 0, "soyte": 0}
    notification = Notification.objects.get(user=manager)
    assert notification.text == (
        "Sở Khoa học và Công nghệ phát động phong trào “Thi đua yêu nước giai đoạn 2020–2025”. Hạn đăng ký thi đua: 30/09/2020."
    )
    assert notification.url == reverse("movements:movement_detail", args=[draft.pk])


def test_a_chosen_list_limits_deadlines_and_notifications(
    django_capture_on_commit_callbacks, officer, manager, department, office2
):
    movement = make_movement(officer, department, participation="chosen", chosen_units=[office2])
    office2_manager = make_user("qlkh", role="unit_manager", unit=office2)

    with django_capture_on_commit_callbacks(execute=True):
        launch(officer, movement)

    assert [d.unit for d in Deadline.objects.all()] == [office2]
    assert list(Notification.objects.values_list("user__username", flat=True)) == [office2_manager.username]


# ---------------------------------------------------------------- through the page


def test_page_launches_a_draft_and_generates_the_launch_letter(
    django_capture_on_commit_callbacks, officer_client, manager, draft
):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(transition_url(draft), {"to": "launched"})

    assert response.status_code == 302
    assert response.url == reverse("movements:movement_detail", args=[draft.pk])
    assert reload(draft).status == "launched"
    letter = GeneratedDocument.objects.get()
    assert (letter.kind, letter.version, letter.object_id) == ("launch_letter", 1, str(draft.pk))
    assert Notification.objects.filter(user=manager).count() == 1
    page = officer_client.get(response.url).content.decode()
    assert (
        "Đã phát động phong trào; đã thông báo các đơn vị tham gia và tạo kế hoạch phát động (phiên bản 1)."
        in page
    )


def test_page_refuses_to_close_a_draft_and_says_why(officer_client, draft):
    response = officer_client.post(transition_url(draft), {"to": "closed", "note": "Tổng kết"})

    assert response.status_code == 400
    assert "Không thể chuyển phong trào từ “Dự thảo” sang “Đã tổng kết”." in response.content.decode()
    assert reload(draft).status == "draft"


def test_page_refuses_to_close_without_the_final_review(officer_client, launched):
    response = officer_client.post(transition_url(launched), {"to": "closed", "note": ""})

    assert response.status_code == 400
    assert "Nhập kết quả tổng kết phong trào trước khi kết thúc." in response.content.decode()
    assert reload(launched).status == "launched"


def test_page_closes_a_launched_movement(officer_client, launched):
    response = officer_client.post(
        transition_url(launched), {"to": "closed", "note": "Khen thưởng 2 tập thể, 14 cá nhân."}
    )

    assert response.status_code == 302
    movement = reload(launched)
    assert (movement.status, movement.final_review) == ("closed", "Khen thưởng 2 tập thể, 14 cá nhân.")
    assert GeneratedDocument.objects.count() == 0  # the letter belongs to the launch only


@pytest.mark.parametrize("target", ["draft", "launched", "closed"])
def test_page_refuses_every_transition_out_of_closed(officer_client, closed, target):
    response = officer_client.post(transition_url(closed), {"to": target, "note": "Mở lại"})

    assert response.status_code == 400
    assert "Không thể chuyển phong trào từ “Đã tổng kết”" in response.content.decode()
    assert reload(closed).status == "closed"


def test_page_refuses_to_launch_twice(officer_client, launched):
    response = officer_client.post(transition_url(launched), {"to": "launched"})

    assert response.status_code == 400
    assert "Không thể chuyển phong trào từ “Đã phát động” sang “Đã phát động”." in response.content.decode()
    assert GeneratedDocument.objects.count() == 0


def test_page_refuses_an_unknown_status(officer_client, draft):
    response = officer_client.post(transition_url(draft), {"to": "archived"})

    assert response.status_code == 400
    assert "Trạng thái không hợp lệ." in response.content.decode()


def test_page_forbids_a_transition_by_a_participant_who_may_only_view(manager_client, launched):
    response = manager_client.post(transition_url(launched), {"to": "closed", "note": "Tổng kết"})

    assert response.status_code == 403
    assert "Bạn không có quyền chuyển trạng thái phong trào này" in response.content.decode()
    assert reload(launched).status == "launched"


def test_page_hides_the_movement_from_an_outsider(outsider_client, launched):
    response = outsider_client.post(transition_url(launched), {"to": "closed", "note": "Tổng kết"})

    assert response.status_code == 404
    assert reload(launched).status == "launched"


def test_page_accepts_only_post(officer_client, draft):
    assert officer_client.get(transition_url(draft)).status_code == 405
