"""The notifications the credit bank sends, registered in `CreditsConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import NotificationKind, register


def register_kinds() -> None:
    register(
        NotificationKind(
            key="credits.recognition_decided",
            label=_("Credit recognised or refused by a region"),
            subject=_("Credit recognition: {title}"),
            template="notification",
        )
    )
