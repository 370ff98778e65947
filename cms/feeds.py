"""An RSS feed of news and an iCalendar feed of upcoming events, in the language of the URL."""

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Locale

from training.calendar import CalendarEvent, render_ics

from .models import EventPage, NewsPage


class NewsFeed(Feed):
    title = gettext_lazy("Yingzi news")
    description = gettext_lazy("News of the joint training of principals and teachers.")

    link = "/"

    def items(self):
        return NewsPage.objects.live().filter(locale=Locale.get_active()).order_by("-date", "-pk")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at


def events_ics(request):
    """Upcoming public events; a stable URL that calendars can subscribe to."""
    from django.utils import timezone

    events = (
        EventPage.objects.live()
        .filter(locale=Locale.get_active(), ends_at__gte=timezone.now())
        .order_by("starts_at")[:100]
    )
    entries = [
        CalendarEvent(
            uid=f"cms-event-{event.translation_key}@yingzi",
            # Every publish moves it forward, so subscribed calendars take the new version.
            sequence=int(event.last_published_at.timestamp()) if event.last_published_at else 0,
            summary=event.title,
            start=event.starts_at,
            end=event.ends_at,
            location=event.venue or event.online_url,
            description=event.summary,
            url=request.build_absolute_uri(event.url or "/"),
            last_modified=event.last_published_at,
        )
        for event in events
    ]
    response = HttpResponse(
        render_ics(events=entries, name=_("Yingzi events")), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=300"
    return response
