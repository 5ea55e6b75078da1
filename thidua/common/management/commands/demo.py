"""`thidua demo`: a fresh demo database, the demo data, and the development server.

The demo never touches the configured database. It runs itself again in a child process whose
DATABASE_URL points at ``THIDUA_DATA_DIR/demo.sqlite3`` (settings are read once, when Django starts,
so a new process is the clean way to switch databases); the child migrates that file, loads the data
and serves it.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.models import F
from django.utils.translation import gettext as _

# Set by the parent for the child: the demo database file the child must be connected to.
CHILD_MARKER = "THIDUA_DEMO_DATABASE"
DEMO_FILE_NAME = "demo.sqlite3"


def demo_database_path() -> Path:
    return Path(settings.DATA_DIR) / DEMO_FILE_NAME


def _describe_unit(unit) -> str:
    text = unit.name
    if unit.parent_id and unit.depth > 1:
        text += f", {unit.parent.name}"
    if unit.valid_to:
        text += " " + _("(đến %(day)s)") % {"day": f"{unit.valid_to:%d/%m/%Y}"}
    return text


class Command(BaseCommand):
    help = _("Tạo cơ sở dữ liệu trình diễn mới, nạp dữ liệu mẫu và chạy máy chủ tại http://127.0.0.1:8000.")

    def add_arguments(self, parser):
        parser.add_argument("--keep", action="store_true", help=_("Giữ cơ sở dữ liệu trình diễn đã có thay vì tạo lại."))
        parser.add_argument("--port", type=int, default=8000, help=_("Cổng của máy chủ (mặc định 8000)."))
        parser.add_argument("--no-serve", action="store_true", help=_("Chỉ tạo cơ sở dữ liệu, không chạy máy chủ."))

    def handle(self, *args, keep: bool, port: int, no_serve: bool, **options):
        if settings.PRODUCTION:
            raise CommandError(_("Không chạy bản trình diễn khi THIDUA_ENV=production: tài khoản mẫu dùng mật khẩu công khai."))
        if not 1 <= port <= 65535:
            raise CommandError(_("Cổng phải từ 1 đến 65535."))
        if os.environ.get(CHILD_MARKER):
            self._run_child(keep=keep, port=port, no_serve=no_serve)
        else:
            self._start_child(keep=keep, port=port, no_serve=no_serve)

    def _start_child(self, *, keep: bool, port: int, no_serve: bool) -> None:
        path = demo_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "thidua.settings",
            "DATABASE_URL": f"sqlite:///{path}",
            "THIDUA_DATA_DIR": str(path.parent),
            "THIDUA_DEBUG": "1",
            CHILD_MARKER: str(path),
        }
        arguments = [sys.executable, "-m", "thidua", "demo", "--port", str(port)]
        arguments += ["--keep"] if keep else []
        arguments += ["--no-serve"] if no_serve else []
        self.stdout.flush()
        try:
            returncode = subprocess.call(arguments, env=env)
        except KeyboardInterrupt:
            # Ctrl-C reaches the child too (same process group); it stops the server on its own.
            return
        if returncode != 0:
            raise CommandError(_("Bản trình diễn dừng với mã lỗi %(code)d.") % {"code": returncode})

    def _run_child(self, *, keep: bool, port: int, no_serve: bool) -> None:
        expected = Path(os.environ[CHILD_MARKER])
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.sqlite3" or Path(database["NAME"]) != expected:
            raise CommandError(_("Bản trình diễn chỉ chạy trên tệp %(path)s.") % {"path": expected})

        if not keep:
            # The system checks may have opened the file already; a connection left open would keep
            # writing to the deleted file.
            connections.close_all()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{expected}{suffix}").unlink(missing_ok=True)
        self.stdout.write(_("Đang chuẩn bị cơ sở dữ liệu trình diễn %(path)s…") % {"path": expected})
        call_command("migrate", interactive=False, verbosity=0)

        # Imported here: the models need the app registry, which is ready only inside handle().
        from thidua.demo.data import build_demo, demo_is_loaded

        if keep and demo_is_loaded():
            self.stdout.write(_("Giữ nguyên dữ liệu trình diễn đã có."))
        else:
            build_demo()
            self.stdout.write(_("Đã nạp dữ liệu trình diễn."))
        self._print_accounts(port=port, no_serve=no_serve)
        if not no_serve:
            # Background tasks (large certificate batches, PDF conversions, reminders) need a worker, as in
            # production; it stops with the server.
            worker = subprocess.Popen([sys.executable, "-m", "thidua", "db_worker", "--no-reload"], env=os.environ.copy())
            try:
                call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
            finally:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()

    def _print_accounts(self, *, port: int, no_serve: bool) -> None:
        from thidua.accounts.enums import Role
        from thidua.accounts.models import RoleAssignment
        from thidua.accounts.validators import DEMO_PASSWORD
        from thidua.demo.data import DEMO_ACCOUNTS

        assignments = RoleAssignment.objects.filter(user__is_demo=True).select_related("user__person", "unit__parent")
        by_username: dict[str, list[RoleAssignment]] = {}
        # Today's unit first, then the units it succeeded.
        for assignment in assignments.order_by(F("unit__valid_to").desc(nulls_first=True), "unit__path"):
            by_username.setdefault(assignment.user.username, []).append(assignment)
        lines = ["", _("Tài khoản trình diễn (mật khẩu: %(password)s):") % {"password": DEMO_PASSWORD}]
        # The main accounts in their listed order, then the others the stages created (the council's members).
        listed = [username for username, *_rest in DEMO_ACCOUNTS]
        for username in listed + sorted(set(by_username) - set(listed)):
            held = by_username.get(username, [])
            if not held:
                continue
            person = held[0].user.person
            who = f" ({person.full_name})" if person else ""
            roles = list(dict.fromkeys(assignment.role for assignment in held))
            lines.append(f"  {username}{who} — {', '.join(str(Role(role).label) for role in roles)}")
            for role in roles:
                for assignment in (a for a in held if a.role == role):
                    prefix = f"{Role(role).label}: " if len(roles) > 1 else ""
                    lines.append(f"      {prefix}{_describe_unit(assignment.unit)}")
        if no_serve:
            lines.append(_("Chạy `thidua demo --keep` để mở máy chủ trên cơ sở dữ liệu này."))
        else:
            lines.append(_("Mở http://127.0.0.1:%(port)d/ trong trình duyệt. Nhấn Ctrl-C để dừng.") % {"port": port})
        lines.append("")
        self.stdout.write("\n".join(lines))
