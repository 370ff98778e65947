import ipaddress

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation


def client_address(request) -> str:
    """The address of the person making the request, as the trusted proxies in front of us saw it.

    With `ALLAUTH_TRUSTED_PROXY_COUNT = n` (allauth's setting; the API's
    limiter reads the same), each of our n proxies appends the address it
    received the request from to X-Forwarded-For, so the client is the n-th
    entry from the right; whatever the client wrote before that is ignored.
    `ALLAUTH_TRUSTED_CLIENT_IP_HEADER` names a header a proxy sets instead.
    A header with fewer entries (a request that skipped a proxy) gives its
    first entry, one that is not an address gives REMOTE_ADDR: never an
    error, so sign-in and the API answer whatever a client sends.
    """
    from allauth import app_settings

    candidate = ""
    if app_settings.TRUSTED_CLIENT_IP_HEADER:
        candidate = request.headers.get(app_settings.TRUSTED_CLIENT_IP_HEADER, "")
    elif app_settings.TRUSTED_PROXY_COUNT > 0:
        hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
        if hops:
            candidate = hops[-min(app_settings.TRUSTED_PROXY_COUNT, len(hops))]
    for address in (candidate, request.META.get("REMOTE_ADDR", "")):
        try:
            return str(ipaddress.ip_address(address.strip()))
        except ValueError:
            continue
    return "0.0.0.0"  # noqa: S104 -- not a bind address: one shared bucket for requests without any address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        return client_address(request)

    def is_open_for_signup(self, request):
        return settings.YINGZI_SIGNUP_OPEN

    def get_login_redirect_url(self, request):
        # Land people in the language they chose, not the one the login page was in.
        url = super().get_login_redirect_url(request)
        user = request.user
        if url == reverse(settings.LOGIN_REDIRECT_URL) and getattr(user, "preferred_language", None):
            with translation.override(user.preferred_language):
                return reverse(settings.LOGIN_REDIRECT_URL)
        return url

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            from .services import profile_get_or_create

            profile_get_or_create(user=user)
        return user
