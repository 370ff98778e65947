"""Form fields shared by every app's forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Line and paragraph separators break a line as surely as a line feed does, in e-mail headers and PDFs alike.
LINE_BREAKING = {chr(code) for code in range(0x20)} | {"\x7f", "\x85", "\u2028", "\u2029"}


def validate_single_line(value: str) -> None:
    if any(character in LINE_BREAKING for character in value or ""):
        raise ValidationError(_("Write this on one line, without line breaks or tabs."), code="single_line")


class SingleLineCharField(forms.CharField):
    """A one-line text: a name shown in e-mail subjects, certificates and lists.

    The site's middleware already refuses NUL and most control characters; a
    line break or tab is harmless in a comment but not in a name that becomes
    an e-mail subject or a certificate line, so this field refuses those too.
    """

    default_validators = [validate_single_line]
