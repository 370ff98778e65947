"""Security headers Django 5.2 does not set itself.

Django 5.2 has no Content-Security-Policy support (it arrives in 6.0, which
needs Python 3.12), and the policy we need is one header with one variant
for the admins, so a small middleware is simpler than another dependency.
"""

from django.conf import settings


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
