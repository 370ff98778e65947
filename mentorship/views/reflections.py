"""Trainees' reflections and their comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from training.forms import apply_errors
from training.permissions import can_manage_cohort

from .. import selectors, services
from ..forms import (
    CommentForm,
    ReflectionForm,
)


@login_required
@require_http_methods(["GET", "POST"])
def reflection_create(request, pairing_id: int):
    pairing = selectors.pairing_get_for_user(acting_user=request.user, pairing_id=pairing_id)
    if request.user.pk != pairing.trainee_id:
        raise PermissionDenied
    form = ReflectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reflection = services.reflection_create(acting_user=request.user, pairing=pairing, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your reflection is saved; your mentor can read and comment on it."))
            return redirect("mentorship:reflection-detail", reflection.pk)
    return render(request, "mentorship/reflection_form.html", {"pairing": pairing, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reflection_detail(request, reflection_id: int):
    reflection = selectors.reflection_get_for_user(acting_user=request.user, reflection_id=reflection_id)
    pairing = reflection.pairing
    may_comment = request.user.pk == pairing.mentor_id or can_manage_cohort(request.user, pairing.cohort)
    form = CommentForm(request.POST or None) if may_comment else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.reflection_comment_add(
                    acting_user=request.user, reflection=reflection, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Comment added."))
                return redirect("mentorship:reflection-detail", reflection.pk)
    return render(
        request, "mentorship/reflection_detail.html", {"reflection": reflection, "pairing": pairing, "form": form}
    )
