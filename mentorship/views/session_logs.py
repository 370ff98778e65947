"""Writing a session log, and confirming, disputing or resolving one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from training.forms import apply_errors, show_errors, show_form_errors

from .. import selectors, services
from ..forms import (
    SessionLogForm,
    SessionLogReviewForm,
)
from .pairings import pairing_redirect


@login_required
@require_http_methods(["GET", "POST"])
def session_log_create(request, pairing_id: int):
    pairing = selectors.pairing_get_for_user(acting_user=request.user, pairing_id=pairing_id)
    if request.user.pk not in (pairing.trainee_id, pairing.mentor_id):
        raise PermissionDenied
    by_trainee = request.user.pk == pairing.trainee_id
    form = SessionLogForm(request.POST or None, kind=pairing.kind, author_is_trainee=by_trainee)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_log_create(acting_user=request.user, pairing=pairing, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Session logged. %(name)s is asked to confirm it.")
                % {"name": pairing.other_party(request.user).get_full_name()},
            )
            return pairing_redirect(pairing_id, "logs")
    return render(request, "mentorship/session_log_form.html", {"pairing": pairing, "form": form})


@login_required
@require_POST
def session_log_review(request, log_id: int):
    """Confirm or dispute (the other party), or decide a dispute (a coordinator)."""
    log = selectors.session_log_get_for_user(acting_user=request.user, log_id=log_id)
    form = SessionLogReviewForm(request.POST, actions=["confirm", "dispute", "accept", "reject"])
    if not form.is_valid():
        show_form_errors(request, form)
        return pairing_redirect(log.pairing_id, f"log-{log.pk}")
    action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
    try:
        if action == "confirm":
            services.session_log_confirm(acting_user=request.user, session_log=log)
            messages.success(request, _("Confirmed: the hours count."))
        elif action == "dispute":
            services.session_log_dispute(acting_user=request.user, session_log=log, comment=comment)
            messages.success(request, _("Disputed: the coordinator will decide."))
        else:
            services.session_log_resolve(
                acting_user=request.user,
                session_log=log,
                accept=action == "accept",
                comment=comment,
            )
            messages.success(request, _("Your decision is recorded."))
    except ValidationError as error:
        show_errors(request, error)
    except PermissionDenied as refusal:
        # A party of the pairing who may not do this gets the reason, in their language.
        message = str(refusal) or _("You may not do this.")
        return render(request, "mentorship/refused.html", {"message": message, "log": log}, status=403)
    return pairing_redirect(log.pairing_id, f"log-{log.pk}")
