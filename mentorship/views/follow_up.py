"""After a pairing: the action plan and the check-ins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from training.forms import apply_errors, show_errors

from .. import selectors, services
from ..forms import (
    ActionPlanForm,
    CheckInForm,
)
from ..models import (
    ActionPlan,
)
from .pairings import pairing_redirect


@login_required
@require_http_methods(["GET", "POST"])
def action_plan(request, pairing_id: int):
    pairing = selectors.pairing_get_for_user(acting_user=request.user, pairing_id=pairing_id)
    if request.user.pk != pairing.trainee_id:
        raise PermissionDenied
    existing = ActionPlan.objects.filter(pairing=pairing).first()
    initial = (
        {"goals": existing.goals, "actions": existing.actions, "support_needed": existing.support_needed}
        if existing
        else {}
    )
    form = ActionPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_plan_save(acting_user=request.user, pairing=pairing, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your action plan is saved."))
            return pairing_redirect(pairing_id, "follow-up")
    return render(request, "mentorship/action_plan_form.html", {"pairing": pairing, "form": form})


@login_required
@require_POST
def check_in_record(request, check_in_id: int):
    check_in = selectors.check_in_get_for_user(acting_user=request.user, check_in_id=check_in_id)
    if request.user.pk not in (check_in.pairing.trainee_id, check_in.pairing.mentor_id):
        raise PermissionDenied
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            services.check_in_record(acting_user=request.user, check_in=check_in, **form.cleaned_data)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Check-in recorded."))
    else:
        messages.error(request, _("Enter the date of the check-in and how the plan is going."))
    return pairing_redirect(check_in.pairing_id, "follow-up")
