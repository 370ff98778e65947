"""The contest pages: overview and own entry, nominations, the judge's sheet and scoring, the coordinators' ranking."""

from .entrants import contest_detail, contest_list, nominations, sign_up, submit
from .judging import judge_sheet, score_correct, score_entrant
from .results import computation, ranking, round_action

__all__ = [
    "computation",
    "contest_detail",
    "contest_list",
    "judge_sheet",
    "nominations",
    "ranking",
    "round_action",
    "score_correct",
    "score_entrant",
    "sign_up",
    "submit",
]
