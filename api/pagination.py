"""Cursor pagination by primary key: stable while rows are added, one query per page whatever its size."""

from django.core import signing
from django.utils.translation import gettext as _
from pydantic import create_model

from . import schemas as s
from .problems import Problem

CURSOR_SALT = "api.cursor"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def page_of(item, name: str):
    """The schema of one page of `item`s: `results` and the `next_cursor` to ask for the next."""
    return create_model(name, __base__=s.Schema, results=(list[item], ...), next_cursor=(str | None, None))


def _decode(cursor: str, scope: str) -> int:
    try:
        payload = signing.Signer(salt=CURSOR_SALT).unsign_object(cursor)
        if payload.get("s") != scope:
            raise ValueError
        return int(payload["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        raise Problem(
            400,
            _("The cursor is not valid. Use the next_cursor of a previous page unchanged."),
            errors=[{"field": "cursor", "code": "invalid_cursor", "message": _("The cursor is not valid.")}],
            slug="bad-cursor",
        ) from None


def paginate(queryset, *, cursor: str | None, limit: int | None, scope: str, descending: bool = False):
    """(rows, next cursor or None); `scope` ties a cursor to the list it came from.

    Rows may be model instances or `.values()` dictionaries carrying their "id".
    """
    limit = min(max(int(limit or DEFAULT_LIMIT), 1), MAX_LIMIT)
    order = "-pk" if descending else "pk"
    queryset = queryset.order_by(order)
    if cursor:
        key = _decode(cursor, scope)
        queryset = queryset.filter(pk__lt=key) if descending else queryset.filter(pk__gt=key)
    rows = list(queryset[: limit + 1])
    following = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        key = last["id"] if isinstance(last, dict) else last.pk
        following = signing.Signer(salt=CURSOR_SALT).sign_object({"s": scope, "k": key})
    return rows, following
