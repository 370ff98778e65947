"""Words for the matcher's codes: score reasons and blocking rules, in the reader's language."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import matching
from .models import FocusArea

# Why a trainee was left without a host.
UNPLACED_MESSAGES = {
    matching.RULE_NO_HOSTS: gettext_lazy("No mentor in this cohort has a host school yet."),
    matching.RULE_SAME_SCHOOL: gettext_lazy("Every possible host works at the trainee's own school."),
    matching.RULE_CROSS_REGION: gettext_lazy("The programme needs a host in another region, and none fits."),
    matching.RULE_PRINCIPAL: gettext_lazy("No host with school leadership experience fits."),
    matching.RULE_STAGE: gettext_lazy("No host works at the trainee's school stage."),
    matching.RULE_SUBJECT: gettext_lazy("No host teaches the trainee's subject."),
    matching.RULE_DO_NOT_MATCH: gettext_lazy("The only fitting hosts are marked “do not match again”."),
    matching.RULE_NO_WINDOW: gettext_lazy(
        "The fitting hosts' schools have no shadowing window in the cohort's period."
    ),
    matching.RULE_REGIONAL_QUOTA: gettext_lazy("The seat quota of the trainee's region is used up."),
    matching.RULE_MENTOR_CAPACITY: gettext_lazy("Every fitting host already has as many trainees as they take."),
    matching.RULE_SCHOOL_CAPACITY: gettext_lazy("The fitting hosts' schools are full in their shadowing window."),
}

# Why one particular pair is not allowed (pinning, swapping, approving).
PAIR_MESSAGES = {
    matching.RULE_SAME_SCHOOL: gettext_lazy("The trainee and the host work at the same school."),
    matching.RULE_CROSS_REGION: gettext_lazy("The programme needs a host from another region."),
    matching.RULE_PRINCIPAL: gettext_lazy("A shadow principal needs a host with school leadership experience."),
    matching.RULE_STAGE: gettext_lazy("The host does not work at the trainee's school stage."),
    matching.RULE_SUBJECT: gettext_lazy("The host does not teach the trainee's subject."),
    matching.RULE_DO_NOT_MATCH: gettext_lazy("This trainee and host are marked “do not match again”."),
    matching.RULE_NO_WINDOW: gettext_lazy("The host's school has no shadowing window in the cohort's period."),
    matching.RULE_REGIONAL_QUOTA: gettext_lazy("The seat quota of the trainee's region is used up."),
    matching.RULE_MENTOR_CAPACITY: gettext_lazy("The host already has as many trainees as they take."),
    matching.RULE_SCHOOL_CAPACITY: gettext_lazy("The host's school is full in this shadowing window."),
    matching.RULE_NO_HOSTS: gettext_lazy("The mentor has no host school."),
}


def points(value: int) -> Decimal:
    """Hundredths of a point as a two-place decimal."""
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


def focus_labels(codes) -> str:
    labels = dict(FocusArea.choices)
    return _(", ").join(str(labels.get(code, code)) for code in codes)


def reason_text(reason: dict) -> str:
    """One line of a proposal's score, e.g. "Focus areas in common: …"."""
    code = reason.get("code")
    if code == "focus_areas":
        return _("Focus areas in common: %(areas)s") % {"areas": focus_labels(reason.get("items", []))}
    if code == "wish":
        return _("The trainee's wish no. %(rank)d") % {"rank": reason.get("rank", 0)}
    if code == "same_school_type":
        return _("Similar type of school")
    if code == "same_stage":
        return _("Same school stage")
    if code == "spread":
        return _("Spreads trainees across hosts (%(count)d trainees asked for this host)") % {
            "count": reason.get("demand", 0)
        }
    return str(code)


def reasons_display(reasons: list[dict]) -> list[tuple[str, Decimal]]:
    return [(reason_text(reason), points(reason.get("points", 0))) for reason in reasons]
