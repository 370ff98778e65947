"""Staff without two-factor authentication are sent to set it up before they reach an admin."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

ADMIN_PREFIXES = ("/cms-admin/", "/django-admin/")


class StaffTwoFactorMiddleware:
    """Staff reach an admin only with two-factor authentication turned on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.YINGZI_STAFF_REQUIRE_2FA
            and request.path_info.startswith(ADMIN_PREFIXES)
            and request.user.is_authenticated
            and (request.user.is_staff or request.user.is_superuser)
        ):
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
                messages.warning(request, _("Turn on two-factor authentication before you use the admin."))
                return redirect("mfa_activate_totp")
        return self.get_response(request)
