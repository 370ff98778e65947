"""The studios' demo: two studios, members from all four regions, resources, threads and public pages.

The scaled studio is in test_seed_at_scale; that a second run adds nothing, in test_seed_demo."""

import pytest

from cms.models import StudioPage
from studios.models import Resource, Studio, StudioMembership

pytestmark = pytest.mark.django_db


def test_two_studios_with_members_from_all_four_regions(seeded_demo_once, client):
    assert {studio.region.code for studio in Studio.objects.all()} == {"sh", "ah"}
    regions = set(
        StudioMembership.objects.filter(status="active").values_list("person__profile__region__code", flat=True)
    )
    assert regions == {"sh", "js", "zj", "ah"}
    assert set(Resource.objects.values_list("visibility", flat=True)) == {"studio", "platform", "public"}
    page = StudioPage.objects.live().first()
    html = client.get(page.url).content.decode()
    assert page.studio.leader.display_name in html
    # Visitors find the public resources in the library.
    library = client.get("/studios/library/?q=方程").content.decode()
    assert "一元一次方程大单元教学设计" in library and "一元一次方程课堂录像" not in library


def test_a_finished_lesson_study_cycle_with_two_plans_and_a_dozen_sheets(seeded_demo_once, client):
    from studios.models import Cycle, ObservationSheet
    from training.models import HoursEntry

    cycle = Cycle.objects.get()
    assert cycle.status == Cycle.Status.CLOSED and cycle.plans.count() == 2
    assert cycle.plans.filter(versions__is_revision=True).exists()
    lesson = cycle.lessons.get()
    assert lesson.recording_link
    assert ObservationSheet.objects.filter(lesson=lesson, submitted_at__isnull=False).count() == 12
    # Every observer and the leader credited once, with the studio as the source.
    assert HoursEntry.objects.filter(source="studio").count() == 13
    client.force_login(cycle.leader)
    summary = client.get(f"/studios/lessons/{lesson.pk}/summary/").content.decode()
    assert "已提交 12 份量表" in summary and "目标清晰，可观察、可检测" in summary
    # Both studios' sheets have a choice and a note item besides the scores; the dozen sheets answer them.
    from studios.models import ObservationItem

    for studio in ("陈建国名校长工作室", "徐静初中数学名师工作室"):
        kinds = set(ObservationItem.objects.filter(template__studio__name=studio).values_list("kind", flat=True))
        assert kinds == {"rating", "choice", "note"}
    assert "本节课的核心目标是否达成" in summary and "基本达成" in summary and "小组合作前先给独立思考的时间" in summary
