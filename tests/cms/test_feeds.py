import xml.etree.ElementTree as ET

import pytest
from icalendar import Calendar
from wagtail.models import Locale

from tests.factories import cms as pages

pytestmark = pytest.mark.django_db


def _xml(content: bytes):
    return ET.fromstring(content)  # noqa: S314 -- our own feed, produced by the test


def test_the_news_feed_is_valid_rss_with_the_latest_news(client, home_page):
    index = pages.news_index(home_page)
    pages.news_page(index, n=1, title="首期学员结业")
    pages.news_page(index, n=2, title="第二期开始招募")
    response = client.get("/site/news.rss")
    assert response.status_code == 200
    channel = _xml(response.content).find("channel")
    titles = sorted(item.findtext("title") for item in channel.findall("item"))
    assert titles == ["第二期开始招募", "首期学员结业"]
    assert all(item.findtext("link").startswith("http://testserver/news/") for item in channel.findall("item"))


def test_the_english_news_feed_lists_english_pages(client, home_page):
    index = pages.news_index(home_page)
    news = pages.news_page(index, title="首期学员结业")
    english = news.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.title = "First cohort graduates"
    english.save_revision().publish()
    channel = _xml(client.get("/en/site/news.rss").content).find("channel")
    assert [item.findtext("title") for item in channel.findall("item")] == ["First cohort graduates"]


def test_the_events_feed_parses_and_lists_upcoming_events(client, events):
    import datetime

    from django.utils import timezone

    summit = pages.event_page(events, n=1, title="校长高峰论坛")
    pages.event_page(
        events,
        n=2,
        title="往届论坛",
        starts_at=timezone.now() - datetime.timedelta(days=30),
        ends_at=timezone.now() - datetime.timedelta(days=29),
    )
    response = client.get("/site/events.ics")
    assert response["Content-Type"].startswith("text/calendar")
    [vevent] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["summary"]) == "校长高峰论坛"
    assert vevent.decoded("dtstart") == summit.starts_at
    assert str(vevent["uid"]) == f"cms-event-{summit.translation_key}@yingzi"


def test_the_sitemap_lists_published_pages_and_robots_points_to_it(client, events):
    pages.event_page(events, n=1)
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    locations = [node.text for node in _xml(sitemap.content).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(location.endswith("/events/summit-1/") for location in locations)
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /cms-admin/" in robots


def test_editors_and_moderators_may_manage_speakers(db):
    from django.contrib.auth.models import Group

    for name in ["Editors", "Moderators"]:
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"add_speaker", "change_speaker"} <= codenames
