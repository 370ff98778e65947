"""Every model a cached view reads renews that view's token when it is written, or is listed with the reason it need not.

Each cached computation (the cohort overview, a dashboard, a transcript, the
regional indicators, a public page) is run afresh while its SQL is captured;
every table it reads must belong to a model declared in some app's
`renewals.py` (`versioned.wired_models()`), or to one listed below. A new model
shown on a cached page therefore fails here until it is wired or listed.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from modelcluster.fields import ParentalKey

import versioned
from cms.page_cache import public_pages_changed
from tests.factories import cms as pages
from tests.factories.mentorship import log_session, make_pairing
from tests.factories.training import workshop

pytestmark = pytest.mark.django_db

# Read by a cached view, yet no write of theirs renews a token, and why that is right.
NOT_RENEWING = {
    "accounts.School": "a school renamed in the admin shows within the cached table's five minutes",
    "auth.Group": "a group renamed changes nothing shown; who is in a group is wired (User.groups)",
    "training.ProgressRecord": "written only from wired writes (training.stored_progress); a reader that "
    "recomputes rows the clock made stale renews the cohort's token",
    "contenttypes.ContentType": "content types change only with a deployment",
    "wagtailcore.Locale": "the site's languages change only with a deployment",
    "wagtailcore.PageViewRestriction": "a restricted page is never stored (it is answered private)",
    "wagtailimages.Image": "an image edited in place shows within the public pages' five minutes",
}

TABLE = re.compile(r'(?:FROM|JOIN)\s+"([^"]+)"')


def _models_read(queries) -> set:
    by_table = {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}
    tables = {table for query in queries for table in TABLE.findall(query["sql"])}
    return {by_table[table] for table in tables if table in by_table}


def _part_of_a_page(model, wired) -> bool:
    """An inline of a page (a ParentalKey): edited in the page's revisions, it shows with the page's publication."""
    return any(
        isinstance(field, ParentalKey) and issubclass(field.related_model, wired) for field in model._meta.fields
    )


def _unwired(models) -> list[str]:
    wired = tuple(versioned.wired_models())
    return sorted(
        model._meta.label
        for model in models
        if not (issubclass(model, wired) or model._meta.label in NOT_RENEWING or _part_of_a_page(model, wired))
    )


@pytest.fixture
def busy_world(world):
    """A cohort with a schedule, a pairing with a logged session, and the people's profiles filled in."""
    start = timezone.now() + datetime.timedelta(days=2)
    workshop(
        world.cohort,
        world.coordinator,
        title_en="Workshop",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )
    pairing = make_pairing(world.cohort, world.trainee, world.mentor, coordinator=world.coordinator)
    log_session(pairing, world.mentor)
    return world


def test_the_cohort_overview_reads_only_wired_models(busy_world):
    from training.selectors import cohort_overview, cohort_overview_buckets, pairing_flows
    from training.stored_progress import progress_mark_stale

    cohort, coordinator = busy_world.cohort, busy_world.coordinator
    progress_mark_stale(cohort_ids=[cohort.pk])  # the look recomputes the stored rows from what they count
    with CaptureQueriesContext(connection) as queries:
        cohort_overview(acting_user=coordinator, cohort=cohort)
        cohort_overview_buckets(acting_user=coordinator, cohort=cohort)
        pairing_flows(acting_user=coordinator, cohort=cohort)
    models = _models_read(queries.captured_queries)
    assert {"training.CohortMembership", "training.ScheduleItem", "training.ProgressRecord"} <= {
        model._meta.label for model in models
    }
    assert _unwired(models) == []


@pytest.mark.parametrize("role", ["trainee", "mentor", "coordinator"])
def test_a_dashboard_body_reads_only_wired_models(busy_world, role):
    from dashboard.views import _home_context

    person = busy_world.person(role)
    request = RequestFactory().get("/en/dashboard/")
    request.user = person
    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        render_to_string("dashboard/_home_body.html", _home_context(person), request=request)
    models = _models_read(queries.captured_queries)
    assert "training.CohortMembership" in {model._meta.label for model in models}
    assert _unwired(models) == []


def test_a_transcript_reads_only_wired_models(busy_world):
    from credits import selectors

    with CaptureQueriesContext(connection) as queries:
        selectors.transcript_for_person(person=busy_world.trainee)
        selectors.transcript_share_for(person=busy_world.trainee)
    assert _unwired(_models_read(queries.captured_queries)) == []


def test_the_regional_indicators_read_only_wired_models_or_say_why_not(busy_world):
    from regional import indicators

    indicators.indicators_invalidate()
    with CaptureQueriesContext(connection) as queries:
        indicators.all_indicators()
    # Memberships and pairings reach the indicators within their five minutes (`indicators.SECONDS`):
    # renewing on every enrolment would defeat the cache on the busiest days.
    lagging = {"training.CohortMembership", "training.Cohort", "mentorship.Pairing"}
    read = _models_read(queries.captured_queries)
    assert [label for label in _unwired(read) if label not in lagging] == []


@pytest.mark.parametrize("role", ["trainee", "mentor", "coordinator"])
def test_a_calendar_feed_reads_only_wired_models_or_says_why_not(busy_world, role):
    from training.calendar import events_for_person

    person = busy_world.person(role)
    with CaptureQueriesContext(connection) as queries:
        events_for_person(user=person)
        events_for_person(user=person, cohort=busy_world.cohort)
    # A rendered feed is kept `training.calendar.FEED_SECONDS` at most, the max-age calendar clients keep it
    # too: follow-up check-ins show within that.
    lagging = {"mentorship.CheckIn"}
    read = _models_read(queries.captured_queries)
    assert [label for label in _unwired(read) if label not in lagging] == []


@pytest.mark.parametrize("role", ["trainee", "coordinator"])
def test_a_schedule_timeline_reads_only_wired_models(busy_world, role):
    from training.selectors import schedule_item_list_for_cohort

    with CaptureQueriesContext(connection) as queries:
        schedule_item_list_for_cohort(acting_user=busy_world.person(role), cohort=busy_world.cohort)
    read = _models_read(queries.captured_queries)
    assert "training.ScheduleItem" in {model._meta.label for model in read}
    assert _unwired(read) == []


def test_a_page_of_hours_from_the_api_reads_only_wired_models(busy_world):
    from api.selectors import cohort_hours_page

    with CaptureQueriesContext(connection) as queries:
        cohort_hours_page(acting_user=busy_world.coordinator, cohort=busy_world.cohort, region="ah")
    read = _models_read(queries.captured_queries)
    assert "training.HoursEntry" in {model._meta.label for model in read}
    assert _unwired(read) == []


def test_public_pages_read_only_wired_models(busy_world, home_page):
    events = pages.event_index(home_page)
    event = pages.event_page(events, capacity=2)
    for url in (home_page.url, events.url, event.url):
        public_pages_changed()
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(url)
        assert response.status_code == 200
        assert _unwired(_models_read(queries.captured_queries)) == [], url


def test_a_model_that_renews_nothing_is_caught(busy_world):
    """The check itself: a model no app declares is reported."""
    from notifications.models import Notification

    assert _unwired({Notification}) == ["notifications.Notification"]
