"""Invitation links (signed, with a nonce a resend replaces) and enrolment imports."""

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    EnrolmentImport,
    Invitation,
    MembershipStatus,
)
from ..permissions import (
    can_manage_cohort,
)
from .cohorts import id_or_404

INVITATION_SALT = "training.invitation"


def invitation_token(*, invitation: Invitation) -> str:
    """The signed part of an invitation link; a new nonce makes the old link useless."""
    return signing.Signer(salt=INVITATION_SALT).sign_object({"i": invitation.pk, "n": invitation.nonce})


def invitation_get_by_token(*, token: str) -> Invitation:
    """The invitation a link names, or a ValidationError saying in plain words what is wrong with the link."""
    try:
        payload = signing.Signer(salt=INVITATION_SALT).unsign_object(token)
        invitation = Invitation.objects.select_related(
            "membership", "membership__cohort", "membership__cohort__programme", "membership__user"
        ).get(pk=int(payload["i"]))
    except (signing.BadSignature, Invitation.DoesNotExist, KeyError, TypeError, ValueError):
        raise ValidationError(
            _("This invitation link is not valid. Check that you copied all of it."), code="invalid"
        ) from None
    if invitation.nonce != payload.get("n"):
        raise ValidationError(_("This invitation has been withdrawn or replaced by a newer one."), code="revoked")
    return invitation


def invitation_list_pending_for_user(*, user) -> list[Invitation]:
    """Invitations waiting for this person, for their dashboard."""
    invitations = list(
        Invitation.objects.filter(
            membership__user=user,
            status=Invitation.Status.PENDING,
            membership__status=MembershipStatus.INVITED,
            expires_at__gt=timezone.now(),
        ).select_related("membership__cohort__programme")
    )
    for invitation in invitations:
        invitation.token = invitation_token(invitation=invitation)
    return invitations


def import_get_for_user(*, acting_user, import_id) -> EnrolmentImport:
    """An import of a cohort this person coordinates, or 404."""
    try:
        record = (
            EnrolmentImport.objects.select_related("cohort", "cohort__programme")
            .defer("content")
            .get(pk=id_or_404(import_id))
        )
    except EnrolmentImport.DoesNotExist:
        raise Http404 from None
    if not can_manage_cohort(acting_user, record.cohort):
        raise Http404
    return record
