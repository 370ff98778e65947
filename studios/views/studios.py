"""The studios' pages: the directory, a studio for its members, and the leaders' actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from training.forms import show_errors

from .. import freshness, permissions, selectors, services
from ..forms import (
    ActivityForm,
    ApplicationDecisionForm,
    ApplyForm,
    CoLeaderForm,
    InvitationAnswerForm,
    InviteForm,
    ThemesForm,
)


@login_required
@require_GET
def studio_list(request):
    directory = selectors.studio_directory(acting_user=request.user)
    return render(request, "studios/studio_list.html", {"directory": directory, "apply_form": ApplyForm()})


@login_required
@require_GET
def studio_detail(request, studio_id):
    """Composed once per change of the studio for each tier of its viewers (`freshness`), not per visit."""
    studio = selectors.studio_get_for_member(acting_user=request.user, studio_id=studio_id)
    tier = selectors.studio_viewer_tier(acting_user=request.user, studio=studio)
    body = freshness.cached_body(
        request, freshness.studio_page_key(studio, tier), lambda: _studio_body(request, studio)
    )
    return render(request, "studios/studio_detail.html", {"studio": studio, "body": body})


def _studio_body(request, studio) -> str:
    overview = selectors.studio_overview(acting_user=request.user, studio=studio)
    year = timezone.localdate().year
    plan = next((plan for plan in overview.plans if plan.year == year), None)
    context = {
        "overview": overview,
        "studio": studio,
        "invite_form": InviteForm(),
        "themes_form": ThemesForm(initial={"year": year, "themes": plan.themes if plan else ""}),
        "activity_form": ActivityForm(),
    }
    return freshness.render_body(request, "studios/_studio_body.html", context)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_POST
def studio_apply(request, studio_id):
    studio = selectors.studio_get_visible(acting_user=request.user, studio_id=studio_id)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("studios:list")
    try:
        services.studio_apply(acting_user=request.user, studio=studio, message=form.cleaned_data["message"])
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Your application is sent; the studio's leader will decide."))
    return redirect("studios:list")


@login_required
@require_POST
def invitation_respond(request, studio_id):
    studio = selectors.studio_get_visible(acting_user=request.user, studio_id=studio_id)
    form = InvitationAnswerForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("studios:list")
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.invitation_respond(acting_user=request.user, studio=studio, accept=accept)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("studios:list")
    if accept:
        messages.success(request, _("Welcome: you are now a member of the studio."))
        return redirect("studios:detail", studio_id=studio.pk)
    messages.success(request, _("You declined the invitation."))
    return redirect("studios:list")


@login_required
@require_POST
def studio_invite(request, studio_id):
    studio = selectors.studio_get_for_member(acting_user=request.user, studio_id=studio_id)
    form = InviteForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            membership = services.studio_invite(
                acting_user=request.user, studio=studio, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("%(name)s is invited.") % {"name": membership.person})
    return redirect("studios:detail", studio_id=studio.pk)


@login_required
@require_POST
def application_decide(request, studio_id, membership_id):
    studio = selectors.studio_get_for_member(acting_user=request.user, studio_id=studio_id)
    form = ApplicationDecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("studios:detail", studio_id=studio.pk)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.application_decide(acting_user=request.user, studio=studio, membership_id=membership_id, accept=accept)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Application accepted.") if accept else _("Application declined."))
    return redirect("studios:detail", studio_id=studio.pk)


@login_required
@require_POST
def co_leader_set(request, studio_id, membership_id):
    studio = selectors.studio_get_for_member(acting_user=request.user, studio_id=studio_id)
    # Who may act is answered before what they sent: a member's bad value is still a 403.
    if not permissions.is_studio_leader(request.user, studio):
        raise PermissionDenied
    form = CoLeaderForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("studios:detail", studio_id=studio.pk)
    co_leader = form.cleaned_data["co_leader"] == "1"
    try:
        services.co_leader_set(
            acting_user=request.user, studio=studio, membership_id=membership_id, co_leader=co_leader
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Roles updated."))
    return redirect("studios:detail", studio_id=studio.pk)


@login_required
@require_POST
def themes_set(request, studio_id):
    studio = selectors.studio_get_for_member(acting_user=request.user, studio_id=studio_id)
    form = ThemesForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.plan_themes_set(acting_user=request.user, studio=studio, **form.cleaned_data)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The year's themes are saved."))
    return redirect("studios:detail", studio_id=studio.pk)


@login_required
@require_POST
def activity_add(request, studio_id):
    studio = selectors.studio_get_for_member(acting_user=request.user, studio_id=studio_id)
    form = ActivityForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.plan_activity_add(acting_user=request.user, studio=studio, **form.cleaned_data)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The activity is added to the plan."))
    return redirect("studios:detail", studio_id=studio.pk)
