"""Who is calling: a personal token (`Authorization: Bearer yz_…`) or the platform's own session with CSRF."""

from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from accounts.two_factor import two_factor_overdue

from .problems import Problem
from .services import api_token_touch, api_token_verified

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenAuth(HttpBearer):
    """A token acts as its owner, never more; a read token may not write."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        scheme, _space, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Problem(401, _("Send the token as “Authorization: Bearer <token>”."), slug="bad-token")
        return self.authenticate(request, secret.strip())

    def authenticate(self, request, token):
        # The same header the middleware verified for the rate limit: looked up once per request.
        found = api_token_verified(request)
        if found is None:
            raise Problem(401, _("This token is unknown, revoked or expired."), slug="bad-token")
        if two_factor_overdue(found.user):
            raise Problem(
                403,
                _(
                    "The owner of this token holds a role that needs two-factor authentication, and has not turned it on."
                ),
                slug="two-factor-required",
            )
        if request.method not in SAFE_METHODS and not found.can_write:
            raise Problem(
                403,
                _("This token may only read. Create a read and write token to change data."),
                slug="read-only-token",
            )
        api_token_touch(token=found)
        request.user = found.user
        request.api_token = found
        return found.user


class PlatformSessionAuth(SessionAuth):
    """The platform's own pages call the API with their session; unsafe methods need the CSRF token."""


token_auth = TokenAuth()
session_auth = PlatformSessionAuth(csrf=True)
API_AUTH = [token_auth, session_auth]
