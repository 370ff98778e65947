"""The studios' demo: two studios, members from all four regions, resources, threads and public pages."""

import pytest
from django.core.management import call_command

from cms.models import StudioPage
from studios.models import Post, Resource, Studio, StudioMembership

pytestmark = pytest.mark.django_db


def test_two_studios_with_members_from_all_four_regions_once(client):
    call_command("seed_demo", verbosity=0)
    counts = (Studio.objects.count(), StudioMembership.objects.count(), Resource.objects.count(), Post.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (
        Studio.objects.count(),
        StudioMembership.objects.count(),
        Resource.objects.count(),
        Post.objects.count(),
    ) == counts
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


def test_a_finished_lesson_study_cycle_with_two_plans_and_a_dozen_sheets(client):
    from studios.models import Cycle, ObservationSheet
    from training.models import HoursEntry

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
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


def test_the_bench_studio_has_its_sizes_and_its_pages_answer(settings):
    from demo.bench.endpoints import ENDPOINTS
    from demo.management.commands.bench import measure_queries
    from studios.models import ObservationSheet, Thread

    settings.ROOT_URLCONF = "demo.bench.urls"
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", scale=12, verbosity=0)
    studio = Studio.objects.get(name="规模测试工作室 12")
    # The scaled cohort has fewer than 500 people: every one of them joins.
    assert studio.memberships.count() > 12
    assert Post.objects.filter(thread__studio=studio).count() == 5000
    assert Resource.objects.filter(studio=studio).count() == 2000
    assert Thread.objects.filter(studio=studio).count() == 250
    figures = measure_queries(12)
    labels = [endpoint.label for endpoint in ENDPOINTS if "studio" in endpoint.label or "library" in endpoint.label]
    assert len(labels) == 4
    # The scaled lesson: one sheet per member, up to 300, summarised in a handful of queries.
    label = "lesson summary (300 sheets)"
    assert figures["status"][label] == 200 and figures["queries"][label] < 20
    assert ObservationSheet.objects.filter(lesson__cycle__studio=studio).count() == min(300, studio.memberships.count())
    for label in labels:
        assert figures["status"][label] == 200, label
        # Pages of 20 threads or resources: a handful of queries, not one per row.
        assert figures["queries"][label] < 20, (label, figures["queries"][label])
