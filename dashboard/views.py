"""Each person's start page, composed from the selectors of every app."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.permissions import is_editor
from accounts.services import profile_get_or_create
from mentorship.selectors import dashboard_panel
from training.selectors import membership_list_for_user


@login_required
@require_GET
def home(request):
    profile = profile_get_or_create(user=request.user)
    if profile.region_id or profile.school_id:
        profile = type(profile).objects.select_related("region", "school").get(pk=profile.pk)
    context = {
        "profile": profile,
        "memberships": membership_list_for_user(user=request.user),
        "is_editor": is_editor(request.user),
        "mentorship": dashboard_panel(user=request.user),
    }
    return render(request, "dashboard/home.html", context)
