from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, Stage, Subject
from training.forms import DateInput, DateTimeInput

from .models import Licence, ProfessionalStandard, ResourceKind, Visibility


class ApplyForm(forms.Form):
    message = forms.CharField(
        label=_("Why you would like to join (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))


class ThemesForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    themes = forms.CharField(
        label=_("Themes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One theme per line."),
    )


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Activity"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DateInput)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_public = forms.BooleanField(label=_("Show on the studio's public page"), required=False)


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    tags = forms.CharField(label=_("Tags"), required=False, max_length=300, help_text=_("Separate tags with commas."))
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", "—"), *Stage.choices])
    subject = forms.ChoiceField(label=_("Subject"), required=False, choices=[("", "—"), *Subject.choices])
    standard = forms.ChoiceField(
        label=_("Professional standard"), required=False, choices=[("", "—"), *ProfessionalStandard.choices]
    )
    region = forms.ModelChoiceField(label=_("Region"), required=False, queryset=Region.objects.all())
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices)
    visibility = forms.ChoiceField(label=_("Visible to"), choices=Visibility.choices)
    link = forms.URLField(
        label=_("Link (a recording on the region's video platform, for example)"), required=False, assume_scheme="https"
    )
    upload = forms.FileField(label=_("File"), required=False)


class LibraryFilterForm(forms.Form):
    """The library's filters; invalid values are ignored rather than refused, as in any search box."""

    q = forms.CharField(label=_("Search titles and tags"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *ResourceKind.choices])
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices])
    subject = forms.ChoiceField(label=_("Subject"), required=False, choices=[("", _("All subjects")), *Subject.choices])
    standard = forms.ChoiceField(
        label=_("Professional standard"),
        required=False,
        choices=[("", _("All standards")), *ProfessionalStandard.choices],
    )
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions"))] + [
            (region.code, region.localized_name) for region in Region.objects.order_by("sort_order", "pk")
        ]


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Message"), max_length=20000, widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Write @ and a member's name to notify them."),
    )
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False)


class ModerationForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong (optional)"), max_length=300, required=False)


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name of the sheet"), max_length=120)
    scale_min = forms.IntegerField(label=_("Lowest score"), min_value=0, max_value=10, initial=1)
    scale_max = forms.IntegerField(label=_("Highest score"), min_value=1, max_value=20, initial=5)
    notes_prompt = forms.CharField(
        label=_("Question for free notes"),
        required=False,
        max_length=200,
        help_text=_("Empty: the sheet has no free notes."),
    )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is not None and high is not None and (high <= low or high - low > 10):
            raise forms.ValidationError(
                _("The highest score must be above the lowest, at most ten steps apart, and neither below zero.")
            )
        return cleaned


class ItemRowForm(forms.Form):
    """One item of a sheet, as a row of the items formset; a blank row adds nothing."""

    item = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    dimension = forms.CharField(
        label=_("Dimension"),
        max_length=80,
        required=False,
        help_text=_("Teaching goals or students' learning, for example."),
    )
    text = forms.CharField(label=_("What observers look for"), max_length=300, required=False)
    remove = forms.BooleanField(label=_("Remove this item"), required=False)


# A sheet read on a phone during a lesson has a few dozen items at most.
ItemFormSet = forms.formset_factory(ItemRowForm, extra=2, max_num=100, absolute_max=100, validate_max=True)


class CycleForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    template = forms.ModelChoiceField(label=_("Observation sheet"), queryset=None)

    def __init__(self, *args, templates=(), **kwargs):
        from .models import ObservationTemplate

        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ObservationTemplate.objects.filter(pk__in=[t.pk for t in templates])


class PlanVersionForm(forms.Form):
    body = forms.CharField(
        label=_("Plan"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}), help_text=_("Or what changed.")
    )
    link = forms.URLField(label=_("Link to the full plan (optional)"), required=False, assume_scheme="https")


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class LessonForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Plan taught"), queryset=None)
    classroom = forms.CharField(label=_("Host classroom"), max_length=200)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    online_link = forms.URLField(
        label=_("Online link (the region's video platform)"), required=False, assume_scheme="https"
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput())
    hours = forms.DecimalField(label=_("Hours for attending"), min_value=0, max_value=8, decimal_places=1, initial=2)

    def __init__(self, *args, plans=(), **kwargs):
        from .models import LessonPlan

        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = LessonPlan.objects.filter(pk__in=[plan.pk for plan in plans])
        self.fields["plan"].label_from_instance = lambda plan: str(plan.teacher)


class RecordingForm(forms.Form):
    recording_link = forms.URLField(label=_("Recording link"), assume_scheme="https")


class CheckInForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person present"))


# --- The studio's buttons and small actions: each choice sent is checked, and anything else is refused clearly. ---


def _choice(choices, message) -> forms.ChoiceField:
    """A choice sent by a button; missing or unknown, it is refused with `message` and nothing changes."""
    return forms.ChoiceField(choices=choices, error_messages={"required": message, "invalid_choice": message})


class InvitationAnswerForm(forms.Form):
    decision = _choice(
        [("accept", _("Join")), ("decline", _("Decline"))],
        _("Choose to join the studio or to decline the invitation."),
    )


class ApplicationDecisionForm(forms.Form):
    decision = _choice(
        [("accept", _("Accept")), ("refuse", _("Decline"))],
        _("Choose to accept or to decline the application."),
    )


class CoLeaderForm(forms.Form):
    co_leader = _choice(
        [("1", _("Make co-leader")), ("0", _("Make a member again"))],
        _("Choose whether this member leads the studio with you."),
    )


class PromoteForm(forms.Form):
    visibility = _choice(Visibility.choices, _("Choose who may see the resource in the library."))


class ConsentForm(forms.Form):
    decision = _choice(
        [("consent", _("Share it")), ("decline", _("Keep it out"))],
        _("Choose to share your work in the library or to keep it out."),
    )


class ThreadResourceForm(forms.Form):
    """The resource a new thread is about: one of this studio's shared resources, or none."""

    resource = forms.ModelChoiceField(
        queryset=None,
        required=False,
        error_messages={
            "invalid_choice": _("This resource is not in this studio's library; the thread can be started without it.")
        },
    )

    def __init__(self, *args, studio, **kwargs):
        from .models import Resource

        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = Resource.objects.filter(studio=studio, consented_at__isnull=False)


class ThreadModerationForm(ModerationForm):
    action = _choice(
        [(action, action) for action in ("lock", "unlock", "pin", "unpin", "hide", "show")],
        _("Choose to lock, pin or hide the thread, or to undo one of these."),
    )
