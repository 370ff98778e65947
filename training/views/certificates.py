"""Completion: signing trainees off, certificates (PDF, revocation) and the public check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import selectors, services
from ..forms import (
    RevokeForm,
    SignOffForm,
    show_form_errors,
)
from ..models import (
    MembershipStatus,
)
from ..permissions import can_manage_cohort


@login_required
@require_http_methods(["GET", "POST"])
def sign_off(request, cohort_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    form = SignOffForm(request.POST if request.method == "POST" else None)
    if form.is_bound and not form.is_valid():
        show_form_errors(request, form)
    elif form.is_bound:
        try:
            certificates = services.certificate_issue(
                cohort=cohort, acting_user=request.user, trainee_ids=form.cleaned_data["trainee"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(count)s trainees signed off; their certificates are ready.") % {"count": len(certificates)},
            )
            return redirect("training:certificate-list", cohort_id=cohort.pk)
    rows = [
        row
        for row in selectors.cohort_overview(acting_user=request.user, cohort=cohort, sort="progress", descending=True)
        if row.membership.status in (MembershipStatus.ACCEPTED, MembershipStatus.ACTIVE)
    ]
    return render(
        request,
        "training/sign_off.html",
        {
            "cohort": cohort,
            "ready": [row for row in rows if row.progress.meets_all_rules],
            "not_ready": [row for row in rows if not row.progress.meets_all_rules],
        },
    )


@login_required
@require_GET
def certificate_list(request, cohort_id):
    cohort = selectors.cohort_get_for_overseer(acting_user=request.user, cohort_id=cohort_id)
    return render(
        request,
        "training/certificate_list.html",
        {
            "cohort": cohort,
            "certificates": selectors.certificate_list_for_cohort(acting_user=request.user, cohort=cohort),
            "manages": can_manage_cohort(request.user, cohort),
            "revoke_form": RevokeForm(),
        },
    )


@login_required
@require_GET
def certificate_pdf(request, certificate_id):
    from ..certificates import certificate_pdf as render_pdf

    certificate = selectors.certificate_get_for_user(acting_user=request.user, certificate_id=certificate_id)
    response = HttpResponse(render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="yingzi-certificate-{certificate.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def certificate_revoke(request, certificate_id):
    certificate = selectors.certificate_get_for_user(acting_user=request.user, certificate_id=certificate_id)
    cohort = certificate.membership.cohort
    if not can_manage_cohort(request.user, cohort):
        raise Http404
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for revoking the certificate."))
    else:
        try:
            services.certificate_revoke(
                certificate=certificate, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The certificate has been revoked."))
    return redirect("training:certificate-list", cohort_id=cohort.pk)


@require_GET
def certificate_verify(request, code):
    certificate = selectors.certificate_get_by_code(code=code)
    return render(
        request,
        "training/certificate_verify.html",
        {"certificate": certificate, "code": code[:40]},
        status=200 if certificate else 404,
    )


@require_GET
def certificate_lookup(request):
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("training:certificate-verify", code=code[:40])
    return render(request, "training/certificate_verify.html", {"lookup": True})
