"""The public page of a studio, published under the programme it grew from."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from .pages import SitePage


class StudioPage(SitePage):
    """The public face of a `studios.Studio`: leader, regions, themes, members' count, recent public activities."""

    studio = models.ForeignKey(
        "studios.Studio", on_delete=models.PROTECT, related_name="pages", verbose_name=_("studio")
    )
    summary = models.TextField(_("summary"), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("summary"), index.FilterField("studio")]
    content_panels = [*Page.content_panels, FieldPanel("studio"), FieldPanel("summary")]

    parent_page_types = ["cms.ProgrammePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("studio page")

    def get_context(self, request, *args, **kwargs):
        from studios.selectors import studio_public_summary

        context = super().get_context(request, *args, **kwargs)
        context["public"] = studio_public_summary(studio=self.studio)
        return context
