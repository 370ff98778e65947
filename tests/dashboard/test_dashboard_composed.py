"""A dashboard composed afresh (the first visit after a change) reads each panel once: twelve queries at most,
the same for a small cohort and one ten times its size, and for a person in one cohort or in eleven."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboard.freshness import person_invalidate
from mentorship.models import Pairing, PairingStatus
from tests.dashboard.test_cohort_overview import add_trainees
from tests.factories.mentorship import log_session, make_pairing, mentorship_world
from tests.factories.training import CohortFactory, add_member, training_world, workshop
from training import services
from training.models import Attendance, HoursEntry, HoursSource, ScheduleItem
from training.selectors import progress_for_trainee
from training.selectors.dashboard import (
    membership_list_for_dashboard,
    schedule_item_list_upcoming_for_memberships,
    trainee_panels,
)
from training.selectors.invitations import invitation_token

pytestmark = pytest.mark.django_db

MOST = 8


def composed_afresh(client, person) -> tuple[int, str]:
    """Queries of the visit right after the person's cached dashboard is forgotten, and the page."""
    client.force_login(person)
    client.get("/en/dashboard/")  # sessions, content types and the menu warm, as on a running server
    person_invalidate(person.pk)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/dashboard/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def a_cohort_of_my_own(world, person, index: int):
    """Another cohort I am a trainee of, with a required workshop and an assignment of its own."""
    now = timezone.now()
    morning = timezone.localtime(now).replace(hour=9, minute=0, second=0, microsecond=0)  # a one-day workshop
    cohort = CohortFactory(name_en=f"Extra cohort {index}")
    add_member(cohort, person, "trainee")
    add_member(cohort, world.coordinator, "coordinator")
    item = workshop(
        cohort,
        world.coordinator,
        title_en=f"Extra workshop {index}",
        starts_at=morning - datetime.timedelta(days=2),
        ends_at=morning - datetime.timedelta(days=2) + datetime.timedelta(hours=3),
    )
    item.required = True
    item.save(update_fields=["required"])
    services.assignment_create(
        cohort=cohort,
        acting_user=world.coordinator,
        data={
            "kind": "reflection",
            "title": f"反思{index}",
            "due_at": now + datetime.timedelta(days=index + 1),
            "reviewer": "coordinator",
        },
    )
    return cohort


def test_a_trainees_dashboard_composed_afresh_reads_at_most_12_queries_at_n_and_10n(client, world):
    training_world(world)
    mentorship_world(world)
    add_trainees(world, 3)
    few, page = composed_afresh(client, world.trainee)
    assert "First workshop" in page and "导师甲" in page and "My certificates" in page
    add_trainees(world, 27)
    for index in range(10):
        a_cohort_of_my_own(world, world.trainee, index)
    many, page = composed_afresh(client, world.trainee)
    assert few == many <= MOST
    assert page.count("My progress") == 11
    assert "Extra cohort 9" in page


def test_a_mentors_dashboard_composed_afresh_reads_at_most_12_queries_at_n_and_10n(client, world):
    mentorship_world(world)
    few, page = composed_afresh(client, world.mentor)
    assert "学员甲" in page
    trainees = add_trainees(world, 9)
    for trainee in trainees:
        # Made directly as under way: the approvals would stop at the host school's capacity.
        pairing = make_pairing(world.cohort, trainee, world.mentor, status=PairingStatus.PROPOSED)
        Pairing.objects.filter(pk=pairing.pk).update(status=PairingStatus.ACTIVE)
        pairing.refresh_from_db()
        log_session(pairing, trainee, hours="1.5")
    proposed = add_trainees(world, 1)[0]
    make_pairing(world.cohort, proposed, world.mentor, status=PairingStatus.PROPOSED)
    many, page = composed_afresh(client, world.mentor)
    assert few == many <= MOST
    assert page.count("Awaits your approval") == 1
    assert trainees[-1].display_name in page


def test_my_progress_on_the_dashboard_is_the_overviews_in_every_cohort(client, world):
    """The dashboard reads one trainee's facts across cohorts; the overview reads a cohort's: the same figures."""
    training_world(world)
    mentorship_world(world)
    second = a_cohort_of_my_own(world, world.trainee, 1)
    item = second.schedule_items.get()
    Attendance.objects.create(
        schedule_item=item, trainee=world.trainee, day=timezone.localtime(item.starts_at).date(), method="manual"
    )
    wrong = HoursEntry.objects.create(
        trainee=world.trainee,
        cohort=second,
        source=HoursSource.MENTORING,
        hours=Decimal("4.5"),
        occurred_on=timezone.localdate(),
    )
    HoursEntry.objects.create(
        trainee=world.trainee,
        cohort=second,
        source=HoursSource.CORRECTION,
        corrects=wrong,
        hours=Decimal("-1.5"),
        occurred_on=timezone.localdate(),
    )
    now = timezone.now()
    memberships = list(membership_list_for_dashboard(user=world.trainee, now=now))
    shown = trainee_panels(user=world.trainee, memberships=memberships, now=now).progress
    expected = progress_for_trainee(user=world.trainee)
    assert len(shown) == len(expected) == 2

    def figures(pairs):
        return sorted(
            (
                membership.cohort_id,
                progress.percent,
                [(rule.key, rule.done, rule.required) for rule in progress.rules],
                [flag.message for flag in progress.flags],
                progress.last_mentoring_on,
            )
            for membership, progress in pairs
        )

    assert figures(shown) == figures(expected)
    assert any(progress.mentoring_hours == Decimal("3") for _, progress in shown)
    assert any(progress.sessions_attended == 1 for _, progress in shown)


def test_what_is_next_on_the_dashboard_is_every_item_meant_for_me(world):
    """The dashboard writes my memberships into its query; it lists what `for_person` does, for every role."""
    now = timezone.now()
    trainee_membership = world.trainee.memberships.get(cohort=world.cohort)
    for index, (audience, participants) in enumerate(
        [("cohort", []), ("trainees", []), ("mentors", []), ("named", [trainee_membership])]
    ):
        services.schedule_item_create(
            cohort=world.cohort,
            acting_user=world.coordinator,
            data={
                "kind": "workshop",
                "title": f"活动{index}",
                "starts_at": now + datetime.timedelta(days=index + 1),
                "ends_at": now + datetime.timedelta(days=index + 1, hours=2),
                "location": "上海市教育会堂",
                "audience": audience,
                "participants": participants,
            },
        )
    for person in (world.trainee, world.mentor, world.coordinator, world.other_trainee):
        memberships = list(membership_list_for_dashboard(user=person, now=now))
        shown = schedule_item_list_upcoming_for_memberships(memberships=memberships, now=now, limit=50)
        expected = list(ScheduleItem.objects.for_person(person).filter(ends_at__gte=now).order_by("starts_at", "pk"))
        assert shown == expected
    assert (
        len(
            schedule_item_list_upcoming_for_memberships(
                memberships=list(membership_list_for_dashboard(user=world.trainee, now=now)), now=now
            )
        )
        == 3
    )


def test_an_invitation_on_a_dashboard_composed_afresh_opens_and_costs_no_query_more(client, world):
    """The pending invitation is read with the memberships: its link opens the invitation, at no query more."""
    without, page = composed_afresh(client, world.trainee)
    assert "You are invited" not in page
    invitation = services.invitation_create(
        cohort=world.other_cohort,
        acting_user=world.other_coordinator,
        email=world.trainee.email,
        display_name="学员甲",
        role="trainee",
    )
    with_one, page = composed_afresh(client, world.trainee)
    assert with_one == without
    token = invitation_token(invitation=invitation)
    link = re.search(rf'href="([^"]*{re.escape(token)}/)"', page).group(1)
    response = client.get(link)
    assert response.status_code == 200 and "Second cohort" in response.content.decode()


def test_the_pairing_cards_figures_composed_afresh_count_each_log_once_by_its_status(client, world):
    """The mentor card (trainee) and the trainees' list (mentor) show confirmed hours and logs awaiting."""
    from mentorship import services as mentorship_services

    mentorship = mentorship_world(world)  # one log by the mentor, awaiting the trainee
    second = log_session(mentorship.pairing, world.mentor, hours="1.5", days_ago=2)
    log_session(mentorship.pairing, world.trainee, hours="3.0", days_ago=3)
    mentorship_services.session_log_confirm(acting_user=world.trainee, session_log=second)
    _, page = composed_afresh(client, world.trainee)
    assert "1.5 hours confirmed · 2 logs awaiting confirmation" in page
    assert page.count("Waiting for my confirmation") == 1
    _, page = composed_afresh(client, world.mentor)
    assert "1.5 h confirmed · 2 awaiting" in page
    assert "Before the matching" not in page


def test_before_the_matching_shows_for_a_trainees_cohort_without_a_current_pairing(client, world):
    """Composed afresh: the wishes card for a cohort where I have no current pairing, not for one where I do."""
    mentorship = mentorship_world(world)
    _, page = composed_afresh(client, world.trainee)
    assert "Before the matching" not in page
    Pairing.objects.filter(pk=mentorship.pairing.pk).update(status=PairingStatus.ENDED)
    _, page = composed_afresh(client, world.trainee)
    assert page.count("Before the matching") == 1
    assert "My wishes for the matching" in page
