"""Joining a studio: by the leaders' invitation or by applying, the leaders decide; co-leaders named by the leader."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from notifications.services import notification_send_localized
from training.permissions import is_staff

from .. import permissions
from ..models import Studio, StudioMembership, StudioRole

Status = StudioMembership.Status


def _studio_context(studio: Studio):
    return lambda: {"studio": studio.localized_name, "title": studio.localized_name}


@transaction.atomic
def studio_create(
    *, acting_user, name: str, leader, region, kind: str = Studio.Kind.MASTER_TEACHER, **fields
) -> Studio:
    """Staff open a studio for its leader, who is its first active member."""
    if not is_staff(acting_user):
        raise PermissionDenied
    studio = Studio.objects.create(name=name, leader=leader, region=region, kind=kind, **fields)
    StudioMembership.objects.create(
        studio=studio, person=leader, role=StudioRole.LEADER, status=Status.ACTIVE, decided_at=timezone.now()
    )
    audit_log(instance=studio, action="studios.studio_create", acting_user=acting_user)
    return studio


def _refuse_twice(membership: StudioMembership) -> None:
    if membership.status == Status.ACTIVE:
        raise ValidationError(_("%(name)s is already a member of this studio.") % {"name": membership.person})
    if membership.status in (Status.INVITED, Status.APPLIED):
        raise ValidationError(
            _("%(name)s is already waiting for a decision on joining this studio.") % {"name": membership.person}
        )


@transaction.atomic
def studio_apply(*, acting_user, studio: Studio, message: str = "") -> StudioMembership:
    """Ask to join; the leaders are told and decide. Someone refused before may apply again."""
    membership = StudioMembership.objects.select_for_update().filter(studio=studio, person=acting_user).first()
    if membership is not None:
        if membership.status == Status.ACTIVE:
            raise ValidationError(_("You are already a member of this studio."))
        if membership.status in (Status.INVITED, Status.APPLIED):
            raise ValidationError(_("You have already asked to join this studio; the leader has not decided yet."))
        membership.status, membership.message, membership.created_at = Status.APPLIED, message, timezone.now()
        membership.role, membership.decided_by, membership.decided_at = StudioRole.MEMBER, None, None
        membership.save()
    else:
        try:
            with transaction.atomic():
                membership = StudioMembership.objects.create(
                    studio=studio, person=acting_user, status=Status.APPLIED, message=message
                )
        except IntegrityError:
            raise ValidationError(
                _("You have already asked to join this studio; the leader has not decided yet.")
            ) from None
    permissions.forget(acting_user)
    leaders = [
        m.person
        for m in studio.memberships.filter(
            status=Status.ACTIVE, role__in=[StudioRole.LEADER, StudioRole.CO_LEADER]
        ).select_related("person")
    ]
    notification_send_localized(
        recipients=leaders,
        kind="studios.application",
        target=membership,
        context=lambda: {
            "studio": studio.localized_name,
            "title": studio.localized_name,
            "body": _("%(name)s asks to join the studio.") % {"name": acting_user},
        },
        occasion=f"applied-{membership.created_at.isoformat()}",
        url_name="studios:detail",
        url_kwargs={"studio_id": studio.pk},
    )
    audit_log(instance=membership, action="studios.apply", acting_user=acting_user)
    return membership


@transaction.atomic
def studio_invite(*, acting_user, studio: Studio, email: str) -> StudioMembership:
    """The leaders invite a person with an account, from any region; they accept or decline on the studio's page."""
    if not permissions.can_lead_studio(acting_user, studio):
        raise PermissionDenied
    person = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if person is None:
        raise ValidationError(
            {"email": _("Nobody has an account with this e-mail address; ask them to create one first.")}
        )
    membership = StudioMembership.objects.select_for_update().filter(studio=studio, person=person).first()
    if membership is not None:
        if membership.status == Status.APPLIED:
            raise ValidationError(
                {"email": _("%(name)s has already applied: accept the application instead.") % {"name": person}}
            )
        _refuse_twice(membership)
        membership.status, membership.role, membership.created_at = Status.INVITED, StudioRole.MEMBER, timezone.now()
        membership.decided_by, membership.decided_at = acting_user, None
        membership.save()
    else:
        membership = StudioMembership.objects.create(
            studio=studio, person=person, status=Status.INVITED, decided_by=acting_user
        )
    permissions.forget(person)
    notification_send_localized(
        recipients=[person],
        kind="studios.invitation",
        target=membership,
        context=_studio_context(studio),
        occasion=f"invited-{membership.created_at.isoformat()}",
        # The invitation is answered on the studios' list, where the invitee sees it.
        url_name="studios:list",
    )
    audit_log(instance=membership, action="studios.invite", acting_user=acting_user)
    return membership


@transaction.atomic
def invitation_respond(*, acting_user, studio: Studio, accept: bool) -> StudioMembership:
    membership = StudioMembership.objects.select_for_update().filter(studio=studio, person=acting_user).first()
    if membership is None or membership.status != Status.INVITED:
        raise ValidationError(_("There is no open invitation to this studio for you."))
    membership.status = Status.ACTIVE if accept else Status.DECLINED
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_at"])
    permissions.forget(acting_user)
    audit_log(
        instance=membership, action="studios.invitation_respond", acting_user=acting_user, data={"accept": accept}
    )
    return membership


@transaction.atomic
def application_decide(*, acting_user, studio: Studio, membership_id: int, accept: bool) -> StudioMembership:
    if not permissions.can_lead_studio(acting_user, studio):
        raise PermissionDenied
    membership = StudioMembership.objects.select_for_update().filter(studio=studio, pk=membership_id).first()
    if membership is None or membership.status != Status.APPLIED:
        raise ValidationError(_("This application has already been decided."))
    membership.status = Status.ACTIVE if accept else Status.REFUSED
    membership.decided_by, membership.decided_at = acting_user, timezone.now()
    membership.save(update_fields=["status", "decided_by", "decided_at"])
    permissions.forget(membership.person)
    notification_send_localized(
        recipients=[membership.person],
        kind="studios.application",
        target=membership,
        context=lambda: {
            "studio": studio.localized_name,
            "title": studio.localized_name,
            "body": _("Welcome: you are now a member of the studio.")
            if accept
            else _("The studio's leader did not accept your application this time."),
        },
        occasion=f"decided-{membership.decided_at.isoformat()}",
        url_name="studios:detail" if accept else "studios:list",
        url_kwargs={"studio_id": studio.pk} if accept else None,
    )
    audit_log(
        instance=membership, action="studios.application_decide", acting_user=acting_user, data={"accept": accept}
    )
    return membership


@transaction.atomic
def co_leader_set(*, acting_user, studio: Studio, membership_id: int, co_leader: bool) -> StudioMembership:
    """Only the leader names co-leaders, among the active members."""
    if not permissions.is_studio_leader(acting_user, studio):
        raise PermissionDenied
    membership = (
        StudioMembership.objects.select_for_update()
        .filter(studio=studio, pk=membership_id, status=Status.ACTIVE)
        .first()
    )
    if membership is None or membership.role == StudioRole.LEADER:
        raise ValidationError(_("Only an active member other than the leader can be made a co-leader."))
    membership.role = StudioRole.CO_LEADER if co_leader else StudioRole.MEMBER
    membership.save(update_fields=["role"])
    permissions.forget(membership.person)
    audit_log(
        instance=membership, action="studios.co_leader_set", acting_user=acting_user, data={"co_leader": co_leader}
    )
    return membership
