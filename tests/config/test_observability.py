"""Operators can follow one request through the logs and Sentry, and Sentry never receives personal data."""

import io
import json
import logging
import os
import subprocess
import sys
import textwrap

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from config.observability import JsonFormatter, RequestIdFilter, RequestIdMiddleware, scrub_event

from .test_production_settings import ROOT, env_example


@pytest.fixture
def request_log():
    """The `yingzi.request` logger at INFO, written as production writes it (JSON lines)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("yingzi.request")
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)
    logger.propagate = propagate


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_every_response_names_its_request_and_each_request_gets_its_own_id(client):
    first = client.get("/robots.txt")
    second = client.get("/robots.txt")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_proxy_id_is_kept_and_a_malformed_one_replaced(client):
    kept = client.get("/robots.txt", HTTP_X_REQUEST_ID="lb-1f2e3d4c5b6a")
    assert kept["X-Request-ID"] == "lb-1f2e3d4c5b6a"
    forged = client.get("/robots.txt", HTTP_X_REQUEST_ID='x"\n{"level": "CRITICAL"}')
    assert forged["X-Request-ID"] != 'x"\n{"level": "CRITICAL"}'
    assert len(forged["X-Request-ID"]) == 32


def test_each_request_is_one_json_line_with_its_id_status_and_duration(client, request_log):
    response = client.get("/robots.txt?utm_source=x")
    [line] = lines(request_log)
    assert line["request_id"] == response["X-Request-ID"]
    assert line["logger"] == "yingzi.request"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/robots.txt", 200)
    assert line["duration_ms"] >= 0
    assert line["message"] == "GET /robots.txt 200"
    # The query string (which can carry tokens) is not logged.
    assert "utm_source" not in json.dumps(line)


def test_lines_written_while_a_request_runs_carry_its_id(request_log):
    def view(request):
        logging.getLogger("yingzi.request").warning("inside the view", extra={"cohort_id": 4})
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/somewhere/"))
    inside, request_line = lines(request_log)
    assert inside["message"] == "inside the view" and inside["level"] == "WARNING"
    assert inside["cohort_id"] == 4
    assert inside["request_id"] == request_line["request_id"] == response["X-Request-ID"]


def test_a_failure_is_logged_as_one_line_with_its_traceback():
    try:
        raise ValueError("the import file is empty")
    except ValueError:
        record = logging.LogRecord("training", logging.ERROR, __file__, 1, "import %s failed", (12,), sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == "import 12 failed" and parsed["request_id"] is None
    assert "ValueError: the import file is empty" in parsed["exception"]


def production_python(script: str, **environment: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_example(), "DJANGO_SETTINGS_MODULE": "config.settings.production", **environment}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_logs_json_lines_and_the_request_line():
    result = production_python(
        """
        import django; django.setup()
        from django.conf import settings
        print(settings.LOGGING["handlers"]["console"]["formatter"], settings.LOGGING["loggers"]["yingzi.request"]["level"])
        from config.settings import base
        print(base.LOGGING["handlers"]["console"].get("formatter"), base.LOGGING["loggers"]["yingzi.request"]["level"])
        """
    )
    assert result.stdout.split() == ["json", "INFO", "None", "WARNING"], result.stderr


def test_production_reports_to_sentry_only_with_a_dsn_and_without_personal_data():
    script = """
        import django; django.setup()
        import sentry_sdk
        client = sentry_sdk.get_client()
        print(client.is_active())
        if client.is_active():
            print(client.options["send_default_pii"], client.options["before_send"].__name__)
        """
    without = production_python(script)
    assert without.stdout.split() == ["False"], without.stderr
    with_dsn = production_python(script, SENTRY_DSN="https://public@sentry.invalid/1")
    assert with_dsn.stdout.split() == ["True", "False", "scrub_event"], with_dsn.stderr


def test_an_event_sent_to_sentry_keeps_the_user_id_but_not_their_email_name_or_address():
    # In a process of its own: the SDK patches Django and logging for the rest of the process.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import json
                import sentry_sdk
                from sentry_sdk.transport import Transport
                from config.observability import sentry_init

                sent = []

                class Recorder(Transport):
                    def capture_envelope(self, envelope):
                        sent.extend(item.payload.json for item in envelope.items if item.type == "event")

                sentry_init(dsn="https://public@sentry.invalid/1", environment="test", transport=Recorder)
                sentry_sdk.set_user({"id": 7, "email": "li.na@example.org", "username": "李娜", "ip_address": "203.0.113.9"})
                try:
                    raise RuntimeError("boom")
                except RuntimeError:
                    sentry_sdk.capture_exception()
                sentry_sdk.flush()
                print(json.dumps([event.get("user") for event in sent]))
                """
            ),
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json.loads(result.stdout) == [{"id": 7}], result.stderr


def test_scrubbing_removes_cookies_addresses_and_bodies_from_the_request():
    event = {
        "user": {
            "id": 3,
            "email": "wang@example.org",
            "username": "wang",
            "name": "王芳",
            "ip_address": "198.51.100.4",
        },
        "request": {
            "url": "https://yingzi.example.org/cohorts/3/",
            "cookies": {"sessionid": "secret"},
            "data": {"email": "wang@example.org"},
            "env": {"REMOTE_ADDR": "198.51.100.4", "SERVER_NAME": "yingzi"},
            "headers": {"Cookie": "sessionid=secret", "X-Forwarded-For": "198.51.100.4", "Accept": "text/html"},
        },
    }
    scrubbed = scrub_event(event, {})
    assert scrubbed["user"] == {"id": 3}
    assert scrubbed["request"] == {
        "url": "https://yingzi.example.org/cohorts/3/",
        "env": {"SERVER_NAME": "yingzi"},
        "headers": {"Accept": "text/html"},
    }


def test_an_error_reported_during_a_request_is_tagged_with_its_request_id():
    def view(request):
        return HttpResponse(json.dumps(scrub_event({"user": {"id": 1}}, {})))

    response = RequestIdMiddleware(view)(RequestFactory().get("/"))
    event = json.loads(response.content)
    assert event["tags"]["request_id"] == response["X-Request-ID"]
    assert "tags" not in scrub_event({}, {})
