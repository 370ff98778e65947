"""Session logs: one a party of the pairing may see, and the disputed ones a coordinator decides."""

from django.http import Http404

from training.models import Cohort

from ..models import SessionLog, SessionLogStatus
from ..permissions import can_view_pairing


def session_log_get_for_user(*, acting_user, log_id: int) -> SessionLog:
    """A session log of a pairing the person may see, or 404."""
    log = (
        SessionLog.objects.select_related("pairing__cohort", "pairing__trainee", "pairing__mentor", "author")
        .filter(pk=log_id)
        .first()
    )
    if log is None or not can_view_pairing(acting_user, log.pairing):
        raise Http404
    return log


def cohort_disputed_logs(*, cohort: Cohort):
    """Disputed session logs waiting for the coordinator's decision."""
    return (
        SessionLog.objects.filter(pairing__cohort=cohort, status=SessionLogStatus.DISPUTED)
        .select_related("author", "reviewed_by", "pairing__trainee", "pairing__mentor")
        .order_by("occurred_on", "pk")
    )
