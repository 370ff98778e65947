"""The form that names a new personal API token and its scope, and asks the person to confirm who they are."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.two_factor import identity_confirmed

from .models import TokenScope


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("API token", "Name"),
        max_length=100,
        help_text=_("Which system uses it, e.g. “Anhui credit bank”."),
    )
    scope = forms.ChoiceField(label=_("Access"), choices=TokenScope.choices, initial=TokenScope.READ)
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=730,
        required=False,
        help_text=_("Leave empty for a token that lasts until you revoke it."),
    )
    confirm = forms.CharField(
        label=_("Your password or a two-factor code"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("A token acts as you; we ask who you are once more before we make one."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm(self):
        answer = self.cleaned_data["confirm"]
        if not identity_confirmed(self.user, answer):
            raise forms.ValidationError(
                _("That is neither your password nor a current code from your authenticator app."), code="identity"
            )
        return ""
