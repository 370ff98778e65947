"""The account pages beside allauth's: the profile, My data (my archive, my request for erasure), and why
two-factor authentication is asked of me."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import data_rights
from .forms import MyDataForm, ProfileForm
from .services import profile_get_or_create, profile_update
from .two_factor import has_second_factor, two_factor_duty


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = profile_get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(request.user, profile))
    if request.method == "POST" and form.is_valid():
        profile_update(acting_user=request.user, data=form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    """Account → My data: ask for an archive of everything about me, follow its progress, download it; ask for erasure."""
    if request.method == "POST":
        form = MyDataForm(request.POST)
        action = form.cleaned_data["action"] if form.is_valid() else None
        if action == "export":
            data_rights.data_export_request(acting_user=request.user)
            messages.success(request, _("Your archive is being prepared. This page shows its progress."))
        elif action == "erase":
            try:
                data_rights.erasure_request(acting_user=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("Your request has been sent. A platform administrator will confirm the erasure.")
                )
        elif action == "withdraw":
            if data_rights.erasure_withdraw(acting_user=request.user):
                messages.success(request, _("Your request for erasure has been withdrawn."))
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        return redirect("accounts:my-data")
    exports = list(data_rights.data_exports_of(acting_user=request.user))
    response = render(
        request,
        "accounts/my_data.html",
        {
            "exports": exports,
            "preparing": any(export.status in ("pending", "running") for export in exports),
            "now": timezone.now(),
            "export_days": data_rights.export_days(),
            "erasure": request.user.erasure_requests.filter(status="requested").first(),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def my_data_download(request, export_id):
    export = data_rights.data_export_for_download(acting_user=request.user, export_id=export_id)
    response = FileResponse(
        export.archive.open("rb"), as_attachment=True, filename=export.archive.name.rsplit("/", 1)[-1]
    )
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def two_factor_required(request):
    """Why my role needs two-factor authentication, by when, and the way to turn it on."""
    return render(
        request,
        "accounts/two_factor_required.html",
        {"duty": two_factor_duty(request.user), "has_second_factor": has_second_factor(request.user)},
    )
