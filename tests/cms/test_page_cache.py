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
