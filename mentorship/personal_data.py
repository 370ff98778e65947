"""Mentorship's part of a person's data archive and of their erasure (accounts.personal_data).

Session logs and reflections concern both sides of a pairing: the archive holds
every one of the person's pairings; erasure blanks only what the person wrote,
so the other side's logs, confirmed hours and the ledger stay as they are.
"""

from django.db.models import Q


def _pairings(person):
    from .models import Pairing

    return Pairing.objects.filter(Q(trainee=person) | Q(mentor=person))


def session_logs(person):
    from accounts.personal_data import rows_of

    from .models import SessionLog

    return rows_of(SessionLog.objects.filter(pairing__in=_pairings(person)).order_by("pk"))


def reflections(person):
    from accounts.personal_data import rows_of

    from .models import Reflection

    return rows_of(Reflection.objects.filter(pairing__in=_pairings(person)).order_by("pk"))


def reflection_comments(person):
    from accounts.personal_data import rows_of

    from .models import ReflectionComment

    return rows_of(ReflectionComment.objects.filter(reflection__pairing__in=_pairings(person)).order_by("pk"))


def erase(person) -> None:
    from .models import Reflection, ReflectionComment, SessionLog

    erased = ""
    Reflection.objects.filter(author=person).update(body=erased)
    ReflectionComment.objects.filter(author=person).update(body=erased)
    SessionLog.objects.filter(author=person).update(
        went_well=erased, challenges=erased, trainee_next_steps=erased, mentor_next_steps=erased
    )


def register() -> None:
    from accounts.personal_data import register_eraser, register_section

    register_section("mentorship.session_logs_of_my_pairings", session_logs)
    register_section("mentorship.reflections_of_my_pairings", reflections)
    register_section("mentorship.reflection_comments_of_my_pairings", reflection_comments)
    register_eraser(erase)
