from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from credits.models import CreditCategory, CreditKind
from training.forms import IdListField


class RuleForm(forms.Form):
    """A new version of a region's recognition rules: one field per kind and per category, one box per issuer."""

    effective_from = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}))
    effective_to = forms.DateField(
        label=_("In force until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty: until a later version takes over."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = list(Region.objects.order_by("sort_order", "code"))
        for value, label in CreditKind.choices:
            self.fields[f"hours_{value}"] = forms.DecimalField(
                label=_("Hours per credit: %(kind)s") % {"kind": label},
                required=False,
                max_digits=6,
                decimal_places=1,
                help_text=_("Empty: 10 hours make one credit."),
            )
            self.fields[f"accepts_{value}"] = forms.MultipleChoiceField(
                label=_("Recognised automatically from: %(kind)s") % {"kind": label},
                required=False,
                choices=[(region.code, region.localized_name) for region in self.regions],
                widget=forms.CheckboxSelectMultiple,
            )
        for value, label in CreditCategory.choices:
            self.fields[f"cap_{value}"] = forms.DecimalField(
                label=_("Yearly cap: %(category)s") % {"category": label},
                required=False,
                max_digits=7,
                decimal_places=1,
                help_text=_("Most credits a person gains in a year; empty: no cap."),
            )

    def rule_data(self) -> dict:
        data = self.cleaned_data
        return {
            "effective_from": data["effective_from"],
            "effective_to": data.get("effective_to"),
            "note": data.get("note", ""),
            "hours_per_credit": {
                kind: data[f"hours_{kind}"] for kind in CreditKind.values if data.get(f"hours_{kind}") is not None
            },
            "yearly_caps": {
                category: data[f"cap_{category}"]
                for category in CreditCategory.values
                if data.get(f"cap_{category}") is not None
            },
            "accepts": {kind: data.get(f"accepts_{kind}", []) for kind in CreditKind.values},
        }


class RecognitionDecisionForm(forms.Form):
    """The queue's decision on the records ticked: recognise them, or refuse them with a reason."""

    decision = forms.ChoiceField(choices=[("recognise", _("Recognise")), ("refuse", _("Refuse"))])
    recognition = IdListField(required=False)
    reason = forms.CharField(required=False, max_length=500)
