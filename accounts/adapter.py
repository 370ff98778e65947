from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return settings.YINGZI_SIGNUP_OPEN

    def get_login_redirect_url(self, request):
        # Land people in the language they chose, not the one the login page was in.
        url = super().get_login_redirect_url(request)
        user = request.user
        if url == reverse(settings.LOGIN_REDIRECT_URL) and getattr(user, "preferred_language", None):
            with translation.override(user.preferred_language):
                return reverse(settings.LOGIN_REDIRECT_URL)
        return url

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            from .services import profile_get_or_create

            profile_get_or_create(user=user)
        return user
