import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from training import calendar
from training.calendar import CalendarEvent
from training.models import CalendarFeed
from training.services import calendar_feed_regenerate, schedule_item_cancel, schedule_item_create, schedule_item_update

pytestmark = pytest.mark.django_db


def make_item(world, title="集中研修", audience="cohort", days=3):
    start = timezone.now() + datetime.timedelta(days=days)
    return schedule_item_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        data={
            "kind": "workshop",
            "title": title,
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=2),
            "location": "会堂",
            "audience": audience,
        },
    )


def feed(client, token):
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return {str(event["uid"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")}


def test_my_feed_keeps_uids_raises_sequence_and_shows_cancellations(client, world):
    token = calendar_feed_regenerate(acting_user=world.trainee).token
    workshop = make_item(world)
    visit = make_item(world, title="名校考察", days=5)
    mentors_only = make_item(world, title="导师会议", audience="mentors")
    first = feed(client, token)
    assert set(first) == {workshop.uid, visit.uid}  # not the mentors' meeting
    assert mentors_only.uid not in first
    assert first[workshop.uid]["sequence"] == 0

    later = workshop.starts_at + datetime.timedelta(hours=4)
    schedule_item_update(
        item=workshop,
        acting_user=world.coordinator,
        data={"starts_at": later, "ends_at": later + datetime.timedelta(hours=2)},
    )
    schedule_item_cancel(item=visit, acting_user=world.coordinator)
    second = feed(client, token)
    assert set(second) == set(first)  # same entries: updated, not duplicated
    assert second[workshop.uid]["sequence"] == 1
    assert second[workshop.uid].decoded("dtstart") == later.astimezone(datetime.UTC).replace(microsecond=0)
    assert str(second[visit.uid]["status"]) == "CANCELLED"
    assert second[visit.uid]["sequence"] == 1


def test_a_regenerated_address_replaces_the_old_one(client, world):
    old = calendar_feed_regenerate(acting_user=world.trainee).token
    new = calendar_feed_regenerate(acting_user=world.trainee).token
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_the_dashboard_turns_the_address_on_off_and_renews_it(client, world):
    client.force_login(world.trainee)
    client.post("/calendar/address/", {"action": "regenerate"})
    token = CalendarFeed.objects.get(user=world.trainee).token
    assert f"/calendar/{token}.ics" in client.get("/dashboard/").content.decode()
    client.post("/calendar/address/", {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=world.trainee).exists()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_made_up_address_is_not_found(client, db):
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404


def test_other_apps_events_join_my_feed_through_the_registry(client, world, monkeypatch):
    monkeypatch.setattr(calendar, "_PROVIDERS", dict(calendar._PROVIDERS))

    def sessions(*, user, cohort=None):
        if user == world.trainee:
            yield CalendarEvent(
                uid="session-1@yingzi",
                sequence=0,
                summary="带教：听课评课",
                start=timezone.now() + datetime.timedelta(days=1),
                end=timezone.now() + datetime.timedelta(days=1, hours=1),
            )

    calendar.register_provider("test-sessions", sessions)
    token = calendar_feed_regenerate(acting_user=world.trainee).token
    assert "session-1@yingzi" in feed(client, token)


def test_the_cohort_feed_is_for_its_coordinators_only(client, world):
    item = make_item(world, audience="mentors")
    coordinator = calendar_feed_regenerate(acting_user=world.coordinator).token
    response = client.get(f"/calendar/{coordinator}/cohorts/{world.cohort.pk}.ics")
    assert item.uid in {str(event["uid"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}
    trainee = calendar_feed_regenerate(acting_user=world.trainee).token
    assert client.get(f"/calendar/{trainee}/cohorts/{world.cohort.pk}.ics").status_code == 404
    other = calendar_feed_regenerate(acting_user=world.other_coordinator).token
    assert client.get(f"/calendar/{other}/cohorts/{world.cohort.pk}.ics").status_code == 404


# --- Read every few minutes by calendar clients: rendered once per change, 304 when the client has it ---------


def feed_queries(client, token):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    return len(queries)


def test_a_calendar_client_holding_the_current_feed_is_told_it_has_not_changed(client, world):
    token = calendar_feed_regenerate(acting_user=world.trainee).token
    make_item(world)
    first = client.get(f"/calendar/{token}.ics")
    assert first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"] == "private, max-age=300"

    by_etag = client.get(f"/calendar/{token}.ics", headers={"If-None-Match": first["ETag"]})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]
    by_date = client.get(f"/calendar/{token}.ics", headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304


def test_a_changed_item_shows_in_the_next_read_of_the_feed_and_its_etag_changes(client, world):
    token = calendar_feed_regenerate(acting_user=world.trainee).token
    item = make_item(world)
    first = client.get(f"/calendar/{token}.ics")
    later = item.starts_at + datetime.timedelta(hours=4)
    schedule_item_update(
        item=item,
        acting_user=world.coordinator,
        data={"starts_at": later, "ends_at": later + datetime.timedelta(hours=2)},
    )
    second = client.get(f"/calendar/{token}.ics", headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    [event] = Calendar.from_ical(second.content).walk("VEVENT")
    assert event.decoded("dtstart") == later.astimezone(datetime.UTC).replace(microsecond=0)


def test_a_new_item_of_another_cohort_i_join_shows_at_once(client, world):
    from tests.factories.training import add_member

    token = calendar_feed_regenerate(acting_user=world.trainee).token
    start = timezone.now() + datetime.timedelta(days=4)
    other = schedule_item_create(
        cohort=world.other_cohort,
        acting_user=world.other_coordinator,
        data={
            "kind": "workshop",
            "title": "第二期研修",
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=2),
            "location": "会堂",
        },
    )
    assert other.uid not in feed(client, token)
    add_member(world.other_cohort, world.trainee, "trainee")
    assert other.uid in feed(client, token)


def test_a_logged_mentoring_session_shows_in_both_feeds_at_once(client, world):
    from tests.factories.mentorship import log_session, make_pairing

    pairing = make_pairing(world.cohort, world.trainee, world.mentor, coordinator=world.coordinator)
    trainee = calendar_feed_regenerate(acting_user=world.trainee).token
    mentor = calendar_feed_regenerate(acting_user=world.mentor).token
    assert feed(client, trainee) == {} and feed(client, mentor) == {}
    log = log_session(pairing, world.mentor)
    uid = f"mentorship-session-{log.pk}@yingzi"
    assert uid in feed(client, trainee)
    assert uid in feed(client, mentor)


def test_a_feed_read_again_costs_the_same_few_queries_with_2_and_20_items(client, world):
    from django.core.cache import cache

    token = calendar_feed_regenerate(acting_user=world.trainee).token
    for n in range(2):
        make_item(world, title=f"研修{n}", days=n + 1)
    feed(client, token)
    few = feed_queries(client, token)
    cache.clear()
    few_rendered = feed_queries(client, token)
    for n in range(18):
        make_item(world, title=f"考察{n}", days=n + 3)
    assert len(feed(client, token)) == 20
    # The owner, and the cohorts of their memberships and of their pairings, which name the version.
    assert feed_queries(client, token) == few == 3
    cache.clear()
    assert feed_queries(client, token) == few_rendered


def test_the_cohort_feed_is_kept_too_and_follows_its_schedule(client, world):
    token = calendar_feed_regenerate(acting_user=world.coordinator).token
    path = f"/calendar/{token}/cohorts/{world.cohort.pk}.ics"
    first = client.get(path)
    item = make_item(world, audience="mentors")
    second = client.get(path, headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 200
    assert item.uid in {str(event["uid"]) for event in Calendar.from_ical(second.content).walk("VEVENT")}
    assert client.get(path, headers={"If-None-Match": second["ETag"]}).status_code == 304
