"""Forms for coordinators and trainees. Services check the rules again; forms give field errors."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Region, School

from .models import (
    Assignment,
    Cohort,
    CohortMembership,
    MembershipRole,
    MembershipStatus,
    Programme,
    ScheduleItem,
)
from .services import COORDINATOR_STATUSES

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when it names one we show, else on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def show_errors(request, error: ValidationError) -> None:
    """Show a service's ValidationError as messages on the next page, for actions without a form to redisplay."""
    for message in error.messages:
        messages.error(request, message)


def show_form_errors(request, form: forms.Form) -> None:
    """Show a refused form's errors as messages on the next page, for actions that redirect."""
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


class IdListField(forms.Field):
    """The ids a list of checkboxes sends under one name; anything but whole numbers is refused."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": _("The list sent is not valid. Reload the page and try again."),
    }

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        try:
            return [int(item) for item in value]
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class ActionForm(forms.Form):
    """Which of a page's buttons was pressed; an action the page does not offer is refused, nothing is done."""

    action = forms.ChoiceField(
        error_messages={"required": _("Unknown action."), "invalid_choice": _("Unknown action.")}
    )

    def __init__(self, data, *, actions: list[str], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["action"].choices = [(action, action) for action in actions]


def explain_english_title_length(form: forms.ModelForm) -> None:
    """Django's own message for an over-long text is generic; name the field and its limit in the house voice."""
    form.fields["title_en"].error_messages["max_length"] = _(
        "The English title can have at most %(limit_value)d characters; this one has %(show_value)d."
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


COHORT_FIELDS = [
    "name",
    "name_en",
    "starts_on",
    "ends_on",
    "status",
    "capacity",
    "risk_missed_sessions",
    "risk_overdue_days",
    "risk_mentoring_gap_days",
    "risk_pace_margin",
]


class CohortForm(forms.ModelForm):
    """A cohort's settings, with one seat quota per partner region."""

    class Meta:
        model = Cohort
        fields = COHORT_FIELDS
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        quotas = {}
        if self.instance.pk:
            quotas = dict(self.instance.cohort_regions.values_list("region_id", "quota"))
        self.regions = list(Region.objects.all())
        for region in self.regions:
            self.fields[f"quota_{region.pk}"] = forms.IntegerField(
                label=_("Seats for %(region)s") % {"region": region.localized_name},
                min_value=0,
                max_value=10000,
                initial=quotas.get(region.pk, 0),
                help_text=_("0 leaves the region out of the cohort."),
            )

    def quota_fields(self):
        return [self[f"quota_{region.pk}"] for region in self.regions]

    def other_fields(self):
        return [self[name] for name in self._meta.fields]

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The cohort must end on or after the day it starts."))
        return cleaned

    def data_and_quotas(self):
        data = {name: self.cleaned_data[name] for name in COHORT_FIELDS}
        quotas = {region.pk: self.cleaned_data[f"quota_{region.pk}"] for region in self.regions}
        return data, quotas


class CohortCreateForm(CohortForm):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all())

    field_order = ["programme", *COHORT_FIELDS]

    def other_fields(self):
        return [self["programme"], *super().other_fields()]


class MembershipChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)
    status = forms.ChoiceField(label=_("Status"), choices=[])
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), required=False)
    note = forms.CharField(label=_("Note for the audit trail"), max_length=200, required=False)

    def __init__(self, *args, membership: CohortMembership, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(value, label) for value, label in MembershipStatus.choices if value in COORDINATOR_STATUSES]
        if membership.status not in COORDINATOR_STATUSES:
            choices.insert(0, (membership.status, membership.get_status_display()))
        self.fields["status"].choices = choices
        self.fields["region"].queryset = Region.objects.filter(cohort_quotas__cohort=membership.cohort)
        self.initial.update({"role": membership.role, "status": membership.status, "region": membership.region_id})


class InvitationForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.TRAINEE)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("The region a trainee comes from, or a coordinator acts for."),
    )
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False, help_text=_("Optional.")
    )

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.filter(cohort_quotas__cohort=cohort)
        self.fields["region"].queryset = regions
        self.fields["school"].queryset = School.objects.filter(region__in=regions).select_related("region")

    def clean(self):
        cleaned = super().clean()
        region, school = cleaned.get("region"), cleaned.get("school")
        if cleaned.get("role") == MembershipRole.TRAINEE and not region:
            self.add_error("region", _("Choose the region the trainee comes from."))
        if school and region and school.region_id != region.pk:
            self.add_error("school", _("This school is not in the region you chose."))
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "CSV or XLSX with the columns name, email, role, region and optionally school, stage, subject "
            "(Chinese headers such as 姓名, 邮箱, 角色, 地区 work too)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class ApplicationForm(forms.Form):
    statement = forms.CharField(
        label=_("Why you are applying"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you hope to learn, and what you bring from your school."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    note = forms.CharField(label=_("Note to the applicant"), max_length=500, required=False)


class ScheduleItemForm(forms.ModelForm):
    online_url = forms.URLField(label=_("online link"), required=False, assume_scheme="https", max_length=200)
    participants = forms.ModelMultipleChoiceField(
        label=_("Named participants"),
        queryset=CohortMembership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for items meant for named people, such as a pairing's school visit."),
    )

    class Meta:
        model = ScheduleItem
        fields = [
            "kind",
            "title",
            "title_en",
            "description",
            "description_en",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "host_school",
            "audience",
            "participants",
            "required",
            "credit_hours",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        self.fields["host_school"].queryset = School.objects.filter(
            region__cohort_quotas__cohort=cohort
        ).select_related("region")
        self.fields["participants"].queryset = (
            CohortMembership.objects.filter(cohort=cohort, status__in=MembershipStatus.counted_values())
            .exclude(role=MembershipRole.COORDINATOR)
            .select_related("user")
            .order_by("role", "user__display_name")
        )
        explain_english_title_length(self)
        self.fields["participants"].label_from_instance = lambda membership: (
            _("%(name)s (%(role)s)") % {"name": membership.user.get_full_name(), "role": membership.get_role_display()}
        )

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must come after the start."))
        return cleaned

    def _post_clean(self):
        # The service validates the whole item (including the database constraint) and reports field errors.
        pass


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, sent to everyone concerned"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = [
            "kind",
            "title",
            "title_en",
            "instructions",
            "instructions_en",
            "due_at",
            "reviewer",
            "required",
            "credit_hours",
        ]
        widgets = {
            "due_at": DateTimeInput(),
            "instructions": forms.Textarea(attrs={"rows": 5}),
            "instructions_en": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_at"].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        explain_english_title_length(self)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class SubmissionForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    files = MultipleFileField(label=_("Files"), required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", pgettext_lazy("submission", "Accept")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comments for the trainee"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


def invitation_account_form_class():
    """The form a person invited before they had an account fills in: their name, language and a password.

    Built on allauth's SetPasswordForm (its password rules and validators), imported here rather than at
    module level because allauth's forms read settings when imported.
    """
    from allauth.account.forms import SetPasswordForm
    from django.conf import settings

    class InvitationAccountForm(SetPasswordForm):
        display_name = forms.CharField(
            label=_("Name"), max_length=100, help_text=_("As it should appear on certificates, e.g. 王芳.")
        )
        preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
        field_order = ["display_name", "preferred_language", "password1", "password2"]

    return InvitationAccountForm


class AttendanceForm(forms.Form):
    """One day's register: the trainees listed on the sheet and those ticked present."""

    day = forms.CharField(required=False)
    trainee = IdListField(required=False)
    present = IdListField(required=False)


class SignOffForm(forms.Form):
    trainee = IdListField(error_messages={"required": _("Choose trainees to sign off.")})
