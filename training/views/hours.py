"""The hours export for credit mutual recognition (学分互认)."""

from django.contrib.auth.decorators import login_required
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.audit import audit_personal_data_export
from accounts.models import Region
from accounts.spreadsheets import csv_streaming_response

from .. import selectors
from ..models import (
    HoursSource,
)


@login_required
@require_GET
def hours_export(request, cohort_id):
    cohort = selectors.cohort_get_for_overseer(acting_user=request.user, cohort_id=cohort_id)
    region = Region.objects.filter(code=request.GET.get("region", "")).first()
    region_id = region.pk if region else None
    count = selectors.hours_memberships(acting_user=request.user, cohort=cohort, region_id=region_id).count()
    rows = selectors.hours_by_region_streamed(acting_user=request.user, cohort=cohort, region_id=region_id)
    suffix = f"-{region.code}" if region else ""
    audit_personal_data_export(request=request, instance=cohort, export="hours", fmt="csv", rows=count)
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

    language = translation.get_language()

    def lines():
        # The rows are written after the view has returned: in the language of the request, whatever comes next.
        with translation.override(language):
            yield header
            yield from _lines()

    def _lines():
        for row in rows:
            membership = row["membership"]
            certificate = row["certificate"]
            yield [
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

    # Streamed: the rows are read and written a chunk at a time while the file goes out.
    return csv_streaming_response(rows=lines(), filename=f"yingzi-hours-{cohort.pk}{suffix}.csv")
