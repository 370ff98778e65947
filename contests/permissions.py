"""Who may do what in a contest: its coordinators (whole contest or one region), regional admins, judges."""

from django.db.models import IntegerField

from accounts.permissions import administered_region_ids
from accounts.sql import ListOf
from training.permissions import is_staff

from .models import ContestCoordinator, JudgeSeat


def _coordinator_regions(user, contest) -> set:
    """Regions this person coordinates in the contest; None in the set means the whole contest."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = user.__dict__.setdefault("_yingzi_contest_regions", {})
    if contest.pk not in cache:
        cache[contest.pk] = set(
            ContestCoordinator.objects.filter(contest=contest, user=user).values_list("region_id", flat=True)
        )
    return cache[contest.pk]


def remember_coordinator_regions(user, contest_id: int, regions) -> None:
    """What a query has already read of this person's coordination of the contest (`coordinator_regions_of`)."""
    if getattr(user, "is_authenticated", False):
        user.__dict__.setdefault("_yingzi_contest_regions", {})[contest_id] = set(regions)


def coordinator_regions_of(user, contest_ref):
    """An expression: the regions this person coordinates in the contest `contest_ref` names, as an array."""
    return ListOf(
        ContestCoordinator.objects.filter(contest=contest_ref, user=user).order_by(), "region_id", IntegerField()
    )


def can_run_contest(user, contest) -> bool:
    """Staff and the contest's own coordinators: rounds, judges, freezing and publishing."""
    return is_staff(user) or None in _coordinator_regions(user, contest)


def nominating_region_ids(user, contest) -> set | None:
    """The regions whose entrants this person nominates; None: every region."""
    if can_run_contest(user, contest):
        return None
    regions = {region for region in _coordinator_regions(user, contest) if region is not None}
    return regions | set(administered_region_ids(user))


def can_nominate_for(user, contest, region) -> bool:
    regions = nominating_region_ids(user, contest)
    return regions is None or getattr(region, "pk", region) in regions


def is_judge_of_round(user, round_) -> bool:
    return (
        getattr(user, "is_authenticated", False) and JudgeSeat.objects.filter(item__round=round_, judge=user).exists()
    )
