"""The kinds of notification. Domain apps register theirs in `AppConfig.ready`.

This app imports no domain app: a kind carries everything needed to render
its message (subject pattern and template names), and the caller passes the
values as plain context.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: Promise | str
    # A pattern formatted with the notification's context, in the reader's language.
    subject: Promise | str
    # Security messages and invitations cannot be turned off or moved to the digest.
    mandatory: bool = False
    # Template base names: email/<template>.txt and email/<template>.html.
    template: str = "notification"
    # Defined by the app that registers the kind: notification -> [(filename, bytes, mimetype)],
    # e.g. an .ics file for an event registration.
    attachments: Callable | None = None
    # What a person gets until they choose: "immediately", "digest" or "off" (see models.Cadence).
    default_cadence: str = "immediately"
    # Urgent kinds (security alerts) leave at once, even in the reader's quiet hours.
    urgent: bool = False
    # Shown on the preferences page; the digest itself is not a kind anyone picks.
    listed: bool = True
    # notification -> dict of extra template values, computed when the e-mail is rendered.
    extra_context: Callable | None = None
    # user -> bool: who can receive this kind at all (a coordinator's weekly digest); the preferences
    # page lists a kind only to them. None: anybody. Defined by the app that registers the kind.
    audience: Callable | None = None


_REGISTRY: dict[str, NotificationKind] = {}


def register(kind: NotificationKind) -> NotificationKind:
    existing = _REGISTRY.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"Notification kind {kind.key!r} is registered twice with different definitions.")
    _REGISTRY[kind.key] = kind
    return kind


def get_kind(key: str) -> NotificationKind:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise LookupError(f"Unknown notification kind {key!r}; register it first.") from None


def all_kinds() -> list[NotificationKind]:
    return sorted(_REGISTRY.values(), key=lambda kind: kind.key)


def listed_kinds() -> list[NotificationKind]:
    return [kind for kind in all_kinds() if kind.listed]


DIGEST_KIND = "digest"


def register_builtin_kinds() -> None:
    from .digests import digest_context
    from .security import register_security_kinds

    register(
        NotificationKind(
            key="announcement",
            label=_("Announcement"),
            subject=_("{title}"),
        )
    )
    register(
        NotificationKind(
            key=DIGEST_KIND,
            label=_("Daily digest"),
            subject=_("Your daily digest for {day}"),
            template="digest",
            mandatory=True,
            listed=False,
            extra_context=digest_context,
        )
    )
    register_security_kinds()
