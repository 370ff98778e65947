"""With the production settings (and `.env.example`'s values), every main page sends the security headers
and every cookie is Secure, HttpOnly where it can be, and SameSite."""

import importlib
import sys

import pytest
from django.test import Client

from tests.config.test_production_settings import env_example

from .conftest import readable_pages, sign_in_as

pytestmark = pytest.mark.django_db

SECURITY_SETTINGS = (
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "MIDDLEWARE",
    "X_FRAME_OPTIONS",
    "SECURE_PROXY_SSL_HEADER",
)
SECURITY_PREFIXES = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_", "LANGUAGE_COOKIE_", "YINGZI_CSP")


@pytest.fixture
def production(settings, monkeypatch):
    """The security settings of config.settings.production, applied to this test."""
    for key, value in env_example().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("DATABASE_URL", "postgres://user:pass@db:5432/yingzi")
    module = sys.modules.get("config.settings.production")
    module = importlib.reload(module) if module else importlib.import_module("config.settings.production")
    for name in dir(module):
        if name in SECURITY_SETTINGS or name.startswith(SECURITY_PREFIXES):
            setattr(settings, name, getattr(module, name))
    host = module.ALLOWED_HOSTS[0]
    return {"host": host}


def https(role_client: Client, host: str):
    # As behind the TLS-terminating proxy that production trusts (SECURE_PROXY_SSL_HEADER).
    role_client.defaults.update({"HTTP_HOST": host, "HTTP_X_FORWARDED_PROTO": "https"})
    return role_client


def assert_security_headers(response, where: str) -> None:
    headers = response.headers
    assert "max-age=31536000" in headers.get("Strict-Transport-Security", ""), where
    assert "includeSubDomains" in headers["Strict-Transport-Security"], where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    csp = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp, where
    assert headers.get("X-Frame-Options") == "DENY", where


def test_every_main_page_sends_the_security_headers_over_https(declared_world, production):
    for role in ["anonymous", "trainee", "mentor", "coordinator", "regional_admin", "editor"]:
        client = https(sign_in_as(Client(), declared_world, role), production["host"])
        pages = readable_pages(declared_world, role)
        assert pages
        for name, path in pages:
            response = client.get(path)
            assert response.status_code == 200, f"{name} as {role}: {response.status_code}"
            assert_security_headers(response, f"{name} as {role}")


def test_plain_http_is_redirected_to_https(declared_world, production):
    response = Client(HTTP_HOST=production["host"]).get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == f"https://{production['host']}/accounts/login/"


def test_cookies_are_secure_httponly_and_samesite(declared_world, production, password):
    client = https(Client(), production["host"])
    csrf = client.get("/accounts/login/").cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post("/accounts/login/", {"login": declared_world.trainee.email, "password": password})
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    language = response.cookies["django_language"]
    assert language["secure"] and language["httponly"] and language["samesite"] == "Lax"
