"""Discussion: mentions notify once, rich text is cleaned, moderation with reasons, reports, the posting limit."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from notifications.models import Notification
from studios import services
from studios.models import Post, PostReport, Thread
from tests.factories.studios import studio_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def sworld(world):
    return studio_world(world)


def test_mentions_notify_each_member_once(sworld):
    w = sworld
    post = services.post_reply(
        acting_user=w.trainee, thread=w.thread, body="<p>@导师甲 请看，@导师甲 还有 @名师丙 与 @学员乙</p>"
    )
    mentioned = Notification.objects.filter(kind="studios.mention", target_id=post.pk)
    # 学员乙 is not in the studio: no notification, and the author is never told of themselves.
    assert sorted(mentioned.values_list("recipient_id", flat=True)) == sorted([w.mentor.pk, w.studio_leader.pk])
    # A later message naming the mentor again tells them again, once.
    services.post_reply(acting_user=w.trainee, thread=w.thread, body="@导师甲 补充一点")
    assert Notification.objects.filter(kind="studios.mention", recipient=w.mentor).count() == 2


def test_rich_text_is_cleaned_on_the_server(sworld, client):
    w = sworld
    client.force_login(w.trainee)
    client.post(
        f"/studios/threads/{w.thread.pk}/reply/",
        {"body": '<p onclick="x()">好<strong>课</strong><script>alert(1)</script><img src=x onerror=alert(1)></p>'},
    )
    post = Post.objects.filter(thread=w.thread).latest("pk")
    assert post.body == "<p>好<strong>课</strong></p>"
    page = client.get(f"/studios/threads/{w.thread.pk}/").content.decode()
    assert "<strong>课</strong>" in page and "onerror" not in page


def test_posting_in_a_locked_thread_is_refused(sworld, client):
    w = sworld
    services.thread_moderate(acting_user=w.mentor, thread=w.thread, action="lock", reason="讨论已结束")
    client.force_login(w.trainee)
    before = Post.objects.count()
    response = client.post(f"/studios/threads/{w.thread.pk}/reply/", {"body": "还想说"})
    assert "这个话题已锁定" in response.content.decode()
    assert Post.objects.count() == before
    w.thread.refresh_from_db()
    assert w.thread.moderation_reason == "讨论已结束"


def test_moderation_needs_a_reason_and_a_leader(sworld, client):
    w = sworld
    with pytest.raises(ValidationError):
        services.thread_moderate(acting_user=w.mentor, thread=w.thread, action="hide", reason=" ")
    client.force_login(w.trainee)
    assert (
        client.post(f"/studios/threads/{w.thread.pk}/moderate/", {"action": "hide", "reason": "x"}).status_code == 403
    )
    services.thread_moderate(acting_user=w.mentor, thread=w.thread, action="hide", reason="涉及个人信息")
    assert client.get(f"/studios/threads/{w.thread.pk}/").status_code == 404
    client.force_login(w.mentor)
    assert "涉及个人信息" in client.get(f"/studios/threads/{w.thread.pk}/").content.decode()


def test_pinned_threads_come_first(sworld, client):
    w = sworld
    newer = services.thread_start(acting_user=w.mentor, studio=w.studio, title="新话题", body="内容")
    client.force_login(w.trainee)
    page = client.get(f"/studios/{w.studio.pk}/threads/").content.decode()
    assert page.index("新话题") < page.index(w.thread.title)
    services.thread_moderate(acting_user=w.mentor, thread=w.thread, action="pin", reason="本月主题")
    page = client.get(f"/studios/{w.studio.pk}/threads/").content.decode()
    assert page.index(w.thread.title) < page.index(newer.title)


def test_hidden_message_keeps_its_reason(sworld, client):
    w = sworld
    services.post_hide(acting_user=w.mentor, post=w.post, reason="与主题无关")
    client.force_login(w.trainee)
    page = client.get(f"/studios/threads/{w.thread.pk}/").content.decode()
    assert "与主题无关" in page and "只在工作室里说的话" not in page
    assert client.get(f"/studios/posts/{w.post.pk}/attachment/").status_code == 404


def test_report_tells_the_leaders_once(sworld, client):
    w = sworld
    client.force_login(w.mentor)
    client.post(f"/studios/posts/{w.post.pk}/report/", {"reason": "广告"})
    response = client.post(f"/studios/posts/{w.post.pk}/report/", {"reason": "广告"}, follow=True)
    assert "您已经举报过这条消息" in response.content.decode()
    assert PostReport.objects.filter(post=w.post).count() == 1
    told = Notification.objects.filter(kind="studios.report", target_id=w.post.pk)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([w.studio_leader.pk, w.mentor.pk])


def test_posting_rate_limit(sworld):
    w = sworld
    for n in range(services.discussion.POSTS_PER_WINDOW - 1):
        services.post_reply(acting_user=w.trainee, thread=w.thread, body=f"第{n}条")
    before = Post.objects.count()
    with pytest.raises(ValidationError, match="请稍等一分钟"):
        services.post_reply(acting_user=w.trainee, thread=w.thread, body="太快了")
    with pytest.raises(ValidationError):
        services.thread_start(acting_user=w.trainee, studio=w.studio, title="又一个", body="太快了")
    assert Post.objects.count() == before and not Thread.objects.filter(title="又一个").exists()


def test_forbidden_attachment_is_refused(sworld, client):
    w = sworld
    client.force_login(w.trainee)
    before = Post.objects.count()
    response = client.post(
        f"/studios/threads/{w.thread.pk}/reply/",
        {"body": "看附件", "attachment": SimpleUploadedFile("x.html", b"<script>", content_type="text/html")},
    )
    assert "的文件类型不受支持" in response.content.decode()
    assert Post.objects.count() == before


def test_a_report_or_reason_with_a_nul_byte_is_refused_and_changes_nothing(sworld, client):
    # Control characters in a form are refused before any view, with a 400 (config.middleware).
    w = sworld
    client.force_login(w.mentor)
    response = client.post(f"/studios/posts/{w.post.pk}/report/", {"reason": "广\x00告"})
    assert response.status_code == 400 and not PostReport.objects.exists()
    response = client.post(f"/studios/threads/{w.thread.pk}/moderate/", {"action": "lock", "reason": "\x00"})
    assert response.status_code == 400
    w.thread.refresh_from_db()
    assert not w.thread.is_locked
