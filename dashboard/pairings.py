"""Mentorship's pairings, handed to training's pairing registry.

Training must not import mentorship, yet its overview, reviews and
certificates need to know who mentors whom. The dashboard sits on both
apps and may import either, so it connects them here.
"""


def mentorship_pairs(*, cohort_ids=None, trainee_ids=None, mentor_ids=None):
    """(cohort, trainee, mentor) of every pairing both sides have agreed to, in one query."""
    from mentorship.models import Pairing, PairingStatus

    pairings = Pairing.objects.filter(status__in=[PairingStatus.AGREED, PairingStatus.ACTIVE, PairingStatus.COMPLETED])
    if cohort_ids is not None:
        pairings = pairings.filter(cohort_id__in=list(cohort_ids))
    if trainee_ids is not None:
        pairings = pairings.filter(trainee_id__in=list(trainee_ids))
    if mentor_ids is not None:
        pairings = pairings.filter(mentor_id__in=list(mentor_ids))
    return list(pairings.order_by("pk").values_list("cohort_id", "trainee_id", "mentor_id"))
