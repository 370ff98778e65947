"""What operators see of a running site: request ids, one JSON log line per request, scrubbed error reports.

Every response carries `X-Request-ID` (the proxy's own id when it sent a
well-formed one, else a new one), and every log line written while the
request runs names it, so a complaint, a log line and a Sentry event can be
matched. Production logs JSON, one object a line, for the log collector;
the request line itself is logged at INFO by the `yingzi.request` logger,
which only production turns on (runserver prints its own). Sentry is
optional (SENTRY_DSN) and receives no personal data: no cookies, bodies or
headers (`send_default_pii=False`), and `scrub_event` removes what a user
record or request could still carry (e-mail, name, address).
"""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only when it is short and plain, so it cannot forge log lines or inflate them.
_REQUEST_ID_SHAPE = re.compile(r"[A-Za-z0-9._-]{8,64}")
_request_id = contextvars.ContextVar("request_id", default=None)
request_logger = logging.getLogger("yingzi.request")


def current_request_id() -> str | None:
    """The id of the request this thread is serving, or None outside a request."""
    return _request_id.get()


class RequestIdMiddleware:
    """Give each request an id, send it back as X-Request-ID and log the request as one line.

    First in MIDDLEWARE, so that the line times everything and responses served
    from the page cache carry their own id too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if _REQUEST_ID_SHAPE.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            if request_logger.isEnabledFor(logging.INFO):
                request_logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Stamp each record with the current request's id (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


# Attributes every LogRecord has; anything else on a record was passed as `extra` and goes into the line.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or _request_id.get(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in line:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


# What a user record or request may carry that identifies a person; the numeric user id stays.
_PERSONAL_USER_KEYS = ("email", "username", "name", "ip_address")
_PERSONAL_HEADERS = {"cookie", "authorization", "x-forwarded-for", "x-real-ip", "remote-addr"}


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry's before_send: drop e-mail, name and address from the user, and cookies and addresses from the request."""
    user = event.get("user")
    if isinstance(user, dict):
        for key in _PERSONAL_USER_KEYS:
            user.pop(key, None)
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        request.pop("data", None)
        env = request.get("env")
        if isinstance(env, dict):
            env.pop("REMOTE_ADDR", None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value for name, value in headers.items() if name.lower() not in _PERSONAL_HEADERS
            }
    request_id = _request_id.get()
    if request_id:
        # The same id as the response header and the log lines of the request that failed.
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def sentry_init(*, dsn: str, environment: str, release: str | None = None, **options) -> None:
    """Report errors to Sentry (Django and Celery are found by the SDK itself), without personal data."""
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        before_send=scrub_event,
        # Errors only: performance tracing would add work to every request.
        traces_sample_rate=0.0,
        **options,
    )
