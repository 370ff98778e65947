"""Every write that changes what the cohort overview shows forgets the cohort's cached overview.

Signals rather than calls in each service, so that the admin, imports and
other apps' writes (a confirmed session log credits the ledger) cannot be
forgotten. Bulk writes send no signals; the services that make them call
`overview_invalidate` themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.models import Profile, User

from .models import Assignment, Attendance, Cohort, CohortMembership, HoursEntry, Programme, ScheduleItem, Submission
from .overview import overview_invalidate


def _by_cohort_id(sender, instance, **kwargs):
    overview_invalidate(instance.cohort_id)


def _by_schedule_item(sender, instance, **kwargs):
    overview_invalidate(instance.schedule_item.cohort_id)


def _by_assignment(sender, instance, **kwargs):
    overview_invalidate(instance.assignment.cohort_id)


def _cohort(sender, instance, **kwargs):
    overview_invalidate(instance.pk)


def _programme(sender, instance, **kwargs):
    for cohort_id in Cohort.objects.filter(programme=instance).values_list("pk", flat=True):
        overview_invalidate(cohort_id)


# What the overview shows of a person; a save of anything else (the last_login written at every
# sign-in) leaves the cached figures alone.
SHOWN = {User: {"display_name", "first_name", "last_name", "email"}, Profile: {"school", "region"}}


def _person(sender, instance, update_fields=None, **kwargs):
    # A new name or school shows in every cohort the person is in.
    if update_fields is not None and not SHOWN[sender] & set(update_fields):
        return
    user_id = instance.pk if isinstance(instance, User) else instance.user_id
    for cohort_id in CohortMembership.objects.filter(user_id=user_id).values_list("cohort_id", flat=True):
        overview_invalidate(cohort_id)


def _participants(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, ScheduleItem):
        overview_invalidate(instance.cohort_id)


def connect() -> None:
    for model in (HoursEntry, CohortMembership, ScheduleItem, Assignment):
        post_save.connect(_by_cohort_id, sender=model, dispatch_uid=f"overview-{model.__name__}-save")
        post_delete.connect(_by_cohort_id, sender=model, dispatch_uid=f"overview-{model.__name__}-delete")
    for model, receiver in ((Attendance, _by_schedule_item), (Submission, _by_assignment)):
        post_save.connect(receiver, sender=model, dispatch_uid=f"overview-{model.__name__}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"overview-{model.__name__}-delete")
    post_save.connect(_cohort, sender=Cohort, dispatch_uid="overview-cohort-save")
    post_save.connect(_programme, sender=Programme, dispatch_uid="overview-programme-save")
    for model in (User, Profile):
        post_save.connect(_person, sender=model, dispatch_uid=f"overview-{model.__name__}-save")
    m2m_changed.connect(_participants, sender=ScheduleItem.participants.through, dispatch_uid="overview-participants")
