"""Sign-up and profile forms: name, language, region, school, subjects and stages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .fields import SingleLineCharField
from .models import Profile, Region, School, Stage, Subject, User


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    display_name = SingleLineCharField(
        label=_("Name"), max_length=100, help_text=_("As it should appear on certificates, e.g. 王芳.")
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.preferred_language = self.cleaned_data["preferred_language"]
        user.save(update_fields=["display_name", "preferred_language"])


class ProfileForm(forms.Form):
    display_name = SingleLineCharField(label=_("Name"), max_length=100)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    region = forms.ModelChoiceField(label=_("Home region"), queryset=Region.objects.all(), required=False)
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.all(), required=False)
    title = SingleLineCharField(label=_("Title or position"), max_length=100, required=False)
    subjects = forms.MultipleChoiceField(
        label=_("Subjects"), choices=Subject.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    stages = forms.MultipleChoiceField(
        label=_("Stages taught"), choices=Stage.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    years_of_experience = forms.IntegerField(
        label=_("Years of experience"),
        required=False,
        min_value=0,
        max_value=60,
        error_messages={"max_value": _("Years of experience cannot be more than 60.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A school is chosen within the home region (clean() insists on it), so only that region's schools
        # are offered: four provinces hold thousands of schools, and rendering them all made the page slow.
        # Validation still knows every school, so a school of another region gets the clear message below.
        region = self.data.get("region") if self.is_bound else self.initial.get("region")
        try:
            region_id = int(region)
        except (TypeError, ValueError):
            return
        offered = forms.ModelChoiceField(queryset=School.objects.filter(region_id=region_id), required=False)
        self.fields["school"].widget.choices = offered.choices

    @classmethod
    def initial_for(cls, user: User, profile: Profile | None = None) -> dict:
        profile = profile or user.profile
        return {
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "region": profile.region_id,
            "school": profile.school_id,
            "title": profile.title,
            "subjects": profile.subjects,
            "stages": profile.stages,
            "years_of_experience": profile.years_of_experience,
        }

    def clean(self):
        cleaned = super().clean()
        region, school = cleaned.get("region"), cleaned.get("school")
        if school and region and school.region_id != region.pk:
            self.add_error("school", _("This school is not in the region you chose."))
        return cleaned


class MyDataForm(forms.Form):
    """What a person asks for on Account → My data."""

    action = forms.ChoiceField(
        choices=[("export", "export"), ("erase", "erase"), ("withdraw", "withdraw")],
        error_messages={
            "required": _("Choose what you would like to do."),
            "invalid_choice": _("Choose what you would like to do."),
        },
    )
    reason = forms.CharField(required=False, max_length=2000, strip=True)
