"""Writes for API tokens: create (the secret is returned once), revoke, and authenticate."""

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit_log, audit_log_many
from notifications.security import API_TOKEN_CREATED
from notifications.services import notification_send

from .models import ApiToken, IdempotentRequest, TokenScope

TOKEN_PREFIX = "yz_"  # noqa: S105 (a public marker, not a secret)
PREFIX_LENGTH = 8
# Writing last use on every call would turn each read into a write; once a minute is enough to show it.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
# A partner's retries come within minutes; after a day the key is forgotten and the same request runs again.
IDEMPOTENCY_RETENTION = datetime.timedelta(hours=24)
PRUNE_BATCH = 1000


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


@transaction.atomic
def api_token_create(*, acting_user, name: str, scope: str = TokenScope.READ, expires_at=None) -> IssuedToken:
    """A new token for its owner; the secret is in the answer and nowhere else."""
    if scope not in TokenScope.values:
        scope = TokenScope.READ
    lookup = secrets.token_hex(PREFIX_LENGTH // 2)
    secret = f"{TOKEN_PREFIX}{lookup}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=acting_user,
        name=name.strip()[:100],
        prefix=lookup,
        digest=_digest(secret),
        scope=scope,
        expires_at=expires_at,
    )
    audit_log(instance=token, action="api.token.create", acting_user=acting_user, data={"scope": scope})
    # A security notice, like a changed password: if it was not the owner, they learn at once and revoke it.
    notification_send(
        recipient=acting_user,
        kind=API_TOKEN_CREATED,
        target=token,
        occasion=token.created_at.isoformat(),
        context={"name": token.name, "scope": scope},
        url=reverse("api:tokens"),
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_tokens_revoke_all(*, user, reason: str) -> int:
    """Revoke every active token of this person (their password changed); how many."""
    now = timezone.now()
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    ApiToken.objects.filter(pk__in=[token.pk for token in tokens]).update(revoked_at=now)
    audit_log_many(instances=tokens, action="api.token.revoke", acting_user=user, data={"reason": reason})
    return len(tokens)


def on_password_changed(sender, request=None, user=None, **kwargs) -> None:
    """Whoever knew the old password may have made tokens with it: a new password revokes them all."""
    if user is not None:
        api_tokens_revoke_all(user=user, reason="password")


@transaction.atomic
def api_token_revoke(*, acting_user, token_id) -> ApiToken:
    """Revoke one of my tokens; someone else's is 404."""
    try:
        token = ApiToken.objects.select_for_update().get(pk=int(token_id), user=acting_user)
    except (ApiToken.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(instance=token, action="api.token.revoke", acting_user=acting_user, data={})
    return token


def api_token_lookup(*, secret: str) -> ApiToken | None:
    """The active token a secret belongs to, or None (unknown, revoked, expired, or owner deactivated)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    lookup = secret[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + PREFIX_LENGTH]
    token = ApiToken.objects.select_related("user").filter(prefix=lookup).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    return token


def api_token_verified(request) -> ApiToken | None:
    """The active token of this request's `Authorization: Bearer`, looked up once per request."""
    if not hasattr(request, "_yingzi_api_token"):
        header = request.headers.get("Authorization", "")
        scheme, _space, secret = header.partition(" ")
        request._yingzi_api_token = api_token_lookup(secret=secret.strip()) if scheme.lower() == "bearer" else None
    return request._yingzi_api_token


def api_token_touch(*, token: ApiToken) -> None:
    """Record that a token was used, at most once a minute."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def idempotent_requests_prune(
    *, older_than: datetime.timedelta = IDEMPOTENCY_RETENTION, batch: int = PRUNE_BATCH
) -> int:
    """Forget stored answers older than the retention, a batch per statement so no lock is held long; how many."""
    cutoff = timezone.now() - older_than
    deleted = 0
    while True:
        ids = list(
            IdempotentRequest.objects.filter(created_at__lt=cutoff).order_by("pk").values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return deleted
        deleted += IdempotentRequest.objects.filter(pk__in=ids).delete()[0]
