"""Which writes renew the tokens of a round's kept ranking and progress: the one place where contests declares it.

See `contests.freshness`. Scores and assignments renew their item's token on save only: they are
deleted in bulk or with what holds them (an assignment replaced by raw SQL renews itself, an
item, entrant or round deleted renews its own token), and a receiver on their deletion would make
Django load every row of a cascade one by one.
"""

from accounts.models import Region, User
from versioned import renews

from .freshness import REGION_NAMES, category_token, contest_token, item_token, round_token
from .models import Assignment, Category, Contest, Entrant, Item, Round, RoundEntry, Score, Submission

OWNER = "contests"

# What the ranking shows of an entrant's person (`User.get_full_name`).
SHOWN_OF_A_PERSON = {"display_name", "first_name", "last_name", "email", "erased_at"}


def _categories_entered_by(user_id) -> list[str]:
    return [
        category_token(category_id)
        for category_id in Entrant.objects.filter(person_id=user_id).values_list("category_id", flat=True).distinct()
    ]


def connect() -> None:
    renews(Contest, lambda contest: [contest_token(contest.pk)], owner=OWNER)
    renews(Round, lambda round_: [round_token(round_.pk)], owner=OWNER)
    # A round's kept outline lists its contest's categories.
    renews(Category, lambda category: [category_token(category.pk), contest_token(category.contest_id)], owner=OWNER)
    # An entrant withdrawn or moved changes the entrants of a category.
    renews(Entrant, lambda entrant: [category_token(entrant.category_id)], owner=OWNER)
    renews(RoundEntry, lambda entry: [round_token(entry.round_id)], owner=OWNER)
    renews(Item, lambda item: [item_token(item.pk), round_token(item.round_id)], owner=OWNER)
    # A judge's kept sheet says who handed in.
    renews(Submission, lambda submission: [item_token(submission.item_id)], owner=OWNER)
    # The ranking's kept rows name each entrant and their region.
    renews(User, lambda user: _categories_entered_by(user.pk), owner=OWNER, fields=SHOWN_OF_A_PERSON, on_delete=False)
    renews(Region, lambda region: [REGION_NAMES], owner=OWNER)
    for model in (Score, Assignment):
        renews(model, lambda row: [item_token(row.item_id)], owner=OWNER, on_delete=False)
