"""A person's transcript is rendered once per change of their account and kept in the cache.

Every write that changes what the transcript shows (a record, a recognition, the
public address, the person's name or home region) renews the person's version
token (declared in `credits.renewals`); the cached body is kept under a key
made of that token, so a stale body is never read again. A region renamed in
the admin shows within `BODY_SECONDS`.
"""

from django.utils import timezone
from django.utils.translation import get_language

import versioned

BODY_SECONDS = 300


def transcript_token(person_id: int) -> str:
    return f"credits-transcript:{person_id}"


def transcript_invalidate(person_id: int | None) -> None:
    if person_id is not None:
        versioned.renew(transcript_token(person_id))


def transcript_body_key(person_id: int) -> str:
    zone = timezone.get_current_timezone_name()
    return versioned.key("credits:transcript", [transcript_token(person_id)], person_id, get_language(), zone)
