"""The cohort plan: the timeline and adding, changing and cancelling items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import versioned

from .. import selectors, services
from ..forms import (
    CancelForm,
    ScheduleItemForm,
    apply_errors,
)
from ..overview import cohort_token
from ..permissions import can_manage_cohort

# What no token follows (a person made staff, a host school renamed) shows within this.
TIMELINE_SECONDS = 300


def _timeline(request, cohort) -> str:
    """The cohort plan as this person sees it, rendered once per version of the cohort (items, their people,
    memberships) and kept until the next item ends, when it turns to the past."""
    now = timezone.now()
    key = versioned.key(
        f"training:schedule:{cohort.pk}:{request.user.pk}",
        [cohort_token(cohort.pk)],
        get_language(),
        timezone.get_current_timezone_name(),
    )
    kept = cache.get(key)
    if kept is not None and (kept[1] is None or kept[1] > now):
        return mark_safe(kept[0])  # noqa: S308 - rendered, and escaped, by the template below
    items = selectors.schedule_item_list_for_cohort(acting_user=request.user, cohort=cohort)
    months = []
    for item in items:
        key_of_month = timezone.localtime(item.starts_at).strftime("%Y-%m")
        if not months or months[-1][0] != key_of_month:
            months.append((key_of_month, timezone.localtime(item.starts_at).date().replace(day=1), []))
        months[-1][2].append(item)
    html = render_to_string("training/includes/schedule_timeline.html", {"months": months, "now": now}, request)
    turns = min((item.ends_at for item in items if item.ends_at >= now), default=None)
    cache.set(key, (str(html), turns), TIMELINE_SECONDS)
    return html


@login_required
@require_GET
def schedule(request, cohort_id):
    cohort = selectors.cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id)
    return render(
        request,
        "training/schedule.html",
        {"cohort": cohort, "timeline": _timeline(request, cohort), "manages": can_manage_cohort(request.user, cohort)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule_item_create(request, cohort_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    form = ScheduleItemForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.schedule_item_create(cohort=cohort, acting_user=request.user, data=dict(form.cleaned_data))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The item has been added to the schedule."))
            return redirect("training:schedule-item-detail", item_id=item.pk)
    return render(request, "training/schedule_item_form.html", {"cohort": cohort, "form": form})


@login_required
@require_GET
def schedule_item_detail(request, item_id):
    item = selectors.schedule_item_get_for_user(acting_user=request.user, item_id=item_id)
    manages = can_manage_cohort(request.user, item.cohort)
    context = {"item": item, "cohort": item.cohort, "manages": manages}
    if manages:
        context["cancel_form"] = CancelForm()
        context["participants"] = list(item.participants.select_related("user"))
    return render(request, "training/schedule_item_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def schedule_item_edit(request, item_id):
    item = selectors.schedule_item_get_for_manager(acting_user=request.user, item_id=item_id)
    if item.is_cancelled:
        messages.error(request, _("A cancelled item cannot be changed."))
        return redirect("training:schedule-item-detail", item_id=item.pk)
    form = ScheduleItemForm(request.POST or None, instance=item, cohort=item.cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_item_update(item=item, acting_user=request.user, data=dict(form.cleaned_data))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The item has been changed; everyone concerned has been told."))
            return redirect("training:schedule-item-detail", item_id=item.pk)
    return render(request, "training/schedule_item_form.html", {"cohort": item.cohort, "form": form, "item": item})


@login_required
@require_POST
def schedule_item_cancel(request, item_id):
    item = selectors.schedule_item_get_for_manager(acting_user=request.user, item_id=item_id)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.schedule_item_cancel(item=item, acting_user=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The item has been cancelled; everyone concerned has been told."))
    return redirect("training:schedule-item-detail", item_id=item.pk)
