"""Two factors for people with power: before an admin, and (in production) everywhere after sign-in.

Staff reach an admin only with two-factor authentication on
(`YINGZI_STAFF_REQUIRE_2FA`). With `YINGZI_REQUIRE_2FA`, anyone who holds
power over other people's data (accounts.two_factor) is reminded during the
grace period and then sent to the page that says why and sets it up; the
pages needed to do so (allauth's, sign-out, language) stay open.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .two_factor import has_second_factor, two_factor_duty

ADMIN_PREFIXES = ("/cms-admin/", "/django-admin/")
SETUP_URL_NAME = "accounts:two-factor"
# URL names a person without a second factor still reaches: to set it up, to leave, to change language.
OPEN_URL_NAMES = frozenset(
    {
        SETUP_URL_NAME,
        "account_logout",
        "account_login",
        "account_reauthenticate",
        "account_change_password",
        "account_email",
        "set_language",
        "healthz",
        "robots",
    }
)
# A person found not to need anything is not asked again for this long (the answer lives in the session).
CLEAR_SECONDS = 300
SESSION_CLEAR_UNTIL = "yingzi_2fa_clear_until"
SESSION_REMINDED = "yingzi_2fa_reminded"


def _forget(request=None, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(SESSION_CLEAR_UNTIL, None)
        session.pop(SESSION_REMINDED, None)


def connect_signals() -> None:
    """Whenever the second factor changes or someone signs in, ask again at the next request."""
    from allauth.mfa import signals as mfa_signals
    from django.contrib.auth.signals import user_logged_in

    mfa_signals.authenticator_removed.connect(_forget, dispatch_uid="accounts.two_factor.removed")
    mfa_signals.authenticator_added.connect(_forget, dispatch_uid="accounts.two_factor.added")
    user_logged_in.connect(_forget, dispatch_uid="accounts.two_factor.logged_in")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        path = request.path_info
        if (
            settings.YINGZI_STAFF_REQUIRE_2FA
            and path.startswith(ADMIN_PREFIXES)
            and (user.is_staff or user.is_superuser)
            and not has_second_factor(user)
        ):
            messages.warning(request, _("Turn on two-factor authentication before you use the admin."))
            return redirect("mfa_activate_totp")
        if not settings.YINGZI_REQUIRE_2FA:
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in OPEN_URL_NAMES or name.startswith("mfa_"):
            return None
        session = request.session
        if session.get(SESSION_CLEAR_UNTIL, 0) > time.time():
            return None
        duty = two_factor_duty(user)
        if not duty.required:
            session[SESSION_CLEAR_UNTIL] = time.time() + CLEAR_SECONDS
            return None
        if duty.overdue:
            if path.startswith("/api/"):
                return JsonResponse(
                    {
                        "type": request.build_absolute_uri(
                            reverse("api-problem-type", kwargs={"slug": "two-factor-required"})
                        ),
                        "title": _("Two-factor authentication required"),
                        "status": 403,
                        "detail": _("Turn on two-factor authentication on your account before you use the API."),
                    },
                    status=403,
                    content_type="application/problem+json",
                )
            return redirect(SETUP_URL_NAME)
        if not session.get(SESSION_REMINDED) and not path.startswith("/api/"):
            session[SESSION_REMINDED] = True
            messages.warning(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Your role needs two-factor authentication. Turn it on by %(date)s to keep your access.")
                    % {"date": formats.date_format(timezone.localtime(duty.due), "DATE_FORMAT")},
                    reverse(SETUP_URL_NAME),
                    _("Set it up now"),
                ),
            )
        return None
