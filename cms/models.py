"""Wagtail pages: what the public sees, wired to the platform's live data.

Each page model keeps the order fields, search fields, panels, tree rules.
Listings read through `cms.selectors` so that their query counts do not grow
with the number of pages, cohorts or registrations.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from accounts.models import Region

from .blocks import AgendaBlock, BodyBlock, StructureBlock


def _english() -> bool:
    return (get_language() or "").startswith("en")


class Speaker(index.Indexed, models.Model):
    """A person who speaks at events; chosen on event pages and in agenda items."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    affiliation = models.CharField(_("title and affiliation"), max_length=200, blank=True)
    affiliation_en = models.CharField(_("title and affiliation in English"), max_length=200, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    bio = models.TextField(_("biography"), blank=True)
    bio_en = models.TextField(_("biography in English"), blank=True)

    search_fields = [index.SearchField("name"), index.SearchField("name_en"), index.SearchField("affiliation")]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("affiliation"), FieldPanel("affiliation_en")]),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("bio_en"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        return self.name_en if _english() and self.name_en else self.name

    @property
    def localized_affiliation(self) -> str:
        return self.affiliation_en if _english() and self.affiliation_en else self.affiliation

    @property
    def localized_bio(self) -> str:
        return self.bio_en if _english() and self.bio_en else self.bio


class SitePage(Page):
    """Every public page: shared caches may keep what anonymous readers see (`cms.caching`)."""

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        from .caching import cache_for_reader

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
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    @property
    def summary(self) -> str:
        return self.hero_text

    def route(self, request, path_components):
        # Wagtail walks the tree one level at a time, two queries a level; none of our pages routes
        # beyond its own URL, so a path below the home page resolves in two queries by its url_path.
        if path_components:
            found = (
                Page.objects.filter(url_path=f"{self.url_path}{'/'.join(path_components)}/")
                .values_list("pk", "content_type_id", "live")
                .first()
            )
            if found is not None:
                pk, content_type_id, live = found
                if not live:
                    raise Http404
                model = ContentType.objects.get_for_id(content_type_id).model_class()
                related = getattr(model, "route_related", ())
                return RouteResult(model.objects.select_related(*related).get(pk=pk))
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.home_page_sections(home=self))
        return context


class ProgrammeIndexPage(IndexPage):
    subpage_types = ["cms.ProgrammePage"]

    class Meta:
        verbose_name = _("programme index")

    def listing(self) -> dict:
        from . import selectors

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
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("programme page")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["cohorts"] = selectors.cohort_list_live_for_programme(programme_id=self.programme_id)
        context["regions"] = list(self.partner_regions.all())
        return context


class EventKind(models.TextChoices):
    SUMMIT = "summit", _("Summit forum")
    FORUM = "forum", _("Forum")
    CONTEST = "contest", _("Contest")
    WORKSHOP = "workshop", _("Workshop")


class EventIndexPage(IndexPage):
    subpage_types = ["cms.EventPage"]

    class Meta:
        verbose_name = _("event index")

    def listing(self) -> dict:
        from . import selectors

        return selectors.event_page_list(parent=self)


class EventPage(SitePage):
    """A summit, forum, contest or workshop that signed-in people register for."""

    route_related = ("host_region", "locale")

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.FORUM)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    host_region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name=_("host region"),
    )
    summary = models.TextField(_("summary"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image"),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    agenda = StreamField(AgendaBlock(), blank=True, verbose_name=_("agenda"))
    capacity = models.PositiveIntegerField(_("capacity"), default=0, help_text=_("0: no registration on this site."))
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    credit_hours = models.DecimalField(
        _("credit hours for attending"), max_digits=5, decimal_places=1, default=0, blank=True
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("venue"),
        index.SearchField("body"),
        index.SearchField("agenda"),
        index.FilterField("kind"),
        index.FilterField("starts_at"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading=_("When")),
        MultiFieldPanel([FieldPanel("venue"), FieldPanel("online_url"), FieldPanel("host_region")], heading=_("Where")),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("agenda"),
        InlinePanel("speaker_links", label=_("Speakers")),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]),
                FieldPanel("credit_hours"),
            ],
            heading=_("Registration"),
        ),
        InlinePanel("materials", label=_("Materials")),
    ]

    parent_page_types = ["cms.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event page")

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if errors:
            raise ValidationError(errors)

    def changes_by_itself_at(self):
        """Registration opening or closing, the start, or the end (when the materials appear)."""
        now = timezone.now()
        moments = [self.registration_opens_at, self.registration_closes_at, self.starts_at, self.ends_at]
        upcoming = [moment for moment in moments if moment is not None and moment > now]
        return min(upcoming, default=None)

    @property
    def takes_registrations(self) -> bool:
        return self.capacity > 0

    def registration_state(self, now=None) -> str:
        """'none', 'not_yet', 'open' or 'closed', from the page's own fields."""
        if not self.takes_registrations:
            return "none"
        now = now or timezone.now()
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        closes = self.registration_closes_at or self.starts_at
        if now >= closes:
            return "closed"
        return "open"

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.event_page_details(event=self, user=request.user))
        return context


class EventSpeaker(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="speaker_links")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="+", verbose_name=_("speaker"))
    role = models.CharField(_("role at this event"), max_length=100, blank=True)

    panels = [FieldPanel("speaker"), FieldPanel("role")]


class EventMaterial(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="materials")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("document")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]


class NewsIndexPage(IndexPage):
    subpage_types = ["cms.NewsPage"]

    class Meta:
        verbose_name = _("news index")

    def listing(self) -> dict:
        from . import selectors

        return {"news": selectors.news_page_list(parent=self)}


class NewsPage(SitePage):
    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image"),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news page")


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


HomePage.subpage_types = ["cms.ProgrammeIndexPage", "cms.EventIndexPage", "cms.NewsIndexPage", "cms.StandardPage"]


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: the code is typed by hand at the door


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class EventRegistration(models.Model):
    """One person's place (or place in the queue) at an event, on the event's default-language page."""

    event = models.ForeignKey(
        EventPage, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations", verbose_name=_("person")
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    code = models.CharField(_("check-in code"), max_length=16, unique=True, default=_new_code, editable=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    promoted_at = models.DateTimeField(_("moved off the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        constraints = [
            # One current registration per person and event; a cancelled one may be followed by a new one.
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(status__in=["confirmed", "waitlisted"]),
                name="cms_registration_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(checked_in_at__isnull=True) | models.Q(status="confirmed"),
                name="cms_registration_check_in_confirmed",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.event} · {self.get_status_display()}"

    @property
    def is_current(self) -> bool:
        return self.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
