"""Which of the writes training sees renew which cache tokens: the one place where training declares it.

What the cohort overview (and each member's dashboard) shows lives under the
cohort's token (`overview.cohort_token`). Declared per model rather than
called in each service, so that the admin, imports and other apps' writes (a
confirmed session log credits the ledger) cannot be forgotten. Bulk writes
send no signals; the services that make them call `overview_invalidate`.
"""

from accounts.models import Profile, User
from versioned import renews, renews_m2m

from .models import Assignment, Attendance, Cohort, CohortMembership, HoursEntry, Programme, ScheduleItem, Submission
from .overview import cohort_token

OWNER = "training"

# What the overview shows of a person; a save of anything else (the last_login written at every
# sign-in) leaves the cached figures alone.
SHOWN = {User: {"display_name", "first_name", "last_name", "email"}, Profile: {"school", "region"}}


def _cohorts_of_person(user_id: int) -> list[str]:
    # A new name or school shows in every cohort the person is in.
    cohort_ids = CohortMembership.objects.filter(user_id=user_id).values_list("cohort_id", flat=True)
    return [cohort_token(cohort_id) for cohort_id in cohort_ids]


def _cohorts_of_programme(programme) -> list[str]:
    return [cohort_token(pk) for pk in Cohort.objects.filter(programme=programme).values_list("pk", flat=True)]


def _participants(instance, action, pk_set, reverse) -> list[str]:
    if isinstance(instance, ScheduleItem):
        return [cohort_token(instance.cohort_id)]
    # From the person's side: the items' cohorts.
    items = ScheduleItem.objects.filter(pk__in=pk_set) if pk_set else ScheduleItem.objects.filter(participants=instance)
    return [cohort_token(pk) for pk in items.values_list("cohort_id", flat=True).distinct()]


def connect() -> None:
    for model in (HoursEntry, CohortMembership, ScheduleItem, Assignment):
        renews(model, lambda instance: [cohort_token(instance.cohort_id)], owner=OWNER)
    renews(Attendance, lambda instance: [cohort_token(instance.schedule_item.cohort_id)], owner=OWNER)
    renews(Submission, lambda instance: [cohort_token(instance.assignment.cohort_id)], owner=OWNER)
    renews(Cohort, lambda instance: [cohort_token(instance.pk)], owner=OWNER, on_delete=False)
    renews(Programme, _cohorts_of_programme, owner=OWNER, on_delete=False)
    renews(User, lambda instance: _cohorts_of_person(instance.pk), owner=OWNER, fields=SHOWN[User], on_delete=False)
    renews(
        Profile,
        lambda instance: _cohorts_of_person(instance.user_id),
        owner=OWNER,
        fields=SHOWN[Profile],
        on_delete=False,
    )
    renews_m2m(ScheduleItem.participants.through, _participants, owner=OWNER)
