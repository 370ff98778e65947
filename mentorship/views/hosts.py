"""Mentors' and trainees' own pages: the mentor's record, the host profile, matching wishes, host certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.services import profile_get_or_create
from training.forms import apply_errors, show_form_errors
from training.models import MembershipRole
from training.permissions import is_trainee
from training.selectors.certificates import certificate_list_for_holder
from training.selectors.cohorts import cohort_get_for_user

from .. import selectors, services
from ..forms import (
    HostCertificateForm,
    HostProfileForm,
    PreferenceForm,
)
from ..models import (
    HostProfile,
    MatchingPreference,
)


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


@login_required
@require_http_methods(["GET", "POST"])
def host_certificates(request, cohort_id: int):
    """The coordinator gives mentors their host certificates, from the sessions their trainees confirmed."""
    cohort = selectors.cohort_get_for_coordinator(acting_user=request.user, cohort_id=cohort_id)
    form = HostCertificateForm(request.POST if request.method == "POST" else None)
    if form.is_bound and not form.is_valid():
        show_form_errors(request, form)
    elif form.is_bound:
        try:
            issued = services.host_certificate_issue(
                acting_user=request.user, cohort=cohort, mentor_ids=form.cleaned_data["mentor"]
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
