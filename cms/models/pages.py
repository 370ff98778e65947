"""The site's own pages: the base every page shares, index pages, the home page, standard pages."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BodyBlock


class SitePage(Page):
    """Every public page: shared caches may keep what anonymous readers see (`cms.caching`)."""

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        from ..caching import cache_for_reader

        response = super().serve(request, *args, **kwargs)
        return cache_for_reader(request=request, response=response, changes_at=self.changes_by_itself_at())

    def changes_by_itself_at(self):
        """The next moment this page reads differently without anyone editing it, if any."""
        return None

    # Related rows its page template reads, loaded with the page when a request routes to it.
    route_related: tuple[str, ...] = ()


class IndexPage(SitePage):
    """A section's front page (programmes, events, news): an introduction over a listing of its children."""

    intro = models.TextField(_("introduction"), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("intro")]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True

    @property
    def summary(self) -> str:
        return self.intro

    def listing(self) -> dict:
        """What the index lists, as template context; each index reads it through one selector."""
        raise NotImplementedError

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.listing())
        return context


class HomePage(SitePage):
    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = models.TextField(_("hero text"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hero image"),
    )
    body = RichTextField(_("body"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    search_fields = [*Page.search_fields, index.SearchField("hero_title"), index.SearchField("body")]
    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.ProgrammeIndexPage", "cms.EventIndexPage", "cms.NewsIndexPage", "cms.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    @property
    def summary(self) -> str:
        return self.hero_text

    def route(self, request, path_components):
        # Wagtail's own Page.route walks the tree a level at a time, two queries a level. No page below
        # this one overrides route() (tests/cms/test_routing.py pins that), so the page a path names is
        # the one whose url_path it is: its id and type in one query, its own row in a second; then that
        # page's own route() answers, as Wagtail's walk would end (the page if live, else 404). Any other
        # path (a page's sub-path, an unknown one) takes Wagtail's walk.
        if path_components:
            found = (
                Page.objects.filter(url_path=f"{self.url_path}{'/'.join(path_components)}/")
                .values_list("pk", "content_type_id")
                .first()
            )
            if found is not None:
                model = ContentType.objects.get_for_id(found[1]).model_class()
                page = model.objects.select_related(*getattr(model, "route_related", ())).get(pk=found[0])
                return page.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.home_page_sections(home=self))
        return context


class StandardPage(SitePage):
    """About, contact, privacy policy."""

    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
