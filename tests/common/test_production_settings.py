"""Production settings, checked in a child process because THIDUA_ENV is read when settings load."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        THIDUA_ENV="production",
        THIDUA_SECRET_KEY=secrets.token_urlsafe(50),
        THIDUA_ALLOWED_HOSTS="thidua.example.gov.vn",
        THIDUA_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="thidua.settings",
    )
    env.update(extra)
    return env


def _thidua(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "thidua", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_in_production(tmp_path):
    result = _thidua(["check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_requires_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["THIDUA_SECRET_KEY"]
    result = _thidua(["check"], env)
    assert result.returncode != 0
    assert "THIDUA_SECRET_KEY must be set in production" in result.stderr


def test_production_settings_are_secure(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0, 'django.middleware.csp.ContentSecurityPolicyMiddleware' in s.MIDDLEWARE,"
        " s.PASSWORD_HASHERS[0].endswith('Argon2PasswordHasher'))"
    )
    env = _production_env(tmp_path, THIDUA_DEBUG="1")
    result = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "True", "True"], result.stderr


def test_production_start_refuses_demo_passwords(tmp_path):
    development = {key: value for key, value in _production_env(tmp_path).items()}
    development["THIDUA_ENV"] = "development"
    assert _thidua(["migrate", "-v0"], development).returncode == 0
    make_demo_user = (
        "import django; django.setup();"
        "from thidua.accounts.models import User;"
        "u = User(username='giamdoc', is_demo=True); u.set_password('thidua-demo'); u.save()"
    )
    subprocess.run([sys.executable, "-c", make_demo_user], cwd=ROOT, env=development, check=True, timeout=60)

    check = _thidua(["check", "--deploy"], _production_env(tmp_path))
    assert check.returncode != 0
    assert "thidua.E001" in check.stderr and "giamdoc" in check.stderr

    start = subprocess.run(
        [sys.executable, "-c", "import thidua.wsgi"], cwd=ROOT, env=_production_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert start.returncode != 0
    assert "DemoPasswordInProduction" in start.stderr and "giamdoc" in start.stderr


@pytest.mark.django_db
def test_demo_password_is_refused_by_validator_in_production(settings):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    settings.PRODUCTION = True
    with pytest.raises(ValidationError) as error:
        validate_password("thidua-demo")
    assert "Không được dùng mật khẩu của bản trình diễn." in error.value.messages
