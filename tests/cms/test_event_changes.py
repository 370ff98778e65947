"""An event that moves, is cancelled or is withdrawn tells everyone registered or waiting, once, with its calendar entry."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from icalendar import Calendar

from cms import services
from cms.models import EventChange, EventPage
from notifications.models import Notification
from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db


def person(n, language="en"):
    return make_user(email=f"teacher{n}@example.com", display_name=f"老师{n}", preferred_language=language)


def publish(event, capture, **changes):
    page = EventPage.objects.get(pk=event.pk)
    for field, value in changes.items():
        setattr(page, field, value)
    with capture(execute=True):
        page.save_revision().publish()
    return page


def calendar_of(message):
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    return calendar, calendar.walk("VEVENT")[0]


@pytest.fixture
def registrants(event, django_capture_on_commit_callbacks):
    """Two confirmed (the capacity) and one waiting; their own confirmations already sent."""
    people = [person(1), person(2), person(3)]
    with django_capture_on_commit_callbacks(execute=True):
        places = [services.event_register(event=event, acting_user=someone) for someone in people]
    first_ics = calendar_of(next(m for m in mail.outbox if m.to == ["teacher1@example.com"]))[1]
    mail.outbox.clear()
    return places, first_ics


def test_moving_an_event_tells_each_registrant_once_with_an_updated_calendar_entry(
    event, registrants, django_capture_on_commit_callbacks
):
    places, first_ics = registrants
    later = event.starts_at + datetime.timedelta(days=2)
    publish(event, django_capture_on_commit_callbacks, starts_at=later, ends_at=later + datetime.timedelta(hours=3))
    assert sorted(m.to[0] for m in mail.outbox) == [f"teacher{n}@example.com" for n in (1, 2, 3)]
    moved = next(m for m in mail.outbox if m.to == ["teacher1@example.com"])
    assert "Changed" in moved.subject
    calendar, entry = calendar_of(moved)
    assert str(entry["uid"]) == str(first_ics["uid"])
    assert int(entry["sequence"]) > int(first_ics["sequence"])
    assert entry.decoded("dtstart") == later
    assert str(entry["status"]) == "CONFIRMED"
    # The waiting registrant is told, but has no calendar entry to update.
    waiting = next(m for m in mail.outbox if m.to == ["teacher3@example.com"])
    assert waiting.attachments == []
    # Publishing again without a change tells nobody anything.
    mail.outbox.clear()
    publish(event, django_capture_on_commit_callbacks, summary="议程已更新")
    assert mail.outbox == []
    assert Notification.objects.filter(kind="cms.event_changed").count() == 3


def test_a_change_of_place_names_the_old_and_new_place(event, registrants, django_capture_on_commit_callbacks):
    publish(event, django_capture_on_commit_callbacks, venue="合肥市第一中学报告厅")
    notification = Notification.objects.filter(kind="cms.event_changed").first()
    assert "合肥市第一中学报告厅" in notification.context["message"]
    assert "→" in notification.context["message"]


def test_cancelling_an_event_sends_a_cancelled_calendar_entry_and_closes_registration(
    event, registrants, django_capture_on_commit_callbacks
):
    publish(event, django_capture_on_commit_callbacks, cancelled=True)
    assert len(mail.outbox) == 3
    cancelled = next(m for m in mail.outbox if m.to == ["teacher2@example.com"])
    assert "Cancelled" in cancelled.subject
    calendar, entry = calendar_of(cancelled)
    assert str(calendar["method"]) == "CANCEL"
    assert str(entry["status"]) == "CANCELLED"
    with pytest.raises(ValidationError):
        services.event_register(event=EventPage.objects.get(pk=event.pk), acting_user=person(9))


def test_a_cancelled_event_says_so_on_its_page(event, registrants, django_capture_on_commit_callbacks, client):
    page = publish(event, django_capture_on_commit_callbacks, cancelled=True)
    assert "此活动已取消" in client.get(page.url).content.decode()


def test_withdrawing_and_restoring_an_event_tells_registrants_both_times(
    event, registrants, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        EventPage.objects.get(pk=event.pk).unpublish()
    withdrawn = next(m for m in mail.outbox if m.to == ["teacher1@example.com"])
    _calendar, entry = calendar_of(withdrawn)
    assert str(entry["status"]) == "CANCELLED"
    mail.outbox.clear()
    publish(event, django_capture_on_commit_callbacks)
    restored = next(m for m in mail.outbox if m.to == ["teacher1@example.com"])
    _calendar, again = calendar_of(restored)
    assert str(again["status"]) == "CONFIRMED"
    assert int(again["sequence"]) > int(entry["sequence"])
    assert list(EventChange.objects.filter(event=event).values_list("status", flat=True).order_by("sequence")) == [
        "scheduled",
        "withdrawn",
        "scheduled",
    ]


def test_the_change_reads_in_each_registrants_language(event, django_capture_on_commit_callbacks):
    chinese = person(5, language="zh-hans")
    services.event_register(event=event, acting_user=chinese)
    publish(event, django_capture_on_commit_callbacks, cancelled=True)
    notification = Notification.objects.get(recipient=chinese, kind="cms.event_cancelled")
    assert "取消" in notification.context["message"]


def test_a_registrant_who_cancels_gets_a_confirmation_with_a_cancelled_entry(
    event, registrants, django_capture_on_commit_callbacks
):
    places, _first = registrants
    with django_capture_on_commit_callbacks(execute=True):
        services.event_registration_cancel(registration=places[0], acting_user=places[0].user)
    mine = next(m for m in mail.outbox if m.to == ["teacher1@example.com"])
    calendar, entry = calendar_of(mine)
    assert str(calendar["method"]) == "CANCEL" and str(entry["status"]) == "CANCELLED"
    assert Notification.objects.filter(recipient=places[0].user, kind="cms.event_registration_cancelled").count() == 1


def test_the_link_in_the_message_leads_to_the_readers_own_registration(event, registrants, client):
    places, _first = registrants
    client.force_login(places[0].user)
    response = client.get(f"/site/events/{event.pk}/my-registration/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/site/registrations/{places[0].pk}/")
    client.force_login(person(8))
    assert client.get(f"/site/events/{event.pk}/my-registration/").status_code == 302
    assert client.get("/site/events/999999/my-registration/").status_code == 404
