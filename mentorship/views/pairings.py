"""The pairing page and what the pair and coordinators do there: approve, agree, start, end, reassign."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from training.forms import ActionForm, apply_errors, show_errors, show_form_errors
from training.models import MembershipRole

from .. import selectors, services
from ..forms import (
    AgreementForm,
    CheckInForm,
    DisputeForm,
    EndForm,
    ReassignForm,
    ResolveForm,
)
from ..models import (
    PairingStatus,
)
from ..reasons import reasons_display


def pairing_redirect(pairing_id: int, anchor: str = ""):
    return redirect(reverse("mentorship:pairing-detail", args=[pairing_id]) + (f"#{anchor}" if anchor else ""))


@login_required
@require_http_methods(["GET"])
def pairing_detail(request, pairing_id: int):
    pairing = selectors.pairing_get_for_user(acting_user=request.user, pairing_id=pairing_id)
    context = selectors.pairing_detail(acting_user=request.user, pairing=pairing)
    is_coordinator = context["is_coordinator"]
    context.update(
        pairing=pairing,
        reason_lines=reasons_display(pairing.reasons),
        dispute_form=DisputeForm(),
        resolve_form=ResolveForm(),
        check_in_form=CheckInForm(),
        end_form=EndForm() if is_coordinator and pairing.is_current else None,
        reassign_form=ReassignForm(
            mentors=selectors.cohort_people(cohort=pairing.cohort, role=MembershipRole.MENTOR).exclude(
                pk=pairing.mentor_id
            )
        )
        if is_coordinator and pairing.is_current
        else None,
        is_trainee=request.user.pk == pairing.trainee_id,
        is_mentor=request.user.pk == pairing.mentor_id,
    )
    return render(request, "mentorship/pairing_detail.html", context)


@login_required
@require_POST
def pairing_approve(request, pairing_id: int):
    pairing = selectors.pairing_get_for_user(acting_user=request.user, pairing_id=pairing_id)
    try:
        pairing = services.pairing_approve(acting_user=request.user, pairing=pairing)
    except ValidationError as error:
        show_errors(request, error)
    else:
        if pairing.status == PairingStatus.AGREED:
            messages.success(request, _("Everyone has approved: the pairing is agreed."))
        else:
            messages.success(request, _("Your approval is recorded."))
    return pairing_redirect(pairing_id)


@login_required
@require_http_methods(["GET", "POST"])
def pairing_agreement(request, pairing_id: int):
    pairing = selectors.pairing_get_for_user(acting_user=request.user, pairing_id=pairing_id)
    initial = {
        "focus_areas": pairing.agreement_focus_areas,
        "visit_days": pairing.agreement_visit_days,
        "expectations": pairing.agreement_expectations,
    }
    form = AgreementForm(request.POST or None, initial=initial, kind=pairing.kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.pairing_agreement_update(acting_user=request.user, pairing=pairing, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The agreement is saved. Everyone approves it again."))
            return pairing_redirect(pairing_id)
    return render(request, "mentorship/agreement_form.html", {"pairing": pairing, "form": form})


@login_required
@require_POST
def pairing_status(request, pairing_id: int):
    """Start, complete, end early or reassign: the mentor or a coordinator moves the pairing on."""
    pairing = selectors.pairing_get_for_user(acting_user=request.user, pairing_id=pairing_id)
    form = ActionForm(request.POST, actions=["start", "complete", "end", "reassign"])
    if not form.is_valid():
        show_form_errors(request, form)
        return pairing_redirect(pairing_id)
    action = form.cleaned_data["action"]
    try:
        if action == "start":
            services.pairing_start(acting_user=request.user, pairing=pairing)
            messages.success(request, _("The pairing has started."))
        elif action == "complete":
            services.pairing_complete(acting_user=request.user, pairing=pairing)
            messages.success(request, _("The pairing is completed; follow-up check-ins are scheduled."))
        elif action == "end":
            form = EndForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Say why the pairing ends."))
            services.pairing_end(acting_user=request.user, pairing=pairing, **form.cleaned_data)
            messages.success(request, _("The pairing has ended."))
        else:
            form = ReassignForm(
                request.POST, mentors=selectors.cohort_people(cohort=pairing.cohort, role=MembershipRole.MENTOR)
            )
            if not form.is_valid():
                raise ValidationError(_("Choose the new host and say why."))
            new = services.pairing_reassign(
                acting_user=request.user,
                pairing=pairing,
                mentor_id=int(form.cleaned_data["mentor"]),
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("The trainee is reassigned; the new pairing awaits approval."))
            return pairing_redirect(new.pk)
    except ValidationError as error:
        show_errors(request, error)
    return pairing_redirect(pairing_id)


@login_required
@require_http_methods(["GET"])
def cohort_pairings(request, cohort_id: int):
    cohort = selectors.cohort_get_for_coordinator(acting_user=request.user, cohort_id=cohort_id)
    context = {
        "cohort": cohort,
        "pairings": selectors.cohort_pairing_list(cohort=cohort),
        "disputed": selectors.cohort_disputed_logs(cohort=cohort),
        "resolve_form": ResolveForm(),
    }
    return render(request, "mentorship/cohort_pairings.html", context)
