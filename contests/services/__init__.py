"""Writes for contests, one module per concept: entrants, submissions, judging and results."""

from .entrants import entrant_nominate, entrant_withdraw, student_sign_up
from .judging import balanced_assignment, judges_seat, recused, round_assign, score_correct, score_submit
from .results import results_go_public, round_freeze, round_publish, round_reopen
from .submissions import submission_save

__all__ = [
    "balanced_assignment",
    "entrant_nominate",
    "entrant_withdraw",
    "judges_seat",
    "recused",
    "results_go_public",
    "round_assign",
    "round_freeze",
    "round_publish",
    "round_reopen",
    "score_correct",
    "score_submit",
    "student_sign_up",
    "submission_save",
]
