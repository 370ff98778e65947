import datetime

from icalendar import Calendar

from training.calendar import CalendarEvent, events_for_person, register_provider, render_ics

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def test_registered_providers_feed_one_sorted_calendar(monkeypatch):
    from training import calendar

    # Only the two providers of this test: the real ones read the database.
    monkeypatch.setattr(calendar, "_PROVIDERS", {})

    def later(**kwargs):
        yield CalendarEvent(
            uid="b@yingzi",
            sequence=0,
            summary="跟岗周",
            start=datetime.datetime(2026, 12, 7, 8, tzinfo=SHANGHAI),
            end=datetime.datetime(2026, 12, 11, 17, tzinfo=SHANGHAI),
        )

    def earlier(**kwargs):
        yield CalendarEvent(
            uid="a@yingzi",
            sequence=2,
            summary="开班式",
            start=datetime.datetime(2026, 12, 1, 9, tzinfo=SHANGHAI),
            end=datetime.datetime(2026, 12, 1, 11, tzinfo=SHANGHAI),
            cancelled=True,
        )

    register_provider("test-later", later)
    register_provider("test-earlier", earlier)
    events = events_for_person(user=None)
    assert [event.uid for event in events] == ["a@yingzi", "b@yingzi"]
    parsed = Calendar.from_ical(render_ics(events=events, name="我的研修日程"))
    vevents = parsed.walk("VEVENT")
    assert [str(event["uid"]) for event in vevents] == ["a@yingzi", "b@yingzi"]
    assert vevents[0]["sequence"] == 2
    assert str(vevents[0]["status"]) == "CANCELLED"
    assert str(vevents[1]["status"]) == "CONFIRMED"
    assert vevents[0].decoded("dtstart") == datetime.datetime(2026, 12, 1, 1, tzinfo=datetime.UTC)
