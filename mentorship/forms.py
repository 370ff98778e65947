"""Forms: they parse and label input; the services decide what is allowed."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import School, Stage, Subject
from training.forms import ActionForm, IdListField

from .models import FocusArea, SessionKind


class DateInput(forms.DateInput):
    """A native date picker; it reads and writes ISO dates whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if timezone.is_aware(value) else value
        return value


def focus_choices(kind: str | None):
    areas = FocusArea.for_kind(kind) if kind else list(FocusArea)
    return [(area.value, area.label) for area in areas]


def small_text(label, required=False):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 2}))


class SessionLogForm(forms.Form):
    """Short enough for a phone: date, hours and kind come filled in."""

    occurred_on = forms.DateField(label=_("Date"), widget=DateInput)
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    kind = forms.ChoiceField(label=_("Kind of session"), choices=SessionKind.choices)
    went_well = small_text(_("What went well"))
    challenges = small_text(_("Challenges"))
    trainee_next_steps = small_text(_("Trainee's next steps"))
    mentor_next_steps = small_text(_("Mentor's next steps"))
    next_meeting = forms.DateTimeField(
        label=_("Next meeting"), required=False, widget=DateTimeInput, input_formats=["%Y-%m-%dT%H:%M"]
    )
    tags = forms.MultipleChoiceField(label=_("Standards touched"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, kind: str | None = None, author_is_trainee: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].choices = focus_choices(kind)
        self.initial.setdefault("occurred_on", timezone.localdate())
        self.initial.setdefault("hours", Decimal("2.0"))
        self.initial.setdefault("kind", SessionKind.SHADOW_DAY if author_is_trainee else SessionKind.DEBRIEF)
        if not author_is_trainee:
            self.fields["kind"].choices = [c for c in SessionKind.choices if c[0] != SessionKind.SHADOW_DAY]


class DisputeForm(forms.Form):
    comment = forms.CharField(label=_("What is wrong with this log?"), widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    comment = forms.CharField(label=_("Decision note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AgreementForm(forms.Form):
    focus_areas = forms.MultipleChoiceField(label=_("Focus areas"), required=False, widget=forms.CheckboxSelectMultiple)
    visit_days = forms.CharField(label=_("Visit days"), max_length=200, required=False)
    expectations = forms.CharField(label=_("Expectations"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_areas"].choices = focus_choices(kind)


class ReflectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Reflection"), widget=forms.Textarea(attrs={"rows": 8}))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


RATING_CHOICES = [
    ("1", _("1 · beginning")),
    ("2", _("2 · developing")),
    ("3", _("3 · secure")),
    ("4", _("4 · leading")),
]


class EvaluationForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        rating_fields = {
            code: forms.ChoiceField(
                label=label, choices=RATING_CHOICES, widget=forms.RadioSelect, template_name="forms/rating_field.html"
            )
            for code, label in items
        }
        self.fields = {**rating_fields, "comment": self.fields["comment"]}
        self.item_codes = [code for code, _label in items]

    def rating_fields(self):
        return [self[code] for code in self.item_codes]


class ActionPlanForm(forms.Form):
    goals = forms.CharField(label=_("Goals for my school"), widget=forms.Textarea(attrs={"rows": 4}))
    actions = forms.CharField(label=_("Actions and timeline"), widget=forms.Textarea(attrs={"rows": 5}))
    support_needed = forms.CharField(
        label=_("Support I need from my mentor"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CheckInForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    progress = forms.CharField(label=_("Progress on the action plan"), widget=forms.Textarea(attrs={"rows": 3}))


class HostProfileForm(forms.Form):
    school = forms.ModelChoiceField(label=_("Host school"), queryset=School.objects.select_related("region"))
    focus_areas = forms.MultipleChoiceField(
        label=_("Focus areas"), choices=FocusArea.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    stages = forms.MultipleChoiceField(
        label=_("Stages"), choices=Stage.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    subjects = forms.MultipleChoiceField(
        label=_("Subjects"), choices=Subject.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    capacity = forms.IntegerField(label=_("Trainees I take at once"), min_value=0, max_value=12)


class PreferenceForm(forms.Form):
    focus_areas = forms.MultipleChoiceField(
        label=_("Focus areas I want to grow in"), required=False, widget=forms.CheckboxSelectMultiple
    )
    wish_1 = forms.ChoiceField(label=_("First choice of host"), required=False)
    wish_2 = forms.ChoiceField(label=_("Second choice of host"), required=False)
    wish_3 = forms.ChoiceField(label=_("Third choice of host"), required=False)

    def __init__(self, *args, kind: str, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_areas"].choices = focus_choices(kind)
        choices = [("", _("No preference"))] + [(str(m.pk), m.get_full_name()) for m in mentors]
        for name in ("wish_1", "wish_2", "wish_3"):
            self.fields[name].choices = choices

    def wishes(self) -> list[int]:
        return [int(self.cleaned_data[name]) for name in ("wish_1", "wish_2", "wish_3") if self.cleaned_data.get(name)]


class WindowForm(forms.Form):
    school = forms.ModelChoiceField(label=_("Host school"), queryset=School.objects.none())
    term = forms.CharField(label=_("Term"), max_length=60)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    capacity = forms.IntegerField(label=_("Shadows in this window"), min_value=0, max_value=50)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class PinForm(forms.Form):
    trainee = forms.ChoiceField(label=_("Trainee"))
    mentor = forms.ChoiceField(label=_("Host"))

    def __init__(self, *args, trainees, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainee"].choices = [(str(p.pk), p.get_full_name()) for p in trainees]
        self.fields["mentor"].choices = [(str(p.pk), p.get_full_name()) for p in mentors]


class EndForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    do_not_match = forms.BooleanField(label=_("Do not match these two again"), required=False)


class ReassignForm(forms.Form):
    mentor = forms.ChoiceField(label=_("New host"))
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, mentors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].choices = [(str(p.pk), p.get_full_name()) for p in mentors]


class SessionLogReviewForm(ActionForm):
    """Confirm or dispute a log (the other party), or count it or not after a dispute (a coordinator)."""

    comment = forms.CharField(required=False, widget=forms.Textarea)


class UnpinForm(ActionForm):
    trainee = forms.IntegerField(label=_("Trainee"))


class BatchReviewForm(ActionForm):
    """A change to a batch under review: the proposal it concerns and, for a swap, the other one."""

    proposal = forms.IntegerField(required=False)
    second = forms.IntegerField(required=False)


class HostCertificateForm(forms.Form):
    mentor = IdListField(required=False)
