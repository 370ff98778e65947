"""What people type into mentorship's forms, made safe: rich and plain text, focus-area codes."""

import html

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import (
    FocusArea,
)

RICH_TEXT_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote"}


def clean_text(value: str) -> str:
    """Rich free text (reflections, comments): markup reduced to a few harmless tags, shown as HTML."""
    return nh3.clean(value or "", tags=RICH_TEXT_TAGS, attributes={}, url_schemes=set()).strip()


def plain_text(value: str) -> str:
    """Plain free text: every tag removed on the server; templates escape what is left."""
    return html.unescape(nh3.clean(value or "", tags=set(), attributes={}, url_schemes=set())).strip()


def focus_areas_checked(codes, *, field: str = "focus_areas") -> list[str]:
    valid = set(FocusArea.values)
    codes = list(dict.fromkeys(codes or []))
    if any(code not in valid for code in codes):
        raise ValidationError({field: _("Choose focus areas from the list.")})
    return codes
