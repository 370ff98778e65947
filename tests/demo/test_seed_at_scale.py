"""The scaled demo (`seed_demo --scale`): sizes in proportion, written in bulk, a second run adds nothing."""

import pytest

from tests.demo.conftest import SCALE
from training.models import Cohort

# The scale seeding writes with COPY, which only PostgreSQL has (the bench runs on it).
pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("postgres"), pytest.mark.django_db]


def test_seed_demo_scale_adds_trainees_and_mentors_in_bulk(seeded_demo_at_scale):
    cohort = Cohort.objects.get(name=f"规模测试班 {SCALE}")
    assert cohort.memberships.filter(role="trainee").count() == SCALE
    assert cohort.memberships.filter(role="mentor").count() == SCALE // 3
    # A second run at the same size reuses what exists.
    first, second = seeded_demo_at_scale.counts_after_first_run, seeded_demo_at_scale.counts_after_second_run
    assert {label: (first[label], second[label]) for label in first if first[label] != second[label]} == {}


def test_seed_demo_scale_adds_a_plan_attendance_and_hours_in_proportion(seeded_demo_at_scale):
    from training.models import Attendance, HoursEntry, ScheduleItem, Submission

    cohort = Cohort.objects.get(name=f"规模测试班 {SCALE}")
    assert ScheduleItem.objects.filter(cohort=cohort).count() == 8
    assert Attendance.objects.filter(schedule_item__cohort=cohort).count() > SCALE * 5
    assert Submission.objects.filter(assignment__cohort=cohort).count() > SCALE
    assert HoursEntry.objects.filter(cohort=cohort, source="mentoring").count() >= SCALE
    assert not Attendance.objects.filter(schedule_item__cohort=cohort, hours_entry__isnull=True).exists()


@pytest.fixture(scope="module")
def bench_figures(seeded_demo_at_scale):
    """What the bench measures in process at SCALE: each page's status and queries, dashboards composed afresh."""
    from django.test import override_settings

    from demo.management.commands.bench import measure_queries

    with override_settings(ROOT_URLCONF="demo.bench.urls"):
        return measure_queries(SCALE)


def test_scale_adds_pairings_in_bulk(seeded_demo_at_scale):
    from mentorship.models import Pairing, SessionLog

    scaled = Pairing.objects.filter(cohort__name=f"规模测试班 {SCALE}")
    # Most trainees find a mentor outside their own school.
    assert scaled.count() >= SCALE * 4 // 5
    waiting = SessionLog.objects.filter(pairing__cohort__name=f"规模测试班 {SCALE}", status="awaiting")
    assert waiting.count() == scaled.count()


def test_scale_adds_five_years_of_records_in_bulk_once(seeded_demo_at_scale):
    from credits.models import CreditRecord, Recognition

    scaled = CreditRecord.objects.filter(person__email__endswith=f".s{SCALE}@scale.yingzi.example")
    # Every scale person, the trainees and a third as many mentors, has two records a year for five years
    # (and the second run, whose counts equal the first's, added none).
    assert scaled.count() == (SCALE + SCALE // 3) * 5 * 2
    assert len({record.occurred_on.year for record in scaled}) == 5
    assert Recognition.objects.filter(record__in=scaled, status="issued").count() == scaled.count()


def test_the_bench_studio_has_its_sizes_and_its_pages_answer(seeded_demo_at_scale, bench_figures):
    from demo.bench.endpoints import ENDPOINTS
    from studios.models import ObservationSheet, Post, Resource, Studio, Thread

    studio = Studio.objects.get(name=f"规模测试工作室 {SCALE}")
    # The scaled cohort has fewer than 500 people: every one of them joins.
    assert studio.memberships.count() > SCALE
    assert Post.objects.filter(thread__studio=studio).count() == 5000
    assert Resource.objects.filter(studio=studio).count() == 2000
    assert Thread.objects.filter(studio=studio).count() == 250
    labels = [endpoint.label for endpoint in ENDPOINTS if "studio" in endpoint.label or "library" in endpoint.label]
    assert len(labels) == 4
    # The scaled lesson: one sheet per member, up to 300, summarised in a handful of queries.
    label = "lesson summary (300 sheets)"
    assert bench_figures["status"][label] == 200 and bench_figures["queries"][label] < 20
    assert ObservationSheet.objects.filter(lesson__cycle__studio=studio).count() == min(300, studio.memberships.count())
    for label in labels:
        assert bench_figures["status"][label] == 200, label
        # Pages of 20 threads or resources: a handful of queries, not one per row.
        assert bench_figures["queries"][label] < 20, (label, bench_figures["queries"][label])


def test_the_scaled_contest_grows_with_the_scale_and_the_bench_opens_its_pages(seeded_demo_at_scale, bench_figures):
    from contests.models import Assignment, Contest, Entrant, RoundStatus, Score
    from demo.bench.endpoints import ENDPOINTS

    contest = Contest.objects.get(name=f"规模测试大赛 s{SCALE}")
    preliminary = contest.rounds.order_by("sequence").first()
    assert Entrant.objects.filter(category__contest=contest).count() == 2 * SCALE
    assert Score.objects.filter(item__round=preliminary).count() == 2 * SCALE * 2 * 5
    assert preliminary.status == RoundStatus.PUBLISHED
    # The ten best advance; equal totals share a rank, so a tie at the tenth place takes more.
    advanced = preliminary.entries.filter(advanced=True)
    assert advanced.count() >= 10 and not advanced.filter(rank__gt=10).exists()
    judge = f"mentor0.s{SCALE}@scale.yingzi.example"
    assert Assignment.objects.filter(item__round=preliminary, judge__email=judge).exists()
    labels = [endpoint.label for endpoint in ENDPOINTS if endpoint.label.startswith("contest ")]
    assert len(labels) == 4
    for label in labels:
        assert bench_figures["status"][label] == 200, label
        assert bench_figures["queries"][label] < 20, (label, bench_figures["queries"][label])


def test_query_counts_are_measured_for_built_pages_and_missing_ones_are_named(bench_figures):
    from demo.bench.endpoints import ENDPOINTS, MINIMAL
    from demo.management.commands.bench import render_composed, render_table

    figures = bench_figures
    assert figures["status"]["trainee dashboard"] == 200
    assert figures["status"][MINIMAL] == 200
    assert figures["queries"][MINIMAL] == 0
    assert figures["cookies"]["trainee dashboard"].startswith("sessionid=")
    # Dashboards, the region home, the transcript and the studios' pages come from a cache; composing one
    # afresh is reported beside it, and costs more.
    assert set(figures["composed"]) == {
        "trainee dashboard",
        "mentor dashboard",
        "regional office home",
        "credit transcript",
        "studio page (500 members)",
        "studio threads (5,000 posts)",
        "lesson summary (300 sheets)",
        "resource library (2,000 resources)",
        "resource library, search",
    }
    for label, composed in figures["composed"].items():
        assert composed["queries"] > figures["queries"][label]
        assert composed["ms"] > 0
    assert "| trainee dashboard |" in render_composed(
        {k: {"n": v, "10n": v} for k, v in figures["composed"].items()}, SCALE
    )
    assert set(figures["paths"]) == {endpoint.label for endpoint in ENDPOINTS}
    rows = [
        {"page": label, "queries_n": figures["queries"].get(label), "queries_10n": figures["queries"].get(label)}
        | ({"rps": 100.0, "p50_ms": 1.0, "p99_ms": 2.0, "ratio": 0.5} if path else {"note": "not built yet"})
        for label, path in figures["paths"].items()
    ]
    lines = render_table(rows, SCALE).splitlines()[2:]
    assert len(lines) == len(ENDPOINTS)
    for line, (label, path) in zip(lines, figures["paths"].items(), strict=True):
        assert line.startswith(f"| {label}")
        assert ("not built yet" in line) == (path is None)
