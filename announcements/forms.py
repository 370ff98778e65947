from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Region

from .audiences import addressable_cohorts, addressable_regions
from .models import ROLE_CHOICES, AudienceScope


class AnnouncementForm(forms.Form):
    """One audience the sender may address ("cohort:7", "region:2", "platform"), the text in both languages, a time."""

    audience = forms.ChoiceField(label=_("Send to"))
    roles = forms.MultipleChoiceField(
        label=_("Roles in the cohort"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for everyone in the cohort."),
    )
    member_regions = forms.ModelMultipleChoiceField(
        label=_("Members from these regions"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every region."),
    )
    title = forms.CharField(label=_("Title"), max_length=120)
    title_en = forms.CharField(label=_("English title"), max_length=120, required=False)
    body = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
    body_en = forms.CharField(
        label=_("English message"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Optional. Readers of English get the Chinese text when it is empty."),
    )
    send_at = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to send as soon as you confirm."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(f"cohort:{cohort.pk}", cohort.localized_name) for cohort in addressable_cohorts(user)]
        choices += [
            (f"region:{region.pk}", _("Everyone in %(region)s") % {"region": region.localized_name})
            for region in addressable_regions(user)
        ]
        if user.is_staff or user.is_superuser:
            choices.append(("platform", AudienceScope.PLATFORM.label))
        self.fields["audience"].choices = choices
        self._cohorts = {f"cohort:{c.pk}": c for c in addressable_cohorts(user)}
        self._regions = {f"region:{r.pk}": r for r in addressable_regions(user)}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title_en") and not cleaned.get("body_en"):
            self.add_error("body_en", _("Write the English message too, or leave the English title empty."))
        if cleaned.get("body_en") and not cleaned.get("title_en"):
            self.add_error("title_en", _("Write the English title too, or leave the English message empty."))
        return cleaned

    def announcement_data(self) -> dict:
        audience = self.cleaned_data["audience"]
        data = {
            "title": self.cleaned_data["title"],
            "title_en": self.cleaned_data["title_en"],
            "body": self.cleaned_data["body"],
            "body_en": self.cleaned_data["body_en"],
            "send_at": self.cleaned_data["send_at"],
            "roles": [],
            "cohort": None,
            "region": None,
        }
        if audience in self._cohorts:
            data.update(scope=AudienceScope.COHORT, cohort=self._cohorts[audience], roles=self.cleaned_data["roles"])
        elif audience in self._regions:
            data.update(scope=AudienceScope.REGION, region=self._regions[audience])
        else:
            data.update(scope=AudienceScope.PLATFORM)
        return data

    def chosen_member_regions(self):
        if self.cleaned_data["audience"] in self._cohorts:
            return list(self.cleaned_data["member_regions"])
        return []
