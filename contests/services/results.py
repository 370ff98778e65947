"""Freezing a round, publishing its results through the contest page's moderation, advancing, awards and credit."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

import versioned
from accounts.audit import audit_log
from training.models import Certificate, CertificateKind, HoursSource
from training.services import hours_credit

from ..freshness import round_token
from ..models import AdvanceRule, EntrantStatus, Round, RoundEntry, RoundKind, RoundStatus
from ..permissions import can_run_contest
from ..selectors.ranking import missing_scores, ranked_entries

# (key, Chinese, English) by rank of prize; the shares are the contest's.
PRIZES = [
    ("first", "一等奖", "First prize"),
    ("second", "二等奖", "Second prize"),
    ("third", "三等奖", "Third prize"),
]


def _require_runner(acting_user, round_: Round) -> None:
    if not can_run_contest(acting_user, round_.contest):
        raise PermissionDenied


@transaction.atomic
def round_freeze(*, round_: Round, acting_user) -> Round:
    """Stop scoring and keep the ranking the database computes, for the coordinators to review."""
    round_ = Round.objects.select_for_update(of=("self",)).select_related("contest").get(pk=round_.pk)
    _require_runner(acting_user, round_)
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(_("The round is already frozen."))
    entries = list(ranked_entries(round_))
    for entry in entries:
        entry.total, entry.rank = entry.result_total, entry.place
    RoundEntry.objects.bulk_update(entries, ["total", "rank"], batch_size=2000)
    round_.status = RoundStatus.FROZEN
    round_.frozen_at = timezone.now()
    round_.save(update_fields=["status", "frozen_at"])
    audit_log(instance=round_, action="contests.round.freeze", acting_user=acting_user)
    return round_


@transaction.atomic
def round_reopen(*, round_: Round, acting_user) -> Round:
    """Back to scoring, e.g. to fill in missing scores; published results cannot be reopened."""
    round_ = Round.objects.select_for_update(of=("self",)).select_related("contest").get(pk=round_.pk)
    _require_runner(acting_user, round_)
    if round_.status not in (RoundStatus.FROZEN,):
        raise ValidationError(_("Only a frozen round can be reopened."))
    round_.status = RoundStatus.OPEN
    round_.frozen_at = None
    round_.save(update_fields=["status", "frozen_at"])
    audit_log(instance=round_, action="contests.round.reopen", acting_user=acting_user)
    return round_


@transaction.atomic
def round_publish(*, round_: Round, acting_user) -> Round:
    """Publish a frozen round's results on the contest page.

    With a moderation workflow on the page, a new revision goes to the moderators and
    the results become public when they publish it (see `contests.receivers`);
    without one they are public at once.
    """
    round_ = Round.objects.select_for_update(of=("self",)).select_related("contest__page").get(pk=round_.pk)
    _require_runner(acting_user, round_)
    if round_.status != RoundStatus.FROZEN:
        raise ValidationError(_("Freeze the round and review its ranking before publishing it."))
    missing = missing_scores(round_)
    if missing:
        raise ValidationError(
            _(
                "%(count)s scores are still missing; reopen the round so that the judges can finish, then freeze it again."
            )
            % {"count": missing}
        )
    page = round_.contest.page.specific if round_.contest.page_id else None
    workflow = page.get_workflow() if page is not None else None
    if workflow is not None:
        revision = page.save_revision(user=acting_user, log_action=True)
        workflow.start(page, acting_user)
        round_.status = RoundStatus.MODERATION
        round_.save(update_fields=["status"])
        audit_log(
            instance=round_, action="contests.round.submit", acting_user=acting_user, data={"revision": revision.pk}
        )
        return round_
    return results_go_public(round_=round_, acting_user=acting_user)


@transaction.atomic
def results_go_public(*, round_: Round, acting_user=None) -> Round:
    """The results are public: who advanced, the prizes of a final, everyone's participation credited. Runs once."""
    round_ = Round.objects.select_for_update(of=("self",)).select_related("contest").get(pk=round_.pk)
    if round_.status == RoundStatus.PUBLISHED:
        return round_
    entries = list(
        RoundEntry.objects.filter(round=round_, entrant__status=EntrantStatus.NOMINATED)
        .select_related("entrant__person", "entrant__category", "entrant__region")
        .order_by("entrant__category_id", "rank", "entrant_id")
    )
    _advance(round_, entries)
    if round_.kind == RoundKind.FINAL:
        _award(round_, entries, acting_user)
    _credit_participation(round_, entries, acting_user)
    round_.status = RoundStatus.PUBLISHED
    round_.published_at = timezone.now()
    round_.save(update_fields=["status", "published_at"])
    audit_log(instance=round_, action="contests.round.publish", acting_user=acting_user)
    return round_


def _by_category(entries: list[RoundEntry]) -> dict[int, list[RoundEntry]]:
    groups: dict[int, list[RoundEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.entrant.category_id, []).append(entry)
    return groups


def _advance(round_: Round, entries: list[RoundEntry]) -> None:
    next_round = (
        Round.objects.filter(contest_id=round_.contest_id, sequence__gt=round_.sequence).order_by("sequence").first()
    )
    if next_round is None:
        return
    advancing = []
    for group in _by_category(entries).values():
        for entry in group:
            if round_.advance_rule == AdvanceRule.RANK:
                entry.advanced = entry.rank is not None and entry.rank <= int(round_.advance_value)
            else:
                entry.advanced = entry.total is not None and entry.total >= round_.advance_value
            if entry.advanced:
                advancing.append(RoundEntry(round=next_round, entrant_id=entry.entrant_id))
    RoundEntry.objects.bulk_update(entries, ["advanced"], batch_size=2000)
    RoundEntry.objects.bulk_create(advancing, ignore_conflicts=True)
    # Bulk writes send no signals: the next round's kept ranking is renewed here (this one's by its save).
    versioned.renew(round_token(next_round.pk))


def _award(round_: Round, entries: list[RoundEntry], acting_user) -> None:
    contest = round_.contest
    shares = [contest.first_prize_share, contest.second_prize_share, contest.third_prize_share]
    today = timezone.localdate()
    certificates = []
    for group in _by_category(entries).values():
        size = len(group)
        # Cumulative cut-offs by rank, rounded half up (10 % of 8 is one first prize); equal totals share a rank and a prize.
        cutoffs, reached = [], Decimal(0)
        for share in shares:
            reached += share
            cutoffs.append(int((size * reached).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
        for entry in group:
            if entry.rank is None:
                continue
            for (key, name, name_en), cutoff in zip(PRIZES, cutoffs, strict=True):
                if entry.rank <= cutoff:
                    entry.award = key
                    certificates.append(
                        Certificate(
                            kind=CertificateKind.AWARD,
                            holder=entry.entrant.person,
                            holder_name=entry.entrant.person.get_full_name(),
                            programme_title=contest.name,
                            programme_title_en=contest.name_en,
                            cohort_name=entry.entrant.category.name,
                            cohort_name_en=entry.entrant.category.name_en,
                            starts_on=today,
                            ends_on=today,
                            hours=contest.participation_hours,
                            home_region=entry.entrant.region.name,
                            home_region_en=entry.entrant.region.name_en,
                            distinction=name,
                            distinction_en=name_en,
                            issued_by=acting_user,
                        )
                    )
                    break
    RoundEntry.objects.bulk_update(entries, ["award"], batch_size=2000)
    Certificate.objects.bulk_create(certificates)


def _credit_participation(round_: Round, entries: list[RoundEntry], acting_user) -> None:
    """Hours for taking part, once per entrant and contest (the entrant is the ledger's source object)."""
    contest = round_.contest
    if not contest.participation_hours:
        return
    with override("zh-hans"):
        note = f"{contest.name} · {round_.name}"
    for entry in entries:
        hours_credit(
            trainee=entry.entrant.person,
            hours=contest.participation_hours,
            source=HoursSource.CONTEST,
            occurred_on=timezone.localdate(),
            source_object=entry.entrant,
            credited_by=acting_user,
            note=note[:200],
        )
