"""Behind a reverse proxy: limits count the client, not the proxy; oversized bodies are refused unread."""

import io
import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from tests.config.test_production_settings import ROOT, env_example
from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the reverse proxy: every request reaches gunicorn from it


def test_production_reads_the_number_of_trusted_proxies_from_the_environment():
    script = "import django;django.setup();from django.conf import settings;print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    env = {
        **os.environ,
        **env_example(),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "ALLAUTH_TRUSTED_PROXY_COUNT": "2",
    }
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "2", result.stderr


def failed_sign_in(address: str, forwarded: str):
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).post(
        reverse("account_login"), {"login": address, "password": "wrong-password-1"}
    )


def limited(response) -> bool:
    assert response.status_code in (200, 429)
    return response.status_code == 429 or "登录失败次数过多" in response.content.decode()


def test_sign_in_limits_count_each_client_behind_the_proxy_whatever_it_writes_before_it(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/ip"}
    make_user(email="someone@example.com")
    # One client, lying about its address in the part of the header the proxy does not vouch for.
    for spoofed in ["1.1.1.1", "2.2.2.2"]:
        assert not limited(failed_sign_in("someone@example.com", f"{spoofed}, 198.51.100.7"))
    assert limited(failed_sign_in("someone@example.com", "3.3.3.3, 198.51.100.7"))
    # Another client behind the same proxy is not locked out by the first.
    assert not limited(failed_sign_in("someone@example.com", "198.51.100.8"))


@pytest.mark.parametrize("forwarded", ["198.51.100.7", "unknown", "", "not-an-address, also-not"])
def test_a_forwarded_header_that_does_not_match_the_proxies_never_breaks_sign_in_or_the_api(settings, forwarded):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = failed_sign_in("nobody@example.com", forwarded)
    assert response.status_code == 200
    assert "不正确" in response.content.decode()  # the form's own answer, not an error page
    api = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).get("/api/v1/cohorts/")
    assert api.status_code == 401


def test_the_api_limit_counts_each_client_behind_the_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.YINGZI_API_RATE_IP = (2, 60)

    def call(client_address):
        return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"6.6.6.6, {client_address}").get("/api/v1/cohorts/")

    assert [call("198.51.100.7").status_code for _ in range(3)] == [401, 401, 429]
    assert call("198.51.100.8").status_code == 401


class UnreadableBody(io.RawIOBase):
    """A request body that must not be read: the test fails if anything tries."""

    read_attempts = 0

    def read(self, size=-1):
        UnreadableBody.read_attempts += 1
        raise AssertionError("the body of an oversized request was read")

    readline = read


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/cohorts/1/memberships/"])
def test_a_body_larger_than_any_upload_is_refused_before_it_is_read(settings, path):
    UnreadableBody.read_attempts = 0
    announced = settings.YINGZI_MAX_REQUEST_BYTES + 1
    response = Client().generic(
        "POST",
        path,
        b"",
        content_type="multipart/form-data; boundary=xyz",
        **{"wsgi.input": UnreadableBody(), "CONTENT_LENGTH": str(announced)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 413
    assert UnreadableBody.read_attempts == 0
    assert "larger than" in response.content.decode()


def test_the_size_limit_is_said_in_the_readers_language(settings):
    response = Client().generic(
        "POST",
        "/accounts/login/",
        b"",
        **{"wsgi.input": UnreadableBody(), "CONTENT_LENGTH": str(settings.YINGZI_MAX_REQUEST_BYTES + 1)},
    )
    assert response.status_code == 413
    assert "请求大于" in response.content.decode()
