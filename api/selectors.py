"""Reads for the token pages: a person's own API tokens."""

from django.db.models import QuerySet

from .models import ApiToken


def api_token_list_for_user(*, user) -> QuerySet[ApiToken]:
    """My tokens, newest first, revoked ones included so I can see what stopped working."""
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-pk")
