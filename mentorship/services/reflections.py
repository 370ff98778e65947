"""Trainees' reflections and the mentor's or coordinator's comments on them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from training.kinds import cohort_notification_send
from training.permissions import can_manage_cohort

from ..models import (
    Pairing,
    Reflection,
    ReflectionComment,
)
from ..permissions import refuse_unless
from .inputs import clean_text


@transaction.atomic
def reflection_create(*, acting_user, pairing: Pairing, title: str, body: str) -> Reflection:
    """The trainee writes a reflection that only the pair and the coordinators read."""
    refuse_unless(acting_user.pk == pairing.trainee_id)
    title, body = (title or "").strip(), clean_text(body)
    if not title or not body:
        raise ValidationError(_("A reflection needs a title and some text."))
    reflection = Reflection.objects.create(pairing=pairing, author=acting_user, title=title[:200], body=body)
    audit_log(instance=reflection, action="mentorship.reflection.create", acting_user=acting_user)
    cohort_notification_send(
        recipients=[pairing.mentor],
        kind="mentorship.reflection_written",
        target=reflection,
        context={"trainee": acting_user.get_full_name(), "title": reflection.title},
        cohort=pairing.cohort,
        url_name="mentorship:reflection-detail",
        url_args=[reflection.pk],
    )
    return reflection


@transaction.atomic
def reflection_comment_add(*, acting_user, reflection: Reflection, body: str) -> ReflectionComment:
    """The mentor (or a coordinator) comments on a reflection; the trainee is told."""
    pairing = reflection.pairing
    refuse_unless(acting_user.pk == pairing.mentor_id or can_manage_cohort(acting_user, pairing.cohort))
    body = clean_text(body)
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    comment = ReflectionComment.objects.create(reflection=reflection, author=acting_user, body=body)
    audit_log(instance=comment, action="mentorship.reflection.comment", acting_user=acting_user)
    cohort_notification_send(
        recipients=[pairing.trainee],
        kind="mentorship.reflection_commented",
        target=comment,
        context={"author": acting_user.get_full_name(), "title": reflection.title},
        cohort=pairing.cohort,
        url_name="mentorship:reflection-detail",
        url_args=[reflection.pk],
    )
    return comment
