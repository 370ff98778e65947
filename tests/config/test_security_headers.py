import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/en/", "/accounts/login/", "/healthz"])
def test_pages_send_security_headers(client, home_page, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_production_cookies_are_secure_httponly_and_samesite(client, settings, home_page):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = client.get("/accounts/login/")
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"]
    assert csrf["samesite"] == "Lax"
    from tests.factories.accounts import make_user

    make_user(email="cookie@example.com", password="a-long-enough-passphrase")
    response = client.post("/accounts/login/", {"login": "cookie@example.com", "password": "a-long-enough-passphrase"})
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_hsts_is_sent_over_https_with_production_values(client, settings, home_page):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
