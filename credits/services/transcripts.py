"""The public address of a person's transcript: renewed (the old one stops working) or turned off."""

import secrets

from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_log

from ..models import TranscriptShare


@transaction.atomic
def transcript_share_renew(*, acting_user) -> TranscriptShare:
    """Give my transcript a new public address; the old one stops working."""
    share, _created = TranscriptShare.objects.select_for_update().get_or_create(person=acting_user)
    share.token = secrets.token_urlsafe(18)
    share.renewed_at = timezone.now()
    share.save(update_fields=["token", "renewed_at"])
    audit_log(instance=share, action="credits.transcript.share", acting_user=acting_user)
    return share


@transaction.atomic
def transcript_share_disable(*, acting_user) -> None:
    """Turn my transcript's public address off."""
    share = TranscriptShare.objects.select_for_update().filter(person=acting_user).first()
    if share and share.token:
        share.token = None
        share.save(update_fields=["token"])
        audit_log(instance=share, action="credits.transcript.unshare", acting_user=acting_user)
