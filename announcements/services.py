"""Composing and sending announcements through the notification fan-out (preferences, digest, quiet hours)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from notifications.services.sending import notification_send_localized

from .audiences import announcement_recipients, may_address
from .models import Announcement, AnnouncementStatus

KIND = "announcement"
# A time "now" typed in a form is a few seconds past by the time it is saved.
PAST_GRACE = datetime.timedelta(minutes=1)


def _check_audience(*, acting_user, scope, cohort, region) -> None:
    if not may_address(acting_user, scope=scope, cohort=cohort, region=region):
        raise PermissionDenied(_("You may not send announcements to this audience."))


@transaction.atomic
def announcement_create(*, acting_user, data: dict, member_regions=()) -> Announcement:
    """A draft, checked: the sender may address the audience, and a chosen time is not in the past."""
    _check_audience(acting_user=acting_user, scope=data["scope"], cohort=data.get("cohort"), region=data.get("region"))
    send_at = data.get("send_at")
    if send_at is not None and send_at < timezone.now() - PAST_GRACE:
        raise ValidationError({"send_at": _("Choose a time in the future, or leave it empty to send now.")})
    announcement = Announcement.objects.create(sender=acting_user, **data)
    if member_regions:
        announcement.member_regions.set(member_regions)
    audit_log(
        instance=announcement, action="announcements.create", acting_user=acting_user, data={"scope": data["scope"]}
    )
    return announcement


def _deliver(announcement: Announcement) -> int:
    recipients = list(announcement_recipients(announcement).only("pk", "preferred_language"))

    def context():
        # Called once per reader language (the fan-out sets it): English readers get the English text if any.
        return {"title": announcement.localized_title, "message": announcement.localized_body}

    notification_send_localized(
        recipients=recipients,
        kind=KIND,
        target=announcement,
        context=context,
        url_name="announcements:read",
        url_kwargs={"announcement_id": announcement.pk},
        group_key=f"announcement:{announcement.pk}",
        group_label=lambda: announcement.localized_title,
    )
    return len(recipients)


@transaction.atomic
def announcement_send(*, announcement: Announcement, acting_user) -> Announcement:
    """Send a draft now, or schedule it for its time; each person gets it once, however often this runs."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.sender_id != acting_user.pk:
        raise PermissionDenied
    _check_audience(
        acting_user=acting_user, scope=announcement.scope, cohort=announcement.cohort, region=announcement.region
    )
    if announcement.status != AnnouncementStatus.DRAFT:
        raise ValidationError(_("This announcement has already been sent or scheduled."))
    if announcement.send_at and announcement.send_at > timezone.now():
        announcement.status = AnnouncementStatus.SCHEDULED
        announcement.save(update_fields=["status"])
        audit_log(instance=announcement, action="announcements.schedule", acting_user=acting_user)
        return announcement
    return _send_now(announcement, acting_user=acting_user)


def _send_now(announcement: Announcement, *, acting_user=None) -> Announcement:
    announcement.recipient_count = _deliver(announcement)
    announcement.status = AnnouncementStatus.SENT
    announcement.sent_at = timezone.now()
    announcement.save(update_fields=["recipient_count", "status", "sent_at"])
    audit_log(
        instance=announcement,
        action="announcements.send",
        acting_user=acting_user,
        data={"recipients": announcement.recipient_count},
    )
    return announcement


@transaction.atomic
def announcement_cancel(*, announcement: Announcement, acting_user) -> Announcement:
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.sender_id != acting_user.pk:
        raise PermissionDenied
    if announcement.status not in (AnnouncementStatus.DRAFT, AnnouncementStatus.SCHEDULED):
        raise ValidationError(_("A sent announcement cannot be cancelled."))
    announcement.status = AnnouncementStatus.CANCELLED
    announcement.save(update_fields=["status"])
    audit_log(instance=announcement, action="announcements.cancel", acting_user=acting_user)
    return announcement


def announcements_send_due(*, now=None) -> int:
    """Send every scheduled announcement whose time has come; a second worker skips what the first holds."""
    now = now or timezone.now()
    sent = 0
    while True:
        with transaction.atomic():
            due = (
                Announcement.objects.select_for_update(skip_locked=True)
                .filter(status=AnnouncementStatus.SCHEDULED, send_at__lte=now)
                .order_by("send_at", "pk")
                .first()
            )
            if due is None:
                return sent
            _send_now(due)
            sent += 1
