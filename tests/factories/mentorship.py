"""Mentorship set up through its services: hosts, windows, pairings and what is logged under them."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from mentorship import services
from mentorship.models import BatchStatus, HostProfile, HostWindow, MatchingBatch, Pairing, PairingStatus
from tests.factories.accounts import SchoolFactory, make_user
from tests.factories.training import add_member


def make_host(user, *, school=None, capacity=3, subjects=("leadership",), focus_areas=("planning_development",)):
    school = school or user.profile.school
    return HostProfile.objects.update_or_create(
        user=user,
        defaults={
            "school": school,
            "capacity": capacity,
            "subjects": list(subjects),
            "focus_areas": list(focus_areas),
            "stages": [school.stage],
        },
    )[0]


def make_window(school, cohort, *, capacity=5, term=None):
    return HostWindow.objects.get_or_create(
        school=school,
        term=term or f"{cohort.starts_on.year}秋季学期",
        defaults={"starts_on": cohort.starts_on, "ends_on": cohort.ends_on, "capacity": capacity},
    )[0]


def make_pairing(cohort, trainee, mentor, *, status=PairingStatus.ACTIVE, coordinator=None):
    """A pairing published from a batch, approved by everyone and started, as far as `status` asks."""
    host = HostProfile.objects.filter(user=mentor).first() or make_host(mentor)
    window = make_window(host.school, cohort)
    pairing = Pairing.objects.create(
        cohort=cohort,
        trainee=trainee,
        mentor=mentor,
        kind=cohort.programme.kind,
        host_school=host.school,
        window=window,
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
    )
    if status == PairingStatus.PROPOSED:
        return pairing
    coordinator = coordinator or make_user(is_staff=True, is_superuser=True)
    for person in (trainee, mentor, coordinator):
        pairing = services.pairing_approve(acting_user=person, pairing=pairing)
    if status == PairingStatus.AGREED:
        return pairing
    pairing = services.pairing_start(acting_user=mentor, pairing=pairing)
    if status == PairingStatus.COMPLETED:
        pairing = services.pairing_complete(acting_user=mentor, pairing=pairing)
    return Pairing.objects.select_related("cohort__programme", "trainee", "mentor", "host_school").get(pk=pairing.pk)


def log_session(pairing, author, *, days_ago=1, hours="2.0", kind="debrief", **fields):
    return services.session_log_create(
        acting_user=author,
        pairing=pairing,
        occurred_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        hours=Decimal(hours),
        kind=kind,
        went_well=fields.pop("went_well", "听课后的研讨很深入"),
        **fields,
    )


def pending_batch(cohort, coordinator) -> MatchingBatch:
    batch = MatchingBatch.objects.create(cohort=cohort, created_by=coordinator, status=BatchStatus.QUEUED)
    return services.matching_batch_run(batch_id=batch.pk)


@dataclass
class MentorshipWorld:
    pairing: Pairing
    log: object
    reflection: object
    check_in: object
    batch: MatchingBatch
    peer_pairing: Pairing
    peer_trainee: object
    peer_mentor: object
    peer_log: object


def mentorship_world(w) -> MentorshipWorld:
    """On top of the `world` fixture: the trainee shadows the mentor; another pair in the same cohort."""
    if getattr(w, "_mentorship", None) is not None:
        return w._mentorship
    make_host(w.mentor)
    pairing = make_pairing(w.cohort, w.trainee, w.mentor, coordinator=w.coordinator)
    log = log_session(pairing, w.mentor, went_well="甲组的秘密记录")
    reflection = services.reflection_create(
        acting_user=w.trainee, pairing=pairing, title="第一周反思", body="学员甲的私人反思"
    )
    check_in = services.check_ins_schedule(pairing=pairing, after=timezone.localdate())[0]
    peer_trainee = make_user(
        email="peer-trainee@example.com",
        display_name="学员丙",
        region=w.region_b,
        school=SchoolFactory(region=w.region_b),
    )
    peer_mentor = make_user(
        email="peer-mentor@example.com",
        display_name="导师丙",
        region=w.region_a,
        school=SchoolFactory(region=w.region_a),
    )
    add_member(w.cohort, peer_trainee, "trainee")
    add_member(w.cohort, peer_mentor, "mentor")
    make_host(peer_mentor)
    peer_pairing = make_pairing(w.cohort, peer_trainee, peer_mentor, coordinator=w.coordinator)
    peer_log = log_session(peer_pairing, peer_mentor, went_well="丙组的秘密记录")
    batch = pending_batch(w.cohort, w.coordinator)
    w._mentorship = MentorshipWorld(
        pairing=pairing,
        log=log,
        reflection=reflection,
        check_in=check_in,
        batch=batch,
        peer_pairing=peer_pairing,
        peer_trainee=peer_trainee,
        peer_mentor=peer_mentor,
        peer_log=peer_log,
    )
    return w._mentorship
