"""Judging: panels per item, the balanced assignment with hard recusal, and locked scores."""

import heapq
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from accounts.audit import audit_log

from ..freshness import items_renew
from ..models import Assignment, EntrantStatus, Item, JudgeSeat, Round, RoundEntry, RoundStatus, Score
from ..permissions import can_run_contest
from ..recusal import Person, judge_recused_from, recused, recused_message


def balanced_assignment(judges: list[Person], entrants: list[Person], per_entrant: int) -> dict[int, list[int]]:
    """Entrant pk -> the pks of `per_entrant` judges, none recused, the judges' loads as even as recusal allows.

    Entrants with the fewest eligible judges go first, and each takes the least loaded
    eligible judges, so that a region with many judges does not leave others short.
    Raises ValueError naming an entrant for whom too few judges are eligible.
    """
    load = {judge.pk: 0 for judge in judges}
    # Entrants of one region and school have the same eligible judges: work them out once per pair.
    by_home: dict[tuple, list[Person]] = {}
    eligible = {}
    for entrant in entrants:
        home = (entrant.region_id, entrant.school_id)
        if home not in by_home:
            by_home[home] = [judge for judge in judges if not recused(judge, entrant)]
        eligible[entrant.pk] = by_home[home]
    result: dict[int, list[int]] = {}
    for entrant in sorted(entrants, key=lambda entrant: (len(eligible[entrant.pk]), entrant.pk)):
        candidates = eligible[entrant.pk]
        if len(candidates) < per_entrant:
            raise ValueError(entrant.pk)
        chosen = heapq.nsmallest(per_entrant, candidates, key=lambda judge: (load[judge.pk], judge.pk))
        for judge in chosen:
            load[judge.pk] += 1
        result[entrant.pk] = [judge.pk for judge in chosen]
    return result


@transaction.atomic
def judges_seat(*, item: Item, judges, acting_user) -> int:
    """Put judges on an item's panel; returns how many were added."""
    if not can_run_contest(acting_user, item.round.contest):
        raise PermissionDenied
    existing = set(JudgeSeat.objects.filter(item=item).values_list("judge_id", flat=True))
    new = [JudgeSeat(item=item, judge=judge) for judge in judges if judge.pk not in existing]
    JudgeSeat.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def round_assign(*, round_: Round, acting_user) -> int:
    """Assign judges to every entrant of the round on every item; replaces assignments without scores."""
    if not can_run_contest(acting_user, round_.contest):
        raise PermissionDenied
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(_("The round is frozen; its judges can no longer change."))
    if Score.objects.filter(item__round=round_).exists():
        raise ValidationError(_("Judges have started scoring this round; the assignment can no longer change."))
    entrants = [
        Person(pk, region_id, school_id)
        for pk, region_id, school_id in RoundEntry.objects.filter(
            round=round_, entrant__status=EntrantStatus.NOMINATED
        ).values_list("entrant_id", "entrant__region_id", "entrant__school_id")
    ]
    panels: dict[int, list[Person]] = {}
    for item_id, pk, region_id, school_id in (
        JudgeSeat.objects.filter(item__round=round_)
        .order_by("item_id", "judge_id")
        .values_list("item_id", "judge_id", "judge__profile__region_id", "judge__profile__school_id")
    ):
        panels.setdefault(item_id, []).append(Person(pk, region_id, school_id))
    rows: list[tuple[int, int, int]] = []
    for item in round_.items.all():
        try:
            plan = balanced_assignment(panels.get(item.pk, []), entrants, round_.judges_per_entrant)
        except ValueError:
            raise ValidationError(
                _(
                    "Too few judges on %(item)s who are neither from an entrant's region nor school: "
                    "each entrant needs %(count)s. Add judges from other regions."
                )
                % {"item": item.localized_name, "count": round_.judges_per_entrant}
            ) from None
        rows.extend((item.pk, judge_id, entrant_id) for entrant_id, judge_ids in plan.items() for judge_id in judge_ids)
    assignments_replace(round_=round_, rows=rows)
    audit_log(instance=round_, action="contests.round.assign", acting_user=acting_user, data={"assignments": len(rows)})
    return len(rows)


def assignments_replace(*, round_: Round, rows: list[tuple[int, int, int]]) -> None:
    """Replace a round's assignments, none of them scored yet, with (item, judge, entrant) rows computed in memory.

    On PostgreSQL this is two statements: a DELETE, and one INSERT … SELECT FROM
    unnest(…) carrying three arrays of ids. bulk_create built a model instance and
    compiled the placeholders of each of the 20,000 rows of a 2,000-entrant round,
    and QuerySet.delete() loaded every assignment to look for its scores first:
    most of the assignment's time (docs/performance.md, issue 18). Neither sends signals: the round's
    progress kept in the cache is renewed here.
    """
    items_renew(Item.objects.filter(round=round_).values_list("pk", flat=True))
    if connection.vendor != "postgresql":
        Assignment.objects.filter(item__round=round_).delete()
        Assignment.objects.bulk_create(
            [
                Assignment(item_id=item_id, judge_id=judge_id, entrant_id=entrant_id)
                for item_id, judge_id, entrant_id in rows
            ],
            batch_size=2000,
        )
        return
    table = connection.ops.quote_name(Assignment._meta.db_table)
    items = connection.ops.quote_name(Item._meta.db_table)
    with connection.cursor() as cursor:
        # The caller has checked that no score points at these rows.
        cursor.execute(
            f"DELETE FROM {table} WHERE item_id IN (SELECT id FROM {items} WHERE round_id = %s)",  # noqa: S608 -- our tables
            [round_.pk],
        )
        if rows:
            item_ids, judge_ids, entrant_ids = (list(column) for column in zip(*rows, strict=True))
            cursor.execute(
                f"""
                INSERT INTO {table} (item_id, judge_id, entrant_id)
                SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[])
                """,  # noqa: S608 -- our table
                [item_ids, judge_ids, entrant_ids],
            )


def plain(number: Decimal) -> str:
    """100.0 as 100, 7.5 as 7.5."""
    return format(number.normalize(), "f")


def _clean_value(item: Item, value, criteria: dict | None) -> tuple[Decimal, dict]:
    criteria = {str(key): points for key, points in (criteria or {}).items() if str(points).strip() != ""}
    if criteria:
        try:
            parts = {key: Decimal(str(points)) for key, points in criteria.items()}
        except InvalidOperation:
            raise ValidationError({"value": _("Points must be numbers.")}) from None
        for index, criterion in enumerate(item.rubric or ()):
            top = criterion.get("points")
            if str(index) in parts and top is not None and not (0 <= parts[str(index)] <= Decimal(str(top))):
                raise ValidationError(
                    {
                        "value": _("%(criterion)s is scored from 0 to %(top)s.")
                        % {"criterion": criterion.get("name", ""), "top": top}
                    }
                )
        if value in (None, ""):
            value = sum(parts.values(), Decimal(0))
        criteria = {key: str(points) for key, points in parts.items()}
    try:
        value = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError):
        raise ValidationError({"value": _("Enter the score as a number.")}) from None
    if not (item.scale_min <= value <= item.scale_max):
        raise ValidationError(
            {
                "value": _("The score must lie between %(low)s and %(high)s on this item's scale.")
                % {"low": plain(item.scale_min), "high": plain(item.scale_max)}
            }
        )
    return value, criteria


def _assignment_for(*, item: Item, entrant_id: int, judge) -> Assignment:
    assignment = Assignment.objects.filter(item=item, entrant_id=entrant_id, judge=judge).first()
    if assignment is None:
        if judge_recused_from(item=item, entrant_id=entrant_id, judge=judge):
            raise ValidationError(recused_message())
        raise PermissionDenied
    return assignment


@transaction.atomic
def score_submit(*, item: Item, entrant_id: int, judge, value, criteria=None, comment: str = "") -> Score:
    """A judge's score for one entrant on one item; once submitted it is locked."""
    if item.round.status != RoundStatus.OPEN:
        raise ValidationError(_("The round is frozen; scores can no longer be given."))
    assignment = _assignment_for(item=item, entrant_id=entrant_id, judge=judge)
    value, criteria = _clean_value(item, value, criteria)
    if Score.objects.select_for_update().filter(assignment=assignment).exists():
        raise ValidationError(
            _("You have already submitted this score; it is locked. Ask for a correction with a reason.")
        )
    score = Score.objects.create(
        assignment=assignment,
        item=item,
        entrant_id=entrant_id,
        value=value,
        criteria=criteria,
        comment=(comment or "").strip(),
        submitted_by=judge,
    )
    audit_log(instance=score, action="contests.score.submit", acting_user=judge, data={"value": str(value)})
    return score


@transaction.atomic
def score_correct(*, score: Score, acting_user, value, reason: str, criteria=None, comment: str | None = None) -> Score:
    """Replace a submitted score with a new one, keeping the old: the judge or the contest's coordinators, with a reason."""
    score = Score.objects.select_for_update().select_related("item__round__contest", "assignment").get(pk=score.pk)
    item = score.item
    if acting_user.pk != score.assignment.judge_id and not can_run_contest(acting_user, item.round.contest):
        raise PermissionDenied
    if item.round.status != RoundStatus.OPEN:
        raise ValidationError(_("The round is frozen; scores can no longer be corrected."))
    if not score.is_current:
        raise ValidationError(_("This score has already been corrected; correct the newest one."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the score is corrected.")})
    value, criteria = _clean_value(item, value, criteria)
    score.is_current = False
    score.save(update_fields=["is_current"])
    correction = Score.objects.create(
        assignment=score.assignment,
        item=item,
        entrant_id=score.entrant_id,
        value=value,
        criteria=criteria,
        comment=score.comment if comment is None else comment.strip(),
        corrects=score,
        reason=reason[:500],
        submitted_by=acting_user,
    )
    audit_log(
        instance=correction,
        action="contests.score.correct",
        acting_user=acting_user,
        data={"from": str(score.value), "to": str(value), "reason": reason},
    )
    return correction
