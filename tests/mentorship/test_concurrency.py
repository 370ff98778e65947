"""Real concurrency on PostgreSQL: a trainee never ends up with two current pairings in a cohort."""

import threading

import pytest
from django.db import IntegrityError, connection

from mentorship import services
from mentorship.models import MatchingBatch, Pairing, PairingStatus
from notifications.models import Notification
from tests.factories.accounts import make_user
from tests.factories.mentorship import make_host, make_pairing, make_window, pending_batch
from tests.factories.training import add_member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*actions):
    """Run each action in its own thread and connection, released at the same moment."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = action()
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_coordinators_publishing_at_once_give_the_trainee_one_pairing(postgres, world):
    make_host(world.mentor)
    make_window(world.mentor.profile.school, world.cohort)
    other_coordinator = make_user(region=world.region_b)
    add_member(world.cohort, other_coordinator, "coordinator", region=world.region_b)
    first = pending_batch(world.cohort, world.coordinator)
    second = pending_batch(world.cohort, other_coordinator)
    assert first.proposals.count() == second.proposals.count() == 1

    outcomes = run_together(
        lambda: services.matching_batch_publish(acting_user=world.coordinator, batch=first),
        lambda: services.matching_batch_publish(acting_user=other_coordinator, batch=second),
    )
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["ValidationError", "list"]
    assert Pairing.objects.filter(cohort=world.cohort, trainee=world.trainee).count() == 1
    # The losing batch rolled back whole: it is still pending, with nothing half-published.
    assert MatchingBatch.objects.filter(status="pending").count() == 1
    assert Notification.objects.filter(kind="mentorship.pairing_proposed").count() == 2


def test_two_coordinators_approving_at_once_agree_the_pairing_once(postgres, world):
    make_host(world.mentor)
    home_coordinator = make_user(region=world.region_b)
    add_member(world.cohort, home_coordinator, "coordinator", region=world.region_b)
    pairing = make_pairing(world.cohort, world.trainee, world.mentor, status=PairingStatus.PROPOSED)
    services.pairing_approve(acting_user=world.trainee, pairing=pairing)
    services.pairing_approve(acting_user=world.mentor, pairing=pairing)

    outcomes = run_together(
        lambda: services.pairing_approve(acting_user=world.coordinator, pairing=pairing),
        lambda: services.pairing_approve(acting_user=home_coordinator, pairing=pairing),
    )
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.AGREED
    assert sorted(pairing.approvals.values_list("party", flat=True)) == [
        "home_coordinator",
        "host_coordinator",
        "mentor",
        "trainee",
    ]
    assert Notification.objects.filter(kind="mentorship.pairing_agreed").count() == 2


def test_the_database_itself_refuses_a_second_current_pairing(postgres, world):
    make_host(world.mentor)
    other_mentor = make_user(region=world.region_a)
    add_member(world.cohort, other_mentor, "mentor")
    window = make_window(world.mentor.profile.school, world.cohort)

    def create(mentor):
        return Pairing.objects.create(
            cohort=world.cohort,
            trainee=world.trainee,
            mentor=mentor,
            kind="shadow_principal",
            host_school=window.school,
            window=window,
            starts_on=world.cohort.starts_on,
            ends_on=world.cohort.ends_on,
            status=PairingStatus.ACTIVE,
        )

    outcomes = run_together(lambda: create(world.mentor), lambda: create(other_mentor))
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["IntegrityError", "Pairing"]
    assert Pairing.objects.filter(trainee=world.trainee, status=PairingStatus.ACTIVE).count() == 1
    assert isinstance(next(o for o in outcomes if not isinstance(o, Pairing)), IntegrityError)
