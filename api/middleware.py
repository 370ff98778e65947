"""What every API request goes through: language, size and rate limits, idempotent writes, ETags.

Kept in one middleware on the /api/ prefix so that the platform's pages are untouched.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from .models import IdempotentRequest
from .problems import CONTENT_TYPE, problem_response
from .services import api_token_verified

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
MAX_KEY_LENGTH = 200


def api_language(request) -> str:
    """The language of Accept-Language (or the language cookie) when we have it, else the platform's default (zh-hans).

    Django's own negotiation, without the URL prefix: API addresses carry no language.
    """
    return translation.get_language_from_request(request, check_path=False)


def _over_limit(bucket: str, limit: int, window: int) -> int:
    """0 when within the limit, else the seconds until the window resets.

    Counted in the cache. When the cache fails, production's backend counts
    in the process instead (`config.cache`); any other error lets the
    request through: the limits fail open, never into a 500.
    """
    now = int(time.time())
    start = now - now % window
    key = f"api-rate:{bucket}:{start}"
    try:
        # Counted first, created only when missing: every request of the window after its first pays for
        # the increment alone, not for an `add` that finds the counter there.
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1 if cache.add(key, 1, timeout=window + 1) else cache.incr(key)
    except Exception:
        logger.warning("The API's rate limit could not be counted; the request goes through.", exc_info=True)
        return 0
    if count > limit:
        return max(start + window - now, 1)
    return 0


class _Discard(Exception):
    def __init__(self, response):
        super().__init__("discard")
        self.response = response


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        translation.activate(api_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self._limits(request) or self._handle(request)
        response = self._shape(request, response)
        patch_vary_headers(response, ("Accept-Language", "Authorization", "Cookie"))
        response["Content-Language"] = translation.get_language()
        return response

    # --- limits ---------------------------------------------------------------------

    def _limits(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.YINGZI_API_MAX_BODY:
            return problem_response(
                413,
                _("The body is larger than %(limit)s bytes.") % {"limit": settings.YINGZI_API_MAX_BODY},
                request=request,
            )
        limit, window = settings.YINGZI_API_RATE_IP
        # The same client address as allauth's sign-in limits: ALLAUTH_TRUSTED_PROXY_COUNT proxies are trusted.
        from allauth.account.adapter import get_adapter

        ip = get_adapter(request).get_client_ip(request)
        wait = _over_limit(f"ip:{ip}", limit, window)
        # A token's own budget is counted only once the token is verified: someone who knows a token's
        # public prefix must not be able to spend its owner's budget with made-up secrets (those count
        # against their address only).
        token = api_token_verified(request) if not wait else None
        if token is not None:
            limit, window = settings.YINGZI_API_RATE_TOKEN
            wait = _over_limit(f"token:{token.pk}", limit, window)
        if wait:
            return problem_response(
                429,
                _("Too many requests. Try again in %(seconds)s seconds.") % {"seconds": wait},
                headers={"Retry-After": str(wait)},
                request=request,
            )
        return None

    # --- idempotent writes -------------------------------------------------------------

    def _handle(self, request):
        key = request.headers.get("Idempotency-Key", "").strip()
        if request.method not in UNSAFE or not key:
            return self.get_response(request)
        if len(key) > MAX_KEY_LENGTH:
            return problem_response(
                400, _("The Idempotency-Key may have at most %(limit)s characters.") % {"limit": MAX_KEY_LENGTH}
            )
        user = self._caller(request)
        if user is None:
            return self.get_response(request)
        fingerprint = hashlib.sha256(
            b"\n".join([request.method.encode(), request.get_full_path().encode(), request.body])
        ).hexdigest()
        existing = IdempotentRequest.objects.filter(user=user, key=key).first()
        if existing is not None:
            return self._replay(request, existing, fingerprint)
        try:
            with transaction.atomic():
                try:
                    # A concurrent request with the same key waits here on the unique index, then fails.
                    with transaction.atomic():
                        record = IdempotentRequest.objects.create(
                            user=user, key=key, method=request.method, path=request.path, fingerprint=fingerprint
                        )
                except IntegrityError:
                    record = None
                if record is not None:
                    response = self.get_response(request)
                    if response.status_code >= 500 or response.streaming:
                        raise _Discard(response)
                    record.status = response.status_code
                    record.content_type = response.get("Content-Type", "")
                    record.body = response.content
                    record.save(update_fields=["status", "content_type", "body"])
                    return response
        except _Discard as discard:
            return discard.response
        existing = IdempotentRequest.objects.get(user=user, key=key)
        return self._replay(request, existing, fingerprint)

    def _caller(self, request):
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            token = api_token_verified(request)
            return token.user if token else None
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None

    def _replay(self, request, record: IdempotentRequest, fingerprint: str):
        if record.fingerprint != fingerprint:
            return problem_response(
                422,
                _("This Idempotency-Key was already used for a different request."),
                slug="idempotency-key-reused",
                request=request,
            )
        response = HttpResponse(bytes(record.body), status=record.status, content_type=record.content_type or None)
        response["Idempotent-Replayed"] = "true"
        return response

    # --- answers ---------------------------------------------------------------------------

    def _shape(self, request, response):
        content_type = response.get("Content-Type", "")
        if response.status_code == 405 and not content_type.startswith(CONTENT_TYPE):
            allow = response.get("Allow", "")
            response = problem_response(
                405,
                _("%(method)s is not allowed here. Allowed: %(allowed)s.")
                % {"method": request.method, "allowed": allow},
                headers={"Allow": allow},
                request=request,
            )
        elif response.status_code == 404 and not content_type.startswith(CONTENT_TYPE):
            response = problem_response(404, _("There is nothing at this address."), request=request)
        if request.method == "GET" and response.status_code == 200 and not response.streaming:
            response["Cache-Control"] = "private, no-cache"
            # Django's conditional GET: an ETag of the body, and 304 Not Modified when the client holds it.
            return ConditionalGetMiddleware(lambda _request: response)(request)
        return response
