"""My notifications, and marking one read."""

from django.http import Http404
from ninja import Router

from notifications.channels import render_subject
from notifications.models import Notification
from notifications.services.inbox import notification_mark_read

from .. import schemas as s
from ..pagination import page_of, paginate
from .errors import PROBLEM_RESPONSES

router = Router(tags=["notifications"])


@router.get("/notifications/", response={200: page_of(s.NotificationOut, "NotificationPage"), **PROBLEM_RESPONSES})
def notification_list(request, unread: bool = False, cursor: str | None = None, limit: int | None = None):
    """My notifications, newest first."""
    items = Notification.objects.for_inbox(request.user)
    if unread:
        items = items.unread()
    rows, following = paginate(items, cursor=cursor, limit=limit, scope="notifications", descending=True)
    return {
        "results": [
            {
                "id": n.pk,
                "kind": n.kind,
                "subject": render_subject(n),
                "url": n.url,
                "created_at": n.created_at,
                "read": n.read_at is not None,
            }
            for n in rows
        ],
        "next_cursor": following,
    }


@router.post("/notifications/{notification_id}/read/", response={200: s.ReadOut, **PROBLEM_RESPONSES})
def notification_read(request, notification_id: int):
    """Mark one of my notifications read; anyone else's is 404."""
    if not Notification.objects.filter(pk=notification_id, recipient=request.user).exists():
        raise Http404
    notification_mark_read(acting_user=request.user, notification_id=notification_id)
    return {"read": True}
