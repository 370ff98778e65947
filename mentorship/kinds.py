"""The notifications mentorship sends. Context values are plain strings."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import NotificationKind, register

KINDS = [
    NotificationKind(
        key="mentorship.pairing_proposed",
        label=_("Pairing proposed"),
        subject=_("Proposed pairing: {trainee} with host {mentor}; please review and approve"),
    ),
    NotificationKind(
        key="mentorship.pairing_agreed",
        label=_("Pairing agreed"),
        subject=_("Everyone approved: {trainee} shadows {mentor}"),
    ),
    NotificationKind(
        key="mentorship.pairing_ended",
        label=_("Pairing finished"),
        subject=_("The pairing of {trainee} with {mentor} has finished"),
    ),
    NotificationKind(
        key="mentorship.pairing_approval_reminder",
        label=_("Pairing awaiting your approval"),
        subject=_("Reminder: the pairing of {trainee} with {mentor} awaits your approval"),
    ),
    NotificationKind(
        key="mentorship.session_log_awaiting",
        label=_("Session log awaiting confirmation"),
        subject=_("{author} logged {hours} hours on {date}: please confirm or dispute"),
    ),
    NotificationKind(
        key="mentorship.session_log_reminder",
        label=_("Session log still awaiting confirmation"),
        subject=_("Reminder: the session {author} logged on {date} still awaits your confirmation"),
    ),
    NotificationKind(
        key="mentorship.session_log_confirmed",
        label=_("Session log confirmed"),
        subject=_("{confirmer} confirmed the session of {date} ({hours} hours)"),
    ),
    NotificationKind(
        key="mentorship.session_log_disputed",
        label=_("Session log disputed"),
        subject=_("{disputer} disputed the session of {date}; the coordinator will decide"),
    ),
    NotificationKind(
        key="mentorship.session_log_resolved",
        label=_("Disputed session log decided"),
        subject=_("{coordinator} decided on the disputed session of {date}"),
    ),
    NotificationKind(
        key="mentorship.reflection_written",
        label=_("New reflection"),
        subject=_("{trainee} wrote a reflection: {title}"),
    ),
    NotificationKind(
        key="mentorship.reflection_commented",
        label=_("Comment on a reflection"),
        subject=_("{author} commented on your reflection “{title}”"),
    ),
    NotificationKind(
        key="mentorship.check_in_due",
        label=_("Follow-up check-in due"),
        subject=_("Follow-up check-in {months} months after shadowing is due on {date}"),
    ),
]


def register_kinds() -> None:
    for kind in KINDS:
        register(kind)
