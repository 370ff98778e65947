"""The members page and a coordinator's change to one membership."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.inputs import id_or_400
from accounts.models import Region

from .. import selectors, services
from ..forms import (
    MembershipChangeForm,
    apply_errors,
)
from ..models import (
    MembershipRole,
    MembershipStatus,
)
from ..permissions import can_manage_cohort


@login_required
@require_GET
def membership_list(request, cohort_id):
    cohort = selectors.cohort_get_for_overseer(acting_user=request.user, cohort_id=cohort_id)
    filters = {
        "role": request.GET.get("role", "") if request.GET.get("role") in MembershipRole.values else "",
        "status": request.GET.get("status", "") if request.GET.get("status") in MembershipStatus.values else "",
        "region_id": id_or_400(request.GET.get("region")),
        "query": request.GET.get("q", "").strip()[:100],
    }
    memberships = selectors.membership_list_for_cohort(acting_user=request.user, cohort=cohort, **filters)
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "training/membership_list.html",
        {
            "cohort": cohort,
            "page": page,
            "filters": filters,
            "manages": can_manage_cohort(request.user, cohort),
            "roles": MembershipRole.choices,
            "statuses": MembershipStatus.choices,
            "regions": Region.objects.filter(cohort_quotas__cohort=cohort),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_change(request, cohort_id, membership_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    membership = selectors.membership_get_for_manager(
        acting_user=request.user, cohort=cohort, membership_id=membership_id
    )
    form = MembershipChangeForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change(
                membership=membership,
                acting_user=request.user,
                role=form.cleaned_data["role"],
                status=form.cleaned_data["status"],
                region=form.cleaned_data["region"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The membership has been changed."))
            return redirect("training:membership-list", cohort_id=cohort.pk)
    from accounts.audit import audit_entries_for

    return render(
        request,
        "training/membership_change.html",
        {
            "cohort": cohort,
            "membership": membership,
            "form": form,
            "history": audit_entries_for(instances=[membership])[:20],
            "invitation": membership.invitations.filter(status="pending").first(),
        },
    )
