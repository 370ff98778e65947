"""A person's transcript is rendered once per change of their account and kept in the cache.

Every write that changes what the transcript shows (a record, a recognition, the
public address, the person's name or home region) renews the person's version
token (connected in `CreditsConfig.ready()`); the cached body is kept under a key
made of that token, so a stale body is never read again. A region renamed in
the admin shows within `BODY_SECONDS`.
"""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from training.overview import version_renew, version_token

BODY_SECONDS = 300


def _person_key(person_id: int) -> str:
    return f"credits:transcript-version:{person_id}"


def transcript_invalidate(person_id: int | None) -> None:
    if person_id is not None:
        version_renew(_person_key(person_id))


def transcript_body_key(person_id: int) -> str:
    return (
        f"credits:transcript:{person_id}:{version_token(_person_key(person_id))}:{get_language()}:"
        f"{timezone.get_current_timezone_name()}"
    )


def _by_person(sender, instance, **kwargs):
    transcript_invalidate(instance.person_id)


def _by_user(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and not set(update_fields) & {"display_name", "first_name", "last_name", "email"}:
        return
    transcript_invalidate(instance.pk)


def _by_profile(sender, instance, **kwargs):
    transcript_invalidate(instance.user_id)


def connect() -> None:
    from accounts.models import Profile, User

    from .models import CreditRecord, Recognition, TranscriptShare

    for model in (CreditRecord, Recognition, TranscriptShare):
        post_save.connect(_by_person, sender=model, dispatch_uid=f"credits-transcript-{model.__name__}-saved")
        post_delete.connect(_by_person, sender=model, dispatch_uid=f"credits-transcript-{model.__name__}-deleted")
    post_save.connect(_by_user, sender=User, dispatch_uid="credits-transcript-user-saved")
    post_save.connect(_by_profile, sender=Profile, dispatch_uid="credits-transcript-profile-saved")
