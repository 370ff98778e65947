"""The notifications studios send, registered in `StudiosConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import NotificationKind, register


def register_kinds() -> None:
    register(
        NotificationKind(
            key="studios.invitation",
            label=_("Invitation to join a studio"),
            subject=_("You are invited to join {studio}"),
            template="notification",
        )
    )
    register(
        NotificationKind(
            key="studios.application",
            label=_("Applications to a studio you lead, and their decisions"),
            subject=_("Studio membership: {studio}"),
            template="notification",
        )
    )
    register(
        NotificationKind(
            key="studios.resource_consent",
            label=_("Your work offered to a studio's library, waiting for your consent"),
            subject=_("May {studio} share “{title}”?"),
            template="notification",
        )
    )
    register(
        NotificationKind(
            key="studios.mention",
            label=_("Mentions of you in a studio's discussion"),
            subject=_("{author} mentioned you in “{title}”"),
            template="notification",
        )
    )
    register(
        NotificationKind(
            key="studios.report",
            label=_("Messages reported in a studio you lead"),
            subject=_("A message was reported in “{title}”"),
            template="notification",
        )
    )
    register(
        NotificationKind(
            key="studios.lesson",
            label=_("Lessons to observe in your studios and cohorts, and reminders of them"),
            subject=_("Lesson study: {topic}, {when}"),
            template="notification",
        )
    )
