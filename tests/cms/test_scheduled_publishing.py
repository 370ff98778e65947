"""An editor schedules a news item; beat publishes it at its time, and readers see it at once."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cms.models import NewsPage
from cms.tasks import publish_scheduled_pages_task
from tests.factories import cms as pages

pytestmark = pytest.mark.django_db


def test_a_scheduled_news_item_goes_live_when_beat_runs_after_its_time(home_page, monkeypatch):
    news = pages.news_index(home_page)
    item = NewsPage(title="下周发布：影子校长第二期招募", slug="second-intake", summary="招募通知", live=False)
    news.add_child(instance=item)
    now = timezone.now()
    item.go_live_at = now + datetime.timedelta(hours=1)
    item.save_revision().publish()
    item.refresh_from_db()
    assert not item.live  # scheduled, not published
    index_html = Client().get(news.url).content.decode()
    assert "影子校长第二期招募" not in index_html  # and the index is now in the page cache

    publish_scheduled_pages_task()  # before its time: nothing happens
    assert not NewsPage.objects.get(pk=item.pk).live

    monkeypatch.setattr("django.utils.timezone.now", lambda: now + datetime.timedelta(hours=1, minutes=1))
    publish_scheduled_pages_task()
    assert NewsPage.objects.get(pk=item.pk).live
    assert "影子校长第二期招募" in Client().get(news.url).content.decode()


def test_beat_runs_the_task_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["publish-scheduled-pages"]
    assert entry["task"] == "cms.tasks.publish_scheduled_pages_task" and entry["schedule"] == 60.0
