"""The coordinator's matching page and the review of one batch."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.inputs import id_or_400
from training.forms import ActionForm, apply_errors, show_errors, show_form_errors
from training.models import MembershipRole

from .. import selectors, services
from ..forms import (
    BatchReviewForm,
    PinForm,
    UnpinForm,
    WindowForm,
)
from ..models import (
    BatchStatus,
)


@login_required
@require_http_methods(["GET", "POST"])
def matching(request, cohort_id: int):
    """Run the matcher, open shadowing windows and pin pairs before a run."""
    cohort = selectors.cohort_get_for_coordinator(acting_user=request.user, cohort_id=cohort_id)
    schools = selectors.cohort_host_schools(cohort=cohort)
    trainees = selectors.cohort_people(cohort=cohort, role=MembershipRole.TRAINEE)
    mentors = selectors.cohort_people(cohort=cohort, role=MembershipRole.MENTOR)
    chosen = ActionForm(request.POST, actions=["run", "window", "pin", "unpin"]) if request.method == "POST" else None
    action = chosen.cleaned_data["action"] if chosen is not None and chosen.is_valid() else None
    window_form = WindowForm(request.POST if action == "window" else None, schools=schools)
    pin_form = PinForm(request.POST if action == "pin" else None, trainees=trainees, mentors=mentors)
    if chosen is not None and action is None:
        show_form_errors(request, chosen)
        return redirect("mentorship:matching", cohort.pk)
    if action is not None:
        try:
            if action == "run":
                batch = services.matching_batch_start(acting_user=request.user, cohort=cohort)
                messages.success(request, _("Matching started."))
                return redirect("mentorship:batch-detail", batch.pk)
            if action == "window":
                if window_form.is_valid():
                    services.host_window_create(acting_user=request.user, cohort=cohort, **window_form.cleaned_data)
                    messages.success(request, _("Shadowing window added."))
                    return redirect("mentorship:matching", cohort.pk)
            elif action == "pin":
                if pin_form.is_valid():
                    services.pairing_pin(
                        acting_user=request.user,
                        cohort=cohort,
                        trainee_id=int(pin_form.cleaned_data["trainee"]),
                        mentor_id=int(pin_form.cleaned_data["mentor"]),
                    )
                    messages.success(request, _("Pair pinned: the next run keeps it."))
                    return redirect("mentorship:matching", cohort.pk)
            else:
                # An id that is not a number is a malformed request, not a mistake to explain: 400 (issue 14).
                id_or_400(request.POST.get("trainee"), required=True)
                unpin = UnpinForm(request.POST, actions=["unpin"])
                if not unpin.is_valid():
                    show_form_errors(request, unpin)
                    return redirect("mentorship:matching", cohort.pk)
                services.pairing_unpin(
                    acting_user=request.user, cohort=cohort, trainee_id=unpin.cleaned_data["trainee"]
                )
                messages.success(request, _("Pin removed."))
                return redirect("mentorship:matching", cohort.pk)
        except ValidationError as error:
            form = window_form if action == "window" else pin_form if action == "pin" else None
            if form is not None:
                apply_errors(form, error)
            else:
                show_errors(request, error)
    context = {
        "cohort": cohort,
        "batches": selectors.batch_list_for_cohort(cohort=cohort),
        "windows": services.cohort_windows(cohort).filter(school__in=schools).select_related("school"),
        "pins": selectors.batch_pins(cohort=cohort),
        "window_form": window_form,
        "pin_form": pin_form,
    }
    return render(request, "mentorship/matching.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def batch_detail(request, batch_id: int):
    """Review a batch: swap, remove, pin, re-run or publish."""
    batch = selectors.batch_get_for_user(acting_user=request.user, batch_id=batch_id)
    if request.method == "POST":
        # Ids that are not numbers (or too long for the database) are a malformed request: 400.
        id_or_400(request.POST.get("proposal"))
        id_or_400(request.POST.get("second"))
        form = BatchReviewForm(request.POST, actions=["publish", "remove", "swap", "pin"])
        if not form.is_valid():
            show_form_errors(request, form)
            return redirect("mentorship:batch-detail", batch.pk)
        action = form.cleaned_data["action"]
        try:
            if action == "publish":
                pairings = services.matching_batch_publish(acting_user=request.user, batch=batch)
                messages.success(
                    request, _("Published: %(count)d pairings proposed to both sides.") % {"count": len(pairings)}
                )
                return redirect("mentorship:cohort-pairings", batch.cohort_id)
            proposal = batch.proposals.filter(pk=form.cleaned_data["proposal"] or 0).first()
            if proposal is None:
                raise ValidationError(_("That proposal is no longer in this batch."))
            if action == "remove":
                services.batch_proposal_remove(acting_user=request.user, proposal=proposal)
                messages.success(request, _("Proposal removed."))
            elif action == "swap":
                other = batch.proposals.filter(pk=form.cleaned_data["second"] or 0).first()
                if other is None:
                    raise ValidationError(_("Choose the proposal to swap with."))
                services.batch_proposals_swap(acting_user=request.user, first=proposal, second=other)
                messages.success(request, _("Hosts swapped."))
            else:
                services.pairing_pin(
                    acting_user=request.user,
                    cohort=batch.cohort,
                    trainee_id=proposal.trainee_id,
                    mentor_id=proposal.mentor_id,
                )
                messages.success(request, _("Pair pinned: the next run keeps it."))
        except ValidationError as error:
            show_errors(request, error)
        return redirect("mentorship:batch-detail", batch.pk)
    review = selectors.batch_review(batch=batch) if batch.status in (BatchStatus.PENDING, BatchStatus.PUBLISHED) else {}
    context = {
        "batch": batch,
        "cohort": batch.cohort,
        "running": batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING),
        "editable": batch.status == BatchStatus.PENDING,
        **review,
    }
    if context["editable"]:
        context["swap_choices"] = review["proposals"]
    return render(request, "mentorship/batch_detail.html", context)
