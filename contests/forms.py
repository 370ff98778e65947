"""Forms of the contest pages; the services check every rule again."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.models import Region

from .models import Category, Item


class SignUpForm(forms.Form):
    university = forms.CharField(label=_("University"), max_length=200)
    region = forms.ModelChoiceField(
        label=_("Region that nominates you"), queryset=Region.objects.order_by("sort_order", "pk"), empty_label=None
    )


class SubmissionForm(forms.Form):
    file = forms.FileField(label=_("File"), required=False)
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    note = forms.CharField(label=_("Note for the judges"), max_length=500, required=False)


class NominateForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), empty_label=None)
    email = forms.EmailField(label=_("E-mail address of the teacher or student teacher"))

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(contest=contest)

    def clean_email(self):
        email = self.cleaned_data["email"]
        person = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("Nobody with this e-mail address has an account yet."))
        self.cleaned_data["person"] = person
        return email


class ScoreForm(forms.Form):
    """Item by item against the rubric: points per criterion add up to the score, or the score alone."""

    value = forms.DecimalField(label=_("Score"), required=False, max_digits=5, decimal_places=1)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, item: Item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.criteria_fields = []
        for index, criterion in enumerate(item.localized_rubric):
            name = f"criterion_{index}"
            top = criterion.get("points")
            self.fields[name] = forms.DecimalField(
                label=f"{criterion['label']}" + (f" (0–{top})" if top is not None else ""),
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(str(top)) if top is not None else None,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
            )
            self.criteria_fields.append(name)
        self.fields["value"].widget.attrs.update({"inputmode": "decimal", "step": "0.5"})
        self.fields["value"].help_text = _(
            "From %(low)s to %(high)s. Left empty, the criteria's points are added up."
        ) % {
            "low": format(item.scale_min.normalize(), "f"),
            "high": format(item.scale_max.normalize(), "f"),
        }
        self.order_fields([*self.criteria_fields, "value", "comment"])

    def criteria(self) -> dict:
        return {
            name.removeprefix("criterion_"): self.cleaned_data[name]
            for name in self.criteria_fields
            if self.cleaned_data.get(name) is not None
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("value") is None and not any(cleaned.get(name) is not None for name in self.criteria_fields):
            raise forms.ValidationError(_("Give the points per criterion or the score."))
        return cleaned


class CorrectionForm(forms.Form):
    value = forms.DecimalField(label=_("Corrected score"), max_digits=5, decimal_places=1)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)
