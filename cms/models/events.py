"""Events (forums, summits): their pages, speakers and materials."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from accounts.models import Region

from ..blocks import AgendaBlock, BodyBlock
from .pages import IndexPage, SitePage


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
        from .. import selectors

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
    cancelled = models.BooleanField(
        _("cancelled"),
        default=False,
        help_text=_("When published, everyone registered or waiting is told, with a cancelled calendar entry."),
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
                FieldPanel("cancelled"),
            ],
            heading=_("Registration"),
        ),
        InlinePanel(
            "schedule_links",
            label=_("Cohort schedule items this event is"),
            help_text=_(
                "A trainee of such a cohort who checks in at the door is marked present on the cohort's schedule "
                "item: one attendance, credited once with the item's hours instead of the event's."
            ),
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
        if self.cancelled:
            return "closed"
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
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        preview = getattr(request, "is_preview", False)
        context.update(selectors.event_page_details(event=self, user=request.user, preview=preview))
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


class EventScheduleLink(Orderable):
    """This event is a cohort's schedule item (the summit the cohort attends): check-in at the door is its attendance."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="schedule_links")
    schedule_item = models.ForeignKey(
        "training.ScheduleItem",
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": "forum"},
        verbose_name=_("schedule item"),
    )

    panels = [FieldPanel("schedule_item")]

    class Meta(Orderable.Meta):
        verbose_name = _("cohort schedule item")
        constraints = [models.UniqueConstraint(fields=["page", "schedule_item"], name="cms_event_schedule_link_once")]
