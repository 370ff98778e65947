"""Calendar feeds, reminders, the demo data and the bench command."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from mentorship import services
from mentorship.management.commands.bench_matching import measure
from mentorship.models import Pairing, SessionLog, SessionLogStatus
from notifications.models import Notification
from notifications.reminders import reminders_send_due
from tests.factories.accounts import SchoolFactory
from tests.factories.mentorship import log_session, make_host, make_pairing
from training.calendar import events_for_person
from training.models import HoursEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(world):
    make_host(world.mentor)
    return make_pairing(world.cohort, world.trainee, world.mentor, coordinator=world.coordinator)


def test_sessions_and_next_meetings_join_both_peoples_calendars_and_nobody_elses(world, pair):
    meeting = timezone.now() + datetime.timedelta(days=3)
    log = log_session(pair, world.mentor, next_meeting=meeting)
    for person in (world.trainee, world.mentor):
        uids = {event.uid for event in events_for_person(user=person)}
        assert {f"mentorship-session-{log.pk}@yingzi", f"mentorship-next-meeting-{log.pk}@yingzi"} <= uids
    assert not [e for e in events_for_person(user=world.other_trainee) if e.uid.startswith("mentorship-")]


def test_a_log_that_is_not_counted_is_cancelled_in_the_feed_with_a_higher_sequence(world, pair):
    log = log_session(pair, world.mentor)
    services.session_log_dispute(acting_user=world.trainee, session_log=log, comment="没有这次活动")
    services.session_log_resolve(acting_user=world.coordinator, session_log=log, accept=False)
    event = next(e for e in events_for_person(user=world.trainee) if e.uid == f"mentorship-session-{log.pk}@yingzi")
    assert event.cancelled and event.sequence == 1


def test_a_log_left_unconfirmed_for_three_days_reminds_the_other_party_once(world, pair):
    log = log_session(pair, world.mentor)
    SessionLog.objects.filter(pk=log.pk).update(created_at=timezone.now() - datetime.timedelta(days=3, hours=1))
    reminders_send_due(now=timezone.now())
    reminders_send_due(now=timezone.now() + datetime.timedelta(minutes=1))
    reminded = Notification.objects.filter(kind="mentorship.session_log_reminder")
    assert list(reminded.values_list("recipient", flat=True)) == [world.trainee.pk]


def test_a_confirmed_log_is_not_reminded(world, pair):
    log = log_session(pair, world.mentor)
    services.session_log_confirm(acting_user=world.trainee, session_log=log)
    SessionLog.objects.filter(pk=log.pk).update(created_at=timezone.now() - datetime.timedelta(days=5))
    reminders_send_due(now=timezone.now())
    assert not Notification.objects.filter(kind="mentorship.session_log_reminder").exists()


def test_pairings_awaiting_approval_and_due_check_ins_are_reminded(world, pair):
    make_host(world.other_mentor, school=SchoolFactory(region=world.region_b))
    proposed = make_pairing(world.other_cohort, world.other_trainee, world.other_mentor, status="proposed")
    Pairing.objects.filter(pk=proposed.pk).update(created_at=timezone.now() - datetime.timedelta(days=4))
    services.pairing_complete(acting_user=world.mentor, pairing=pair)
    reminders_send_due(now=timezone.now() + datetime.timedelta(days=30))
    approval = set(
        Notification.objects.filter(kind="mentorship.pairing_approval_reminder").values_list("recipient", flat=True)
    )
    assert approval == {world.other_trainee.pk, world.other_mentor.pk}
    check_in = set(Notification.objects.filter(kind="mentorship.check_in_due").values_list("recipient", flat=True))
    assert check_in == {world.trainee.pk, world.mentor.pk}


def test_the_demo_shows_a_live_pairing_and_scale_adds_pairings_in_bulk(db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    pairing = Pairing.objects.get(trainee__email="trainee@yingzi.example")
    assert pairing.mentor.email == "mentor@yingzi.example" and pairing.status == "active"
    statuses = set(pairing.session_logs.values_list("status", flat=True))
    assert {SessionLogStatus.CONFIRMED, SessionLogStatus.AWAITING} <= statuses
    assert pairing.reflections.count() == 2
    assert HoursEntry.objects.filter(trainee=pairing.trainee, source="mentoring").count() == 3
    call_command("seed_demo", scale=40, verbosity=0)
    scaled = Pairing.objects.filter(cohort__name="规模测试班 40")
    assert scaled.count() >= 35
    assert SessionLog.objects.filter(pairing__cohort__name="规模测试班 40", status="awaiting").count() == scaled.count()


def test_the_bench_reports_a_time_for_each_size():
    rows = measure(sizes=(50, 100), kinds=("shadow_teacher",))
    assert [row["trainees"] for row in rows] == [50, 100]
    assert all(row["seconds"] >= 0 and row["placed"] > 0 for row in rows)
