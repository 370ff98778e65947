"""The account pages beside allauth's: the profile, and why two-factor authentication is asked of me."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .forms import ProfileForm
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
