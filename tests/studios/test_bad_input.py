"""Buttons and small forms of the studios sent with values no page offers: a clear message in the reader's
language, and nothing changes (never a 500, never a silent "decline")."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from studios.freshness import LIBRARY_SEARCHES_KEPT
from studios.models import Resource, StudioMembership, StudioRole, Thread
from tests.factories.accounts import make_user
from tests.factories.studios import add_studio_member, make_resource, make_studio, studio_world

pytestmark = pytest.mark.django_db
Status = StudioMembership.Status

# (address prefix, the reader's language): Chinese by default, English under /en/.
LANGUAGES = [("", "zh"), ("/en", "en")]


@pytest.fixture
def sworld(world):
    return studio_world(world)


def _said(response, messages: dict, language: str) -> None:
    assert response.status_code == 200
    assert messages[language] in response.content.decode()


@pytest.mark.parametrize(("prefix", "language"), LANGUAGES)
def test_an_invitation_answered_with_an_unknown_decision_stays_open(sworld, client, prefix, language):
    w = sworld
    place = add_studio_member(w.studio, w.other_mentor, status=Status.INVITED)
    client.force_login(w.other_mentor)
    response = client.post(f"{prefix}/studios/{w.studio.pk}/invitation/", {"decision": "maybe"}, follow=True)
    _said(
        response,
        {"zh": "请选择加入工作室或谢绝邀请。", "en": "Choose to join the studio or to decline the invitation."},
        language,
    )
    place.refresh_from_db()
    assert place.status == Status.INVITED and place.decided_at is None
    # Nothing sent at all is refused the same way, not taken for "decline".
    client.post(f"{prefix}/studios/{w.studio.pk}/invitation/", {})
    place.refresh_from_db()
    assert place.status == Status.INVITED


@pytest.mark.parametrize(("prefix", "language"), LANGUAGES)
def test_an_application_decided_with_an_unknown_decision_waits(sworld, client, prefix, language):
    w = sworld
    client.force_login(w.studio_leader)
    url = f"{prefix}/studios/{w.studio.pk}/applications/{w.studio_application.pk}/"
    response = client.post(url, {"decision": "later"}, follow=True)
    _said(
        response,
        {"zh": "请选择接受或不接受这份申请。", "en": "Choose to accept or to decline the application."},
        language,
    )
    w.studio_application.refresh_from_db()
    assert w.studio_application.status == Status.APPLIED and w.studio_application.decided_by is None
    assert not Notification.objects.filter(recipient=w.studio_applicant).exists()


@pytest.mark.parametrize(("prefix", "language"), LANGUAGES)
def test_a_role_changed_with_an_unknown_value_stays(sworld, client, prefix, language):
    w = sworld
    client.force_login(w.studio_leader)
    url = f"{prefix}/studios/{w.studio.pk}/members/{w.studio_co_leader_place.pk}/co-leader/"
    response = client.post(url, {"co_leader": "yes"}, follow=True)
    _said(
        response,
        {
            "zh": "请选择是否让这位成员与您共同主持工作室。",
            "en": "Choose whether this member leads the studio with you.",
        },
        language,
    )
    w.studio_co_leader_place.refresh_from_db()
    assert w.studio_co_leader_place.role == StudioRole.CO_LEADER


@pytest.mark.parametrize(("prefix", "language"), LANGUAGES)
def test_a_submission_promoted_to_an_unknown_audience_is_not_offered(sworld, client, prefix, language):
    w = sworld
    client.force_login(w.studio_leader)
    url = f"{prefix}/studios/{w.studio.pk}/submissions/{w.submission_to_promote.pk}/promote/"
    response = client.post(url, {"visibility": "everyone"}, follow=True)
    _said(
        response,
        {"zh": "请选择资源库中谁可以看到这份资源。", "en": "Choose who may see the resource in the library."},
        language,
    )
    assert not Resource.objects.filter(submission=w.submission_to_promote).exists()
    assert not Notification.objects.filter(kind="studios.resource_consent").exists()


@pytest.mark.parametrize(("prefix", "language"), LANGUAGES)
def test_consent_answered_with_an_unknown_decision_keeps_the_offer_waiting(sworld, client, prefix, language):
    w = sworld
    client.force_login(w.trainee)
    url = f"{prefix}/studios/resources/{w.promoted_resource.pk}/consent/"
    response = client.post(url, {"decision": "perhaps"}, follow=True)
    _said(
        response,
        {
            "zh": "请选择将您的作品分享到资源库，或不分享。",
            "en": "Choose to share your work in the library or to keep it out.",
        },
        language,
    )
    resource = Resource.objects.get(pk=w.promoted_resource.pk)
    assert resource.consented_at is None


@pytest.mark.parametrize(("prefix", "language"), LANGUAGES)
def test_a_thread_on_another_studios_resource_is_not_started(sworld, client, prefix, language):
    w = sworld
    elsewhere = make_studio(
        leader=make_user(email="elsewhere@example.com", display_name="名师戊", region=w.region_b), name="别处工作室"
    )
    foreign = make_resource(elsewhere, elsewhere.leader, title="别处的教案", visibility="platform")
    client.force_login(w.trainee)
    threads = Thread.objects.count()
    for resource in (str(foreign.pk), "abc", str(w.promoted_resource.pk)):
        response = client.post(
            f"{prefix}/studios/{w.studio.pk}/threads/new/",
            {"title": "请教这份教案", "body": "<p>怎么用？</p>", "resource": resource},
        )
        _said(
            response,
            {
                "zh": "这份资源不在本工作室的资源库中；可以不关联资源发起讨论。",
                "en": "This resource is not in this studio&#x27;s library; the thread can be started without it.",
            },
            language,
        )
        # The form comes back as typed, without the resource, to post without it.
        assert "请教这份教案" in response.content.decode()
        assert 'name="resource"' not in response.content.decode()
    assert Thread.objects.count() == threads
    # This studio's own resource is taken.
    response = client.post(
        f"{prefix}/studios/{w.studio.pk}/threads/new/",
        {"title": "请教这份教案", "body": "<p>怎么用？</p>", "resource": str(w.public_resource.pk)},
    )
    assert response.status_code == 302
    assert Thread.objects.get(title="请教这份教案").resource == w.public_resource


@pytest.mark.parametrize(("prefix", "language"), LANGUAGES)
def test_an_unknown_moderation_is_refused_and_the_thread_stays(sworld, client, prefix, language):
    w = sworld
    client.force_login(w.studio_leader)
    url = f"{prefix}/studios/threads/{w.thread.pk}/moderate/"
    response = client.post(url, {"action": "delete", "reason": "重复"}, follow=True)
    _said(
        response,
        {
            "zh": "请选择锁定、置顶或隐藏讨论，或撤销其中一项。",
            "en": "Choose to lock, pin or hide the thread, or to undo one of these.",
        },
        language,
    )
    thread = Thread.objects.get(pk=w.thread.pk)
    assert (thread.is_locked, thread.is_pinned, thread.is_hidden, thread.moderation_reason) == (False, False, False, "")
    # A known action still needs its reason.
    client.post(url, {"action": "lock", "reason": ""})
    assert not Thread.objects.get(pk=w.thread.pk).is_locked


# --- The library's cache holds a finite set of pages --------------------------------------------------------


def _library_keys_set(client, addresses) -> set[str]:
    """The library's cache keys written while these addresses are read, as Django's cache API is called."""
    written = set()
    real_set = cache.set

    def spy(key, *args, **kwargs):
        written.add(key)
        return real_set(key, *args, **kwargs)

    with mock.patch.object(cache, "set", side_effect=spy):
        for address in addresses:
            assert client.get(address).status_code == 200
    return {key for key in written if key.startswith("studios:library")}


def test_a_hundred_searches_keep_no_hundred_library_pages(sworld, client):
    w = sworld
    client.force_login(w.trainee)
    cache.clear()
    searches = [f"/studios/library/?q=教案{n}" for n in range(100)]
    junk = [f"/studios/library/?kind=k{n}&utm={n}&page=x{n}" for n in range(50)]
    junk += [f"/studios/library/?region=r{n}&studio={900000 + n}" for n in range(50)]
    keys = _library_keys_set(client, searches + junk + ["/studios/library/"])
    # A bounded number of searches is kept; junk filters read as the unfiltered first page.
    assert len(keys) == LIBRARY_SEARCHES_KEPT + 1
    # The searches past the bound are still answered, from the database.
    assert "公开教案：圆的认识" in client.get("/studios/library/?q=圆的认识").content.decode()
    # Known filters are kept, one page each.
    keys = _library_keys_set(
        client,
        ["/studios/library/?kind=lesson_plan", "/studios/library/?kind=lesson_plan&page=1&utm_source=x"]
        + [f"/studios/library/?studio={w.studio.pk}", "/studios/library/?region=sh"],
    )
    assert len(keys) == 3


def test_a_search_still_finds_partial_titles_and_a_new_resource_at_once(sworld, client):
    w = sworld
    client.force_login(w.trainee)
    assert "公开教案：圆的认识" in client.get("/studios/library/?q=圆的").content.decode()
    make_resource(w.studio, w.studio_leader, title="新课例：圆的面积", visibility="platform")
    html = client.get("/studios/library/?q=圆的").content.decode()
    assert "新课例：圆的面积" in html and "公开教案：圆的认识" in html
    # Junk in the address reads as the plain library, whose links carry none of it.
    html = client.get("/studios/library/?kind=nonsense&utm_source=feed").content.decode()
    assert "新课例：圆的面积" in html and "nonsense" not in html[html.index('<details class="card"') :]


def _search_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/studios/library/?q=课例").status_code == 200
    return len(queries)


def test_a_search_takes_as_many_queries_at_n_and_10n_resources(sworld, client):
    """Composed (the first visit after a change) and kept, a search's page reads as much at N as at 10N."""
    w = sworld
    client.force_login(w.trainee)
    client.get("/studios/library/?q=课例")  # the session and the content types, read once
    for n in range(3):
        make_resource(w.studio, w.studio_leader, title=f"课例{n}", visibility="platform", tags="课例")
    composed, kept = _search_queries(client), _search_queries(client)
    assert kept < composed
    for n in range(3, 30):
        make_resource(w.studio, w.studio_leader, title=f"课例{n}", visibility="platform", tags="课例")
    assert (_search_queries(client), _search_queries(client)) == (composed, kept)


def test_junk_in_the_threads_address_keeps_no_new_pages(sworld, client):
    w = sworld
    elsewhere = make_studio(
        leader=make_user(email="elsewhere@example.com", display_name="名师戊", region=w.region_b), name="别处工作室"
    )
    foreign = make_resource(elsewhere, elsewhere.leader, title="别处的教案", visibility="platform")
    client.force_login(w.trainee)
    url = f"/studios/{w.studio.pk}/threads/"
    written = set()
    real_set = cache.set

    def spy(key, *args, **kwargs):
        written.add(key)
        return real_set(key, *args, **kwargs)

    cache.clear()
    with mock.patch.object(cache, "set", side_effect=spy):
        for n in range(30):
            junk = f"&page=p{n}" if n % 2 else f"&utm_source={n}"
            html = client.get(f"{url}?x={n}&resource={foreign.pk + n}{junk}").content.decode()
            # Another studio's resource is not offered to the new thread.
            assert 'name="resource"' not in html
        html = client.get(f"{url}?resource={w.public_resource.pk}").content.decode()
    assert f'name="resource" value="{w.public_resource.pk}"' in html
    assert len({key for key in written if key.startswith("studios:threads")}) == 2


def test_a_member_sending_a_bad_value_to_a_leaders_button_is_refused_as_a_member(sworld, client):
    """Who may act is answered first: a plain member learns nothing from the form's message, and nothing changes."""
    w = sworld
    client.force_login(w.trainee)  # an active member, not a leader
    co_leader = client.post(
        f"/studios/{w.studio.pk}/members/{w.studio_co_leader_place.pk}/co-leader/", {"co_leader": "yes"}
    )
    moderation = client.post(f"/studios/threads/{w.thread.pk}/moderate/", {"action": "delete", "reason": "x"})
    assert (co_leader.status_code, moderation.status_code) == (403, 403)
    w.studio_co_leader_place.refresh_from_db()
    assert w.studio_co_leader_place.role == StudioRole.CO_LEADER
    assert not Thread.objects.get(pk=w.thread.pk).is_hidden
