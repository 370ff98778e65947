"""Pairings, approvals, session logs and follow-up through the services, as people use them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import override
from wagtail.models import ModelLogEntry

from mentorship import services
from mentorship.models import (
    CheckIn,
    DoNotMatch,
    Pairing,
    PairingStatus,
    SessionLog,
    SessionLogStatus,
)
from notifications.models import Notification
from tests.factories.accounts import SchoolFactory, make_user
from tests.factories.mentorship import log_session, make_host, make_pairing, make_window
from tests.factories.training import add_member
from training.models import HoursEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(world):
    make_host(world.mentor)
    return make_pairing(world.cohort, world.trainee, world.mentor, coordinator=world.coordinator)


def ledger(trainee):
    return list(HoursEntry.objects.filter(trainee=trainee).values_list("hours", flat=True))


def test_only_confirmed_hours_are_credited_and_only_once(world, pair):
    log = log_session(pair, world.mentor, hours="3.0")
    assert ledger(world.trainee) == []
    services.session_log_confirm(acting_user=world.trainee, session_log=log)
    with pytest.raises(ValidationError):
        services.session_log_confirm(acting_user=world.trainee, session_log=log)
    assert ledger(world.trainee) == [Decimal("3.0")]
    entry = HoursEntry.objects.get(trainee=world.trainee)
    assert entry.cohort == world.cohort and entry.source == "mentoring"


def test_a_disputed_log_credits_nothing_until_the_coordinator_counts_it(world, pair):
    log = log_session(pair, world.mentor, hours="2.5")
    services.session_log_dispute(acting_user=world.trainee, session_log=log, comment="那天我们只见了一小时")
    assert ledger(world.trainee) == []
    assert Notification.objects.filter(recipient=world.coordinator, kind="mentorship.session_log_disputed").exists()
    services.session_log_resolve(acting_user=world.coordinator, session_log=log, accept=True, comment="核实无误")
    assert ledger(world.trainee) == [Decimal("2.5")]


def test_a_rejected_dispute_never_counts(world, pair):
    log = log_session(pair, world.mentor)
    services.session_log_dispute(acting_user=world.trainee, session_log=log, comment="日期不对")
    services.session_log_resolve(acting_user=world.coordinator, session_log=log, accept=False)
    assert SessionLog.objects.get(pk=log.pk).status == SessionLogStatus.REJECTED
    assert ledger(world.trainee) == []


@pytest.mark.parametrize("who", ["mentor", "coordinator", "other_trainee", "staff"])
def test_only_the_other_party_confirms_a_log(world, pair, who):
    log = log_session(pair, world.mentor)
    with pytest.raises(PermissionDenied):
        services.session_log_confirm(acting_user=world.person(who), session_log=log)
    assert SessionLog.objects.get(pk=log.pk).status == SessionLogStatus.AWAITING
    assert ledger(world.trainee) == []


def test_a_trainee_logs_and_the_mentor_confirms(world, pair):
    log = log_session(pair, world.trainee, kind="shadow_day", hours="8")
    with pytest.raises(PermissionDenied):
        services.session_log_confirm(acting_user=world.trainee, session_log=log)
    services.session_log_confirm(acting_user=world.mentor, session_log=log)
    assert ledger(world.trainee) == [Decimal("8.0")]


def test_the_shadow_day_log_is_kept_by_the_trainee_once_a_day(world, pair):
    with pytest.raises(ValidationError) as error:
        log_session(pair, world.mentor, kind="shadow_day")
    assert "kind" in error.value.message_dict
    log_session(pair, world.trainee, kind="shadow_day", days_ago=2)
    with pytest.raises(ValidationError):
        log_session(pair, world.trainee, kind="shadow_day", days_ago=2)
    assert SessionLog.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"days_ago": -1}, "occurred_on", "A session cannot be logged for a date in the future."),
        ({"days_ago": 30}, "occurred_on", "The session is dated before the pairing began."),
        ({"hours": "25"}, "hours", "A day counts at most 24 hours."),
        ({"hours": "0"}, "hours", "A session lasts more than zero hours."),
    ],
)
def test_bad_logs_are_refused_with_a_clear_message_and_change_nothing(world, pair, fields, field, message):
    with override("en"), pytest.raises(ValidationError) as error:
        log_session(pair, world.mentor, **fields)
    assert error.value.message_dict[field] == [message]
    assert SessionLog.objects.count() == 0
    assert not Notification.objects.filter(kind="mentorship.session_log_awaiting").exists()


def test_the_refusal_is_in_the_readers_language(world, pair):
    with override("zh-hans"), pytest.raises(ValidationError) as error:
        log_session(pair, world.mentor, days_ago=-1)
    assert error.value.message_dict["occurred_on"] == ["不能为将来的日期记录带教活动。"]


def test_a_day_never_adds_up_to_more_than_24_hours(world, pair):
    log_session(pair, world.mentor, hours="20", days_ago=3)
    with override("en"), pytest.raises(ValidationError) as error:
        log_session(pair, world.trainee, hours="5", days_ago=3, kind="observation")
    assert "more than 24 hours" in error.value.message_dict["hours"][0]
    assert SessionLog.objects.count() == 1


def test_a_log_before_the_pairing_starts_is_refused(world):
    make_host(world.mentor)
    pairing = make_pairing(world.cohort, world.trainee, world.mentor, status=PairingStatus.AGREED)
    with pytest.raises(ValidationError):
        log_session(pairing, world.mentor)


def test_every_party_approves_and_then_the_pairing_is_agreed(world):
    make_host(world.mentor)
    pairing = make_pairing(world.cohort, world.trainee, world.mentor, status=PairingStatus.PROPOSED)
    services.pairing_approve(acting_user=world.trainee, pairing=pairing)
    services.pairing_approve(acting_user=world.mentor, pairing=pairing)
    assert Pairing.objects.get(pk=pairing.pk).status == PairingStatus.PROPOSED
    # The host region's coordinator; the trainee's region has none in this cohort, so they approve for it too.
    services.pairing_approve(acting_user=world.coordinator, pairing=pairing)
    assert Pairing.objects.get(pk=pairing.pk).status == PairingStatus.AGREED
    assert Notification.objects.filter(kind="mentorship.pairing_agreed").count() == 2
    actions = set(ModelLogEntry.objects.filter(object_id=str(pairing.pk)).values_list("action", flat=True))
    assert {"mentorship.pairing.approve", "mentorship.pairing.agree"} <= actions


def test_a_coordinator_of_another_cohort_cannot_approve(world):
    make_host(world.mentor)
    pairing = make_pairing(world.cohort, world.trainee, world.mentor, status=PairingStatus.PROPOSED)
    with pytest.raises(PermissionDenied):
        services.pairing_approve(acting_user=world.other_coordinator, pairing=pairing)
    assert not pairing.approvals.exists()


def test_approving_a_pairing_that_now_breaks_a_rule_is_refused(world):
    make_host(world.mentor)
    pairing = make_pairing(world.cohort, world.trainee, world.mentor, status=PairingStatus.PROPOSED)
    DoNotMatch.objects.create(trainee=world.trainee, mentor=world.mentor, reason="上一期不合适")
    with override("en"), pytest.raises(ValidationError) as error:
        services.pairing_approve(acting_user=world.trainee, pairing=pairing)
    assert error.value.messages == ["This trainee and host are marked “do not match again”."]
    assert not pairing.approvals.exists()


def test_approving_after_the_host_moved_to_the_trainees_school_is_refused(world):
    host = make_host(world.mentor)
    pairing = make_pairing(world.cohort, world.trainee, world.mentor, status=PairingStatus.PROPOSED)
    host.school = world.trainee.profile.school
    host.save()
    with pytest.raises(ValidationError):
        services.pairing_approve(acting_user=world.mentor, pairing=pairing)
    assert not pairing.approvals.exists()


def test_a_changed_agreement_is_approved_again(world):
    make_host(world.mentor)
    pairing = make_pairing(world.cohort, world.trainee, world.mentor, status=PairingStatus.PROPOSED)
    services.pairing_approve(acting_user=world.trainee, pairing=pairing)
    services.pairing_agreement_update(
        acting_user=world.mentor,
        pairing=pairing,
        focus_areas=["planning_development"],
        visit_days="每周二、周四",
        expectations="<script>alert(1)</script>每周听课两节",
    )
    pairing.refresh_from_db()
    assert pairing.agreement_expectations == "每周听课两节"
    assert not pairing.approvals.exists()


def test_reassigning_keeps_the_history(world, pair):
    other = make_user(display_name="导师丁", region=world.region_a, school=SchoolFactory(region=world.region_a))
    add_member(world.cohort, other, "mentor")
    make_host(other, capacity=3)
    make_window(other.profile.school, world.cohort)
    new = services.pairing_reassign(acting_user=world.coordinator, pairing=pair, mentor_id=other.pk, reason="导师调任")
    old = Pairing.objects.get(pk=pair.pk)
    assert old.status == PairingStatus.ENDED and old.ended_reason == "导师调任"
    assert new.previous_id == old.pk and new.status == PairingStatus.PROPOSED and new.mentor_id == other.pk
    assert list(Pairing.objects.filter(trainee=world.trainee).order_by("pk").values_list("mentor_id", flat=True)) == [
        world.mentor.pk,
        other.pk,
    ]


def test_ending_with_do_not_match_keeps_the_pair_apart_in_future_runs(world, pair):
    services.pairing_end(acting_user=world.coordinator, pairing=pair, reason="沟通不畅", do_not_match=True)
    assert DoNotMatch.objects.filter(trainee=world.trainee, mentor=world.mentor).exists()
    data, _ = services.matching_input_build(cohort=world.cohort)
    assert (world.trainee.pk, world.mentor.pk) in data.do_not_match


def test_completing_schedules_check_ins_at_one_three_and_six_months(world, pair):
    services.pairing_complete(acting_user=world.mentor, pairing=pair)
    today = timezone.localdate()
    months = list(CheckIn.objects.filter(pairing=pair).values_list("months_after", "due_on"))
    assert [m for m, _ in months] == [1, 3, 6]
    assert all(due > today for _, due in months)


def test_reflections_are_cleaned_on_the_server(world, pair):
    reflection = services.reflection_create(
        acting_user=world.trainee,
        pairing=pair,
        title="反思",
        body='<p onclick="x()">好</p><img src=x onerror=alert(1)><a href="javascript:alert(1)">链接</a>',
    )
    assert reflection.body == "<p>好</p>链接"
    comment = services.reflection_comment_add(acting_user=world.mentor, reflection=reflection, body="<b>很好</b>")
    assert comment.body == "很好"
    assert Notification.objects.filter(recipient=world.trainee, kind="mentorship.reflection_commented").exists()


def test_only_the_trainee_writes_reflections_and_only_the_mentor_or_coordinator_comments(world, pair):
    with pytest.raises(PermissionDenied):
        services.reflection_create(acting_user=world.mentor, pairing=pair, title="x", body="y")
    reflection = services.reflection_create(acting_user=world.trainee, pairing=pair, title="x", body="y")
    with pytest.raises(PermissionDenied):
        services.reflection_comment_add(acting_user=world.other_coordinator, reflection=reflection, body="z")


def test_evaluations_need_every_item_rated_from_one_to_four(world, pair):
    items = [code for code, _ in services.rubric_items(pairing=pair, kind="mentor_rates_trainee")]
    ratings = dict.fromkeys(items, 3)
    ratings[items[0]] = 5
    with pytest.raises(ValidationError):
        services.evaluation_submit(
            acting_user=world.mentor, pairing=pair, stage="midpoint", kind="mentor_rates_trainee", ratings=ratings
        )
    ratings[items[0]] = 4
    evaluation = services.evaluation_submit(
        acting_user=world.mentor, pairing=pair, stage="midpoint", kind="mentor_rates_trainee", ratings=ratings
    )
    assert evaluation.average == Decimal("3.2")
    with pytest.raises(PermissionDenied):
        services.evaluation_submit(
            acting_user=world.trainee, pairing=pair, stage="midpoint", kind="mentor_rates_trainee", ratings=ratings
        )


def test_a_check_in_cannot_be_recorded_in_the_future(world, pair):
    check_in = services.check_ins_schedule(pairing=pair, after=timezone.localdate())[0]
    with pytest.raises(ValidationError):
        services.check_in_record(
            acting_user=world.mentor,
            check_in=check_in,
            held_on=timezone.localdate() + datetime.timedelta(days=1),
            progress="进展顺利",
        )
    services.check_in_record(acting_user=world.mentor, check_in=check_in, held_on=timezone.localdate(), progress="好")
    assert CheckIn.objects.get(pk=check_in.pk).held_on == timezone.localdate()
