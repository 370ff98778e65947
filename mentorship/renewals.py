"""Which mentorship writes renew which cache tokens: the one place where mentorship declares it.

A pairing made, changed or ended changes the mentors the cohort overview
shows; a session log or an approval changes what the pair's dashboards show.
All of it lives under the cohort's token (`training.overview.cohort_token`).
"""

from training.overview import cohort_token
from versioned import renews

from .models import Pairing, PairingApproval, SessionLog

OWNER = "mentorship"


def _cohort_of_pairing(instance) -> list[str | None]:
    """The cohort of the pairing the instance hangs on, without a query when it is loaded.

    After a cascade the pairing may be gone already; its own declaration has then told its cohort.
    """
    field = instance._meta.get_field("pairing")
    if field.is_cached(instance):
        return [cohort_token(instance.pairing.cohort_id)]
    cohort_id = Pairing.objects.filter(pk=instance.pairing_id).values_list("cohort_id", flat=True).first()
    return [cohort_token(cohort_id)]


def connect() -> None:
    renews(Pairing, lambda instance: [cohort_token(instance.cohort_id)], owner=OWNER)
    renews(SessionLog, _cohort_of_pairing, owner=OWNER)
    renews(PairingApproval, _cohort_of_pairing, owner=OWNER)
