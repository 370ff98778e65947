"""The preferences form: one cadence per kind and channel."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import Preferences, cadence_choices

PREFIX = "cadence__"


def field_name(kind_key: str, channel_key: str) -> str:
    return f"{PREFIX}{kind_key}__{channel_key}"


class PreferencesForm(forms.Form):
    quiet_hours_enabled = forms.BooleanField(label=_("Hold e-mails during quiet hours"), required=False)
    quiet_start = forms.TimeField(label=_("Quiet from"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    quiet_end = forms.TimeField(label=_("Quiet until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args, preferences: Preferences, **kwargs):
        quiet = preferences.quiet_hours
        initial = {"quiet_hours_enabled": quiet.enabled, "quiet_start": quiet.start, "quiet_end": quiet.end}
        for row in preferences.rows:
            for channel, cadence in row.cadences:
                initial[field_name(row.kind.key, channel.key)] = cadence
        super().__init__(*args, initial=initial, **kwargs)
        self.rows = []
        for row in preferences.rows:
            cells = []
            for channel, _cadence in row.cadences:
                name = field_name(row.kind.key, channel.key)
                # Not required: a kind left out of the POST keeps its cadence.
                self.fields[name] = forms.ChoiceField(
                    label=f"{row.kind.label}: {channel.label}", choices=cadence_choices(channel), required=False
                )
                cells.append(name)
            self.rows.append((row.kind, cells))

    def cadences(self) -> dict[tuple[str, str], str]:
        """Every cadence posted, including any the page never offered (mandatory kinds): the service judges."""
        chosen = {}
        for name in self.data:
            if name.startswith(PREFIX):
                kind_key, _sep, channel_key = name[len(PREFIX) :].rpartition("__")
                value = self.cleaned_data.get(name, self.data.get(name))
                if value:
                    chosen[(kind_key, channel_key)] = value
        return chosen

    def bound_rows(self):
        return [(kind, [self[name] for name in names]) for kind, names in self.rows]


class MarkReadForm(forms.Form):
    """Marking a notification read; `open` also follows its link (the notification's own button)."""

    open = forms.BooleanField(required=False)
