"""Observation sheets: the studio's templates, and observers' answers saved one by one, then submitted."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log

from .. import permissions
from ..models import Lesson, ObservationAnswer, ObservationItem, ObservationSheet, ObservationTemplate, Participation
from .credit import participation_credit


def _require_lead(acting_user, template: ObservationTemplate) -> None:
    if template.studio_id is None:
        if not permissions.is_staff(acting_user):
            raise PermissionDenied
    elif not permissions.can_lead_studio(acting_user, template.studio):
        raise PermissionDenied


def _check_scale(scale_min: int, scale_max: int) -> None:
    if scale_min < 0 or scale_max <= scale_min or scale_max - scale_min > 10:
        raise ValidationError(
            _("The highest score must be above the lowest, at most ten steps apart, and neither below zero.")
        )


@transaction.atomic
def template_create(
    *, acting_user, studio, name: str, scale_min: int = 1, scale_max: int = 5, notes_prompt: str = ""
) -> ObservationTemplate:
    """A studio's leaders add an observation sheet template; items are added to it next."""
    if not permissions.can_lead_studio(acting_user, studio):
        raise PermissionDenied
    _check_scale(scale_min, scale_max)
    template = ObservationTemplate.objects.create(
        studio=studio, name=name.strip(), scale_min=scale_min, scale_max=scale_max, notes_prompt=notes_prompt.strip()
    )
    audit_log(instance=template, action="studios.template_create", acting_user=acting_user)
    return template


@transaction.atomic
def template_scale_set(
    *, acting_user, template: ObservationTemplate, scale_min: int, scale_max: int, notes_prompt: str, name: str = ""
):
    """Change the scale while nobody has answered on it yet; the name and notes question may change any time."""
    _require_lead(acting_user, template)
    _check_scale(scale_min, scale_max)
    answered = ObservationAnswer.objects.filter(item__template=template).exists()
    if answered and (scale_min, scale_max) != (template.scale_min, template.scale_max):
        raise ValidationError(_("Observers have already scored on this scale; it can no longer change."))
    template.scale_min, template.scale_max, template.notes_prompt = scale_min, scale_max, notes_prompt.strip()
    template.name = name.strip() or template.name
    template.save(update_fields=["name", "scale_min", "scale_max", "notes_prompt"])
    return template


@transaction.atomic
def template_item_add(*, acting_user, template: ObservationTemplate, dimension: str, text: str) -> ObservationItem:
    """Add an item at the end of the template, under its dimension."""
    _require_lead(acting_user, template)
    if not dimension.strip() or not text.strip():
        raise ValidationError(_("Give the item's dimension and what observers look for."))
    last = template.items.aggregate(last=Max("position"))["last"]
    item = ObservationItem.objects.create(
        template=template, dimension=dimension.strip(), text=text.strip(), position=(last or 0) + 1
    )
    audit_log(instance=template, action="studios.template_item_add", acting_user=acting_user, data={"item": text})
    return item


@transaction.atomic
def template_item_remove(*, acting_user, item: ObservationItem) -> None:
    """Remove an item nobody has scored yet; an item with answers stays, so summaries keep their figures."""
    _require_lead(acting_user, item.template)
    if ObservationAnswer.objects.filter(item=item).exists():
        raise ValidationError(
            _("Observers have already scored “%(item)s”; it stays so that their answers keep their meaning.")
            % {"item": item.text}
        )
    audit_log(
        instance=item.template, action="studios.template_item_remove", acting_user=acting_user, data={"item": item.text}
    )
    item.delete()


def _open_sheet(*, acting_user, lesson: Lesson) -> ObservationSheet:
    if not permissions.can_view_cycle(acting_user, lesson.cycle):
        raise PermissionDenied
    if lesson.cycle.is_closed:
        raise ValidationError(_("This cycle is closed; its observation sheets can no longer change."))
    sheet, _created = ObservationSheet.objects.select_for_update().get_or_create(lesson=lesson, observer=acting_user)
    if sheet.submitted_at is not None:
        raise ValidationError(_("You have already submitted your observation sheet; it can no longer change."))
    return sheet


def _item_of(lesson: Lesson, item_id) -> ObservationItem:
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        item_id = None
    item = ObservationItem.objects.select_related("template").filter(pk=item_id, template=lesson.cycle.template_id)
    item = item.first()
    if item is None:
        raise ValidationError(_("This item is not on the lesson's observation sheet."))
    return item


def _score(template: ObservationTemplate, value) -> int:
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = None
    if score is None or not template.scale_min <= score <= template.scale_max:
        raise ValidationError(
            _("A score is a whole number from %(min)s to %(max)s.")
            % {"min": template.scale_min, "max": template.scale_max}
        )
    return score


@transaction.atomic
def sheet_answer_save(*, acting_user, lesson: Lesson, item_id, value) -> ObservationAnswer:
    """Save one score as the observer gives it; saving it again keeps the latest."""
    sheet = _open_sheet(acting_user=acting_user, lesson=lesson)
    item = _item_of(lesson, item_id)
    score = _score(item.template, value)
    answer, _created = ObservationAnswer.objects.update_or_create(
        sheet=sheet, item=item, defaults={"value": score, "updated_at": timezone.now()}
    )
    return answer


@transaction.atomic
def sheet_notes_save(*, acting_user, lesson: Lesson, notes: str) -> ObservationSheet:
    """Save the observer's free notes."""
    sheet = _open_sheet(acting_user=acting_user, lesson=lesson)
    sheet.notes = notes.strip()
    sheet.save(update_fields=["notes"])
    return sheet


@transaction.atomic
def sheet_save(*, acting_user, lesson: Lesson, answers: dict, notes: str | None = None, submit: bool = False):
    """The whole sheet at once (the form without JavaScript): every score is checked before any is saved."""
    sheet = _open_sheet(acting_user=acting_user, lesson=lesson)
    template = lesson.cycle.template
    items = {item.pk: item for item in template.items.all()}
    scores = {}
    for item_id, value in answers.items():
        if value in ("", None):
            continue
        item = items.get(int(item_id)) if str(item_id).isdigit() else None
        if item is None:
            raise ValidationError(_("This item is not on the lesson's observation sheet."))
        scores[item] = _score(template, value)
    now = timezone.now()
    for item, score in scores.items():
        ObservationAnswer.objects.update_or_create(sheet=sheet, item=item, defaults={"value": score, "updated_at": now})
    if notes is not None:
        sheet.notes = notes.strip()
        sheet.save(update_fields=["notes"])
    if submit:
        _submit(acting_user=acting_user, sheet=sheet, lesson=lesson, items=items)
    return sheet


def _submit(*, acting_user, sheet: ObservationSheet, lesson: Lesson, items: dict) -> None:
    answered = set(sheet.answers.values_list("item_id", flat=True))
    missing = len(set(items) - answered)
    if missing:
        raise ValidationError(
            _("Score every item before submitting: %(count)s still without a score.") % {"count": missing}
        )
    if timezone.now() < lesson.starts_at:
        raise ValidationError(_("The lesson has not started yet; submit your sheet during or after it."))
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["submitted_at"])
    # Submitting the sheet is how an online observer attends; one checked in on site already has the hours.
    participation_credit(
        cycle=lesson.cycle, lesson=lesson, person=acting_user, kind=Participation.Kind.ONLINE, hours=lesson.hours
    )
    audit_log(instance=sheet, action="studios.sheet_submit", acting_user=acting_user)


@transaction.atomic
def sheet_submit(*, acting_user, lesson: Lesson) -> ObservationSheet:
    """Submit the sheet: it is then final, counts in the summary, and credits the observer's hours."""
    sheet = _open_sheet(acting_user=acting_user, lesson=lesson)
    items = {item.pk: item for item in lesson.cycle.template.items.all()}
    _submit(acting_user=acting_user, sheet=sheet, lesson=lesson, items=items)
    return sheet
