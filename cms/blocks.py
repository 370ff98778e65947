"""Reusable StreamField blocks; each renders with its own template in templates/cms/blocks/."""

import datetime

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        template = "cms/blocks/heading_block.html"
        preview_value = "研修安排"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "cms/blocks/paragraph_block.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)
    alt_text = blocks.CharBlock(
        label=_("text alternative"), required=False, max_length=200, help_text=_("What the image shows.")
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Quotation")
        template = "cms/blocks/quote_block.html"
        preview_value = {"text": "跟岗一周，胜过读书一月。", "attribution": "一位影子校长"}


class PhaseBlock(blocks.StructBlock):
    """One phase of a programme's structure: e.g. two weeks of shadowing at the host school."""

    title = blocks.CharBlock(label=_("title"), max_length=120)
    duration = blocks.CharBlock(label=_("duration"), required=False, max_length=60)
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Phase")
        template = "cms/blocks/phase_block.html"
        preview_value = {"title": "集中研修", "duration": "5 天", "description": "专题讲座与案例研讨。"}


class AgendaItemBlock(blocks.StructBlock):
    day = blocks.DateBlock(label=_("day"), required=False)
    starts = blocks.TimeBlock(label=_("starts"))
    ends = blocks.TimeBlock(label=_("ends"), required=False)
    title = blocks.CharBlock(label=_("title"), max_length=200)
    speakers = blocks.ListBlock(SnippetChooserBlock("cms.Speaker"), label=_("speakers"), required=False)
    room = blocks.CharBlock(label=_("room"), required=False, max_length=120)

    class Meta:
        icon = "time"
        label = _("Agenda item")
        template = "cms/blocks/agenda_item_block.html"

    def clean(self, value):
        value = super().clean(value)
        starts, ends = value.get("starts"), value.get("ends")
        if isinstance(starts, datetime.time) and isinstance(ends, datetime.time) and ends <= starts:
            raise StructBlockValidationError(
                block_errors={"ends": ErrorList([ValidationError(_("An agenda item must end after it starts."))])}
            )
        return value


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    quote = QuoteBlock()

    class Meta:
        template = "cms/blocks/stream_block.html"


class StructureBlock(blocks.StreamBlock):
    phase = PhaseBlock()
    paragraph = ParagraphBlock()

    class Meta:
        template = "cms/blocks/stream_block.html"


class AgendaBlock(blocks.StreamBlock):
    item = AgendaItemBlock()
    heading = HeadingBlock()

    class Meta:
        template = "cms/blocks/agenda_block.html"
