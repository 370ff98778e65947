"""Pairings as their parties, coordinators and regional admins see them; training's pairing source."""

from decimal import Decimal

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts import sql
from accounts.models import full_name_expression
from accounts.permissions import administered_region_ids
from training.models import Cohort, CohortMembership, CohortStatus, MembershipRole, MembershipStatus
from training.permissions import can_manage_cohort

from ..models import (
    ActionPlan,
    ApprovalParty,
    EvaluationKind,
    EvaluationStage,
    Pairing,
    PairingApproval,
    PairingStatus,
    SessionLog,
    SessionLogStatus,
)
from ..permissions import can_view_pairing

CONFIRMED = Q(session_logs__status=SessionLogStatus.CONFIRMED)


def _with_log_figures(pairings):
    return pairings.annotate(
        confirmed_hours=Sum("session_logs__hours", filter=CONFIRMED),
        awaiting_count=Count("session_logs", filter=Q(session_logs__status=SessionLogStatus.AWAITING)),
        disputed_count=Count("session_logs", filter=Q(session_logs__status=SessionLogStatus.DISPUTED)),
    )


def _with_dashboard_figures(pairings):
    """Confirmed hours, logs awaiting confirmation and the parties that approved, per pairing: for a person's
    few pairings, over the logs' index (joining the logs let the planner scan every log of the region).
    Written as SQL (`RawSQL`): as subqueries they cost the ORM more to compose than the database to run."""
    pairing, logs = Pairing._meta.db_table, SessionLog._meta.db_table
    return pairings.annotate(
        confirmed_hours=RawSQL(  # noqa: S611 -- table names from the models, values as parameters
            f"""(SELECT SUM(l.hours) FROM "{logs}" l
            WHERE l.pairing_id = {pairing}.id AND l.status = %s)""",  # noqa: S608
            (SessionLogStatus.CONFIRMED,),
            output_field=DecimalField(),
        ),
        awaiting_count=RawSQL(  # noqa: S611 -- table names from the models, values as parameters
            f"""(SELECT COUNT(*) FROM "{logs}" l
            WHERE l.pairing_id = {pairing}.id AND l.status = %s)""",  # noqa: S608
            (SessionLogStatus.AWAITING,),
            output_field=IntegerField(),
        ),
        approval_parties=RawSQL(  # noqa: S611 -- table names from the models, values as parameters
            sql.list_of(
                f"""SELECT a.party AS v FROM "{PairingApproval._meta.db_table}" a
                WHERE a.pairing_id = {pairing}.id"""  # noqa: S608
            ),
            (),
            output_field=sql.list_field(CharField()),
        ),
    )


# What `User.get_full_name` reads: a panel that shows people's names loads these columns only.
NAME_FIELDS = ("display_name", "first_name", "last_name", "email", "erased_at")


def _names_of(*paths: str) -> list[str]:
    return [f"{path}__{name}" for path in paths for name in NAME_FIELDS]


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
    Written as SQL (`RawSQL`) over the memberships' table: composed on every first visit to a dashboard,
    these cost the ORM far more to build and compile as subqueries than the database to run.
    """
    membership = CohortMembership._meta.db_table
    pairings = Pairing._meta.db_table
    return {
        "has_current_pairing": RawSQL(  # noqa: S611 -- table names from the models, values as parameters
            f"""EXISTS(SELECT 1 FROM "{pairings}" p
            WHERE p.cohort_id = {membership}.cohort_id AND p.trainee_id = %s AND {sql.is_one_of("p.status")})""",  # noqa: S608
            (user.pk, sql.values_param(PairingStatus.current_values())),
            output_field=BooleanField(),
        ),
        "disputed_count": RawSQL(  # noqa: S611 -- table names from the models, values as parameters
            f"""CASE WHEN {membership}.role = %s THEN (
                SELECT COUNT(*) FROM "{SessionLog._meta.db_table}" l JOIN "{pairings}" p ON p.id = l.pairing_id
                WHERE p.cohort_id = {membership}.cohort_id AND l.status = %s) ELSE 0 END""",  # noqa: S608
            (MembershipRole.COORDINATOR, SessionLogStatus.DISPUTED),
            output_field=IntegerField(),
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
    pairings = list(
        _with_dashboard_figures(
            Pairing.objects.involving(user)
            .filter(status__in=visible)
            .select_related("cohort", "trainee", "mentor", "host_school")
            # What the panel shows, not the agreement, reasons and scores.
            .only(
                "cohort",
                "trainee",
                "mentor",
                "host_school",
                "status",
                "starts_on",
                "ends_on",
                "cohort__name",
                "cohort__name_en",
                "host_school__name",
                "host_school__name_en",
                *_names_of("trainee", "mentor"),
            )
        ).order_by("status", "-starts_on", "pk")[:50]
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
        .select_related("author")
        .only("pairing_id", "occurred_on", "hours", "kind", "author", *_names_of("author"))
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
