import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from cms import services
from cms.models import EventRegistration, RegistrationStatus
from notifications.models import Notification
from tests.factories import cms as pages
from tests.factories.accounts import make_user
from training.models import HoursEntry, HoursSource

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The messages below are matched in English; the Chinese ones are checked where the language is the point.
    from django.utils import translation

    with translation.override("en"):
        yield


def person(n):
    return make_user(email=f"teacher{n}@example.com", display_name=f"老师{n}")


def register(event, user, capture=None):
    if capture is None:
        return services.event_register(event=event, acting_user=user)
    with capture(execute=True):
        return services.event_register(event=event, acting_user=user)


def test_seats_go_to_the_first_registrants_and_the_rest_wait(event):
    first, second, third = (register(event, person(n)) for n in range(3))
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waitlisted"]


def test_registering_twice_is_refused_and_changes_nothing(event):
    teacher = person(1)
    register(event, teacher)
    with pytest.raises(ValidationError, match="already registered"):
        register(event, teacher)
    assert EventRegistration.objects.filter(user=teacher).count() == 1


def test_registration_after_closing_is_refused(events):
    closed = pages.event_page(events, registration_closes_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="closed"):
        register(closed, person(1))
    assert not EventRegistration.objects.exists()


def test_registration_before_opening_is_refused(events):
    later = pages.event_page(events, registration_opens_at=timezone.now() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="not opened"):
        register(later, person(1))


def test_the_refusal_is_in_the_readers_language(events):
    from django.utils import translation

    closed = pages.event_page(events, registration_closes_at=timezone.now() - datetime.timedelta(minutes=1))
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        register(closed, person(1))
    assert "报名已截止" in error.value.messages[0]


def test_a_cancelled_seat_goes_to_the_first_on_the_waiting_list(event, django_capture_on_commit_callbacks):
    holder, _other = register(event, person(1)), register(event, person(2))
    first_waiting = register(event, person(3))
    register(event, person(4))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.event_registration_cancel(registration=holder, acting_user=holder.user)
    assert promoted.pk == first_waiting.pk
    promoted.refresh_from_db()
    assert promoted.status == RegistrationStatus.CONFIRMED and promoted.promoted_at
    assert EventRegistration.objects.filter(event=event, status="confirmed").count() == 2
    assert EventRegistration.objects.get(user__email="teacher4@example.com").status == "waitlisted"
    # The person who gave up the seat is told so; the first waiting person gets the seat.
    assert sorted(message.to[0] for message in mail.outbox) == ["teacher1@example.com", "teacher3@example.com"]
    promoted_mail = next(message for message in mail.outbox if message.to == ["teacher3@example.com"])
    assert promoted_mail.attachments[0][0].endswith(".ics")


def test_cancelling_a_waiting_place_promotes_nobody(event):
    register(event, person(1))
    register(event, person(2))
    waiting = register(event, person(3))
    assert services.event_registration_cancel(registration=waiting, acting_user=waiting.user) is None
    assert EventRegistration.objects.filter(event=event, status="confirmed").count() == 2


def test_a_person_may_register_again_after_cancelling(event):
    teacher = person(1)
    first = register(event, teacher)
    services.event_registration_cancel(registration=first, acting_user=teacher)
    again = register(event, teacher)
    assert again.status == "confirmed" and again.code != first.code


def test_the_confirmation_is_sent_once_with_a_calendar_file(event, django_capture_on_commit_callbacks):
    teacher = person(1)
    register(event, teacher, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(recipient=teacher, kind="cms.event_registered").count() == 1
    [message] = mail.outbox
    assert event.title in message.subject
    filename, content, mimetype = message.attachments[0]
    assert mimetype.startswith("text/calendar")
    [vevent] = Calendar.from_ical(content).walk("VEVENT")
    assert str(vevent["summary"]) == event.title
    assert vevent.decoded("dtstart") == event.starts_at


def test_a_waiting_registrant_is_told_they_wait(event, django_capture_on_commit_callbacks):
    register(event, person(1))
    register(event, person(2))
    mail.outbox.clear()
    register(event, person(3), django_capture_on_commit_callbacks)
    assert Notification.objects.filter(kind="cms.event_waitlisted").count() == 1
    assert mail.outbox[0].attachments == []


def test_the_day_before_reminder_goes_once_to_confirmed_registrants(events, django_capture_on_commit_callbacks):
    from notifications.reminders import reminders_send_due

    now = timezone.now()
    tomorrow = pages.event_page(
        events,
        starts_at=now + datetime.timedelta(hours=20),
        ends_at=now + datetime.timedelta(hours=26),
        registration_closes_at=now + datetime.timedelta(hours=19),
        capacity=1,
    )
    seated, waiting = register(tomorrow, person(1)), register(tomorrow, person(2))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(now=now)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(now=now + datetime.timedelta(minutes=1))
    reminders = Notification.objects.filter(kind="cms.event_reminder_day")
    assert [n.recipient_id for n in reminders] == [seated.user_id]
    assert waiting.user_id not in [n.recipient_id for n in reminders]
    [message] = mail.outbox
    assert message.attachments[0][0].endswith(".ics")


def test_a_late_registrant_gets_the_day_before_reminder_once(events, django_capture_on_commit_callbacks):
    from notifications.reminders import reminders_send_due

    now = timezone.now()
    tomorrow = pages.event_page(
        events,
        starts_at=now + datetime.timedelta(hours=20),
        ends_at=now + datetime.timedelta(hours=26),
        registration_closes_at=now + datetime.timedelta(hours=19),
        capacity=5,
    )
    early = register(tomorrow, person(1))
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(now=now)
    late = register(tomorrow, person(2))  # after the sweep, before the event
    mail.outbox.clear()
    for minutes in (1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            reminders_send_due(now=now + datetime.timedelta(minutes=minutes))
    reminders = Notification.objects.filter(kind="cms.event_reminder_day").order_by("pk")
    assert [n.recipient_id for n in reminders] == [early.user_id, late.user_id]
    assert [m.to for m in mail.outbox] == [[late.user.email]]


def test_someone_moved_off_the_waiting_list_after_the_sweep_is_reminded_too(events, django_capture_on_commit_callbacks):
    from notifications.reminders import reminders_send_due

    now = timezone.now()
    tomorrow = pages.event_page(
        events,
        starts_at=now + datetime.timedelta(hours=20),
        ends_at=now + datetime.timedelta(hours=26),
        registration_closes_at=now + datetime.timedelta(hours=19),
        capacity=1,
    )
    seated, waiting = register(tomorrow, person(1)), register(tomorrow, person(2))
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(now=now)
    services.event_registration_cancel(registration=seated, acting_user=seated.user)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(now=now + datetime.timedelta(minutes=1))
    recipients = list(Notification.objects.filter(kind="cms.event_reminder_day").values_list("recipient_id", flat=True))
    assert sorted(recipients) == sorted([seated.user_id, waiting.user_id])


def test_check_in_twice_records_once_and_credits_hours_once(event, world):
    event.credit_hours = 6
    event.save()
    registration = register(event, world.trainee)
    first, first_time = services.event_check_in(event=event, code=registration.code, acting_user=world.staff)
    again, second_time = services.event_check_in(event=event, code=registration.code.lower(), acting_user=world.staff)
    assert (first_time, second_time) == (True, False)
    assert again.checked_in_at == first.checked_in_at
    [entry] = HoursEntry.objects.filter(trainee=world.trainee, source=HoursSource.EVENT)
    assert entry.hours == 6 and entry.source_id == registration.pk


@pytest.mark.parametrize("code", ["", "NOPE2345"])
def test_an_unknown_check_in_code_is_refused(event, world, code):
    with pytest.raises(ValidationError, match="No registration"):
        services.event_check_in(event=event, code=code, acting_user=world.staff)


def test_a_code_of_another_event_is_refused(events, event, world):
    other = pages.event_page(events, n=2)
    registration = register(other, world.trainee)
    with pytest.raises(ValidationError, match="another event"):
        services.event_check_in(event=event, code=registration.code, acting_user=world.staff)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_waiting_registration_cannot_check_in(event, world):
    register(event, person(1))
    register(event, person(2))
    waiting = register(event, person(3))
    with pytest.raises(ValidationError, match="not confirmed"):
        services.event_check_in(event=event, code=waiting.code, acting_user=world.staff)


def test_registrations_appear_in_the_persons_calendar_feed(event, world):
    from training.calendar import events_for_person

    registration = register(event, world.trainee)
    [entry] = [e for e in events_for_person(user=world.trainee) if e.uid.startswith("cms-event-")]
    assert entry.summary == event.title and not entry.cancelled
    services.event_registration_cancel(registration=registration, acting_user=world.trainee)
    [entry] = [e for e in events_for_person(user=world.trainee) if e.uid.startswith("cms-event-")]
    assert entry.cancelled and entry.sequence == 1
    assert [e for e in events_for_person(user=world.trainee, cohort=world.cohort) if e.uid.startswith("cms-")] == []


def test_an_english_page_registers_for_the_chinese_event(event, world):
    from wagtail.models import Locale

    from cms.selectors import event_get_for_registration

    english = event.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.save_revision().publish()
    target = event_get_for_registration(event_id=english.pk)
    assert target.pk == event.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_registrations_never_exceed_the_capacity(postgres, monkeypatch, home_page):
    """Ten people race for three seats: exactly three get in, seven wait."""
    import time

    from cms.models import EventPage

    seat_status = services._seat_status

    def slow_seat_status(event):
        # Widen the gap between counting seats and taking one, where a race would slip in.
        status = seat_status(event)
        time.sleep(0.1)
        return status

    monkeypatch.setattr(services, "_seat_status", slow_seat_status)
    event = pages.event_page(pages.event_index(home_page), capacity=3)
    people = [person(n) for n in range(10)]
    barrier = threading.Barrier(len(people))
    outcomes = []

    def take(user):
        try:
            barrier.wait()
            outcomes.append(services.event_register(event=EventPage.objects.get(pk=event.pk), acting_user=user).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["confirmed"] * 3 + ["waitlisted"] * 7
    assert EventRegistration.objects.filter(event=event, status="confirmed").count() == 3
