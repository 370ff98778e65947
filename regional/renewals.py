"""Which writes renew the regional offices' cache tokens: the one place where regional declares it.

A credit decision renews the indicators' token (the offices' home and
figures); a change of role renews the person's office token (which offices
they act for, `selectors.office_scope`). Memberships and pairings reach the
indicators within five minutes (`indicators.SECONDS`).
"""

from accounts.models import RegionalAdministrator, User
from credits.models import Recognition
from versioned import renews, renews_m2m

from .indicators import INDICATORS

OWNER = "regional"


def office_token(user_id: int) -> str:
    return f"regional-office:{user_id}"


def _groups(instance, action, pk_set, reverse) -> list[str]:
    if not reverse:
        return [office_token(instance.pk)]
    if pk_set:
        return [office_token(pk) for pk in pk_set]
    if action == "pre_clear":
        return [office_token(pk) for pk in instance.user_set.values_list("pk", flat=True)]
    return []


def connect() -> None:
    renews(Recognition, lambda instance: [INDICATORS], owner=OWNER, on_delete=False)
    renews(RegionalAdministrator, lambda instance: [office_token(instance.user_id)], owner=OWNER)
    # Staff count as the joint office: a change of the flag shows at once.
    renews(User, lambda instance: [office_token(instance.pk)], owner=OWNER, fields={"is_staff", "is_superuser"})
    renews_m2m(User.groups.through, _groups, owner=OWNER)
