"""Production refuses to start without its secrets, and passes Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"]


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    return values


def run_with(env_overrides: dict[str, str | None], *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in REQUIRED}
    env.update(env_example())
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("variable", REQUIRED)
def test_production_refuses_to_start_without_each_required_variable(variable):
    result = run_with({variable: None}, "check")
    assert result.returncode != 0
    assert f"The environment variable {variable} is required in production" in result.stderr


def test_production_settings_pass_the_deploy_checks_with_the_example_environment():
    result = run_with({}, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_uses_https_secure_cookies_and_no_debug():
    script = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.ACCOUNT_EMAIL_VERIFICATION, s.YINGZI_STAFF_REQUIRE_2FA,"
        " s.CACHES['default']['BACKEND'].endswith('RedisCache'))"
    )
    env = {**os.environ, **env_example(), "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "mandatory", "True", "True"]
