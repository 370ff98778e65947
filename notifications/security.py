"""Security messages: password changed, two-factor on or off, a new e-mail address.

allauth sends signals for each; we turn them into mandatory, urgent
notifications (they cannot be turned off and ignore quiet hours), so that a
person learns at once when their account changes, whoever changed it.
"""

from django.utils.translation import gettext_lazy as _

from . import clock
from .kinds import NotificationKind, register

PASSWORD_CHANGED = "security.password_changed"  # noqa: S105 -- a kind key, not a password
TWO_FACTOR_ENABLED = "security.two_factor_enabled"
TWO_FACTOR_DISABLED = "security.two_factor_disabled"
EMAIL_ADDED = "security.email_added"
# Sent by the api app when a personal token is made: a token acts as its owner, like a second password.
API_TOKEN_CREATED = "security.api_token_created"  # noqa: S105 -- a kind key, not a token


def register_security_kinds() -> None:
    for key, label, subject in [
        (PASSWORD_CHANGED, _("Password changed"), _("Your password was changed")),
        (TWO_FACTOR_ENABLED, _("Two-factor authentication turned on"), _("Two-factor authentication is now on")),
        (TWO_FACTOR_DISABLED, _("Two-factor authentication turned off"), _("Two-factor authentication was turned off")),
        (EMAIL_ADDED, _("New e-mail address"), _("A new e-mail address was added to your account")),
        (API_TOKEN_CREATED, _("New API token"), _("A new API token was created for your account")),
    ]:
        register(
            NotificationKind(key=key, label=label, subject=subject, template="security", mandatory=True, urgent=True)
        )


def _notify(user, kind: str, context: dict | None = None) -> None:
    from django.urls import reverse

    from .services import notification_send

    # Each event is its own occasion: two password changes are two messages.
    notification_send(
        recipient=user,
        kind=kind,
        target=user,
        occasion=clock.now().isoformat(),
        context=context or {},
        url=reverse("account_email") if kind == EMAIL_ADDED else reverse("account_change_password"),
    )


def on_password_changed(sender, request=None, user=None, **kwargs) -> None:
    _notify(user, PASSWORD_CHANGED)


def on_email_added(sender, request=None, user=None, email_address=None, **kwargs) -> None:
    _notify(user, EMAIL_ADDED, {"email": email_address.email if email_address else ""})


def _is_second_factor(authenticator) -> bool:
    # Recovery codes come and go with the authenticator app; one message is enough.
    return authenticator is not None and authenticator.type != "recovery_codes"


def on_authenticator_added(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
    if _is_second_factor(authenticator):
        _notify(user, TWO_FACTOR_ENABLED)


def on_authenticator_removed(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
    if _is_second_factor(authenticator):
        _notify(user, TWO_FACTOR_DISABLED)


def connect_security_signals() -> None:
    from allauth.account import signals as account_signals
    from allauth.mfa import signals as mfa_signals

    for name in ("password_changed", "password_set", "password_reset"):
        getattr(account_signals, name).connect(on_password_changed, dispatch_uid=f"notifications.security.{name}")
    account_signals.email_added.connect(on_email_added, dispatch_uid="notifications.security.email_added")
    mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid="notifications.security.mfa_added")
    mfa_signals.authenticator_removed.connect(
        on_authenticator_removed, dispatch_uid="notifications.security.mfa_removed"
    )
