"""Observation sheets: templates (a studio's, or the platform's for cohorts), and observers' answers saved one by one."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

import versioned
from accounts.audit import audit_log
from training.services.hours import hours_daily_cap

from .. import permissions
from ..freshness import template_token
from ..models import Lesson, ObservationAnswer, ObservationItem, ObservationSheet, ObservationTemplate, Participation
from .credit import participation_credit


def _require_lead(acting_user, template: ObservationTemplate) -> None:
    if not permissions.can_edit_template(acting_user, template):
        raise PermissionDenied


def _check_scale(scale_min: int, scale_max: int) -> None:
    if scale_min < 0 or scale_max <= scale_min or scale_max - scale_min > 10:
        raise ValidationError(
            _("The highest score must be above the lowest, at most ten steps apart, and neither below zero.")
        )


def _require_scope(acting_user, studio) -> None:
    """A studio's sheets are made by its leaders; platform sheets (no studio) by staff and coordinators."""
    allowed = (
        permissions.can_edit_platform_templates(acting_user)
        if studio is None
        else permissions.can_lead_studio(acting_user, studio)
    )
    if not allowed:
        raise PermissionDenied


@transaction.atomic
def template_create(
    *, acting_user, studio, name: str, scale_min: int = 1, scale_max: int = 5, notes_prompt: str = ""
) -> ObservationTemplate:
    """Leaders add a studio's observation sheet, or staff and coordinators a platform one; items come next."""
    _require_scope(acting_user, studio)
    _check_scale(scale_min, scale_max)
    template = ObservationTemplate.objects.create(
        studio=studio, name=name.strip(), scale_min=scale_min, scale_max=scale_max, notes_prompt=notes_prompt.strip()
    )
    audit_log(instance=template, action="studios.template_create", acting_user=acting_user)
    return template


NAME_LENGTH = ObservationTemplate._meta.get_field("name").max_length


@transaction.atomic
def template_copy(*, acting_user, template: ObservationTemplate, studio=None) -> ObservationTemplate:
    """A new sheet with the same scale and items, in a studio or on the platform, and not yet answered.

    Copying is how a sheet that observers already used changes its wording: the copy is edited freely
    and the cycles to come pick it, while the answered sheet keeps the meaning of its answers.
    """
    _require_scope(acting_user, studio)
    # One copies what one may use: the platform's sheets, or the sheets of the studio one leads.
    if template.studio_id is not None and not permissions.can_lead_studio(acting_user, template.studio):
        raise PermissionDenied
    copy = ObservationTemplate.objects.create(
        studio=studio,
        name=(_("Copy of %(name)s") % {"name": template.name})[:NAME_LENGTH],
        scale_min=template.scale_min,
        scale_max=template.scale_max,
        notes_prompt=template.notes_prompt,
    )
    ObservationItem.objects.bulk_create(
        ObservationItem(template=copy, dimension=item.dimension, text=item.text, position=position)
        for position, item in enumerate(template.items.all(), start=1)
    )
    audit_log(instance=copy, action="studios.template_copy", acting_user=acting_user, data={"from": template.pk})
    return copy


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
    audit_log(instance=template, action="studios.template_update", acting_user=acting_user)
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


def _refuse_removing_answered(item: ObservationItem, answered: bool) -> None:
    if answered:
        raise ValidationError(
            _("Observers have already scored “%(item)s”; it stays so that their answers keep their meaning.")
            % {"item": item.text}
        )


@transaction.atomic
def template_item_remove(*, acting_user, item: ObservationItem) -> None:
    """Remove an item nobody has scored yet; an item with answers stays, so summaries keep their figures."""
    _require_lead(acting_user, item.template)
    _refuse_removing_answered(item, ObservationAnswer.objects.filter(item=item).exists())
    audit_log(
        instance=item.template, action="studios.template_item_remove", acting_user=acting_user, data={"item": item.text}
    )
    item.delete()


@dataclass(frozen=True)
class ItemRow:
    """One row of the items form: an existing item's id (None for a new one), its wording, and whether to drop it."""

    item_id: int | None
    dimension: str
    text: str
    remove: bool = False


@transaction.atomic
def template_items_set(*, acting_user, template: ObservationTemplate, rows: list[ItemRow]) -> None:
    """Save the items as edited on the sheet's page: every row is checked before any is written.

    An item observers have scored keeps its wording and stays (their answers would otherwise mean
    something else); new items go after the others.
    """
    _require_lead(acting_user, template)
    items = {item.pk: item for item in template.items.select_for_update()}
    answered = set(
        ObservationAnswer.objects.filter(item__template=template).values_list("item_id", flat=True).distinct()
    )
    errors, changes, removals, additions = [], [], [], []
    for row in rows:
        dimension, text = row.dimension.strip(), row.text.strip()
        if row.item_id is None:
            if row.remove or not (dimension or text):
                continue
            if not dimension or not text:
                errors.append(ValidationError(_("Give the item's dimension and what observers look for.")))
                continue
            additions.append((dimension, text))
            continue
        item = items.get(row.item_id)
        if item is None:
            errors.append(ValidationError(_("This item is not on the sheet any more. Reload the page.")))
            continue
        if row.remove:
            try:
                _refuse_removing_answered(item, item.pk in answered)
            except ValidationError as error:
                errors.append(error)
            else:
                removals.append(item)
            continue
        if (dimension, text) == (item.dimension, item.text):
            continue
        if not dimension or not text:
            errors.append(ValidationError(_("Give the item's dimension and what observers look for.")))
        elif item.pk in answered:
            errors.append(
                ValidationError(
                    _(
                        "Observers have already scored “%(item)s”; its wording stays so that their answers keep "
                        "their meaning. Copy the sheet to word it differently."
                    )
                    % {"item": item.text}
                )
            )
        else:
            item.dimension, item.text = dimension, text
            changes.append(item)
    if errors:
        raise ValidationError(errors)
    if changes:
        ObservationItem.objects.bulk_update(changes, ["dimension", "text"])
    if removals:
        ObservationItem.objects.filter(pk__in=[item.pk for item in removals]).delete()
    last = max((item.position for item in items.values()), default=0)
    ObservationItem.objects.bulk_create(
        ObservationItem(template=template, dimension=dimension, text=text, position=last + offset)
        for offset, (dimension, text) in enumerate(additions, start=1)
    )
    if changes or removals or additions:
        # Bulk writes send no signals: the summaries of the lessons using the sheet are renewed here.
        versioned.renew(template_token(template.pk))
        audit_log(
            instance=template,
            action="studios.template_items_set",
            acting_user=acting_user,
            data={
                "changed": [item.pk for item in changes],
                "removed": [item.text for item in removals],
                "added": [text for _dimension, text in additions],
            },
        )


@transaction.atomic
def template_item_move(*, acting_user, item: ObservationItem, direction: str) -> None:
    """Move an item one place up or down; the order is only how the sheet reads, so answers are unaffected."""
    _require_lead(acting_user, item.template)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move an item up or down."))
    ordered = list(item.template.items.select_for_update().order_by("position", "pk"))
    index = next((index for index, other in enumerate(ordered) if other.pk == item.pk), None)
    if index is None:
        raise ValidationError(_("This item is not on the sheet any more. Reload the page."))
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    # Positions are renumbered from one: items added before positions were kept may share a number.
    for position, other in enumerate(ordered, start=1):
        other.position = position
    ObservationItem.objects.bulk_update(ordered, ["position"])
    versioned.renew(template_token(item.template_id))  # bulk writes send no signals
    audit_log(
        instance=item.template,
        action="studios.template_item_move",
        acting_user=acting_user,
        data={"item": item.pk, "direction": direction},
    )


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


@dataclass(frozen=True)
class SheetSaved:
    """What saving a sheet did; on submitting, the attendance it recorded (None if already checked in on site)."""

    sheet: ObservationSheet
    attendance: Participation | None = None
    daily_cap: Decimal | None = None

    @property
    def hours_capped(self) -> bool:
        """The lesson's hours did not all fit in the observer's day: the sheet stands, fewer hours are credited."""
        return self.attendance is not None and self.attendance.hours < self.sheet.lesson.hours


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
        attendance = _submit(acting_user=acting_user, sheet=sheet, lesson=lesson, items=items)
        return SheetSaved(sheet=sheet, attendance=attendance, daily_cap=hours_daily_cap())
    return SheetSaved(sheet=sheet)


def _submit(*, acting_user, sheet: ObservationSheet, lesson: Lesson, items: dict) -> Participation | None:
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
    # A day already full does not refuse the sheet: the attendance credits what still fits (see credit.py).
    attendance, new = participation_credit(
        cycle=lesson.cycle, lesson=lesson, person=acting_user, kind=Participation.Kind.ONLINE, hours=lesson.hours
    )
    audit_log(instance=sheet, action="studios.sheet_submit", acting_user=acting_user)
    return attendance if new else None


@transaction.atomic
def sheet_submit(*, acting_user, lesson: Lesson) -> ObservationSheet:
    """Submit the sheet: it is then final, counts in the summary, and credits the observer's hours."""
    sheet = _open_sheet(acting_user=acting_user, lesson=lesson)
    items = {item.pk: item for item in lesson.cycle.template.items.all()}
    _submit(acting_user=acting_user, sheet=sheet, lesson=lesson, items=items)
    return sheet
