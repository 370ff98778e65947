"""Two factors for everyone with power over other people's data.

Who holds power is answered by checks the owning apps register in their
`AppConfig.ready()` (accounts knows staff, editors, moderators, the joint
office and regional admins; training adds coordinators), so this module
imports no app above it. With `YINGZI_REQUIRE_2FA` on (production), such a
person without an authenticator app may keep working for
`YINGZI_2FA_GRACE_DAYS` from the first time we noticed, then is sent to the
set-up page until they turn it on; their API tokens stop working too.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .permissions import (
    EDITOR_GROUP,
    JOINT_OFFICE_GROUP,
    MODERATOR_GROUP,
    _group_names,
    administered_region_ids,
)

# (label shown on the set-up page, user -> bool)
_POWERS: list[tuple[Promise | str, Callable]] = []


def register_power(label: Promise | str, holds: Callable) -> None:
    """Declare a role whose holders need two factors; `holds(user)` answers whether a person has it."""
    if not any(existing is holds for _label, existing in _POWERS):
        _POWERS.append((label, holds))


def register_account_powers() -> None:
    register_power(_("Staff of the platform"), lambda user: user.is_staff or user.is_superuser)
    register_power(_("Editor"), lambda user: EDITOR_GROUP in _group_names(user))
    register_power(_("Moderator"), lambda user: MODERATOR_GROUP in _group_names(user))
    register_power(_("Joint office"), lambda user: JOINT_OFFICE_GROUP in _group_names(user))
    register_power(_("Regional administrator"), lambda user: bool(administered_region_ids(user)))


def powers_held(user) -> list:
    """The labels of the roles that make this person need two factors (empty for everyone else)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [label for label, holds in _POWERS if holds(user)]


def has_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@dataclass(frozen=True)
class TwoFactorDuty:
    """Whether this person must turn two factors on, and by when."""

    required: bool
    due: datetime.datetime | None = None
    powers: tuple = ()

    @property
    def overdue(self) -> bool:
        return self.required and (self.due is None or timezone.now() >= self.due)


NOT_REQUIRED = TwoFactorDuty(required=False)


def two_factor_duty(user, *, start_grace: bool = True) -> TwoFactorDuty:
    """What two-factor authentication asks of this person now; starts their grace period the first time."""
    if not settings.YINGZI_REQUIRE_2FA or not getattr(user, "is_authenticated", False):
        return NOT_REQUIRED
    powers = powers_held(user)
    if not powers or has_second_factor(user):
        return NOT_REQUIRED
    since = user.two_factor_required_since
    if since is None and start_grace:
        since = timezone.now()
        get_user_model().objects.filter(pk=user.pk, two_factor_required_since__isnull=True).update(
            two_factor_required_since=since
        )
        user.two_factor_required_since = since
    due = since + datetime.timedelta(days=settings.YINGZI_2FA_GRACE_DAYS) if since else None
    return TwoFactorDuty(required=True, due=due, powers=tuple(powers))


def two_factor_overdue(user) -> bool:
    """Whether this person holds power, has no second factor and their grace period is over."""
    return two_factor_duty(user).overdue


def identity_confirmed(user, answer: str) -> bool:
    """Whether `answer` is this person's password or a current code from their authenticator app.

    Asked again before an action that hands out power (an API token), so that a session left open is not
    enough. A TOTP code is used once (allauth remembers it for its period).
    """
    answer = (answer or "").strip()
    if not answer:
        return False
    if user.has_usable_password() and user.check_password(answer):
        return True
    if answer.isdigit():
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP

        authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        return authenticator is not None and TOTP(authenticator).validate_code(answer)
    return False
