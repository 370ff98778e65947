"""Host certificates for mentors, counted from confirmed session logs and issued by training."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from training.models import Cohort
from training.services.certificates import HostingRecord, certificate_issue_for_hosts

from ..selectors import hosting_records


def host_certificate_issue(*, acting_user, cohort: Cohort, mentor_ids) -> list:
    """Host certificates for the chosen mentors, through the training certificate machinery, all or none."""
    try:
        mentor_ids = {int(pk) for pk in mentor_ids}
    except (TypeError, ValueError):
        raise ValidationError(_("Choose mentors from the list.")) from None
    records = hosting_records(cohort=cohort, mentor_ids=mentor_ids)
    empty = frozenset()
    chosen = [
        records.get(pk) or HostingRecord(mentor_id=pk, hours=Decimal(0), sessions=0, trainee_ids=empty)
        for pk in sorted(mentor_ids)
    ]
    return certificate_issue_for_hosts(cohort=cohort, acting_user=acting_user, records=chosen)
