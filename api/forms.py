"""The form that names a new personal API token and its scope."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
