"""Thin views: parse, call one selector or service, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.services import profile_get_or_create
from training.forms import apply_errors
from training.models import MembershipRole
from training.permissions import can_manage_cohort, is_trainee
from training.selectors import certificate_list_for_holder, cohort_get_for_user

from . import selectors, services
from .forms import (
    ActionPlanForm,
    AgreementForm,
    CheckInForm,
    CommentForm,
    DisputeForm,
    EndForm,
    EvaluationForm,
    HostProfileForm,
    PinForm,
    PreferenceForm,
    ReassignForm,
    ReflectionForm,
    ResolveForm,
    SessionLogForm,
    WindowForm,
)
from .models import (
    ActionPlan,
    BatchStatus,
    EvaluationKind,
    EvaluationStage,
    HostProfile,
    MatchingPreference,
    PairingStatus,
)
from .reasons import reasons_display


def _error(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _pairing_redirect(pairing_id: int, anchor: str = ""):
    return redirect(reverse("mentorship:pairing-detail", args=[pairing_id]) + (f"#{anchor}" if anchor else ""))


# --- Pairing page ----------------------------------------------------------------------------------


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
        _error(request, error)
    else:
        if pairing.status == PairingStatus.AGREED:
            messages.success(request, _("Everyone has approved: the pairing is agreed."))
        else:
            messages.success(request, _("Your approval is recorded."))
    return _pairing_redirect(pairing_id)


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
            return _pairing_redirect(pairing_id)
    return render(request, "mentorship/agreement_form.html", {"pairing": pairing, "form": form})


@login_required
@require_POST
def pairing_status(request, pairing_id: int):
    """Start, complete, end early or reassign: the mentor or a coordinator moves the pairing on."""
    pairing = selectors.pairing_get_for_user(acting_user=request.user, pairing_id=pairing_id)
    action = request.POST.get("action")
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
        elif action == "reassign":
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
            return _pairing_redirect(new.pk)
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        _error(request, error)
    return _pairing_redirect(pairing_id)


# --- Session logs ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_log_create(request, pairing_id: int):
    pairing = selectors.pairing_get_for_user(acting_user=request.user, pairing_id=pairing_id)
    if request.user.pk not in (pairing.trainee_id, pairing.mentor_id):
        raise PermissionDenied
    by_trainee = request.user.pk == pairing.trainee_id
    form = SessionLogForm(request.POST or None, kind=pairing.kind, author_is_trainee=by_trainee)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_log_create(acting_user=request.user, pairing=pairing, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Session logged. %(name)s is asked to confirm it.")
                % {"name": pairing.other_party(request.user).get_full_name()},
            )
            return _pairing_redirect(pairing_id, "logs")
    return render(request, "mentorship/session_log_form.html", {"pairing": pairing, "form": form})


@login_required
@require_POST
def session_log_review(request, log_id: int):
    """Confirm or dispute (the other party), or decide a dispute (a coordinator)."""
    log = selectors.session_log_get_for_user(acting_user=request.user, log_id=log_id)
    action = request.POST.get("action")
    try:
        if action == "confirm":
            services.session_log_confirm(acting_user=request.user, session_log=log)
            messages.success(request, _("Confirmed: the hours count."))
        elif action == "dispute":
            services.session_log_dispute(
                acting_user=request.user, session_log=log, comment=request.POST.get("comment", "")
            )
            messages.success(request, _("Disputed: the coordinator will decide."))
        elif action in ("accept", "reject"):
            services.session_log_resolve(
                acting_user=request.user,
                session_log=log,
                accept=action == "accept",
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, _("Your decision is recorded."))
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        _error(request, error)
    except PermissionDenied as refusal:
        # A party of the pairing who may not do this gets the reason, in their language.
        message = str(refusal) or _("You may not do this.")
        return render(request, "mentorship/refused.html", {"message": message, "log": log}, status=403)
    return _pairing_redirect(log.pairing_id, f"log-{log.pk}")


# --- Reflections and evaluations -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def reflection_create(request, pairing_id: int):
    pairing = selectors.pairing_get_for_user(acting_user=request.user, pairing_id=pairing_id)
    if request.user.pk != pairing.trainee_id:
        raise PermissionDenied
    form = ReflectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reflection = services.reflection_create(acting_user=request.user, pairing=pairing, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your reflection is saved; your mentor can read and comment on it."))
            return redirect("mentorship:reflection-detail", reflection.pk)
    return render(request, "mentorship/reflection_form.html", {"pairing": pairing, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reflection_detail(request, reflection_id: int):
    reflection = selectors.reflection_get_for_user(acting_user=request.user, reflection_id=reflection_id)
    pairing = reflection.pairing
    may_comment = request.user.pk == pairing.mentor_id or can_manage_cohort(request.user, pairing.cohort)
    form = CommentForm(request.POST or None) if may_comment else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.reflection_comment_add(
                    acting_user=request.user, reflection=reflection, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Comment added."))
                return redirect("mentorship:reflection-detail", reflection.pk)
    return render(
        request, "mentorship/reflection_detail.html", {"reflection": reflection, "pairing": pairing, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_form(request, pairing_id: int, stage: str, kind: str):
    pairing = selectors.pairing_get_for_user(acting_user=request.user, pairing_id=pairing_id)
    if stage not in EvaluationStage.values or kind not in EvaluationKind.values:
        raise Http404
    if not services.evaluation_author_may(request.user, pairing, kind):
        raise PermissionDenied
    items = services.rubric_items(pairing=pairing, kind=kind)
    existing = pairing.evaluations.filter(stage=stage, kind=kind).first()
    initial = {code: str(value) for code, value in (existing.ratings if existing else {}).items()}
    if existing:
        initial["comment"] = existing.comment
    form = EvaluationForm(request.POST or None, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        comment = data.pop("comment", "")
        try:
            services.evaluation_submit(
                acting_user=request.user, pairing=pairing, stage=stage, kind=kind, ratings=data, comment=comment
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Evaluation saved."))
            return _pairing_redirect(pairing_id, "evaluations")
    context = {
        "pairing": pairing,
        "form": form,
        "stage_label": EvaluationStage(stage).label,
        "kind_label": EvaluationKind(kind).label,
    }
    return render(request, "mentorship/evaluation_form.html", context)


# --- Follow-up -------------------------------------------------------------------------------------


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
            return _pairing_redirect(pairing_id, "follow-up")
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
            _error(request, error)
        else:
            messages.success(request, _("Check-in recorded."))
    else:
        messages.error(request, _("Enter the date of the check-in and how the plan is going."))
    return _pairing_redirect(check_in.pairing_id, "follow-up")


# --- Mentor and trainee pages ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def mentor_record(request):
    record = selectors.mentor_record(mentor=request.user)
    certificates = [c for c in certificate_list_for_holder(user=request.user) if c.is_hosting]
    return render(request, "mentorship/mentor_record.html", {"record": record, "certificates": certificates})


@login_required
@require_http_methods(["GET", "POST"])
def host_profile(request):
    host = HostProfile.objects.filter(user=request.user).first()
    profile = profile_get_or_create(user=request.user)
    initial = (
        {
            "school": host.school_id,
            "focus_areas": host.focus_areas,
            "stages": host.stages,
            "subjects": host.subjects,
            "capacity": host.capacity,
        }
        if host
        else {"school": profile.school_id, "stages": profile.stages, "subjects": profile.subjects, "capacity": 2}
    )
    form = HostProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.host_profile_save(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your host profile is saved."))
            return redirect("mentorship:host-profile")
    return render(request, "mentorship/host_profile_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request, cohort_id: int):
    cohort = cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id)
    if not is_trainee(request.user, cohort):
        raise Http404
    existing = MatchingPreference.objects.filter(cohort=cohort, trainee=request.user).first()
    initial = {}
    if existing:
        initial["focus_areas"] = existing.focus_areas
        for index, mentor_id in enumerate(existing.wishes[:3], start=1):
            initial[f"wish_{index}"] = str(mentor_id)
    mentors = selectors.cohort_people(cohort=cohort, role=MembershipRole.MENTOR)
    form = PreferenceForm(request.POST or None, initial=initial, kind=cohort.programme.kind, mentors=mentors)
    if request.method == "POST" and form.is_valid():
        try:
            services.matching_preference_save(
                acting_user=request.user,
                cohort=cohort,
                focus_areas=form.cleaned_data["focus_areas"],
                wishes=form.wishes(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your wishes are saved for the matching."))
            return redirect("dashboard:home")
    return render(request, "mentorship/preferences_form.html", {"cohort": cohort, "form": form})


# --- Coordinator pages -----------------------------------------------------------------------------


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


@login_required
@require_http_methods(["GET"])
def cohort_evaluations(request, cohort_id: int):
    cohort = selectors.cohort_get_for_coordinator(acting_user=request.user, cohort_id=cohort_id)
    results = selectors.cohort_evaluation_results(cohort=cohort)
    return render(request, "mentorship/cohort_evaluations.html", {"cohort": cohort, "results": results})


@login_required
@require_http_methods(["GET", "POST"])
def host_certificates(request, cohort_id: int):
    """The coordinator gives mentors their host certificates, from the sessions their trainees confirmed."""
    cohort = selectors.cohort_get_for_coordinator(acting_user=request.user, cohort_id=cohort_id)
    if request.method == "POST":
        try:
            issued = services.host_certificate_issue(
                acting_user=request.user, cohort=cohort, mentor_ids=request.POST.getlist("mentor")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext("%(count)s host certificate issued.", "%(count)s host certificates issued.", len(issued))
                % {"count": len(issued)},
            )
            return redirect("mentorship:host-certificates", cohort_id=cohort.pk)
    rows = selectors.host_certificate_rows(cohort=cohort)
    return render(
        request,
        "mentorship/host_certificates.html",
        {
            "cohort": cohort,
            "ready": [row for row in rows if row["certificate"] is None and row["record"] and row["record"].sessions],
            "issued": [row for row in rows if row["certificate"] is not None],
            "not_ready": [
                row for row in rows if row["certificate"] is None and not (row["record"] and row["record"].sessions)
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def matching(request, cohort_id: int):
    """Run the matcher, open shadowing windows and pin pairs before a run."""
    cohort = selectors.cohort_get_for_coordinator(acting_user=request.user, cohort_id=cohort_id)
    schools = selectors.cohort_host_schools(cohort=cohort)
    trainees = selectors.cohort_people(cohort=cohort, role=MembershipRole.TRAINEE)
    mentors = selectors.cohort_people(cohort=cohort, role=MembershipRole.MENTOR)
    action = request.POST.get("action") if request.method == "POST" else None
    window_form = WindowForm(request.POST if action == "window" else None, schools=schools)
    pin_form = PinForm(request.POST if action == "pin" else None, trainees=trainees, mentors=mentors)
    if request.method == "POST":
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
            elif action == "unpin":
                services.pairing_unpin(
                    acting_user=request.user, cohort=cohort, trainee_id=int(request.POST.get("trainee") or 0)
                )
                messages.success(request, _("Pin removed."))
                return redirect("mentorship:matching", cohort.pk)
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            form = window_form if action == "window" else pin_form if action == "pin" else None
            if form is not None:
                apply_errors(form, error)
            else:
                _error(request, error)
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
        action = request.POST.get("action")
        try:
            if action == "publish":
                pairings = services.matching_batch_publish(acting_user=request.user, batch=batch)
                messages.success(
                    request, _("Published: %(count)d pairings proposed to both sides.") % {"count": len(pairings)}
                )
                return redirect("mentorship:cohort-pairings", batch.cohort_id)
            proposal = batch.proposals.filter(pk=request.POST.get("proposal") or 0).first()
            if proposal is None:
                raise ValidationError(_("That proposal is no longer in this batch."))
            if action == "remove":
                services.batch_proposal_remove(acting_user=request.user, proposal=proposal)
                messages.success(request, _("Proposal removed."))
            elif action == "swap":
                other = batch.proposals.filter(pk=request.POST.get("second") or 0).first()
                if other is None:
                    raise ValidationError(_("Choose the proposal to swap with."))
                services.batch_proposals_swap(acting_user=request.user, first=proposal, second=other)
                messages.success(request, _("Hosts swapped."))
            elif action == "pin":
                services.pairing_pin(
                    acting_user=request.user,
                    cohort=batch.cohort,
                    trainee_id=proposal.trainee_id,
                    mentor_id=proposal.mentor_id,
                )
                messages.success(request, _("Pair pinned: the next run keeps it."))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            _error(request, error)
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
