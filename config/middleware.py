"""Security headers Django 5.2 does not set itself, and the size limit of a request body.

Django 5.2 has no Content-Security-Policy support (it arrives in 6.0, which
needs Python 3.12), and the policy we need is one header with one variant
for the admins, so a small middleware is simpler than another dependency.
"""

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
