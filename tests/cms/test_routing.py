"""Routing a path to its page: the home page's url_path lookup answers as Wagtail's own walk of the tree does.

`HomePage.route` finds a page by its `url_path` instead of walking the tree a
level at a time. That is only right while no page below the home page answers
sub-paths itself (`route()` overridden, as `RoutablePageMixin` does); these
tests pin that, and that both ways give the same answer for every kind of path.
"""

import pytest
from django.http import Http404
from wagtail.models import Page, get_page_models

from cms.models import HomePage
from tests.factories import cms as pages
from tests.factories.accounts import RegionFactory

pytestmark = pytest.mark.django_db


def test_no_page_model_but_the_home_page_routes_by_itself():
    """Were one to (a RoutablePageMixin page), the url_path lookup would skip its sub-paths."""
    overriding = [model.__name__ for model in get_page_models() if model.route is not Page.route]
    assert overriding == ["HomePage"]


def _outcome(route, request, path):
    try:
        result = route(request, [part for part in path.split("/") if part])
    except Http404:
        return 404
    return (type(result.page).__name__, result.page.pk, tuple(result.args), dict(result.kwargs))


def test_every_path_routes_where_wagtails_own_walk_does(rf, home_page, events):
    event = pages.event_page(events, n=1)
    withdrawn = pages.event_page(events, n=2)
    withdrawn.unpublish()
    about = pages.standard_page(home_page)
    pages.standard_page(about, title="联系我们", slug="contact")
    pages.news_page(pages.news_index(home_page), n=1)
    home = HomePage.objects.get(pk=home_page.pk)
    paths = [
        "/",
        "/events/",
        "/events/summit-1/",
        "/events/summit-2/",  # not live: 404
        "/events/summit-1/extra/",  # below a page that routes no sub-path: 404
        "/events/summit-9/",
        "/about/contact/",  # three levels down
        "/news/news-1/",
        "/nowhere/",
    ]
    for path in paths:
        request = rf.get(path)
        ours = _outcome(home.route, request, path)
        wagtails = _outcome(lambda request, parts: Page.route(home, request, parts), request, path)
        assert ours == wagtails, path
    assert _outcome(home.route, rf.get("/"), "/events/summit-1/")[1] == event.pk
    assert _outcome(home.route, rf.get("/"), "/events/summit-2/") == 404


def test_a_routed_event_brings_what_its_template_reads(rf, events, django_assert_num_queries):
    event = pages.event_page(events, n=1, host_region=RegionFactory(name="浙江省"))
    home = HomePage.objects.get(pk=events.get_parent().pk)
    found = home.route(rf.get(event.url), ["events", "summit-1"]).page
    with django_assert_num_queries(0):
        assert (found.host_region.name, found.locale.language_code) == ("浙江省", "zh-hans")
