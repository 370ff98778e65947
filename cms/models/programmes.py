"""Programme pages, which list a programme's open cohorts from training."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from accounts.models import Region

from ..blocks import StructureBlock
from .pages import IndexPage, SitePage


class ProgrammeIndexPage(IndexPage):
    subpage_types = ["cms.ProgrammePage"]

    class Meta:
        verbose_name = _("programme index")

    def listing(self) -> dict:
        from .. import selectors

        return {"programmes": selectors.programme_page_list(parent=self)}


class ProgrammePage(SitePage):
    """The public face of a `training.Programme`, with the cohorts open to it right now."""

    programme = models.ForeignKey(
        "training.Programme",
        on_delete=models.PROTECT,
        related_name="pages",
        verbose_name=_("programme"),
    )
    summary = models.TextField(_("summary"), blank=True)
    audience = models.TextField(_("who it is for"), blank=True)
    school_stages = models.CharField(_("school stages"), max_length=200, blank=True)
    partner_regions = ParentalManyToManyField(Region, blank=True, verbose_name=_("partner regions"))
    aims = RichTextField(_("aims"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    structure = StreamField(StructureBlock(), blank=True, verbose_name=_("structure"))
    duration = models.CharField(_("duration"), max_length=100, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image"),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("audience"),
        index.SearchField("aims"),
        index.SearchField("structure"),
        index.FilterField("programme"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("programme"),
        FieldPanel("summary"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("school_stages"),
                FieldPanel("partner_regions"),
                FieldPanel("duration"),
            ],
            heading=_("At a glance"),
        ),
        FieldPanel("aims"),
        FieldPanel("structure"),
    ]

    parent_page_types = ["cms.ProgrammeIndexPage"]
    # Studios that grew from the programme are published under it, and listed on it.
    subpage_types = ["cms.StudioPage"]

    class Meta:
        verbose_name = _("programme page")

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.programme_page_details(page=self, preview=getattr(request, "is_preview", False)))
        return context
