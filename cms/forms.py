"""Forms of the public site's own screens (Wagtail's page forms live with the page models)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CheckInForm(forms.Form):
    """The code on a person's registration, typed or filled in from their QR code."""

    code = forms.CharField(label=_("Check-in code"), max_length=32)
