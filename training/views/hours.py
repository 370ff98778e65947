"""The hours export for credit mutual recognition (学分互认)."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.audit import audit_personal_data_export
from accounts.models import Region
from accounts.spreadsheets import table_response

from .. import selectors
from ..models import (
    HoursSource,
)


@login_required
@require_GET
def hours_export(request, cohort_id):
    cohort = selectors.cohort_get_for_overseer(acting_user=request.user, cohort_id=cohort_id)
    region = Region.objects.filter(code=request.GET.get("region", "")).first()
    rows = selectors.hours_by_region(acting_user=request.user, cohort=cohort, region_id=region.pk if region else None)
    suffix = f"-{region.code}" if region else ""
    audit_personal_data_export(request=request, instance=cohort, export="hours", fmt="csv", rows=len(rows))
    sources = [source for source in HoursSource if source != HoursSource.CORRECTION]
    header = [
        _("Name"),
        _("E-mail"),
        _("Home region"),
        _("Programme"),
        _("Cohort"),
        *[source.label for source in sources],
        _("Credited hours"),
        _("Certified hours"),
        _("Certificate"),
        _("Verification link"),
    ]
    from ..certificates import verification_url

    lines = [header]
    for row in rows:
        membership = row["membership"]
        certificate = row["certificate"]
        lines.append(
            [
                membership.user.get_full_name(),
                membership.user.email,
                membership.region.localized_name if membership.region else "",
                cohort.programme.localized_title,
                cohort.localized_name,
                *[row["by_source"].get(source.value, 0) for source in sources],
                row["total"],
                # What the certificate states is what partner regions recognise, whatever the ledger says now.
                certificate.hours if certificate else "",
                certificate.code if certificate else "",
                verification_url(certificate) if certificate else "",
            ]
        )
    return table_response(rows=lines, filename=f"yingzi-hours-{cohort.pk}{suffix}.csv", fmt="csv")
