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
from ..models import (
    ItemKind,
    Lesson,
    ObservationAnswer,
    ObservationItem,
    ObservationSheet,
    ObservationTemplate,
    Participation,
)
from .credit import participation_credit


def _require_lead(acting_user, template: ObservationTemplate) -> None:
    if not permissions.can_edit_template(acting_user, template):
        raise PermissionDenied


def _check_scale(scale_min: int, scale_max: int) -> None:
    if scale_min < 0 or scale_max <= scale_min or scale_max - scale_min > 10:
        raise ValidationError(
            _("The highest score must be above the lowest, at most ten steps apart, and neither below zero.")
        )


OPTION_LENGTH = 40
MAX_OPTIONS = 10
NOTE_LENGTH = 5000


def _check_options(options) -> list[str]:
    """A choice's options, in order: two to ten distinct labels, each short enough for a button on a phone."""
    labels = [str(label).strip() for label in options or () if str(label).strip()]
    if not 2 <= len(labels) <= MAX_OPTIONS or len(set(labels)) != len(labels):
        raise ValidationError(_("A choice has two to ten different options, one per line."))
    if any(len(label) > OPTION_LENGTH for label in labels):
        raise ValidationError(_("An option is at most %(count)s characters long.") % {"count": OPTION_LENGTH})
    return labels


@dataclass(frozen=True)
class ItemAnswering:
    """How an item is answered: its kind, and its scale (a rating) or options (a choice)."""

    kind: str
    scale_min: int
    scale_max: int
    options: tuple[str, ...] = ()


def _answering_of(item: ObservationItem) -> ItemAnswering:
    """How the item is answered now; a choice or a note has no scale of its own (kept at 1–5)."""
    if item.kind == ItemKind.RATING:
        return ItemAnswering(item.kind, item.scale_min, item.scale_max)
    if item.kind == ItemKind.CHOICE:
        return ItemAnswering(item.kind, 1, 5, tuple(item.options))
    return ItemAnswering(item.kind, 1, 5)


def _answering(template: ObservationTemplate, kind, scale_min, scale_max, options) -> ItemAnswering:
    """Checked: a rating's scale (the template's when not given), or a choice's options; a note needs neither."""
    kind = kind or ItemKind.RATING
    if kind not in ItemKind.values:
        raise ValidationError(_("An item is answered by a score, a choice or a note."))
    if kind == ItemKind.RATING:
        low = template.scale_min if scale_min is None else scale_min
        high = template.scale_max if scale_max is None else scale_max
        _check_scale(low, high)
        return ItemAnswering(kind, low, high)
    if kind == ItemKind.CHOICE:
        return ItemAnswering(kind, 1, 5, tuple(_check_options(options)))
    return ItemAnswering(kind, 1, 5)


def _apply(item: ObservationItem, answering: ItemAnswering) -> None:
    item.kind, item.scale_min, item.scale_max = answering.kind, answering.scale_min, answering.scale_max
    item.options = list(answering.options)


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
        ObservationItem(
            template=copy,
            dimension=item.dimension,
            text=item.text,
            position=position,
            kind=item.kind,
            scale_min=item.scale_min,
            scale_max=item.scale_max,
            options=list(item.options),
        )
        for position, item in enumerate(template.items.all(), start=1)
    )
    audit_log(instance=copy, action="studios.template_copy", acting_user=acting_user, data={"from": template.pk})
    return copy


@transaction.atomic
def template_scale_set(
    *, acting_user, template: ObservationTemplate, scale_min: int, scale_max: int, notes_prompt: str, name: str = ""
):
    """Change the scale while nobody has answered on it yet; the name and notes question may change any time.

    The template's scale is the one new rating items start with; the rating items still on the old one follow it.
    """
    _require_lead(acting_user, template)
    _check_scale(scale_min, scale_max)
    answered = ObservationAnswer.objects.filter(item__template=template).exists()
    old = (template.scale_min, template.scale_max)
    if answered and (scale_min, scale_max) != old:
        raise ValidationError(_("Observers have already scored on this scale; it can no longer change."))
    if (scale_min, scale_max) != old:
        template.items.filter(kind=ItemKind.RATING, scale_min=old[0], scale_max=old[1]).update(
            scale_min=scale_min, scale_max=scale_max
        )
        versioned.renew(template_token(template.pk))  # an update sends no signals
    template.scale_min, template.scale_max, template.notes_prompt = scale_min, scale_max, notes_prompt.strip()
    template.name = name.strip() or template.name
    template.save(update_fields=["name", "scale_min", "scale_max", "notes_prompt"])
    audit_log(instance=template, action="studios.template_update", acting_user=acting_user)
    return template


@transaction.atomic
def template_item_add(
    *,
    acting_user,
    template: ObservationTemplate,
    dimension: str,
    text: str,
    kind: str = ItemKind.RATING,
    scale_min: int | None = None,
    scale_max: int | None = None,
    options=(),
) -> ObservationItem:
    """Add an item at the end of the template, under its dimension; a rating starts on the template's scale."""
    _require_lead(acting_user, template)
    if not dimension.strip() or not text.strip():
        raise ValidationError(_("Give the item's dimension and what observers look for."))
    answering = _answering(template, kind, scale_min, scale_max, options)
    last = template.items.aggregate(last=Max("position"))["last"]
    item = ObservationItem(template=template, dimension=dimension.strip(), text=text.strip(), position=(last or 0) + 1)
    _apply(item, answering)
    item.save()
    audit_log(instance=template, action="studios.template_item_add", acting_user=acting_user, data={"item": text})
    return item


def _about(error: ValidationError, text: str) -> ValidationError:
    """An item's error, naming the item (a form of many rows says which one is wrong)."""
    return ValidationError(_("“%(item)s”: %(error)s") % {"item": text, "error": " ".join(error.messages)}, code="item")


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
    kind: str = ItemKind.RATING
    # None: the template's scale for a new rating, the item's own for an existing one.
    scale_min: int | None = None
    scale_max: int | None = None
    options: tuple[str, ...] = ()


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
            try:
                answering = _answering(template, row.kind, row.scale_min, row.scale_max, row.options)
            except ValidationError as error:
                errors.append(_about(error, text))
                continue
            additions.append((dimension, text, answering))
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
        current = _answering_of(item)
        # A scale left blank: the item's own if it stays a rating, else the template's.
        kept = item.kind == ItemKind.RATING and (row.kind or ItemKind.RATING) == ItemKind.RATING
        try:
            answering = _answering(
                template,
                row.kind,
                item.scale_min if row.scale_min is None and kept else row.scale_min,
                item.scale_max if row.scale_max is None and kept else row.scale_max,
                row.options,
            )
        except ValidationError as error:
            errors.append(_about(error, item.text))
            continue
        if (dimension, text, answering) == (item.dimension, item.text, current):
            continue
        if answering != current and item.pk in answered:
            errors.append(
                ValidationError(
                    _(
                        "Observers have already answered “%(item)s”; its way of answering, scale and options stay "
                        "so that their answers keep their meaning. Copy the sheet to change them."
                    )
                    % {"item": item.text}
                )
            )
        elif not dimension or not text:
            errors.append(ValidationError(_("Give the item's dimension and what observers look for.")))
        elif item.pk in answered and (dimension, text) != (item.dimension, item.text):
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
            _apply(item, answering)
            changes.append(item)
    if errors:
        raise ValidationError(errors)
    if changes:
        ObservationItem.objects.bulk_update(changes, ["dimension", "text", "kind", "scale_min", "scale_max", "options"])
    if removals:
        ObservationItem.objects.filter(pk__in=[item.pk for item in removals]).delete()
    last = max((item.position for item in items.values()), default=0)
    new_items = []
    for offset, (dimension, text, answering) in enumerate(additions, start=1):
        new_items.append(ObservationItem(template=template, dimension=dimension, text=text, position=last + offset))
        _apply(new_items[-1], answering)
    ObservationItem.objects.bulk_create(new_items)
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
                "added": [text for _dimension, text, _answering in additions],
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


def _whole(value) -> int | None:
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 5 else None


def _answer_of(item: ObservationItem, value) -> tuple[int | None, str]:
    """The answer as saved, (`value`, `text`): a score on the item's scale, an option's number, or a note.

    A blank note is (None, ""): no note, which removes one saved before.
    """
    if item.kind == ItemKind.NOTE:
        text = str(value if value is not None else "").strip()
        if len(text) > NOTE_LENGTH:
            raise ValidationError(_("A note is at most %(count)s characters long.") % {"count": NOTE_LENGTH})
        return None, text
    number = _whole(value)
    if item.kind == ItemKind.CHOICE:
        if number is None or not 1 <= number <= len(item.options):
            raise ValidationError(
                _("Pick one of the options for “%(item)s”: %(options)s.")
                % {"item": item.text, "options": " / ".join(item.options)}
            )
        return number, ""
    if number is None or not item.scale_min <= number <= item.scale_max:
        raise ValidationError(
            _("A score is a whole number from %(min)s to %(max)s.") % {"min": item.scale_min, "max": item.scale_max}
        )
    return number, ""


def _answer_write(sheet: ObservationSheet, item: ObservationItem, answer: tuple[int | None, str], now):
    value, text = answer
    if value is None and not text:
        ObservationAnswer.objects.filter(sheet=sheet, item=item).delete()
        return None
    saved, _created = ObservationAnswer.objects.update_or_create(
        sheet=sheet, item=item, defaults={"value": value, "text": text, "updated_at": now}
    )
    return saved


@transaction.atomic
def sheet_answer_save(*, acting_user, lesson: Lesson, item_id, value) -> ObservationAnswer | None:
    """Save one answer as the observer gives it; saving it again keeps the latest (a blank note removes it)."""
    sheet = _open_sheet(acting_user=acting_user, lesson=lesson)
    item = _item_of(lesson, item_id)
    return _answer_write(sheet, item, _answer_of(item, value), timezone.now())


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
    """The whole sheet at once (the form without JavaScript): every answer is checked before any is saved.

    A score or choice left blank is not answered yet; a note left blank is no note.
    """
    sheet = _open_sheet(acting_user=acting_user, lesson=lesson)
    template = lesson.cycle.template
    items = {item.pk: item for item in template.items.all()}
    given = {}
    for item_id, value in answers.items():
        item = items.get(int(item_id)) if str(item_id).isdigit() else None
        if item is None:
            raise ValidationError(_("This item is not on the lesson's observation sheet."))
        if value in ("", None) and item.kind != ItemKind.NOTE:
            continue
        given[item] = _answer_of(item, value)
    now = timezone.now()
    for item, answer in given.items():
        _answer_write(sheet, item, answer, now)
    if notes is not None:
        sheet.notes = notes.strip()
        sheet.save(update_fields=["notes"])
    if submit:
        attendance = _submit(acting_user=acting_user, sheet=sheet, lesson=lesson, items=items)
        return SheetSaved(sheet=sheet, attendance=attendance, daily_cap=hours_daily_cap())
    return SheetSaved(sheet=sheet)


def _submit(*, acting_user, sheet: ObservationSheet, lesson: Lesson, items: dict) -> Participation | None:
    # Notes are free: a sheet is complete once every score and choice is given.
    answered = set(sheet.answers.values_list("item_id", flat=True))
    missing = len({pk for pk, item in items.items() if item.kind != ItemKind.NOTE} - answered)
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
