"""Follow-up check-ins after a pairing ends."""

from django.http import Http404

from ..models import CheckIn
from ..permissions import can_view_pairing


def check_in_get_for_user(*, acting_user, check_in_id: int) -> CheckIn:
    """A follow-up check-in of a pairing the person may see, or 404."""
    check_in = CheckIn.objects.select_related("pairing__cohort").filter(pk=check_in_id).first()
    if check_in is None or not can_view_pairing(acting_user, check_in.pairing):
        raise Http404
    return check_in
