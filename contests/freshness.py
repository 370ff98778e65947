"""A round's ranking and progress, as the coordinators see them, are computed once per change and kept in the cache.

Ranking a round that is still open means summing every entrant of the category
(the database does it, but it grows with the category), and counting its
progress means counting every assignment and score. Both are kept under a key
made of the version tokens of what they read: the contest (its trimming and
tie rule), the round (its status, tie-break item, entries), the category (its
entrants) and each item of the round (its weight, assignments and scores).
Every write of those renews its token (declared in `contests.renewals`); the
bulk writes that send no signals (assigning judges, scoring in bulk, advancing
to the next round) renew the tokens themselves. So a page is computed once
after a score arrives, whoever looks, and read from the cache until the next.

The coordinators' ranking page and a judge's sheet are kept whole, as shown, in a slot of their
own (`ranking_view_slot`, `sheet_slot`) stamped with the tokens above (`versioned.kept`): the
round is read with the pks that name them, and the slot and the tokens come in one round trip.
"""

from collections.abc import Iterable

import versioned

# Every change a kept page shows renews a token (a person renamed renews the categories they enter,
# a region renamed the regions' token); the expiry only bounds what an idle round keeps.
KEPT_SECONDS = 3600

# The ranking's rows name each entrant's region.
REGION_NAMES = "contests-region-names"


def contest_token(contest_id: int) -> str:
    return f"contests-contest:{contest_id}"


def round_token(round_id: int) -> str:
    return f"contests-round:{round_id}"


def category_token(category_id: int) -> str:
    return f"contests-category:{category_id}"


def item_token(item_id: int) -> str:
    return f"contests-item:{item_id}"


def items_renew(item_ids: Iterable[int]) -> None:
    """For bulk writes of assignments or scores, which send no signals."""
    versioned.renew(*(item_token(item_id) for item_id in item_ids))


def round_key(kind: str, round_, item_ids: Iterable[int], *parts) -> str:
    """A key for what is computed over a round's items (its progress), renewed with any of them."""
    names = [contest_token(round_.contest_id), round_token(round_.pk), *(item_token(pk) for pk in item_ids)]
    return versioned.key(f"contests:{kind}", names, round_.pk, *parts)


def outline_key(round_) -> str:
    """A key for a round's items and its contest's categories: renewed by the round, its items and the contest."""
    return versioned.key("contests:outline", [contest_token(round_.contest_id), round_token(round_.pk)], round_.pk)


def sheet_names(round_, item_ids: Iterable[int]) -> list[str]:
    """The tokens of a judge's sheet: their entrants, scores and hand-ins on these items, and the categories' names."""
    return [contest_token(round_.contest_id), round_token(round_.pk), *(item_token(pk) for pk in item_ids)]


def sheet_slot(round_id: int, judge_id: int, language: str) -> str:
    """The slot of a judge's sheet as shown (`versioned.kept`, under `sheet_names` of the items they judge)."""
    return f"contests:sheet:{round_id}:{judge_id}:{language}"


def ranking_names(round_, item_ids: Iterable[int], category_id: int | None) -> list[str]:
    """The tokens of one category's ranking in a round: what its figures, rows, outline and progress read."""
    return [
        REGION_NAMES,
        contest_token(round_.contest_id),
        round_token(round_.pk),
        category_token(category_id or 0),
        *(item_token(pk) for pk in item_ids),
    ]


def ranking_key(kind: str, round_, item_ids: Iterable[int], category_id: int | None, *parts) -> str:
    """A key for one category's ranking in a round (its size, one of its pages, their rows as shown)."""
    return versioned.key(
        f"contests:{kind}", ranking_names(round_, item_ids, category_id), round_.pk, category_id or 0, *parts
    )


def ranking_view_slot(round_id: int, category_id: int | None, page_number: int, per_page: int, language: str) -> str:
    """The slot of one page of the coordinators' ranking as shown (`versioned.kept`, under `ranking_names`)."""
    return f"contests:ranking-view:{round_id}:{category_id or 0}:{per_page}:{page_number}:{language}"
