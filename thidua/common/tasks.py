"""Background tasks (Django's tasks framework; the database backend queues them for `thidua db_worker`)."""

from django.tasks import task

from thidua.common.notifications import send_reminders


@task
def send_daily_reminders() -> dict[str, int]:
    return send_reminders()
