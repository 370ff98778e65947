"""Which writes renew a dashboard's cache tokens: the one place where the dashboard declares it.

What belongs to a cohort (invitations, certificates) renews the cohort's
token, the one the overview uses; what belongs to the person alone (name,
profile, groups, calendar address, regional office) renews their person
token (`freshness.person_token`). Mentorship declares its own models.

The coordinator's overview keeps its whole body under the cohort's token
(`training.overview`): the regions taking part (its filter) and their names
renew it too.
"""

from accounts.models import Profile, Region, RegionalAdministrator, User
from training.models import CalendarFeed, Certificate, CohortMembership, CohortRegion, Invitation
from training.overview import cohort_token
from versioned import renews, renews_m2m

from .freshness import person_token

OWNER = "dashboard"

# Saves that change nothing the dashboard shows: the last_login written at every sign-in.
UNSHOWN = {"last_login"}


def _cohort_of_membership(instance) -> list[str | None]:
    """The cohort of the membership the instance hangs on, without a query when it is loaded.

    After a cascade the membership may be gone already; its own declaration has then told its cohort.
    """
    if instance.membership_id is None:
        return []
    if instance._meta.get_field("membership").is_cached(instance):
        return [cohort_token(instance.membership.cohort_id)]
    cohort_id = CohortMembership.objects.filter(pk=instance.membership_id).values_list("cohort_id", flat=True).first()
    return [cohort_token(cohort_id)]


def _cohorts_of_region(instance) -> list[str | None]:
    # The overview's filter names the regions taking part, and its table each trainee's region.
    return [
        cohort_token(cohort_id)
        for cohort_id in CohortRegion.objects.filter(region=instance).values_list("cohort_id", flat=True)
    ]


def _person(instance) -> list[str]:
    return [person_token(instance.pk if isinstance(instance, User) else instance.user_id)]


def _groups(instance, action, pk_set, reverse) -> list[str]:
    # Groups decide the "Publishing" card. From the group's side, pk_set names the people.
    if action == "pre_clear" and not reverse:
        return []  # told at post_clear
    if not reverse:
        return [person_token(instance.pk)]
    if pk_set:
        return [person_token(user_id) for user_id in pk_set]
    if action == "pre_clear":
        return [person_token(user_id) for user_id in instance.user_set.values_list("pk", flat=True)]
    return []


def connect() -> None:
    for model in (Invitation, Certificate):
        renews(model, _cohort_of_membership, owner=OWNER)
    renews(User, _person, owner=OWNER, ignored=UNSHOWN)
    for model in (Profile, CalendarFeed, RegionalAdministrator):
        renews(model, _person, owner=OWNER)
    renews_m2m(User.groups.through, _groups, owner=OWNER)
    renews(CohortRegion, lambda instance: [cohort_token(instance.cohort_id)], owner=OWNER)
    # A region is protected while a cohort names it: only a rename reaches the cohorts.
    renews(Region, _cohorts_of_region, owner=OWNER, on_delete=False)
