"""Template helpers for training pages: progress bar widths and the cohort's sub-navigation."""

from django import template

register = template.Library()


@register.filter
def percent_class(value) -> str:
    """A CSS width class in steps of five, so progress bars need no inline style (the CSP forbids it)."""
    try:
        step = max(0, min(100, int(round(float(value) / 5.0) * 5)))
    except (TypeError, ValueError):
        step = 0
    return f"w-{step}"


@register.inclusion_tag("training/includes/cohort_nav.html", takes_context=True)
def cohort_nav(context, cohort, active=""):
    """The cohort's sub-navigation, showing each person only the pages they may open."""
    from training.permissions import can_manage_cohort, visible_region_ids

    user = context["request"].user
    manages = can_manage_cohort(user, cohort)
    return {
        "cohort": cohort,
        "active": active,
        "manages": manages,
        "overseer": not manages and bool(visible_region_ids(user, cohort)),
    }
