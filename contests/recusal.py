"""The hard rule of judging: a judge never scores an entrant of their own region or school."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import Profile

from .models import JudgeSeat, RoundEntry


@dataclass(frozen=True)
class Person:
    """What recusal looks at: a judge's or an entrant's region and school."""

    pk: int
    region_id: int | None
    school_id: int | None


def recused(judge: Person, entrant: Person) -> bool:
    """A hard rule: a judge never scores an entrant of their own region or school."""
    same_region = judge.region_id is not None and judge.region_id == entrant.region_id
    same_school = judge.school_id is not None and judge.school_id == entrant.school_id
    return same_region or same_school


def recused_message() -> str:
    return _("You are recused from this entrant (same region or school); another judge scores them.")


def judge_recused_from(*, item, entrant_id: int, judge) -> bool:
    """Whether a judge of this item is kept from this entrant of its round by the rule (not just unassigned)."""
    if not JudgeSeat.objects.filter(item=item, judge=judge).exists():
        return False
    entry = RoundEntry.objects.filter(round_id=item.round_id, entrant_id=entrant_id).select_related("entrant").first()
    if entry is None:
        return False
    region_id, school_id = Profile.objects.filter(user=judge).values_list("region_id", "school_id").first() or (
        None,
        None,
    )
    entrant = entry.entrant
    return recused(Person(judge.pk, region_id, school_id), Person(entrant.pk, entrant.region_id, entrant.school_id))
