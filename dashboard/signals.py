"""Every write that changes what a dashboard shows gives it a new cache key (see `freshness`).

What belongs to a cohort replaces the cohort's version token, the one the
overview uses; what belongs to the person alone replaces their person token.
Signals rather than calls in each service, so that the admin's and other
apps' writes cannot be forgotten; the few bulk writes call the same
functions themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.models import Profile, RegionalAdministrator, User
from mentorship.models import PairingApproval, SessionLog
from training.models import CalendarFeed, Certificate, Invitation
from training.overview import overview_invalidate

from .freshness import person_invalidate


def _cohort_id_through(instance, name: str) -> int | None:
    """The cohort of the membership or pairing the instance hangs on, without a query when it is loaded.

    After a cascade the membership or pairing may be gone already; its own signal has then told its cohort.
    """
    field = instance._meta.get_field(name)
    if field.is_cached(instance):
        return getattr(instance, name).cohort_id
    related = field.related_model.objects.filter(pk=getattr(instance, field.attname))
    return related.values_list("cohort_id", flat=True).first()


def _by_membership(sender, instance, **kwargs):
    overview_invalidate(_cohort_id_through(instance, "membership"))


def _by_pairing(sender, instance, **kwargs):
    overview_invalidate(_cohort_id_through(instance, "pairing"))


# Saves that change nothing the dashboard shows: the last_login written at every sign-in.
UNSHOWN = {"last_login"}


def _person(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and not set(update_fields) - UNSHOWN:
        return
    person_invalidate(instance.pk if isinstance(instance, User) else instance.user_id)


def _groups(sender, instance, action, pk_set=None, reverse=False, **kwargs):
    # Groups decide the "Publishing" card. From the group's side, pk_set names the people.
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:
        person_invalidate(instance.pk)
    elif pk_set:
        for user_id in pk_set:
            person_invalidate(user_id)
    elif action == "pre_clear":
        for user_id in instance.user_set.values_list("pk", flat=True):
            person_invalidate(user_id)


def connect() -> None:
    for model, receiver in (
        (Invitation, _by_membership),
        (Certificate, _by_membership),
        (SessionLog, _by_pairing),
        (PairingApproval, _by_pairing),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"dashboard-{model.__name__}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"dashboard-{model.__name__}-delete")
    for model in (User, Profile, CalendarFeed, RegionalAdministrator):
        post_save.connect(_person, sender=model, dispatch_uid=f"dashboard-{model.__name__}-save")
        post_delete.connect(_person, sender=model, dispatch_uid=f"dashboard-{model.__name__}-delete")
    m2m_changed.connect(_groups, sender=User.groups.through, dispatch_uid="dashboard-groups")
