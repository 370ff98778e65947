"""Which writes renew the credit bank's cache tokens: the one place where credits declares it.

A person's transcript shows their records, recognitions and public address,
their name and their home region: each of those writes renews the person's
transcript token (`freshness.transcript_token`).
"""

from accounts.models import Profile, User
from versioned import renews

from .freshness import transcript_token
from .models import CreditRecord, Recognition, TranscriptShare

OWNER = "credits"


def connect() -> None:
    for model in (CreditRecord, Recognition, TranscriptShare):
        renews(model, lambda instance: [transcript_token(instance.person_id)], owner=OWNER)
    renews(
        User,
        lambda instance: [transcript_token(instance.pk)],
        owner=OWNER,
        fields={"display_name", "first_name", "last_name", "email"},
        on_delete=False,
    )
    renews(Profile, lambda instance: [transcript_token(instance.user_id)], owner=OWNER, on_delete=False)
