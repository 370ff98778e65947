"""Applying to a cohort and deciding applications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import selectors, services
from ..forms import (
    ApplicationForm,
    DecisionForm,
    apply_errors,
)
from ..models import (
    CohortStatus,
)
from ..seats import cohort_regions_with_seats


@login_required
@require_http_methods(["GET", "POST"])
def cohort_apply(request, cohort_id):
    cohort = selectors.cohort_get_open_for_applications(cohort_id=cohort_id)
    own = selectors.application_get_own(acting_user=request.user, cohort=cohort)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                cohort=cohort, acting_user=request.user, statement=form.cleaned_data["statement"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your application has been sent to the coordinators of your region."))
            return redirect("training:cohort-apply", cohort_id=cohort.pk)
    from accounts.services import profile_get_or_create

    profile = profile_get_or_create(user=request.user)
    return render(
        request,
        "training/cohort_apply.html",
        {
            "cohort": cohort,
            "form": form,
            "own": own,
            "profile": profile,
            "regions": cohort_regions_with_seats(cohort=cohort),
            "open": cohort.status == CohortStatus.RECRUITING,
        },
    )


@login_required
@require_GET
def application_list(request, cohort_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    applications = selectors.application_list_for_cohort(acting_user=request.user, cohort=cohort)
    return render(
        request,
        "training/application_list.html",
        {
            "cohort": cohort,
            "applications": applications,
            "regions": cohort_regions_with_seats(cohort=cohort),
            "form": DecisionForm(),
        },
    )


@login_required
@require_POST
def application_decide(request, cohort_id, membership_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    membership = selectors.application_get_for_decider(
        acting_user=request.user, cohort=cohort, membership_id=membership_id
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
        return redirect("training:application-list", cohort_id=cohort.pk)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.application_decide(
            membership=membership, acting_user=request.user, accept=accept, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            (_("%(name)s has been accepted.") if accept else _("%(name)s has been declined."))
            % {"name": membership.user.get_full_name()},
        )
    return redirect("training:application-list", cohort_id=cohort.pk)
