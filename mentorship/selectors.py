"""Reads for mentorship screens, with access control built in.

Getters raise 404 for objects a person may not see, so that another
pairing's logs or another cohort's batch never reveal that they exist.
Listings take a fixed number of queries whatever their length.
"""

from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import School, User, full_name_expression
from accounts.permissions import administered_region_ids
from training.models import (
    Certificate,
    CertificateKind,
    Cohort,
    CohortMembership,
    CohortStatus,
    MembershipRole,
    MembershipStatus,
)
from training.permissions import can_manage_cohort
from training.services.certificates import HostingRecord

from .models import (
    ActionPlan,
    ApprovalParty,
    CheckIn,
    Evaluation,
    EvaluationKind,
    EvaluationStage,
    MatchingBatch,
    Pairing,
    PairingApproval,
    PairingPin,
    PairingStatus,
    Reflection,
    ReflectionComment,
    SessionLog,
    SessionLogStatus,
)
from .permissions import can_view_pairing
from .reasons import UNPLACED_MESSAGES, reasons_display

CONFIRMED = Q(session_logs__status=SessionLogStatus.CONFIRMED)


def _with_log_figures(pairings):
    return pairings.annotate(
        confirmed_hours=Sum("session_logs__hours", filter=CONFIRMED),
        awaiting_count=Count("session_logs", filter=Q(session_logs__status=SessionLogStatus.AWAITING)),
        disputed_count=Count("session_logs", filter=Q(session_logs__status=SessionLogStatus.DISPUTED)),
    )


def _with_log_figures_each(pairings):
    """The same figures as `_with_log_figures`, read per pairing over the logs' index: for a person's few
    pairings, where joining the logs let the planner scan every log of the region."""
    logs = SessionLog.objects.filter(pairing=OuterRef("pk")).order_by().values("pairing")

    def count(status):
        return Coalesce(
            Subquery(logs.filter(status=status).annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
        )

    return pairings.annotate(
        confirmed_hours=Subquery(logs.filter(status=SessionLogStatus.CONFIRMED).annotate(h=Sum("hours")).values("h")),
        awaiting_count=count(SessionLogStatus.AWAITING),
        disputed_count=count(SessionLogStatus.DISPUTED),
    )


def pairing_get_for_user(*, acting_user, pairing_id: int) -> Pairing:
    """A pairing the person is part of or coordinates, or 404."""
    try:
        pairing = Pairing.objects.select_related(
            "cohort__programme", "trainee__profile__school", "mentor", "host_school__region", "window"
        ).get(pk=pairing_id)
    except (Pairing.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_view_pairing(acting_user, pairing):
        raise Http404
    return pairing


def pairing_list_for_user(*, acting_user):
    """Pairings a person may list: their own, their cohorts' as coordinator, their region's as regional admin."""
    if not getattr(acting_user, "is_authenticated", False):
        return Pairing.objects.none()
    pairings = Pairing.objects.select_related("trainee", "mentor")
    if acting_user.is_staff or acting_user.is_superuser:
        return pairings
    visible = Q(trainee=acting_user) | Q(mentor=acting_user) | Q(cohort__in=Cohort.objects.coordinated_by(acting_user))
    region_ids = administered_region_ids(acting_user)
    if region_ids:
        # As on the cohort overview and members page, a regional admin sees their region's people only: a
        # trainee belongs to the region of their membership in that cohort. A pairing hosted in the region
        # does not make another region's trainee visible (the pages never show them).
        trainee_from_region = CohortMembership.objects.filter(
            cohort_id=OuterRef("cohort_id"),
            user_id=OuterRef("trainee_id"),
            role=MembershipRole.TRAINEE,
            region_id__in=region_ids,
        )
        visible |= Q(Exists(trainee_from_region))
    return pairings.filter(visible)


def pairing_rows(pairings):
    """Pairings as rows shaped by the database (names included) for lists read a page at a time, such as
    the API's: no figures, no model instances, so a page costs one indexed query whatever the cohort's size."""
    return pairings.order_by().values(
        "id",
        "cohort_id",
        "trainee_id",
        "mentor_id",
        "status",
        "starts_on",
        "ends_on",
        trainee_name=full_name_expression("trainee"),
        mentor_name=full_name_expression("mentor"),
    )


def cohort_pairing_rows(*, cohort: Cohort, status: str = ""):
    """A cohort's pairings as rows, for its coordinators (the API's page of the pairings page)."""
    pairings = Pairing.objects.filter(cohort=cohort)
    if status:
        pairings = pairings.filter(status=status)
    return pairing_rows(pairings)


def session_log_get_for_user(*, acting_user, log_id: int) -> SessionLog:
    """A session log of a pairing the person may see, or 404."""
    log = (
        SessionLog.objects.select_related("pairing__cohort", "pairing__trainee", "pairing__mentor", "author")
        .filter(pk=log_id)
        .first()
    )
    if log is None or not can_view_pairing(acting_user, log.pairing):
        raise Http404
    return log


def reflection_get_for_user(*, acting_user, reflection_id: int) -> Reflection:
    """A reflection: only the pair and the cohort's coordinators may read it."""
    reflection = (
        Reflection.objects.select_related("pairing__cohort", "pairing__trainee", "pairing__mentor", "author")
        .prefetch_related(Prefetch("comments", queryset=_comments()))
        .filter(pk=reflection_id)
        .first()
    )
    if reflection is None or not can_view_pairing(acting_user, reflection.pairing):
        raise Http404
    return reflection


def _comments():
    return ReflectionComment.objects.select_related("author")


def check_in_get_for_user(*, acting_user, check_in_id: int) -> CheckIn:
    """A follow-up check-in of a pairing the person may see, or 404."""
    check_in = CheckIn.objects.select_related("pairing__cohort").filter(pk=check_in_id).first()
    if check_in is None or not can_view_pairing(acting_user, check_in.pairing):
        raise Http404
    return check_in


def cohort_get_for_coordinator(*, acting_user, cohort_id: int) -> Cohort:
    """A cohort this person coordinates (or staff), or 404."""
    cohort = Cohort.objects.select_related("programme").filter(pk=cohort_id).first()
    if cohort is None or not can_manage_cohort(acting_user, cohort):
        raise Http404
    return cohort


def batch_get_for_user(*, acting_user, batch_id: int) -> MatchingBatch:
    """A matching batch of a cohort this person coordinates, or 404."""
    batch = MatchingBatch.objects.select_related("cohort__programme").filter(pk=batch_id).first()
    if batch is None or not can_manage_cohort(acting_user, batch.cohort):
        raise Http404
    return batch


def pairing_detail(*, acting_user, pairing: Pairing) -> dict:
    """Everything on a pairing's page, for one of its parties or a coordinator."""
    logs = list(pairing.session_logs.select_related("author", "reviewed_by"))
    reflections = list(pairing.reflections.annotate(comment_count=Count("comments")))
    approvals = list(PairingApproval.objects.filter(pairing=pairing).select_related("user"))
    done = {approval.party for approval in approvals}
    evaluations = {(e.stage, e.kind): e for e in pairing.evaluations.all()}
    history = list(
        Pairing.objects.filter(cohort=pairing.cohort, trainee=pairing.trainee)
        .exclude(pk=pairing.pk)
        .select_related("mentor", "host_school")
        .order_by("created_at")
    )
    return {
        "logs": logs,
        "confirmed_hours": sum((log.hours for log in logs if log.status == SessionLogStatus.CONFIRMED), Decimal(0)),
        "reflections": reflections,
        "approvals": approvals,
        "missing_parties": [label for value, label in ApprovalParty.choices if value not in done],
        "evaluations": [
            (stage, stage_label, kind, kind_label, evaluations.get((stage, kind)))
            for stage, stage_label in EvaluationStage.choices
            for kind, kind_label in EvaluationKind.choices
        ],
        "action_plan": ActionPlan.objects.filter(pairing=pairing).first(),
        "check_ins": list(pairing.check_ins.all()),
        "history": history,
        "is_coordinator": can_manage_cohort(acting_user, pairing.cohort),
    }


def cohort_ids_paired_with(*, user):
    """The cohorts of every pairing this person is in, as mentor or trainee (a values queryset)."""
    return Pairing.objects.involving(user).order_by().values_list("cohort_id", flat=True)


def dashboard_membership_annotations(*, user) -> dict:
    """What the panel needs to know of each of a person's memberships, to annotate them as they are read.

    `has_current_pairing`: the person is a trainee with a current pairing in that cohort;
    `disputed_count`: disputed session logs of the cohort, for a membership as coordinator.
    """
    disputed = (
        SessionLog.objects.filter(pairing__cohort=OuterRef("cohort_id"), status=SessionLogStatus.DISPUTED)
        .order_by()
        .values("pairing__cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        "has_current_pairing": Exists(Pairing.objects.current().filter(trainee=user, cohort=OuterRef("cohort_id"))),
        "disputed_count": Case(
            When(role=MembershipRole.COORDINATOR, then=Coalesce(Subquery(disputed, output_field=IntegerField()), 0)),
            default=0,
        ),
    }


def dashboard_panel(*, user, memberships=None) -> dict:
    """The mentor's trainees and pending confirmations, and the trainee's mentor, for the dashboard.

    `memberships`: the person's memberships (withdrawn ones left out), annotated with
    `dashboard_membership_annotations`, as the dashboard has already read them; the cohorts the
    person coordinates and the cohorts where they may still state wishes are taken from them.
    """
    if not getattr(user, "is_authenticated", False):
        return {}
    visible = [PairingStatus.PROPOSED, PairingStatus.AGREED, PairingStatus.ACTIVE, PairingStatus.COMPLETED]
    parties = PairingApproval.objects.filter(pairing=OuterRef("pk")).order_by().values("party")
    pairings = list(
        _with_log_figures_each(
            Pairing.objects.involving(user)
            .filter(status__in=visible)
            .select_related("cohort", "trainee", "mentor", "host_school")
        )
        .annotate(approval_parties=ArraySubquery(parties))
        .order_by("status", "-starts_on", "pk")[:50]
    )
    for pairing in pairings:
        own = ApprovalParty.TRAINEE if pairing.trainee_id == user.pk else ApprovalParty.MENTOR
        pairing.needs_my_approval = pairing.status == PairingStatus.PROPOSED and own not in pairing.approval_parties
    awaiting = list(
        SessionLog.objects.filter(status=SessionLogStatus.AWAITING)
        .filter(
            Q(pairing__trainee=user, author_id=F("pairing__mentor_id"))
            | Q(pairing__mentor=user, author_id=F("pairing__trainee_id"))
        )
        .select_related("author", "pairing")
        .order_by("occurred_on", "pk")[:20]
    )
    if memberships is None:
        memberships = (
            CohortMembership.objects.filter(user=user)
            .exclude(status=MembershipStatus.WITHDRAWN)
            .select_related("cohort")
            .annotate(**dashboard_membership_annotations(user=user))
        )
    counted = MembershipStatus.counted_values()
    current = [m for m in memberships if m.status in counted and m.cohort.status != CohortStatus.COMPLETED]
    if user.is_staff or user.is_superuser:
        # Staff oversee every cohort (`Cohort.objects.coordinated_by`), not only those they are members of.
        coordinated = list(
            Cohort.objects.coordinated_by(user)
            .exclude(status=CohortStatus.COMPLETED)
            .annotate(
                disputed_count=Count(
                    "pairings__session_logs", filter=Q(pairings__session_logs__status=SessionLogStatus.DISPUTED)
                )
            )
            .order_by("-starts_on", "pk")[:10]
        )
    else:
        coordinated = []
        for membership in current:
            if membership.role == MembershipRole.COORDINATOR:
                membership.cohort.disputed_count = membership.disputed_count
                coordinated.append(membership.cohort)
        coordinated = _newest_cohorts_first(coordinated)[:10]
    to_wish = _newest_cohorts_first(
        m.cohort for m in current if m.role == MembershipRole.TRAINEE and not m.has_current_pairing
    )[:5]
    return {
        "mentor_pairings": [p for p in pairings if p.mentor_id == user.pk],
        "trainee_pairings": [p for p in pairings if p.trainee_id == user.pk],
        "awaiting_confirmation": awaiting,
        "coordinated_cohorts": coordinated,
        "cohorts_to_wish": to_wish,
    }


def _newest_cohorts_first(cohorts) -> list:
    """Each cohort once, newest first (then by id), as `order_by("-starts_on", "pk")` would list them."""
    unique = {cohort.pk: cohort for cohort in cohorts}
    return sorted(unique.values(), key=lambda cohort: (-cohort.starts_on.toordinal(), cohort.pk))


def cohort_pairing_list(*, cohort: Cohort):
    """Every pairing of a cohort with its figures, for the coordinator; current ones first."""
    approvals = (
        PairingApproval.objects.filter(pairing=OuterRef("pk"))
        .order_by()
        .values("pairing")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        _with_log_figures(Pairing.objects.filter(cohort=cohort))
        # A subquery, not a join: joining approvals would multiply the summed hours.
        .annotate(approval_count=Coalesce(Subquery(approvals), 0))
        .select_related("trainee", "mentor", "host_school__region", "previous")
        .order_by("status", "trainee__display_name", "pk")
    )


def cohort_disputed_logs(*, cohort: Cohort):
    """Disputed session logs waiting for the coordinator's decision."""
    return (
        SessionLog.objects.filter(pairing__cohort=cohort, status=SessionLogStatus.DISPUTED)
        .select_related("author", "reviewed_by", "pairing__trainee", "pairing__mentor")
        .order_by("occurred_on", "pk")
    )


def batch_review(*, batch: MatchingBatch) -> dict:
    """A batch's proposals with their reasons in words, and who was left out and why."""
    proposals = list(
        batch.proposals.select_related(
            "trainee__profile__school", "mentor__host_profile__school", "mentor__profile__school", "window__school"
        )
    )
    for proposal in proposals:
        proposal.reason_lines = reasons_display(proposal.reasons)
    people = User.objects.in_bulk([int(trainee_id) for trainee_id in batch.unplaced])
    unplaced = []
    for trainee_id, rule in batch.unplaced.items():
        person = people.get(int(trainee_id))
        if person is not None:
            message = UNPLACED_MESSAGES.get(rule) or _removed_message()
            unplaced.append((person, rule, message))
    unplaced.sort(key=lambda row: row[0].get_full_name())
    return {
        "proposals": proposals,
        "unplaced": unplaced,
        "pins": list(PairingPin.objects.filter(cohort=batch.cohort).select_related("trainee", "mentor")),
    }


def _removed_message():
    return _("Removed from the proposals by the coordinator.")


def batch_pins(*, cohort: Cohort):
    return PairingPin.objects.filter(cohort=cohort).select_related("trainee", "mentor")


def batch_list_for_cohort(*, cohort: Cohort):
    return (
        MatchingBatch.objects.filter(cohort=cohort)
        .select_related("created_by")
        .annotate(proposal_count=Count("proposals"))[:10]
    )


def cohort_people(*, cohort: Cohort, role: str):
    """The cohort's trainees or mentors, by name, for choosers."""
    return (
        User.objects.filter(
            memberships__cohort=cohort,
            memberships__role=role,
            memberships__status__in=MembershipStatus.counted_values(),
        )
        .distinct()
        .order_by("display_name", "email")
    )


def cohort_mentors_for_wishes(*, cohort: Cohort):
    """The cohort's mentors with what a trainee chooses a host by: school, region, focus areas (one query)."""
    return cohort_people(cohort=cohort, role=MembershipRole.MENTOR).select_related(
        "host_profile__school__region", "profile__school__region"
    )


def cohort_host_schools(*, cohort: Cohort):
    """Schools of the cohort's mentors (host profile first, else their profile)."""
    mentors = CohortMembership.objects.filter(
        cohort=cohort, role=MembershipRole.MENTOR, status__in=MembershipStatus.counted_values()
    ).values("user_id")
    return (
        School.objects.filter(Q(host_profiles__user_id__in=mentors) | Q(staff__user_id__in=mentors))
        .distinct()
        .select_related("region")
    )


def mentor_record(*, mentor) -> dict:
    """Hours hosted, sessions logged and trainees supported, cohort by cohort."""
    counted = COUNTED_PAIRINGS
    rows = list(
        Cohort.objects.filter(pairings__mentor=mentor, pairings__status__in=counted)
        .annotate(
            trainees=Count("pairings__trainee", filter=Q(pairings__mentor=mentor), distinct=True),
            hours=Sum(
                "pairings__session_logs__hours",
                filter=Q(pairings__mentor=mentor, pairings__session_logs__status=SessionLogStatus.CONFIRMED),
            ),
            sessions=Count(
                "pairings__session_logs",
                filter=Q(pairings__mentor=mentor, pairings__session_logs__status=SessionLogStatus.CONFIRMED),
            ),
        )
        .select_related("programme")
        .order_by("-starts_on")
    )
    return {
        "cohorts": rows,
        "hours": sum((row.hours or Decimal(0) for row in rows), Decimal(0)),
        "sessions": sum(row.sessions for row in rows),
        "trainees": Pairing.objects.filter(mentor=mentor, status__in=counted).values("trainee").distinct().count(),
    }


COUNTED_PAIRINGS = [PairingStatus.AGREED, PairingStatus.ACTIVE, PairingStatus.COMPLETED, PairingStatus.ENDED]


def hosting_records(*, cohort: Cohort, mentor_ids=None) -> dict:
    """mentor id -> what they hosted in this cohort (confirmed hours and sessions, trainees), in two queries."""
    pairings = Pairing.objects.filter(cohort=cohort, status__in=COUNTED_PAIRINGS)
    if mentor_ids is not None:
        pairings = pairings.filter(mentor_id__in=mentor_ids)
    trainees: dict[int, set] = {}
    for mentor_id, trainee_id in pairings.values_list("mentor_id", "trainee_id"):
        trainees.setdefault(mentor_id, set()).add(trainee_id)
    confirmed = {
        row["pairing__mentor_id"]: (row["hours"], row["sessions"])
        for row in SessionLog.objects.filter(pairing__in=pairings, status=SessionLogStatus.CONFIRMED)
        .values("pairing__mentor_id")
        .annotate(hours=Sum("hours"), sessions=Count("pk"))
    }
    return {
        mentor_id: HostingRecord(
            mentor_id=mentor_id,
            hours=confirmed.get(mentor_id, (Decimal(0), 0))[0] or Decimal(0),
            sessions=confirmed.get(mentor_id, (Decimal(0), 0))[1],
            trainee_ids=frozenset(trainee_ids),
        )
        for mentor_id, trainee_ids in trainees.items()
    }


def host_certificate_rows(*, cohort: Cohort) -> list[dict]:
    """Each mentor of the cohort with what they hosted and their host certificate, if any, for the sign-off page."""
    memberships = list(
        CohortMembership.objects.filter(
            cohort=cohort, role=MembershipRole.MENTOR, status__in=MembershipStatus.counted_values()
        )
        .select_related("user", "region")
        .order_by("user__display_name", "user__email")
    )
    records = hosting_records(cohort=cohort)
    held = {
        certificate.membership_id: certificate
        for certificate in Certificate.objects.filter(
            membership__in=memberships, kind=CertificateKind.HOSTING, revoked_at__isnull=True
        )
    }
    return [
        {
            "membership": membership,
            "record": records.get(membership.user_id),
            "certificate": held.get(membership.pk),
        }
        for membership in memberships
    ]


def cohort_evaluation_results(*, cohort: Cohort) -> dict:
    """Average rating per item, stage and kind across the cohort, and per mentor the trainees' feedback."""
    evaluations = list(
        Evaluation.objects.filter(pairing__cohort=cohort).select_related("pairing__mentor").order_by("pk")
    )
    from .services import rubric_items

    table = {}
    for evaluation in evaluations:
        for code, value in evaluation.ratings.items():
            key = (evaluation.stage, evaluation.kind, code)
            total, count = table.get(key, (0, 0))
            table[key] = (total + int(value), count + 1)

    def average(stage, kind, code):
        total, count = table.get((stage, kind, code), (0, 0))
        return (Decimal(total) / count).quantize(Decimal("0.1")) if count else None

    probe = Pairing(kind=cohort.programme.kind)
    standards = []
    for code, label in rubric_items(pairing=probe, kind=EvaluationKind.MENTOR_RATES_TRAINEE):
        standards.append(
            (
                label,
                [
                    average(stage, kind, code)
                    for stage in EvaluationStage.values
                    for kind in (EvaluationKind.MENTOR_RATES_TRAINEE, EvaluationKind.SELF)
                ],
            )
        )
    mentors = {}
    for evaluation in evaluations:
        if evaluation.kind == EvaluationKind.TRAINEE_RATES_MENTOR and evaluation.average is not None:
            entry = mentors.setdefault(evaluation.pairing.mentor_id, [evaluation.pairing.mentor, []])
            entry[1].append(evaluation.average)
    mentor_rows = [
        (person, (sum(values) / len(values)).quantize(Decimal("0.1")), len(values))
        for person, values in mentors.values()
    ]
    mentor_rows.sort(key=lambda row: row[0].get_full_name())
    return {"standards": standards, "mentor_feedback": mentor_rows, "count": len(evaluations)}


def approvals_for(*, pairing: Pairing):
    return PairingApproval.objects.filter(pairing=pairing).select_related("user")


def pairs_in_force(*, cohort_ids=None, trainee_ids=None, mentor_ids=None):
    """Training's pairing source: (cohort, trainee, mentor) of every pairing both sides have agreed to, in one query."""
    pairings = Pairing.objects.filter(status__in=[PairingStatus.AGREED, PairingStatus.ACTIVE, PairingStatus.COMPLETED])
    if cohort_ids is not None:
        pairings = pairings.filter(cohort_id__in=list(cohort_ids))
    if trainee_ids is not None:
        pairings = pairings.filter(trainee_id__in=list(trainee_ids))
    if mentor_ids is not None:
        pairings = pairings.filter(mentor_id__in=list(mentor_ids))
    return list(pairings.order_by("pk").values_list("cohort_id", "trainee_id", "mentor_id"))
