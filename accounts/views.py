"""The profile page: a person's own name, language, region, school, subjects and stages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import ProfileForm
from .services import profile_get_or_create, profile_update


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
