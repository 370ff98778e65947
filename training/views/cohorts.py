"""Cohort screens: the list, opening a cohort, its page, its settings and its audit trail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors, services
from ..forms import (
    CohortCreateForm,
    CohortForm,
    apply_errors,
)
from ..models import (
    CohortMembership,
    MembershipRole,
    MembershipStatus,
)
from ..permissions import can_manage_cohort, cohort_roles, is_staff
from ..seats import cohort_regions_with_seats


@login_required
@require_GET
def cohort_list(request):
    cohorts = selectors.cohort_list_for_user(acting_user=request.user)
    can_create = (
        is_staff(request.user)
        or CohortMembership.objects.filter(
            user=request.user, role=MembershipRole.COORDINATOR, status__in=MembershipStatus.counted_values()
        ).exists()
    )
    return render(request, "training/cohort_list.html", {"cohorts": cohorts, "can_create": can_create})


@login_required
@require_http_methods(["GET", "POST"])
def cohort_create(request):
    if not (
        is_staff(request.user)
        or CohortMembership.objects.filter(
            user=request.user, role=MembershipRole.COORDINATOR, status__in=MembershipStatus.counted_values()
        ).exists()
    ):
        raise Http404
    form = CohortCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, quotas = form.data_and_quotas()
        try:
            cohort = services.cohort_create(
                programme=form.cleaned_data["programme"], acting_user=request.user, data=data, quotas=quotas
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The cohort has been opened."))
            return redirect("training:cohort-detail", cohort_id=cohort.pk)
    return render(request, "training/cohort_form.html", {"form": form, "creating": True})


@login_required
@require_GET
def cohort_detail(request, cohort_id):
    cohort = selectors.cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id)
    manages = can_manage_cohort(request.user, cohort)
    context = {
        "cohort": cohort,
        "manages": manages,
        "roles": cohort_roles(request.user, cohort),
        "regions": cohort_regions_with_seats(cohort=cohort),
        "upcoming": [
            item
            for item in selectors.schedule_item_list_for_cohort(acting_user=request.user, cohort=cohort)
            if item.ends_at >= timezone.now()
        ][:5],
    }
    if manages:
        context["application_count"] = selectors.application_list_for_cohort(
            acting_user=request.user, cohort=cohort
        ).count()
    return render(request, "training/cohort_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cohort_edit(request, cohort_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        data, quotas = form.data_and_quotas()
        try:
            services.cohort_update(cohort=cohort, acting_user=request.user, data=data, quotas=quotas)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The cohort has been saved."))
            return redirect("training:cohort-detail", cohort_id=cohort.pk)
    cohort.refresh_from_db()
    return render(request, "training/cohort_form.html", {"form": form, "cohort": cohort})


@login_required
@require_GET
def audit(request, cohort_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    entries = selectors.audit_entries_for_cohort(acting_user=request.user, cohort=cohort)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "training/audit.html", {"cohort": cohort, "page": page})
