"""The studios' busiest pages come from the cache per tier of viewers, and every change shows at once.

A studio's page, its threads, a lesson's summary and the library are kept
(`studios.freshness`) under keys made of version tokens and of what the viewer
may see: these tests read each page as one tier, change something, and read it
again as another, as people would.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from studios import services
from studios.freshness import CSRF_PLACEHOLDER
from studios.models import Resource, StudioMembership
from tests.architecture.test_cache_wiring import _models_read, _unwired
from tests.factories.accounts import make_user
from tests.factories.studios import add_studio_member, lesson_study_world, make_resource, studio_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def sworld(world):
    return studio_world(world)


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_each_tier_of_a_studio_sees_its_own_page_and_a_decision_shows_at_once(sworld, client):
    w = sworld
    url = f"/studios/{w.studio.pk}/"
    client.force_login(w.trainee)
    member = page(client, url)
    assert "申请人丁" not in member and "co-leader/" not in member
    # The co-leader decides applications but does not appoint co-leaders; the leader does both.
    client.force_login(w.mentor)
    co_leader = page(client, url)
    assert "申请人丁" in co_leader and "co-leader/" not in co_leader
    client.force_login(w.studio_leader)
    leader = page(client, url)
    assert "申请人丁" in leader and "co-leader/" in leader
    # The forms carry the visitor's own token, never the placeholder the kept body holds.
    assert CSRF_PLACEHOLDER not in leader and 'name="csrfmiddlewaretoken"' in leader
    response = client.post(
        f"/studios/{w.studio.pk}/applications/{w.studio_application.pk}/", {"decision": "accept"}, follow=True
    )
    assert response.status_code == 200
    client.force_login(w.trainee)
    assert "申请人丁" in page(client, url)
    # A member renamed shows under the new name at once.
    w.studio_applicant.display_name = "新成员丁"
    w.studio_applicant.save(update_fields=["display_name"])
    assert "新成员丁" in page(client, url)


def test_a_plan_changed_and_a_member_who_left_show_at_once(sworld, client):
    w = sworld
    url = f"/studios/{w.studio.pk}/"
    client.force_login(w.trainee)
    assert "作业设计" in page(client, url)
    client.force_login(w.studio_leader)
    client.post(f"/studios/{w.studio.pk}/plan/activities/", {"title": "期末展示课", "date": "2030-06-01"})
    client.force_login(w.trainee)
    assert "期末展示课" in page(client, url)
    StudioMembership.objects.filter(pk=w.studio_member_place.pk).delete()
    assert client.get(url).status_code == 404


def test_threads_hidden_by_a_leader_leave_the_members_list_at_once(sworld, client):
    w = sworld
    url = f"/studios/{w.studio.pk}/threads/"
    client.force_login(w.trainee)
    assert "大单元作业怎么设计" in page(client, url)
    services.thread_moderate(acting_user=w.mentor, thread=w.thread, action="hide", reason="涉及个人信息")
    assert "大单元作业怎么设计" not in page(client, url)
    client.force_login(w.mentor)
    assert "大单元作业怎么设计" in page(client, url)
    # A new thread shows to the members at once.
    client.force_login(w.trainee)
    client.post(f"/studios/{w.studio.pk}/threads/new/", {"title": "听课记录怎么写", "body": "<p>请教</p>"})
    assert "听课记录怎么写" in page(client, url)


def test_a_resources_new_title_shows_in_the_threads_on_it(sworld, client):
    w = sworld
    services.thread_start(
        acting_user=w.trainee,
        studio=w.studio,
        resource=w.platform_resource,
        title="关于这份案例",
        body="好",
        upload=None,
    )
    client.force_login(w.trainee)
    url = f"/studios/{w.studio.pk}/threads/"
    assert "平台案例：作业分层" in page(client, url)
    w.platform_resource.title = "平台案例：分层作业"
    w.platform_resource.save()
    assert "平台案例：分层作业" in page(client, url)


def test_the_library_changes_at_once_for_each_tier_of_readers(sworld, client):
    w = sworld
    outsider = make_user(email="outsider@example.com", display_name="局外人")
    client.force_login(outsider)
    assert "平台案例" in page(client, "/studios/library/")
    # The same resource made the studio's own leaves the outsider's library, stays in the members'.
    resource = Resource.objects.get(pk=w.platform_resource.pk)
    resource.visibility = Resource.Visibility.STUDIO
    resource.save()
    assert "平台案例" not in page(client, "/studios/library/")
    client.force_login(w.trainee)
    assert "平台案例" in page(client, "/studios/library/")
    # Joining the studio brings its own resources into one's library at once.
    add_studio_member(w.studio, outsider)
    client.force_login(outsider)
    assert "平台案例" in page(client, "/studios/library/")
    make_resource(w.studio, w.studio_leader, title="新上传的课例", visibility="platform")
    assert "新上传的课例" in page(client, "/studios/library/?q=课例")


def test_cached_pages_answer_in_fewer_queries_than_composing_them(sworld, client):
    w = sworld
    client.force_login(w.trainee)
    for url in (f"/studios/{w.studio.pk}/", f"/studios/{w.studio.pk}/threads/", "/studios/library/?kind=lesson_plan"):
        cache.clear()
        client.get(url)  # the session and the content types, read once
        cache.clear()
        composed = queries_of(client, url)
        kept = queries_of(client, url)
        assert kept < composed, url


def test_a_submitted_sheet_and_a_new_item_show_in_the_summary_at_once(world, client):
    w = lesson_study_world(world)
    url = f"/studios/lessons/{w.lesson.pk}/summary/"
    client.force_login(w.trainee)
    before = page(client, url)
    for item in w.items:
        services.sheet_answer_save(acting_user=w.mentor, lesson=w.lesson, item_id=item.pk, value=5)
    services.sheet_submit(acting_user=w.mentor, lesson=w.lesson)
    after = page(client, url)
    assert after != before
    count = w.lesson.sheets.filter(submitted_at__isnull=False).count()
    assert f"已提交 {count} 份量表" in after
    services.template_item_add(
        acting_user=w.studio_leader, template=w.lesson.cycle.template, dimension="课堂文化", text="师生关系融洽"
    )
    assert "师生关系融洽" in page(client, url)


def test_the_kept_bodies_read_only_wired_models(sworld):
    """Each body is composed while its SQL is captured: every table it reads renews its tokens when written."""
    from studios.views.discussion import _threads
    from studios.views.resources import _library_body
    from studios.views.studios import _studio_body

    w = lesson_study_world(sworld)
    factory = RequestFactory()
    for person in (w.trainee, w.studio_leader):
        composers = [
            lambda request: _studio_body(request, w.studio),
            lambda request: _threads(request, w.studio),
            _library_body,
        ]
        for compose in composers:
            request = factory.get("/studios/library/?q=教案")
            request.user = person
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                compose(request)
            assert _unwired(_models_read(queries.captured_queries)) == []
    from studios.selectors import lesson_summary

    with CaptureQueriesContext(connection) as queries:
        lesson_summary(lesson=w.lesson)
    assert _unwired(_models_read(queries.captured_queries)) == []


def test_items_reworded_or_moved_in_bulk_show_in_the_summary_at_once(world, client):
    from studios.services.observation import ItemRow

    w = lesson_study_world(world)
    url = f"/studios/lessons/{w.lesson.pk}/summary/"
    client.force_login(w.trainee)
    assert "提问有层次" in page(client, url)
    unanswered = w.items[2]
    services.template_items_set(
        acting_user=w.studio_leader,
        template=w.lesson.cycle.template,
        rows=[ItemRow(item_id=unanswered.pk, dimension="学生学习", text="提问由浅入深")],
    )
    body = page(client, url)
    assert "提问由浅入深" in body and "提问有层次" not in body
    services.template_item_move(acting_user=w.studio_leader, item=w.items[1], direction="up")
    body = page(client, url)
    assert body.index(w.items[1].text) < body.index(w.items[0].text)
