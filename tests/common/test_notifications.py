"""The user's notifications: the unread badge in the top bar, the list (unread first), opening one
marks it read and follows its link, and marking all read."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from thidua.common import notifications
from thidua.common.models import Notification

LIST = reverse("common:notification_list")
READ = reverse("common:notification_read")


def texts(response) -> list[str]:
    return [notification.text for notification in response.context["page"].object_list]


@pytest.fixture
def three(officer):
    notifications.notify(users=[officer], text="Thông báo thứ nhất", url="/phong-trao/", email=False)
    notifications.notify(users=[officer], text="Thông báo thứ hai", url="https://example.com/", email=False)
    notifications.notify(users=[officer], text="Thông báo thứ ba", email=False)
    return list(Notification.objects.filter(user=officer).order_by("id"))


def test_badge_shows_the_unread_count_on_every_page(officer_client, three):
    content = officer_client.get(reverse("common:dashboard")).content.decode()

    assert (
        f'href="{LIST}">Thông báo <span class="badge badge-warn" aria-label="3 thông báo chưa đọc">3</span></a>'
        in content
    )


def test_badge_is_hidden_when_everything_is_read(officer_client, officer, three):
    notifications.mark_read(user=officer)

    response = officer_client.get(reverse("common:dashboard"))

    assert response.context["unread_notification_count"] == 0
    assert f'href="{LIST}">Thông báo</a>' in response.content.decode()


def test_list_shows_unread_first_then_newest(officer_client, officer, three):
    first, second, third = three
    Notification.objects.filter(pk=third.pk).update(read_at=timezone.now())
    Notification.objects.filter(pk=first.pk).update(created_at=timezone.now() - datetime.timedelta(days=1))

    response = officer_client.get(LIST)

    assert response.status_code == 200
    assert texts(response) == ["Thông báo thứ hai", "Thông báo thứ nhất", "Thông báo thứ ba"]
    assert "2 thông báo chưa đọc" in response.content.decode()


def test_list_can_show_only_unread(officer_client, officer, three):
    notifications.mark_read(user=officer, notification_ids=[three[0].pk])

    assert texts(officer_client.get(LIST, {"chua-doc": "1"})) == ["Thông báo thứ ba", "Thông báo thứ hai"]


def test_list_shows_only_the_users_own(manager_client, three):
    response = manager_client.get(LIST)

    assert texts(response) == []
    assert "Chưa có thông báo nào." in response.content.decode()


def test_opening_a_notification_marks_it_read_and_follows_its_link(officer_client, officer, three):
    response = officer_client.post(READ, {"id": three[0].pk})

    assert response.status_code == 302
    assert response.url == "/phong-trao/"
    assert notifications.unread_count(officer) == 2
    assert Notification.objects.get(pk=three[0].pk).read_at is not None


def test_opening_a_notification_never_leaves_the_site(officer_client, three):
    response = officer_client.post(READ, {"id": three[1].pk})

    assert response.url == LIST


def test_another_users_notification_cannot_be_opened(manager_client, officer, three):
    assert manager_client.post(READ, {"id": three[0].pk}).status_code == 404
    assert notifications.unread_count(officer) == 3


def test_mark_all_read(officer_client, officer, three):
    response = officer_client.post(READ, follow=True)

    assert response.redirect_chain == [(LIST, 302)]
    assert notifications.unread_count(officer) == 0
    assert "Đã đánh dấu 3 thông báo là đã đọc." in response.content.decode()


def test_mark_read_accepts_only_post(officer_client):
    assert officer_client.get(READ).status_code == 405


def test_notifications_require_login(client):
    assert client.get(LIST).status_code == 302
    assert client.post(READ).status_code == 302


@pytest.mark.django_db
def test_ceased_units_have_no_open_deadlines_or_reminders(office, office2):
    import datetime

    from thidua.common import notifications
    from thidua.organizations import services as org

    today = datetime.date(2026, 3, 1)
    for unit in (office, office2):
        notifications.deadline_sync(key=f"k:{unit.pk}", label="Đăng ký thi đua", due_on=datetime.date(2026, 3, 2), unit=unit)
    org.unit_update(actor=None, unit=office2, valid_to=datetime.date(2026, 2, 1))
    assert [d.unit_id for d in notifications.deadlines_open(today=today)] == [office.pk]
    assert notifications.send_reminders(today=today) == {"reminded": 1, "overdue": 0}
