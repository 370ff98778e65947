"""Security headers Django 5.2 does not set itself, and the size limit of a request body.

Django 5.2 has no Content-Security-Policy support (it arrives in 6.0, which
needs Python 3.12), and the policy we need is one header with one variant
for the admins, so a small middleware is simpler than another dependency.
"""

import json

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.YINGZI_CSP
        self.admin_policy = settings.YINGZI_CSP_ADMIN
        self.admin_prefixes = tuple(settings.YINGZI_CSP_ADMIN_PREFIXES)

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path_info
        is_admin = path.startswith(self.admin_prefixes)
        response.headers.setdefault("Content-Security-Policy", self.admin_policy if is_admin else self.policy)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(), microphone=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class RequestSizeLimitMiddleware:
    """Refuse with 413 a request whose Content-Length exceeds YINGZI_MAX_REQUEST_BYTES, before its body is read.

    Django refuses over-large form fields by itself but streams files of any
    size to disk; gunicorn sets no body limit at all. The reverse proxy in
    front should refuse them first (nginx `client_max_body_size`); this is
    the same rule for deployments without one. A body sent without a
    Content-Length (chunked) is not read by Django at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.YINGZI_MAX_REQUEST_BYTES

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            return self.too_large(request)
        return self.get_response(request)

    def too_large(self, request):
        with translation.override(translation.get_language_from_request(request, check_path=True)):
            detail = _("The request is larger than %(limit)s, the most this site accepts.") % {
                "limit": filesizeformat(self.limit)
            }
            if request.path_info.startswith("/api/"):
                from api.problems import problem_response

                response = problem_response(413, detail, request=request)
            else:
                response = HttpResponse(detail, status=413, content_type="text/plain; charset=utf-8")
        return response


# C0 control characters and DEL. Paths and query strings may hold none; form fields and JSON strings may hold
# the three that real text contains (tab, line feed, carriage return). Lone surrogates cannot be stored at all.
_CONTROL = {chr(code) for code in range(0x20)} | {"\x7f"}
_CONTROL_IN_TEXT = _CONTROL - {"\t", "\n", "\r"}


def _has(characters: set[str], text: str) -> bool:
    return any(character in characters or "\ud800" <= character <= "\udfff" for character in text)


def _json_has_control(value) -> bool:
    if isinstance(value, str):
        return _has(_CONTROL_IN_TEXT, value)
    if isinstance(value, dict):
        return any(_json_has_control(key) or _json_has_control(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_json_has_control(item) for item in value)
    return False


class ControlCharacterMiddleware:
    """Refuse with 400 a request carrying control characters no person types, before any view sees them.

    NUL bytes cannot be stored by PostgreSQL (the query fails: a 500), and the
    other control characters break e-mail headers, CSV exports and calendar
    files. One rule at the door covers every path, query string, form field
    and JSON body, including views and forms written later: paths and query
    strings may carry no control character, form fields and JSON strings none
    but tab and line breaks (single-line fields refuse those in their forms).
    The API answers a problem document, the site a short translated page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.refused(request):
            return self.bad_request(request)
        return self.get_response(request)

    def refused(self, request) -> bool:
        if _has(_CONTROL, request.path_info):
            return True
        if any(_has(_CONTROL, text) for key, values in request.GET.lists() for text in [key, *values]):
            return True
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return False
        content_type = request.content_type or ""
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            try:
                fields = list(request.POST.lists())
            except Exception:  # noqa: BLE001 - a malformed body is the view's (and Django's) 400 to give
                return False
            return any(_has(_CONTROL_IN_TEXT, text) for key, values in fields for text in [key, *values])
        if content_type.endswith("json") and request.path_info.startswith("/api/"):
            try:
                body = json.loads(request.body or b"null")
            except (ValueError, RecursionError):
                return False  # the API's own parser answers a malformed body
            return _json_has_control(body)
        return False

    def bad_request(self, request):
        with translation.override(translation.get_language_from_request(request, check_path=True)):
            detail = _(
                "The request contains control characters (such as a NUL byte) that no text may hold. "
                "Remove them and try again; nothing was changed."
            )
            if request.path_info.startswith("/api/"):
                from api.problems import problem_response

                return problem_response(400, detail, request=request)
            return HttpResponse(detail, status=400, content_type="text/plain; charset=utf-8")
