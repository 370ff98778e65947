"""Invitations by e-mail: the signed, expiring link, resends, and accepting with or without an account."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.models import User
from accounts.services import user_create

from ..kinds import cohort_notification_send
from ..models import (
    Cohort,
    CohortMembership,
    Invitation,
    InvitationStatus,
    MembershipRole,
    MembershipStatus,
)
from ..permissions import require_cohort_manager
from ..seats import seat_lock
from .memberships import membership_joined_status


def invitation_days() -> int:
    return getattr(settings, "TRAINING_INVITATION_DAYS", 14)


def invitation_message_context(cohort: Cohort, role: str):
    def context():
        return {
            "cohort": cohort.localized_name,
            "programme": cohort.programme.localized_title,
            "role": str(dict(MembershipRole.choices)[role]),
            "days": invitation_days(),
        }

    return context


def _person_for_invitation(*, email: str, display_name: str, region=None, school=None, stages=(), subjects=()):
    """The account of this address; a new one (no password yet) if there is none."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    return user_create(
        email=email,
        password=None,
        display_name=display_name,
        region=region,
        school=school,
        stages=list(stages),
        subjects=list(subjects),
    )


@transaction.atomic
def invitation_create(
    *,
    cohort: Cohort,
    acting_user,
    email: str,
    display_name: str,
    role: str,
    region=None,
    school=None,
    stages=(),
    subjects=(),
) -> Invitation:
    """Invite one person by e-mail; the signed link expires, and a new invitation replaces the old link."""
    require_cohort_manager(acting_user, cohort)
    email = email.strip().lower()
    user = _person_for_invitation(
        email=email, display_name=display_name, region=region, school=school, stages=stages, subjects=subjects
    )
    region = region or getattr(getattr(user, "profile", None), "region", None)
    if role == MembershipRole.TRAINEE and region is None:
        raise ValidationError({"region": _("Choose the region the trainee comes from.")})
    membership = CohortMembership.objects.select_for_update().filter(cohort=cohort, user=user, role=role).first()
    if membership is not None and membership.status in MembershipStatus.counted_values():
        raise ValidationError(
            {
                "email": _("%(email)s is already in this cohort as %(role)s.")
                % {"email": email, "role": membership.get_role_display()}
            }
        )
    if membership is not None and membership.status == MembershipStatus.APPLIED:
        raise ValidationError(
            {"email": _("%(email)s has applied; accept or decline the application instead.") % {"email": email}}
        )
    previous_status = membership.status if membership else None
    if role == MembershipRole.TRAINEE and (
        previous_status != MembershipStatus.INVITED or (membership and membership.region_id != region.pk)
    ):
        seat_lock(cohort=cohort, region_id=region.pk)
    if membership is None:
        membership = CohortMembership.objects.create(
            cohort=cohort, user=user, role=role, status=MembershipStatus.INVITED, region=region
        )
    else:
        membership.status = MembershipStatus.INVITED
        membership.region = region
        membership.save(update_fields=["status", "region", "updated_at"])
    membership.invitations.filter(status=InvitationStatus.PENDING).update(status=InvitationStatus.REVOKED)
    invitation = Invitation.objects.create(
        membership=membership,
        email=email,
        display_name=(display_name or "").strip()[:100],
        expires_at=timezone.now() + datetime.timedelta(days=invitation_days()),
        invited_by=acting_user,
    )
    audit_log(
        instance=membership,
        action="training.membership.invite",
        acting_user=acting_user,
        data={"cohort_id": cohort.pk, "role": role, "email": user.email, "previous_status": previous_status},
    )
    cohort_notification_send(
        cohort=cohort,
        recipients=[user],
        kind="training.invitation",
        target=cohort,
        occasion=f"invitation-{invitation.pk}",
        context=invitation_message_context(cohort, role),
        url_name="dashboard:home",
    )
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, acting_user) -> Invitation:
    """Send a fresh link with a new expiry; the old link stops working."""
    membership = invitation.membership
    require_cohort_manager(acting_user, membership.cohort)
    if membership.status != MembershipStatus.INVITED:
        raise ValidationError(_("This person is no longer waiting for an invitation."))
    membership.invitations.filter(status=InvitationStatus.PENDING).update(status=InvitationStatus.REVOKED)
    fresh = Invitation.objects.create(
        membership=membership,
        email=membership.user.email,
        expires_at=timezone.now() + datetime.timedelta(days=invitation_days()),
        invited_by=acting_user,
    )
    audit_log(
        instance=membership,
        action="training.membership.invite",
        acting_user=acting_user,
        data={
            "cohort_id": membership.cohort_id,
            "role": membership.role,
            "email": membership.user.email,
            "resend": True,
        },
    )
    cohort_notification_send(
        cohort=membership.cohort,
        recipients=[membership.user],
        kind="training.invitation",
        target=membership.cohort,
        occasion=f"invitation-{fresh.pk}",
        context=invitation_message_context(membership.cohort, membership.role),
        url_name="dashboard:home",
    )
    return fresh


def invitation_check_usable(invitation: Invitation) -> None:
    if invitation.status == InvitationStatus.ACCEPTED:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.status == InvitationStatus.REVOKED or invitation.membership.status == MembershipStatus.WITHDRAWN:
        raise ValidationError(_("This invitation has been withdrawn or replaced by a newer one."), code="revoked")
    if invitation.is_expired:
        raise ValidationError(
            _("This invitation expired on %(date)s. Ask the coordinator to send a new one.")
            % {"date": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d")},
            code="expired",
        )
    if invitation.membership.status != MembershipStatus.INVITED:
        raise ValidationError(_("This invitation has already been used."), code="used")


@transaction.atomic
def invitation_accept(*, invitation: Invitation, acting_user) -> CohortMembership:
    """The invited person takes up their membership; the seat was reserved when they were invited."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("membership__cohort").get(pk=invitation.pk)
    )
    invitation_check_usable(invitation)
    membership = invitation.membership
    if membership.user_id != acting_user.pk:
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email},
            code="other_person",
        )
    membership.status = membership_joined_status(membership.cohort)
    membership.save(update_fields=["status", "updated_at"])
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_at"])
    _email_verified(acting_user, invitation.email)
    audit_log(
        instance=membership,
        action="training.invitation.accept",
        acting_user=acting_user,
        data={"cohort_id": membership.cohort_id, "role": membership.role, "invitation_id": invitation.pk},
    )
    return membership


@transaction.atomic
def invitation_accept_new_account(
    *, invitation: Invitation, display_name: str, preferred_language: str, password: str
) -> CohortMembership:
    """A person invited without an account names themselves and sets a password; the link proved the e-mail."""
    user = invitation.membership.user
    if user.has_usable_password():
        raise ValidationError(_("This account already has a password. Sign in to accept the invitation."))
    invitation_check_usable(invitation)
    user.display_name = display_name
    user.preferred_language = preferred_language
    user.set_password(password)
    user.save(update_fields=["display_name", "preferred_language", "password"])
    return invitation_accept(invitation=invitation, acting_user=user)


def _email_verified(user, email: str) -> None:
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user, email=email.lower(), verified=True, primary=not EmailAddress.objects.filter(user=user).exists()
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
