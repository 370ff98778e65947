"""Every API error as RFC 9457 problem details, in the language of Accept-Language."""

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PROBLEM_TYPE_BASE = "https://yingzi.example/problems/"
CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: gettext_lazy("Bad request"),
    401: gettext_lazy("Not signed in"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    409: gettext_lazy("Conflict"),
    413: gettext_lazy("Request too large"),
    422: gettext_lazy("The request is not valid"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Server error"),
}
SLUGS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    422: "invalid",
    429: "rate-limited",
    500: "server-error",
}


class Problem(Exception):
    """Raised anywhere in the API to answer with a problem document."""

    def __init__(self, status: int, detail: str = "", *, errors: list | None = None, slug: str = "", headers=None):
        super().__init__(detail)
        self.status, self.detail, self.errors, self.slug, self.headers = status, detail, errors, slug, headers or {}


def problem_response(
    status: int,
    detail: str = "",
    *,
    errors: list | None = None,
    slug: str = "",
    headers: dict | None = None,
    request=None,
) -> HttpResponse:
    body = {
        "type": PROBLEM_TYPE_BASE + (slug or SLUGS.get(status, "error")),
        "title": str(TITLES.get(status, _("Error"))),
        "status": status,
        "detail": detail or str(TITLES.get(status, _("Error"))),
    }
    if request is not None:
        body["instance"] = request.path
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    response["Content-Language"] = _content_language()
    return response


def _content_language() -> str:
    from django.utils.translation import get_language

    return get_language() or "zh-hans"


def field_errors_from_pydantic(errors: list[dict]) -> list[dict]:
    """Pydantic's errors as {field, message, code}; the location drops the 'body'/'query' part."""
    result = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "header", "payload")]
        kind = error.get("type", "invalid")
        result.append({"field": ".".join(loc) or None, "code": kind, "message": _pydantic_message(kind, error)})
    return result


def _pydantic_message(kind: str, error: dict) -> str:
    messages = {
        "missing": _("This field is required."),
        "extra_forbidden": _("This field is not allowed."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "string_type": _("Enter text."),
        "bool_parsing": _("Enter true or false."),
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "datetime_parsing": _("Enter a date and time in ISO 8601."),
        "json_invalid": _("The body is not valid JSON."),
        "list_type": _("Enter a list."),
        "enum": _("Choose one of the allowed values."),
        "literal_error": _("Choose one of the allowed values."),
        "string_too_long": _("This value is too long."),
        "too_long": _("Too many items."),
        "too_short": _("Too few items."),
        "greater_than_equal": _("This value is too small."),
        "less_than_equal": _("This value is too large."),
        "model_attributes_type": _("Send a JSON object."),
        "dict_type": _("Send a JSON object."),
    }
    message = messages.get(kind)
    return str(message) if message else _("This value is not valid.")
