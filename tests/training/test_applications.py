import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.factories.accounts import make_user
from tests.factories.training import CohortFactory, add_member
from training.models import CohortMembership, CohortRegion, CohortStatus, MembershipStatus
from training.services import application_decide, application_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiting(world):
    world.cohort.status = CohortStatus.RECRUITING
    world.cohort.save()
    return world.cohort


def applicant(world, region=None, **fields):
    return make_user(region=region or world.region_b, **fields)


def test_an_application_waits_for_the_coordinator_of_the_applicants_region(
    world, recruiting, django_capture_on_commit_callbacks
):
    regional = make_user(email="ah-coordinator@example.com", region=world.region_b)
    add_member(recruiting, regional, "coordinator", region=world.region_b)
    person = applicant(world)
    with django_capture_on_commit_callbacks(execute=True):
        membership = application_submit(cohort=recruiting, acting_user=person, statement="希望学习课程领导力")
    assert membership.status == MembershipStatus.APPLIED
    # The Shanghai coordinator does not hear of an Anhui application; the Anhui one does.
    assert [message.to for message in mail.outbox] == [["ah-coordinator@example.com"]]
    with pytest.raises(PermissionDenied):
        application_decide(membership=membership, acting_user=world.coordinator, accept=True)
    application_decide(membership=membership, acting_user=regional, accept=True)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACCEPTED


def test_the_applicant_hears_the_decision(world, recruiting, django_capture_on_commit_callbacks):
    person = applicant(world, region=world.region_a, preferred_language="en")
    membership = application_submit(cohort=recruiting, acting_user=person, statement="I would like to learn")
    with django_capture_on_commit_callbacks(execute=True):
        application_decide(
            membership=membership, acting_user=world.coordinator, accept=False, note="Seats are full this year."
        )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.WITHDRAWN
    (message,) = [message for message in mail.outbox if message.to == [person.email]]
    assert "was not accepted" in message.subject
    assert "Seats are full this year." in message.body


def test_applying_outside_recruitment_is_refused(world):
    with pytest.raises(ValidationError, match="not taking applications|不接受"):
        application_submit(cohort=world.cohort, acting_user=applicant(world), statement="x")


def test_an_applicant_from_a_region_outside_the_cohort_is_refused(world, recruiting):
    from tests.factories.accounts import RegionFactory

    outsider = make_user(region=RegionFactory(code="zz", name="外省"))
    with pytest.raises(ValidationError):
        application_submit(cohort=recruiting, acting_user=outsider, statement="x")
    assert not CohortMembership.objects.filter(user=outsider).exists()


def test_applying_twice_is_refused(world, recruiting):
    person = applicant(world)
    application_submit(cohort=recruiting, acting_user=person, statement="第一次")
    with pytest.raises(ValidationError):
        application_submit(cohort=recruiting, acting_user=person, statement="第二次")


def test_accepting_beyond_the_regions_quota_is_refused(world, recruiting):
    CohortRegion.objects.filter(cohort=recruiting, region=world.region_a).update(quota=1)
    people = [applicant(world, region=world.region_a) for _ in range(2)]
    applications = [application_submit(cohort=recruiting, acting_user=person, statement="x") for person in people]
    application_decide(membership=applications[0], acting_user=world.coordinator, accept=True)
    with pytest.raises(ValidationError, match="no seats left|名额"):
        application_decide(membership=applications[1], acting_user=world.coordinator, accept=True)
    applications[1].refresh_from_db()
    assert applications[1].status == MembershipStatus.APPLIED


def test_the_apply_page_sends_an_application(client, world, recruiting):
    person = applicant(world)
    client.force_login(person)
    response = client.post(f"/en/cohorts/{recruiting.pk}/apply/", {"statement": "希望跟岗学习"})
    assert response.status_code == 302
    assert (
        "waiting" in client.get(response["Location"]).content.decode().lower()
        or CohortMembership.objects.get(user=person).status == "applied"
    )


def test_the_apply_page_of_a_draft_cohort_is_not_found(client, world):
    draft = CohortFactory(status=CohortStatus.DRAFT)
    client.force_login(world.trainee)
    assert client.get(f"/cohorts/{draft.pk}/apply/").status_code == 404


def test_a_coordinator_decides_from_the_applications_page(client, world, recruiting):
    membership = application_submit(
        cohort=recruiting, acting_user=applicant(world, region=world.region_a), statement="x"
    )
    client.force_login(world.coordinator)
    page = client.get(f"/en/cohorts/{recruiting.pk}/applications/").content.decode()
    assert membership.user.display_name in page
    client.post(f"/en/cohorts/{recruiting.pk}/applications/{membership.pk}/", {"decision": "accept"})
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACCEPTED


@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptances_never_exceed_the_quota(postgres, monkeypatch):
    """Eight coordinators accept eight applicants at once for three seats: exactly three get in."""
    import time

    from tests.factories.accounts import RegionFactory
    from training.services import applications

    joined_status = applications.membership_joined_status

    def slow_joined_status(cohort):
        # Widen the gap between counting seats and taking one, where a race would slip in.
        time.sleep(0.2)
        return joined_status(cohort)

    monkeypatch.setattr(applications, "membership_joined_status", slow_joined_status)

    region = RegionFactory(code="ah", name="安徽省")
    cohort = CohortFactory(status=CohortStatus.RECRUITING, capacity=100)
    CohortRegion.objects.create(cohort=cohort, region=region, quota=3)
    coordinator = make_user(email="busy@example.com", is_staff=True)
    applications = [
        application_submit(cohort=cohort, acting_user=make_user(region=region), statement="x") for _ in range(8)
    ]
    barrier = threading.Barrier(len(applications))
    outcomes = []

    def accept(membership):
        try:
            barrier.wait()
            application_decide(membership=membership, acting_user=coordinator, accept=True)
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(membership,)) for membership in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted"] * 3 + ["refused"] * 5
    assert CohortMembership.objects.filter(cohort=cohort, status=MembershipStatus.ACCEPTED).count() == 3
