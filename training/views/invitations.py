"""Inviting people, resending a link, and accepting an invitation (with or without an account)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors, services
from ..forms import (
    InvitationForm,
    apply_errors,
    invitation_account_form_class,
)


@login_required
@require_POST
def invitation_resend(request, cohort_id, membership_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    membership = selectors.membership_get_for_manager(
        acting_user=request.user, cohort=cohort, membership_id=membership_id
    )
    invitation = membership.invitations.order_by("-created_at").first()
    if invitation is None:
        raise Http404
    try:
        services.invitation_resend(invitation=invitation, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new invitation has been sent; the old link no longer works."))
    return redirect("training:membership-change", cohort_id=cohort.pk, membership_id=membership.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request, cohort_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    form = InvitationForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(cohort=cohort, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email})
            return redirect("training:invitation-create", cohort_id=cohort.pk)
    return render(request, "training/invitation_form.html", {"cohort": cohort, "form": form})


def _invitation_problem(request, message: str, status: int):
    return render(request, "training/invitation_problem.html", {"message": message}, status=status)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    from allauth.account.utils import perform_login

    try:
        invitation = selectors.invitation_get_by_token(token=token)
        services.invitation_check_usable(invitation)
    except ValidationError as problem:
        return _invitation_problem(request, problem.messages[0], status=404 if problem.code == "invalid" else 410)
    invitee = invitation.membership.user
    if request.user.is_authenticated and request.user.pk != invitee.pk:
        return _invitation_problem(
            request,
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email},
            status=403,
        )
    context = {"invitation": invitation, "membership": invitation.membership, "cohort": invitation.membership.cohort}
    if not invitee.has_usable_password():
        # A person invited before they had an account: the link proves their e-mail; they choose a password here.
        form = invitation_account_form_class()(
            data=request.POST or None,
            user=invitee,
            initial={"display_name": invitee.display_name, "preferred_language": invitee.preferred_language},
        )
        if form.is_valid():
            try:
                services.invitation_accept_new_account(
                    invitation=invitation,
                    password=form.cleaned_data["password1"],
                    display_name=form.cleaned_data["display_name"],
                    preferred_language=form.cleaned_data["preferred_language"],
                )
            except ValidationError as problem:
                return _invitation_problem(request, problem.messages[0], status=410)
            messages.success(request, _("Welcome! You have joined %(cohort)s.") % {"cohort": context["cohort"]})
            return perform_login(request, invitee, redirect_url=reverse("dashboard:home"))
        return render(
            request,
            "training/invitation_accept.html",
            {
                **context,
                "form": form,
                "new_account": True,
            },
        )
    if not request.user.is_authenticated:
        return render(request, "training/invitation_accept.html", {**context, "needs_login": True})
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, acting_user=request.user)
        except ValidationError as problem:
            return _invitation_problem(request, problem.messages[0], status=410)
        messages.success(request, _("You have joined %(cohort)s.") % {"cohort": context["cohort"]})
        return redirect("dashboard:home")
    return render(request, "training/invitation_accept.html", context)
