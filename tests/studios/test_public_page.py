"""The studio's public page, published through Wagtail under its programme page."""

import pytest

from tests.factories import cms as pages
from tests.factories.studios import studio_world

pytestmark = pytest.mark.django_db


def test_public_page_shows_leader_regions_themes_count_and_public_activities(world, home_page, client):
    w = studio_world(world)
    index = pages.programme_index(home_page)
    programme_page = pages.programme_page(index, programme=w.cohort.programme)
    studio_page = pages.studio_page(programme_page, studio=w.studio)

    # Linked from the programme page.
    programme_html = client.get(programme_page.url).content.decode()
    assert studio_page.url in programme_html and "名师丙" in programme_html

    html = client.get(studio_page.url).content.decode()
    assert "名师丙" in html
    assert 'class="members-count">3<' in html  # the leader, the co-leader and the member; not the applicant
    assert "上海市" in html and "安徽省" in html
    assert "大单元教学" in html and "跨省同课异构展示" in html
    # Activities the leaders keep to the studio stay off the public page, and so do members' names.
    assert "内部备课会" not in html and "学员甲" not in html


def _public_studio_page(w, home_page):
    index = pages.programme_index(home_page)
    programme_page = pages.programme_page(index, programme=w.cohort.programme)
    return pages.studio_page(programme_page, studio=w.studio)


def _visit(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_visitor_sees_a_new_member_resource_and_activity_at_once_and_from_the_cache(world, home_page, client):
    """The page is kept for anonymous visitors (0 queries); what the studio does shows on the next visit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from studios import services
    from tests.factories.studios import make_resource

    w = studio_world(world)
    url = _public_studio_page(w, home_page).url
    assert 'class="members-count">3<' in _visit(client, url)
    with CaptureQueriesContext(connection) as queries:
        _visit(client, url)
    assert len(queries) == 0

    services.application_decide(
        acting_user=w.studio_leader, studio=w.studio, membership_id=w.studio_application.pk, accept=True
    )
    assert 'class="members-count">4<' in _visit(client, url)

    make_resource(w.studio, w.studio_leader, title="公开课例：分数的意义", visibility="public")
    assert "公开课例：分数的意义" in _visit(client, url)

    services.plan_activity_add(
        acting_user=w.studio_leader,
        studio=w.studio,
        title="皖沪联合教研开放日",
        date=w.studio.plans.get().activities.first().date,
        description="",
        is_public=True,
    )
    html = _visit(client, url)
    assert "皖沪联合教研开放日" in html
    # Served from the cache again until the next change.
    with CaptureQueriesContext(connection) as queries:
        assert _visit(client, url) == html
    assert len(queries) == 0


def test_what_the_public_page_does_not_show_leaves_the_kept_pages_alone(world, home_page, client):
    from cms.page_cache import PUBLIC_PAGES
    from studios import services
    from tests.factories.studios import make_resource
    from versioned import token

    w = studio_world(world)
    _public_studio_page(w, home_page)
    before = token(PUBLIC_PAGES)
    services.studio_apply(acting_user=w.other_trainee, studio=w.studio, message="")
    make_resource(w.studio, w.studio_leader, title="内部资料", visibility="studio")
    services.plan_activity_add(
        acting_user=w.studio_leader,
        studio=w.studio,
        title="内部研讨",
        date=w.studio.plans.get().activities.first().date,
        description="",
        is_public=False,
    )
    assert token(PUBLIC_PAGES) == before


def test_a_studio_without_a_public_page_renews_no_public_page(world, home_page):
    from cms.page_cache import PUBLIC_PAGES
    from studios import services
    from versioned import token

    w = studio_world(world)
    before = token(PUBLIC_PAGES)
    services.application_decide(
        acting_user=w.studio_leader, studio=w.studio, membership_id=w.studio_application.pk, accept=True
    )
    assert token(PUBLIC_PAGES) == before
