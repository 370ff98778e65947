"""Calendar feeds, reminders, the demo data and the bench command."""

import datetime

import pytest
from django.utils import timezone

from demo.management.commands.bench_matching import measure
from mentorship import services
from mentorship.models import Pairing, SessionLog
from notifications.models import Notification
from notifications.reminders import reminders_send_due
from tests.factories.accounts import SchoolFactory
from tests.factories.mentorship import log_session, make_host, make_pairing
from training.calendar import events_for_person

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
    reminders_send_due(now=timezone.now())
    # The first check-in is a month away: it is reminded in the week before.
    reminders_send_due(now=timezone.now() + datetime.timedelta(days=30))
    approval = set(
        Notification.objects.filter(kind="mentorship.pairing_approval_reminder").values_list("recipient", flat=True)
    )
    assert approval == {world.other_trainee.pk, world.other_mentor.pk}
    check_in = set(Notification.objects.filter(kind="mentorship.check_in_due").values_list("recipient", flat=True))
    assert check_in == {world.trainee.pk, world.mentor.pk}


def test_the_bench_reports_a_time_for_each_size():
    rows = measure(sizes=(50, 100), kinds=("shadow_teacher",))
    assert [row["trainees"] for row in rows] == [50, 100]
    assert all(row["seconds"] >= 0 and row["placed"] > 0 for row in rows)


def test_mentorship_reminders_run_hourly_and_each_run_reads_only_the_due_window(world, pair, django_assert_num_queries):
    """History (old unconfirmed logs, long-past check-ins, reminders already sent) adds no query to a run."""
    from mentorship.models import CheckIn

    now = timezone.now()

    def add_history(count: int, start: int) -> None:
        for index in range(start, start + count):
            old = log_session(pair, world.mentor, hours="0.5")
            recent = log_session(pair, world.mentor, hours="0.5", kind="observation")
            SessionLog.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=30 + index))
            SessionLog.objects.filter(pk=recent.pk).update(created_at=now - datetime.timedelta(days=3, hours=index + 1))
            CheckIn.objects.create(
                pairing=pair, months_after=100 + index, due_on=timezone.localdate() - datetime.timedelta(days=60)
            )

    def queries_of_a_quiet_run() -> int:
        reminders_send_due(now=now, hourly=True)  # hands over what is new, once
        # Each hourly finder in its own transaction (savepoints here: 8, with the studios' lessons of
        # tomorrow), mentorship's three windows, the studios' window, and one look-up of what was handed
        # over among the logs in the window.
        with django_assert_num_queries(13) as captured:
            assert reminders_send_due(now=now, hourly=True) == 0
        return len(captured)

    add_history(2, 0)
    assert queries_of_a_quiet_run() == 13
    add_history(18, 2)
    assert queries_of_a_quiet_run() == 13
    reminded = Notification.objects.filter(kind="mentorship.session_log_reminder")
    # The twenty logs that crossed the three-day mark in the last week, each once; not the month-old ones.
    assert reminded.count() == 20
    assert set(reminded.values_list("recipient", flat=True)) == {world.trainee.pk}
    assert not Notification.objects.filter(kind="mentorship.check_in_due").exists()


def test_mentorship_reminders_are_not_run_by_the_every_minute_beat(world, pair):
    log = log_session(pair, world.mentor)
    SessionLog.objects.filter(pk=log.pk).update(created_at=timezone.now() - datetime.timedelta(days=3, hours=1))
    reminders_send_due(now=timezone.now(), hourly=False)
    assert not Notification.objects.filter(kind="mentorship.session_log_reminder").exists()
    reminders_send_due(now=timezone.now(), hourly=True)
    assert Notification.objects.filter(kind="mentorship.session_log_reminder").count() == 1


def test_the_daily_digest_lists_mentorship_and_training_messages_of_a_cohort_under_one_heading(world, pair):
    from notifications.channels import EmailChannel
    from notifications.digests import digests_send_due
    from notifications.schedule import next_digest_at
    from notifications.services import notification_preferences_update
    from training.services import schedule_item_cancel, schedule_item_create

    world.trainee.preferred_language = "en"
    world.trainee.save()
    notification_preferences_update(
        acting_user=world.trainee,
        cadences={
            ("training.schedule_item_cancelled", "email"): "digest",
            ("mentorship.session_log_awaiting", "email"): "digest",
        },
    )
    starts_at = timezone.now() + datetime.timedelta(days=5)
    item = schedule_item_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        data={
            "kind": "workshop",
            "title": "集中研修",
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(hours=2),
            "location": "会堂",
            "audience": "trainees",
        },
    )
    schedule_item_cancel(item=item, acting_user=world.coordinator)
    log_session(pair, world.mentor)
    mentorship_message = Notification.objects.get(recipient=world.trainee, kind="mentorship.session_log_awaiting")
    assert mentorship_message.group_key == f"cohort-{world.cohort.pk}"
    assert mentorship_message.group_label == "First cohort"  # the cohort's name in the reader's language

    assert digests_send_due(now=next_digest_at(timezone.now()) + datetime.timedelta(minutes=1)) >= 1
    digest = Notification.objects.get(recipient=world.trainee, kind="digest")
    body = EmailChannel().build_message(digest).body
    assert body.count("== First cohort ==") == 1
    assert "== Other messages ==" not in body
    heading, listed = body.split("== First cohort ==")
    assert "2 new messages" in heading
    assert listed.count("* ") == 2
