"""The in-application shared cache: anonymous readers get stored public pages; nobody gets another's page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms import services
from tests.factories import cms as pages
from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_page(events):
    return pages.event_page(events, capacity=2)


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_a_second_anonymous_reader_is_served_without_the_database(event_page):
    first, first_queries = _get(Client(), event_page.url)
    again, again_queries = _get(Client(), event_page.url)
    assert first_queries > 0
    assert again_queries == 0
    assert again.content == first.content
    assert again["Cache-Control"] == "public, max-age=0, s-maxage=300"


def test_a_publication_shows_at_once(event_page):
    _get(Client(), event_page.url)
    revision = event_page.specific.save_revision()
    page = revision.as_object()
    page.summary = "议程已更新：新增圆桌讨论"
    page.save_revision().publish()
    response, queries = _get(Client(), event_page.url)
    assert queries > 0
    assert "议程已更新：新增圆桌讨论" in response.content.decode()


def test_a_registration_changes_the_places_taken_at_once(event_page):
    before, _ = _get(Client(), event_page.url)
    assert "共 2 个名额，已报名 0 人。" in before.content.decode()
    services.event_register(event=event_page.specific, acting_user=make_user())
    after, queries = _get(Client(), event_page.url)
    assert queries > 0  # not the stored copy
    assert "共 2 个名额，已报名 1 人。" in after.content.decode()


def test_a_signed_in_reader_never_gets_the_stored_page_nor_leaves_theirs(event_page):
    _get(Client(), event_page.url)  # an anonymous copy is stored
    reader = make_user(display_name="读者王老师")
    signed_in = Client()
    signed_in.force_login(reader)
    response, queries = _get(signed_in, event_page.url)
    assert queries > 0
    assert "读者王老师" in response.content.decode()
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    anonymous, _ = _get(Client(), event_page.url)
    assert "读者王老师" not in anonymous.content.decode()


def test_a_reader_with_a_flash_message_is_not_served_a_stored_page(event_page):
    _get(Client(), event_page.url)
    reader = Client()
    reader.cookies["messages"] = "anything"
    _, queries = _get(reader, event_page.url)
    assert queries > 0


def test_the_menu_costs_no_query_yet_shows_a_new_section_at_once(home_page, client):
    reader = make_user()
    client.force_login(reader)
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as before:
        client.get("/dashboard/")
    assert not [q for q in before.captured_queries if "wagtailcore_page" in q["sql"]]  # the menu came from the cache
    news = pages.news_index(home_page)  # published: a new generation of the public pages
    html = client.get("/dashboard/").content.decode()
    assert f'href="{news.url}"' in html


# What a rendered page shows everyone alike is kept with the public pages' generation too: a signed-in
# reader (whose page is rendered every time) sees each change at once.


@pytest.fixture
def reader():
    client = Client()
    client.force_login(make_user())
    return client


def test_a_signed_in_reader_sees_a_registration_in_the_places_taken_at_once(event_page, reader):
    assert "共 2 个名额，已报名 0 人。" in _get(reader, event_page.url)[0].content.decode()
    services.event_register(event=event_page.specific, acting_user=make_user())
    assert "共 2 个名额，已报名 1 人。" in _get(reader, event_page.url)[0].content.decode()


def test_the_home_page_lists_new_news_at_once_and_drops_an_ended_event(home_page, events, reader, monkeypatch):
    import datetime

    from django.utils import timezone

    summit = pages.event_page(events, n=4, title="长三角校长论坛第四期")
    assert "长三角校长论坛第四期" in _get(reader, home_page.url)[0].content.decode()
    news = pages.news_page(pages.news_index(home_page), title="第四期论坛闭幕")
    assert news.title in _get(reader, home_page.url)[0].content.decode()
    # Nobody edits anything: the event ends, and the home page stops listing it as upcoming.
    after_the_end = summit.ends_at + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: after_the_end)
    assert "长三角校长论坛第四期" not in _get(reader, home_page.url)[0].content.decode()


def test_a_moved_event_is_linked_from_the_home_page_at_its_new_address_at_once(home_page, events, reader):
    event = pages.event_page(events, n=5, title="搬家的论坛")
    forums = pages.event_index(home_page, title="论坛", slug="forums")
    assert f'href="{event.url}"' in _get(reader, home_page.url)[0].content.decode()
    event.move(forums, pos="last-child")
    event.refresh_from_db()
    assert event.url == "/forums/summit-5/"
    html = _get(reader, home_page.url)[0].content.decode()
    assert 'href="/forums/summit-5/"' in html and 'href="/events/summit-5/"' not in html
    old = reader.get("/events/summit-5/")  # Wagtail's redirects app keeps the old address working
    assert old.status_code == 301 and old["Location"].endswith("/forums/summit-5/")


def test_tracking_parameters_are_served_the_copy_of_the_bare_address(event_page):
    """Stripped: a link shared with ?utm_… or WeChat's ?from=… adds nothing to the cache."""
    _get(Client(), event_page.url)
    for query in [
        "?utm_source=newsletter",
        "?utm_campaign=autumn&utm_medium=mail",
        "?from=singlemessage&isappinstalled=0",
    ]:
        response, queries = _get(Client(), event_page.url + query)
        assert queries == 0, query
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=300"


def test_unknown_query_strings_pass_the_cache_by_and_cannot_fill_it(event_page):
    """Bypassed: ?x=1, ?x=2, … are rendered each time and never stored."""
    _get(Client(), event_page.url)
    for _round in range(2):
        for value in range(3):
            _response, queries = _get(Client(), f"{event_page.url}?x={value}")
            assert queries > 0, value
    # The bare address is still served from its own copy.
    assert _get(Client(), event_page.url)[1] == 0
