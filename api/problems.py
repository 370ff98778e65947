"""Every API error as RFC 9457 problem details, in the language of Accept-Language."""

import json
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Relative to the API's host, so that the type resolves on every deployment; each is a page in the reader's language.
PROBLEM_TYPE_BASE = "/api/v1/problems/"
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


@dataclass(frozen=True)
class ProblemType:
    status: int
    title: str
    description: str


# Every `type` the API answers with, and what its page says: what happened and what to do about it.
PROBLEM_TYPES: dict[str, ProblemType] = {
    "bad-request": ProblemType(
        400,
        gettext_lazy("Bad request"),
        gettext_lazy(
            "The request could not be understood, for example an Idempotency-Key that is too long. "
            "The detail says what to change; sending the same request again will not help."
        ),
    ),
    "malformed": ProblemType(
        400,
        gettext_lazy("The body is not valid JSON"),
        gettext_lazy(
            "The request body could not be read as JSON. Send a JSON object with "
            "“Content-Type: application/json”, encoded as UTF-8. Nothing was changed."
        ),
    ),
    "bad-cursor": ProblemType(
        400,
        gettext_lazy("The cursor is not valid"),
        gettext_lazy(
            "A list's cursor must be the next_cursor of a previous page of the same list, passed on "
            "unchanged. Start again from the first page without a cursor."
        ),
    ),
    "unauthenticated": ProblemType(
        401,
        gettext_lazy("Not signed in"),
        gettext_lazy(
            "This operation needs a personal API token: send it as “Authorization: Bearer <token>”. "
            "Create one on your account page under API tokens."
        ),
    ),
    "bad-token": ProblemType(
        401,
        gettext_lazy("The token is not valid"),
        gettext_lazy(
            "The token sent is unknown, revoked or expired, or its owner's account is closed. "
            "Create a new token on your account page and use it instead."
        ),
    ),
    "forbidden": ProblemType(
        403,
        gettext_lazy("Not allowed"),
        gettext_lazy(
            "You may see this object but not do this with it: the token acts with its owner's "
            "permissions, and the owner's role does not allow this operation."
        ),
    ),
    "read-only-token": ProblemType(
        403,
        gettext_lazy("The token may only read"),
        gettext_lazy(
            "A read token cannot change data. Create a token with “Read and write” access for the "
            "system that writes. Nothing was changed."
        ),
    ),
    "two-factor-required": ProblemType(
        403,
        gettext_lazy("Two-factor authentication required"),
        gettext_lazy(
            "The token's owner holds a role with power over other people's data (staff, editor, coordinator, "
            "regional admin) and has not turned on two-factor authentication. The token works again once "
            "they turn it on under Account → Two-factor authentication."
        ),
    ),
    "csrf": ProblemType(
        403,
        gettext_lazy("The CSRF check failed"),
        gettext_lazy(
            "A write made with the platform's own session must carry the CSRF token in the "
            "X-CSRFToken header. Systems should use a personal API token instead of a session."
        ),
    ),
    "not-found": ProblemType(
        404,
        gettext_lazy("Not found"),
        gettext_lazy(
            "There is nothing at this address, or the object exists but is not visible to you: "
            "objects of cohorts you have no role in answer 404, so that their existence does not leak."
        ),
    ),
    "method-not-allowed": ProblemType(
        405,
        gettext_lazy("Method not allowed"),
        gettext_lazy("This address does not take this HTTP method. The Allow header lists the methods it takes."),
    ),
    "conflict": ProblemType(
        409,
        gettext_lazy("Conflict"),
        gettext_lazy("The request conflicts with the current state of the object. Read it again and retry."),
    ),
    "too-large": ProblemType(
        413,
        gettext_lazy("Request too large"),
        gettext_lazy("The request body is larger than the API accepts. Send fewer rows in each request."),
    ),
    "invalid": ProblemType(
        422,
        gettext_lazy("The request is not valid"),
        gettext_lazy(
            "Some fields are missing, of the wrong type, not allowed here, or break a rule of the "
            "platform (a status change the coordinator's page would refuse too, a date in the future). "
            "The errors list names each field with a code and a message. Nothing was changed."
        ),
    ),
    "rows-invalid": ProblemType(
        422,
        gettext_lazy("Some rows are not valid"),
        gettext_lazy(
            "A bulk enrolment is all or nothing: because at least one row is not valid, nobody was "
            "invited. The errors list gives each bad row's number (from 0), field, code and message; "
            "correct them and send all the rows again."
        ),
    ),
    "idempotency-key-reused": ProblemType(
        422,
        gettext_lazy("The Idempotency-Key was used for another request"),
        gettext_lazy(
            "An Idempotency-Key names one request: a retry with the same key must send the same "
            "method, address and body, and then gets the first answer back. Use a new key for a new "
            "request. Keys are forgotten after 24 hours."
        ),
    ),
    "rate-limited": ProblemType(
        429,
        gettext_lazy("Too many requests"),
        gettext_lazy(
            "Requests from this address or token are over the limit. Wait the number of seconds in "
            "the Retry-After header before trying again."
        ),
    ),
    "server-error": ProblemType(
        500,
        gettext_lazy("Server error"),
        gettext_lazy(
            "Something went wrong on our side and nothing was changed. The error has been logged; "
            "retry later, with the same Idempotency-Key for a write."
        ),
    ),
    "error": ProblemType(
        0,
        gettext_lazy("Error"),
        gettext_lazy("The request failed; the status and the detail of the answer say why."),
    ),
}


def problem_type_uri(slug: str) -> str:
    return PROBLEM_TYPE_BASE + slug + "/"


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
        "type": problem_type_uri(slug or SLUGS.get(status, "error")),
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
