from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from thidua.common.notifications import send_reminders


class Command(BaseCommand):
    help = _("Gửi nhắc việc cho các thời hạn sắp đến và báo các thời hạn đã quá (chạy mỗi ngày, ví dụ bằng cron).")

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help=_("Đưa vào hàng đợi công việc nền thay vì chạy ngay."))

    def handle(self, *args, enqueue: bool, **options):
        if enqueue:
            from thidua.common.tasks import send_daily_reminders

            result = send_daily_reminders.enqueue()
            self.stdout.write(_("Đã đưa vào hàng đợi: %(id)s") % {"id": result.id})
            return
        counts = send_reminders()
        self.stdout.write(_("Đã nhắc %(reminded)d thời hạn, báo %(overdue)d thời hạn quá hạn.") % counts)
