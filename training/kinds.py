"""The notifications training sends: their kinds, registered in `TrainingConfig.ready()`, and how
every message about a cohort is filed.

Messages about a cohort (training's and mentorship's alike) go through
`cohort_notification_send`, so the daily digest lists them under one heading,
the cohort's name in the reader's language.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from notifications.kinds import NotificationKind, register
from notifications.services.sending import notification_send_localized


def _schedule_item_ics(notification, *, method: str):
    from .calendar import render_ics
    from .models import ScheduleItem
    from .selectors import schedule_item_calendar_event

    item = ScheduleItem.objects.select_related("host_school").filter(pk=notification.target_id).first()
    if item is None:
        return []
    # The attachment is written outside the e-mail's language switch: use the recipient's language here.
    with translation.override(notification.recipient.preferred_language or settings.LANGUAGE_CODE):
        content = render_ics(events=[schedule_item_calendar_event(item)], name=item.localized_title, method=method)
    return [(f"yingzi-schedule-{item.pk}.ics", content, f"text/calendar; method={method}; charset=utf-8")]


def schedule_item_update_attachments(notification):
    """The item as it is now, same UID, higher SEQUENCE: calendars replace the old entry."""
    return _schedule_item_ics(notification, method="PUBLISH")


def schedule_item_cancel_attachments(notification):
    return _schedule_item_ics(notification, method="CANCEL")


def invitation_extra_context(notification) -> dict:
    """The accept link, computed when the e-mail is written, so a resend's new link is the one sent."""
    from django.conf import settings
    from django.urls import reverse

    from .models import Invitation, MembershipStatus
    from .selectors import invitation_token

    invitation = (
        Invitation.objects.filter(
            membership__cohort_id=notification.target_id,
            membership__user_id=notification.recipient_id,
            membership__status=MembershipStatus.INVITED,
            status=Invitation.Status.PENDING,
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    if invitation is None:
        return {"invitation_url": base + reverse("dashboard:home")}
    return {
        "invitation_url": base
        + reverse("training:invitation-accept", kwargs={"token": invitation_token(invitation=invitation)})
    }


def coordinates_a_cohort(user) -> bool:
    """Coordinators (and staff, who act as any coordinator) receive the coordinators' messages."""
    from .models import CohortMembership, MembershipRole, MembershipStatus

    if user.is_staff:
        return True
    return CohortMembership.objects.filter(
        user=user, role=MembershipRole.COORDINATOR, status__in=MembershipStatus.counted_values()
    ).exists()


KINDS = [
    NotificationKind(
        key="training.invitation",
        label=_("Invitation to a cohort"),
        subject=_("You are invited to join {cohort}"),
        mandatory=True,
        template="training_invitation",
        extra_context=invitation_extra_context,
    ),
    NotificationKind(
        key="training.application_received",
        label=_("New application to a cohort"),
        subject=_("New application from {name} to {cohort}"),
        audience=coordinates_a_cohort,
    ),
    NotificationKind(
        key="training.application_accepted",
        label=_("Application accepted"),
        subject=_("Your application to {cohort} has been accepted"),
    ),
    NotificationKind(
        key="training.application_declined",
        label=_("Application declined"),
        subject=_("Your application to {cohort} was not accepted"),
    ),
    NotificationKind(
        key="training.schedule_item_changed",
        label=_("Schedule item moved"),
        subject=_("Changed: {title}, now {when}"),
        template="training_schedule_item",
        attachments=schedule_item_update_attachments,
    ),
    NotificationKind(
        key="training.schedule_item_cancelled",
        label=_("Schedule item cancelled"),
        subject=_("Cancelled: {title} ({when})"),
        template="training_schedule_item",
        attachments=schedule_item_cancel_attachments,
    ),
    NotificationKind(
        key="training.schedule_reminder_day",
        label=_("Reminder: a schedule item tomorrow"),
        subject=_("Tomorrow: {title}, {when}"),
        template="training_schedule_item",
        attachments=schedule_item_update_attachments,
    ),
    NotificationKind(
        key="training.schedule_reminder_hour",
        label=_("Reminder: a schedule item in one hour"),
        subject=_("In one hour: {title}, {where}"),
        template="training_schedule_item",
    ),
    NotificationKind(
        key="training.assignment_due_soon",
        label=_("Reminder: an assignment due in two days"),
        subject=_("Due in two days: {title}"),
    ),
    NotificationKind(
        key="training.assignment_overdue",
        label=_("Reminder: an assignment overdue"),
        subject=_("Overdue: {title}"),
    ),
    NotificationKind(
        key="training.submission_returned",
        label=_("Submission returned"),
        subject=_("Returned for changes: {title}"),
    ),
    NotificationKind(
        key="training.submission_accepted",
        label=_("Submission accepted"),
        subject=_("Accepted: {title}"),
    ),
    NotificationKind(
        key="training.certificate_issued",
        label=_("Certificate issued"),
        subject=_("Your certificate for {programme} is ready"),
    ),
    NotificationKind(
        key="training.certificate_revoked",
        label=_("Certificate revoked"),
        subject=_("Your certificate for {programme} has been revoked"),
    ),
    NotificationKind(
        key="training.at_risk_digest",
        label=_("Weekly digest of trainees at risk"),
        subject=_("{cohort}: {count} trainees at risk this week"),
        audience=coordinates_a_cohort,
    ),
]


def register_kinds() -> None:
    for kind in KINDS:
        register(kind)


def cohort_group_key(cohort_id: int) -> str:
    """The digest group of a cohort's messages, shared by every app that writes about the cohort."""
    return f"cohort-{cohort_id}"


def cohort_notification_send(
    *,
    cohort,
    recipients,
    kind: str,
    target,
    context,
    occasion: str = "",
    url_name: str = "",
    url_args=None,
    url_kwargs=None,
) -> None:
    """Notify people about something in a cohort, each in their language, filed under the cohort."""
    notification_send_localized(
        recipients=recipients,
        kind=kind,
        target=target,
        context=context,
        occasion=occasion,
        url_name=url_name,
        url_args=url_args,
        url_kwargs=url_kwargs,
        group_key=cohort_group_key(cohort.pk),
        group_label=lambda: cohort.localized_name,
    )
