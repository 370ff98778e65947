"""Reflections, read by the pair and the cohort's coordinators only, with their comments."""

from django.db.models import Prefetch
from django.http import Http404

from ..models import Reflection, ReflectionComment
from ..permissions import can_view_pairing


def reflection_get_for_user(*, acting_user, reflection_id: int) -> Reflection:
    """A reflection: only the pair and the cohort's coordinators may read it."""
    reflection = (
        Reflection.objects.select_related("pairing__cohort", "pairing__trainee", "pairing__mentor", "author")
        .prefetch_related(Prefetch("comments", queryset=_comments()))
        .filter(pk=reflection_id)
        .first()
    )
    if reflection is None or not can_view_pairing(acting_user, reflection.pairing):
        raise Http404
    return reflection


def _comments():
    return ReflectionComment.objects.select_related("author")
