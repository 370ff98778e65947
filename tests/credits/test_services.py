"""Records from training's signals, conversion and caps, recognition, and what bad input changes (nothing)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.audit import audit_entries_for
from credits.models import CreditRecord, Recognition, RecognitionRule
from credits.services import recognition_decide, records_from_certificates, rule_create
from tests.factories.accounts import make_user
from tests.factories.credits import activity, rule_data
from training import events
from training.models import Certificate, CohortMembership, HoursSource
from training.services import certificate_issue, certificate_revoke, hours_correct, hours_credit

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 5, 10)


@pytest.fixture
def ready(world, pairings):
    """The world trainee (Anhui) meets every rule with 40 hours, hosted by a mentor from Shanghai."""
    programme = world.cohort.programme
    programme.required_sessions = programme.required_assignments = 0
    programme.min_mentoring_hours = programme.credit_hours = Decimal("2")
    programme.save()
    membership = CohortMembership.objects.get(cohort=world.cohort, user=world.trainee)
    # 40 hours over two days: a day credits at most 24.
    for days_ago, source_object in ((1, world.cohort), (0, membership)):
        hours_credit(
            trainee=world.trainee,
            hours=Decimal("20"),
            source=HoursSource.MENTORING,
            occurred_on=timezone.localdate() - datetime.timedelta(days=days_ago),
            source_object=source_object,
            cohort=world.cohort,
        )
    pairings(world.cohort, world.trainee, world.mentor)
    return membership


def sign_off(world):
    (certificate,) = certificate_issue(
        cohort=world.cohort, acting_user=world.coordinator, trainee_ids=[world.trainee.pk]
    )
    return certificate


def told(person) -> list[str]:
    """What the person was told about recognitions, in their inbox."""
    from notifications.models import Notification

    return [
        n.context["message"] for n in Notification.objects.filter(recipient=person, kind="credits.recognition_decided")
    ]


def by_region(record) -> dict:
    return {r.region.code: (r.status, r.credits) for r in record.recognitions.select_related("region")}


def test_a_completion_certificate_becomes_one_record_issued_by_the_host_region(world, ready):
    certificate = sign_off(world)
    (record,) = CreditRecord.objects.all()
    assert (record.person, record.kind, record.hours) == (world.trainee, "programme", certificate.hours)
    assert record.issuing_region == world.region_a  # shadowed in Shanghai
    assert record.home_region == world.region_b
    # No rule anywhere yet: the platform's 10 hours a credit; Anhui's office decides.
    assert record.credits == Decimal("4.0")
    assert by_region(record) == {"sh": ("issued", Decimal("4.0")), "ah": ("pending", Decimal("0"))}


def test_a_signal_delivered_twice_writes_one_record(world, ready):
    certificate = sign_off(world)
    events.certificate_issued.send(sender=Certificate, certificates=[certificate])
    records_from_certificates(certificates=[certificate])
    assert CreditRecord.objects.count() == 1
    assert Recognition.objects.count() == 2


def test_the_home_rule_recognises_accepted_records_automatically_and_tells_the_person(world, ready):
    rule_create(acting_user=world.regional_admin, region=world.region_b, **rule_data(accepts={"programme": ["sh"]}))
    sign_off(world)
    (record,) = CreditRecord.objects.all()
    recognition = record.recognitions.get(region=world.region_b)
    assert (recognition.status, recognition.automatic, recognition.credits) == ("recognised", True, Decimal("4.0"))
    assert recognition.rule.version == 1
    assert told(world.trainee) == [f"安徽省认定“{record.title}”为 4.0 学分。"]
    assert [e.action for e in audit_entries_for(instances=[recognition])] == ["credits.recognition.automatic"]


def test_conversion_follows_each_regions_own_rule_per_kind(world):
    rule_create(
        acting_user=world.staff,
        region=world.region_a,
        **rule_data(hours_per_credit={"studio": "4"}),
    )
    rule_create(
        acting_user=world.staff,
        region=world.region_b,
        **rule_data(hours_per_credit={"studio": "3"}, accepts={"studio": ["sh"]}),
    )
    record = activity(world.trainee, hours="10", issuer=world.region_a, on=DAY)
    assert record.credits == Decimal("2.5")
    assert by_region(record) == {"sh": ("issued", Decimal("2.5")), "ah": ("recognised", Decimal("3.3"))}


def test_a_yearly_cap_per_category_limits_what_a_region_counts(world):
    rule_create(
        acting_user=world.staff,
        region=world.region_b,
        **rule_data(hours_per_credit={"studio": "5"}, yearly_caps={"research": "5"}, accepts={"studio": ["sh"]}),
    )
    first = activity(world.trainee, hours="20", issuer=world.region_a, on=DAY)
    second = activity(world.trainee, hours="20", issuer=world.region_a, on=DAY + datetime.timedelta(days=1))
    next_year = activity(world.trainee, hours="20", issuer=world.region_a, on=DAY.replace(year=2026))
    other_category = activity(
        world.trainee, hours="20", issuer=world.region_a, on=DAY + datetime.timedelta(days=2), category="training"
    )
    home = {r: r.recognitions.get(region=world.region_b) for r in (first, second, next_year, other_category)}
    assert home[first].credits == Decimal("4.0")
    assert (home[second].credits_converted, home[second].credits) == (Decimal("4.0"), Decimal("1.0"))
    assert home[next_year].credits == Decimal("4.0")
    assert home[other_category].credits == Decimal("4.0")


def test_the_office_recognises_a_queue_in_bulk_under_its_rule_of_the_day(world):
    records = [
        activity(world.trainee, hours="12", issuer=world.region_a, on=DAY + datetime.timedelta(days=day))
        for day in range(3)
    ]
    rule_create(acting_user=world.regional_admin, region=world.region_b, **rule_data(hours_per_credit={"studio": "6"}))
    queue = [record.recognitions.get(region=world.region_b) for record in records]
    assert {r.status for r in queue} == {"pending"}
    decided = recognition_decide(
        acting_user=world.regional_admin, recognition_ids=[r.pk for r in queue], recognise=True
    )
    assert [(r.status, r.credits, r.rule.version, r.decided_by) for r in decided] == [
        ("recognised", Decimal("2.0"), 1, world.regional_admin)
    ] * 3
    assert len(told(world.trainee)) == 3


def test_a_refusal_needs_a_reason_which_the_person_reads(world):
    record = activity(world.trainee, hours="12", issuer=world.region_a, on=DAY)
    pending = record.recognitions.get(region=world.region_b)
    with pytest.raises(ValidationError) as raised:
        recognition_decide(acting_user=world.regional_admin, recognition_ids=[pending.pk], recognise=False, reason=" ")
    assert "reason" in raised.value.message_dict
    recognition_decide(
        acting_user=world.regional_admin, recognition_ids=[pending.pk], recognise=False, reason="活动未经备案"
    )
    pending.refresh_from_db()
    assert (pending.status, pending.reason, pending.credits) == ("refused", "活动未经备案", Decimal("0"))
    assert told(world.trainee) == ["安徽省不认定“名师工作室教研活动”：活动未经备案"]


def test_recognising_a_record_of_another_regions_person_changes_nothing(world):
    mine = activity(world.trainee, hours="12", issuer=world.region_a, on=DAY).recognitions.get(region=world.region_b)
    theirs = activity(world.other_trainee, hours="12", issuer=world.region_b, on=DAY).recognitions.get(
        region=world.region_a
    )
    with pytest.raises(ValidationError) as raised:
        recognition_decide(acting_user=world.regional_admin, recognition_ids=[mine.pk, theirs.pk], recognise=True)
    assert "another region" in str(raised.value) or "其他地区" in str(raised.value)
    assert set(Recognition.objects.filter(pk__in=[mine.pk, theirs.pk]).values_list("status", flat=True)) == {"pending"}


def test_recognising_twice_is_refused_and_changes_nothing(world):
    pending = activity(world.trainee, hours="12", issuer=world.region_a, on=DAY).recognitions.get(region=world.region_b)
    recognition_decide(acting_user=world.regional_admin, recognition_ids=[pending.pk], recognise=True)
    before = Recognition.objects.get(pk=pending.pk)
    with pytest.raises(ValidationError) as raised:
        recognition_decide(
            acting_user=world.regional_admin, recognition_ids=[pending.pk], recognise=False, reason="重复"
        )
    assert "Already decided" in str(raised.value) or "已经处理" in str(raised.value)
    after = Recognition.objects.get(pk=pending.pk)
    assert (after.status, after.credits, after.decided_at) == (before.status, before.credits, before.decided_at)


def test_rules_with_overlapping_dates_are_refused(world):
    rule_create(
        acting_user=world.regional_admin,
        region=world.region_b,
        **rule_data(effective_from=datetime.date(2024, 1, 1), effective_to=datetime.date(2024, 12, 31)),
    )
    with pytest.raises(ValidationError) as raised:
        rule_create(
            acting_user=world.regional_admin,
            region=world.region_b,
            **rule_data(effective_from=datetime.date(2023, 6, 1), effective_to=datetime.date(2024, 2, 1)),
        )
    assert "overlap" in str(raised.value) or "重叠" in str(raised.value)
    assert RecognitionRule.objects.count() == 1


def test_a_new_version_takes_over_from_the_open_one_and_leaves_past_recognitions_alone(world):
    first = rule_create(
        acting_user=world.regional_admin,
        region=world.region_b,
        **rule_data(hours_per_credit={"studio": "4"}, accepts={"studio": ["sh"]}),
    )
    before = activity(world.trainee, hours="12", issuer=world.region_a, on=DAY).recognitions.get(region=world.region_b)
    second = rule_create(
        acting_user=world.regional_admin,
        region=world.region_b,
        **rule_data(effective_from=datetime.date(2025, 1, 1), hours_per_credit={"studio": "12"}, accepts={}),
    )
    first.refresh_from_db()
    assert first.effective_to == datetime.date(2024, 12, 31)
    assert second.version == 2
    before.refresh_from_db()
    assert (before.status, before.credits, before.rule_id) == ("recognised", Decimal("3.0"), first.pk)
    after = activity(world.trainee, hours="12", issuer=world.region_a, on=DAY).recognitions.get(region=world.region_b)
    assert after.status == "pending"


def test_a_cap_below_zero_is_refused(world):
    with pytest.raises(ValidationError) as raised:
        rule_create(
            acting_user=world.regional_admin, region=world.region_b, **rule_data(yearly_caps={"research": "-1"})
        )
    assert "below zero" in str(raised.value) or "不能小于零" in str(raised.value)
    assert not RecognitionRule.objects.exists()


def test_only_the_regions_office_sets_its_rules(world):
    with pytest.raises(PermissionDenied):
        rule_create(acting_user=world.regional_admin, region=world.region_a, **rule_data())
    with pytest.raises(PermissionDenied):
        rule_create(acting_user=world.coordinator, region=world.region_b, **rule_data())


def test_a_revoked_certificate_takes_its_credits_back_everywhere(world, ready):
    rule_create(acting_user=world.regional_admin, region=world.region_b, **rule_data(accepts={"programme": ["sh"]}))
    certificate = sign_off(world)
    certificate_revoke(certificate=certificate, acting_user=world.coordinator, reason="材料不实")
    original, correction = CreditRecord.objects.order_by("pk")
    assert correction.corrects == original and correction.hours == -original.hours
    for region in (world.region_a, world.region_b):
        total = sum(r.credits for r in Recognition.objects.filter(region=region))
        assert total == 0


def test_an_event_check_in_becomes_a_record_issued_by_the_host_region(world, home_page):
    from cms.services import event_check_in, event_register
    from tests.factories import cms as pages

    event = pages.event_page(pages.event_index(home_page), capacity=5, host_region=world.region_a, credit_hours=6)
    registration = event_register(event=event, acting_user=world.trainee)
    staff = world.staff
    event_check_in(event=event, code=registration.code, acting_user=staff)
    event_check_in(event=event, code=registration.code, acting_user=staff)
    (record,) = CreditRecord.objects.all()
    assert (record.kind, record.category, record.title, record.hours) == ("event", "exchange", event.title, 6)
    assert record.issuing_region == world.region_a and record.home_region == world.region_b
    entry = world.trainee.hours_entries.get()
    hours_correct(entry=entry, hours=Decimal("-2"), acting_user=staff, note="提前离场")
    correction = CreditRecord.objects.get(corrects=record)
    assert correction.hours == Decimal("-2")
    assert sum(r.credits for r in Recognition.objects.filter(region=world.region_a)) == Decimal("0.4")


def test_cohort_hours_reach_the_bank_only_through_the_certificate(world):
    membership = CohortMembership.objects.get(cohort=world.cohort, user=world.trainee)
    hours_credit(
        trainee=world.trainee,
        hours=Decimal("3"),
        source=HoursSource.MENTORING,
        occurred_on=DAY,
        source_object=membership,
        cohort=world.cohort,
    )
    assert not CreditRecord.objects.exists()


def test_a_person_without_a_home_region_has_no_queue_entry(world):
    drifter = make_user(email="drifter@example.com", display_name="无地区")
    record = activity(drifter, hours="10", issuer=world.region_a, on=DAY)
    assert by_region(record) == {"sh": ("issued", Decimal("1.0"))}


def test_ids_that_are_not_records_are_refused_with_a_message(world):
    for ids in (["abc"], [2**70], [-3]):
        with pytest.raises(ValidationError):
            recognition_decide(acting_user=world.regional_admin, recognition_ids=ids, recognise=True)
