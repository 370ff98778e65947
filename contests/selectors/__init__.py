"""Reads for contests: the pages' lists and the ranking the database computes."""

from .contests import (
    assignment_for_judge,
    assignment_scores,
    can_see_nominations,
    categories_open_for_sign_up,
    contest_get,
    contest_list,
    judge_sheet,
    my_entries,
    nominations_for,
    quota_use,
    round_get_for_runner,
    round_progress,
    submission_for,
)
from .published import PublishedCategory, PublishedContest, PublishedRound, published_results_for_page
from .ranking import computation_for, missing_scores, ranked_entries, trimmed_mean

__all__ = [
    "assignment_for_judge",
    "assignment_scores",
    "can_see_nominations",
    "categories_open_for_sign_up",
    "computation_for",
    "contest_get",
    "contest_list",
    "judge_sheet",
    "missing_scores",
    "my_entries",
    "nominations_for",
    "published_results_for_page",
    "PublishedCategory",
    "PublishedContest",
    "PublishedRound",
    "quota_use",
    "ranked_entries",
    "round_get_for_runner",
    "round_progress",
    "submission_for",
    "trimmed_mean",
]
