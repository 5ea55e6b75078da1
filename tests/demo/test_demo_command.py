"""`thidua demo`: it refuses production, and with --no-serve builds THIDUA_DATA_DIR/demo.sqlite3 in a child
process (the configured database is never touched)."""

import io
import sqlite3

import pytest
from django.core.management import CommandError, call_command

from thidua.accounts.models import User

# The main demo accounts and the council's members and secretary (issue 6).
DEMO_USERNAMES = ["admin", "canbo", "giamdoc", "hoidong1", "hoidong2", "hoidong3", "hoidong4", "hoidong5", "hoidong6", "hoidong7",
                  "thuky", "truongphong", "vanphong"]


def _demo_rows(path):
    with sqlite3.connect(path) as connection:
        usernames = [row[0] for row in connection.execute("SELECT username FROM accounts_user WHERE is_demo ORDER BY username")]
        people = connection.execute("SELECT count(*) FROM organizations_person").fetchone()[0]
    return usernames, people


def test_demo_command_refuses_in_production(settings, tmp_path):
    settings.PRODUCTION = True
    settings.DATA_DIR = tmp_path

    with pytest.raises(CommandError, match="THIDUA_ENV=production"):
        call_command("demo", "--no-serve", stdout=io.StringIO())
    assert not (tmp_path / "demo.sqlite3").exists()


@pytest.mark.django_db
def test_demo_command_builds_a_fresh_demo_database(settings, tmp_path, capfd):
    settings.DATA_DIR = tmp_path
    demo_file = tmp_path / "demo.sqlite3"

    call_command("demo", "--no-serve", stdout=io.StringIO())

    assert _demo_rows(demo_file) == (DEMO_USERNAMES, 87)
    output = capfd.readouterr().out
    assert "Tài khoản trình diễn (mật khẩu: thidua-demo):" in output
    assert "giamdoc (Dương Văn Bon) — Người ký quyết định" in output
    assert "thuky (" in output  # the council's secretary, created by the council stage
    # The configured (test) database got nothing.
    assert not User.objects.filter(is_demo=True).exists()

    with sqlite3.connect(demo_file) as connection:
        connection.execute("UPDATE organizations_person SET given_name = 'Đã sửa' WHERE given_name = 'Bon'")
    call_command("demo", "--no-serve", "--keep", stdout=io.StringIO())
    assert "Giữ nguyên dữ liệu trình diễn đã có." in capfd.readouterr().out
    with sqlite3.connect(demo_file) as connection:
        assert connection.execute("SELECT count(*) FROM organizations_person WHERE given_name = 'Đã sửa'").fetchone() == (1,)

    call_command("demo", "--no-serve", stdout=io.StringIO())
    with sqlite3.connect(demo_file) as connection:
        assert connection.execute("SELECT count(*) FROM organizations_person WHERE given_name = 'Đã sửa'").fetchone() == (0,)
    assert _demo_rows(demo_file) == (DEMO_USERNAMES, 87)
