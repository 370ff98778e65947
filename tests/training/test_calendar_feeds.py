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
