"""Reads for training screens, with access control built in.

Getters raise 404 for objects a person may not see, so existence does not
leak; those that also need the right to change raise PermissionDenied for
people who may see but not change.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Region, User

from . import overview
from .calendar import CalendarEvent
from .models import (
    Assignment,
    Attendance,
    CalendarFeed,
    Certificate,
    Cohort,
    CohortMembership,
    EnrolmentImport,
    HoursEntry,
    HoursSource,
    Invitation,
    MembershipRole,
    MembershipStatus,
    ScheduleItem,
    Submission,
    SubmissionFile,
    SubmissionStatus,
)
from .pairings import pairs_for
from .permissions import (
    can_decide_application,
    can_manage_cohort,
    can_view_cohort,
    cohort_roles,
    coordinator_region_ids,
    is_staff,
    visible_region_ids,
)
from .progress import TraineeProgress, cohort_progress


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


# --- Cohorts ------------------------------------------------------------------------


def cohort_get_for_user(*, acting_user, cohort_id: int) -> Cohort:
    """A cohort this person may see, or 404 so that existence does not leak."""
    try:
        return Cohort.objects.visible_to(acting_user).select_related("programme").get(pk=cohort_id)
    except (Cohort.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def cohort_get_for_manager(*, acting_user, cohort_id: int) -> Cohort:
    """A cohort this person coordinates: 404 if they cannot see it, 403 if they see but may not change it."""
    cohort = cohort_get_for_user(acting_user=acting_user, cohort_id=cohort_id)
    if not can_manage_cohort(acting_user, cohort):
        raise PermissionDenied
    return cohort


def cohort_list_for_user(*, acting_user) -> QuerySet[Cohort]:
    """Cohorts this person belongs to, coordinates or oversees, with trainee counts."""
    return (
        Cohort.objects.visible_to(acting_user)
        .select_related("programme")
        .annotate(
            trainee_count=Count(
                "memberships",
                filter=Q(
                    memberships__role=MembershipRole.TRAINEE,
                    memberships__status__in=MembershipStatus.counted_values(),
                ),
            )
        )
        .order_by("-starts_on", "name")
    )


def cohort_regions_with_seats(*, cohort: Cohort) -> list:
    """Each participating region with its quota and the trainee seats taken."""
    from .seats import seats_taken

    taken = seats_taken(cohort=cohort)["by_region"]
    links = list(cohort.cohort_regions.select_related("region").order_by("region__sort_order"))
    for link in links:
        link.taken = taken.get(link.region_id, 0)
        link.left = max(link.quota - link.taken, 0)
    return links


def membership_list_for_user(*, user) -> QuerySet[CohortMembership]:
    """A person's own memberships, newest cohort first, for their dashboard."""
    return (
        CohortMembership.objects.filter(user=user)
        .exclude(status=MembershipStatus.WITHDRAWN)
        .select_related("cohort", "cohort__programme", "region")
        .order_by("-cohort__starts_on", "role")
    )


def cohort_ids_for_member(*, user):
    """The cohorts this person has a membership of, in any role or status (a values queryset)."""
    return CohortMembership.objects.filter(user=user).order_by().values_list("cohort_id", flat=True)


def membership_list_for_cohort(
    *, acting_user, cohort: Cohort, role: str = "", status: str = "", region_id=None, query: str = ""
) -> QuerySet[CohortMembership]:
    """People in a cohort as this person may see them: everyone for coordinators, own region for regional admins."""
    memberships = CohortMembership.objects.filter(cohort=cohort).select_related(
        "user", "region", "user__profile", "user__profile__school"
    )
    regions = visible_region_ids(acting_user, cohort)
    if regions is not None:
        memberships = memberships.filter(region_id__in=regions)
    if role:
        memberships = memberships.filter(role=role)
    if status:
        memberships = memberships.filter(status=status)
    if region_id:
        memberships = memberships.filter(region_id=region_id)
    if query:
        memberships = memberships.filter(Q(user__display_name__icontains=query) | Q(user__email__icontains=query))
    return memberships.order_by("role", "user__display_name", "user__email")


def membership_get_for_manager(*, acting_user, cohort: Cohort, membership_id) -> CohortMembership:
    """One membership of a cohort this person coordinates, or 404."""
    if not can_manage_cohort(acting_user, cohort):
        raise PermissionDenied
    try:
        return CohortMembership.objects.select_related("user", "region", "cohort").get(
            pk=_int(membership_id), cohort=cohort
        )
    except CohortMembership.DoesNotExist:
        raise Http404 from None


def application_list_for_cohort(*, acting_user, cohort: Cohort) -> QuerySet[CohortMembership]:
    """Applications waiting for this coordinator: their region's, or all for a cohort-wide coordinator."""
    if not can_manage_cohort(acting_user, cohort):
        raise PermissionDenied
    applications = CohortMembership.objects.filter(cohort=cohort, status=MembershipStatus.APPLIED).select_related(
        "user", "region", "user__profile__school"
    )
    regions = coordinator_region_ids(acting_user, cohort)
    if regions is not None:
        applications = applications.filter(region_id__in=regions)
    return applications.order_by("created_at", "pk")


def application_get_for_decider(*, acting_user, cohort: Cohort, membership_id) -> CohortMembership:
    """An application this coordinator may decide, or 404."""
    try:
        membership = CohortMembership.objects.select_related("user", "region", "cohort").get(
            pk=_int(membership_id), cohort=cohort
        )
    except CohortMembership.DoesNotExist:
        raise Http404 from None
    if not can_decide_application(acting_user, membership):
        raise Http404
    return membership


def application_get_own(*, acting_user, cohort: Cohort) -> CohortMembership | None:
    """My trainee membership in a cohort, if I have applied or joined."""
    if not acting_user.is_authenticated:
        return None
    return CohortMembership.objects.filter(cohort=cohort, user=acting_user, role=MembershipRole.TRAINEE).first()


def cohort_get_open_for_applications(*, cohort_id) -> Cohort:
    """A cohort a visitor may apply to, or 404."""
    try:
        return Cohort.objects.live().select_related("programme").get(pk=_int(cohort_id))
    except Cohort.DoesNotExist:
        raise Http404 from None


# --- Invitations and imports ----------------------------------------------------------

INVITATION_SALT = "training.invitation"


def invitation_token(*, invitation: Invitation) -> str:
    """The signed part of an invitation link; a new nonce makes the old link useless."""
    return signing.Signer(salt=INVITATION_SALT).sign_object({"i": invitation.pk, "n": invitation.nonce})


def invitation_get_by_token(*, token: str) -> Invitation:
    """The invitation a link names, or a ValidationError saying in plain words what is wrong with the link."""
    try:
        payload = signing.Signer(salt=INVITATION_SALT).unsign_object(token)
        invitation = Invitation.objects.select_related(
            "membership", "membership__cohort", "membership__cohort__programme", "membership__user"
        ).get(pk=int(payload["i"]))
    except (signing.BadSignature, Invitation.DoesNotExist, KeyError, TypeError, ValueError):
        raise ValidationError(
            _("This invitation link is not valid. Check that you copied all of it."), code="invalid"
        ) from None
    if invitation.nonce != payload.get("n"):
        raise ValidationError(_("This invitation has been withdrawn or replaced by a newer one."), code="revoked")
    return invitation


def invitation_list_pending_for_user(*, user) -> list[Invitation]:
    """Invitations waiting for this person, for their dashboard."""
    invitations = list(
        Invitation.objects.filter(
            membership__user=user,
            status=Invitation.Status.PENDING,
            membership__status=MembershipStatus.INVITED,
            expires_at__gt=timezone.now(),
        ).select_related("membership__cohort__programme")
    )
    for invitation in invitations:
        invitation.token = invitation_token(invitation=invitation)
    return invitations


def import_get_for_user(*, acting_user, import_id) -> EnrolmentImport:
    """An import of a cohort this person coordinates, or 404."""
    try:
        record = (
            EnrolmentImport.objects.select_related("cohort", "cohort__programme")
            .defer("content")
            .get(pk=_int(import_id))
        )
    except EnrolmentImport.DoesNotExist:
        raise Http404 from None
    if not can_manage_cohort(acting_user, record.cohort):
        raise Http404
    return record


# --- Schedule ------------------------------------------------------------------------


def schedule_items_visible(*, acting_user, cohort: Cohort) -> QuerySet[ScheduleItem]:
    """A cohort's items this person may see: all for coordinators and overseers, their own for members."""
    items = ScheduleItem.objects.filter(cohort=cohort).select_related("host_school", "host_school__region")
    roles = cohort_roles(acting_user, cohort)
    if is_staff(acting_user) or MembershipRole.COORDINATOR in roles or not roles:
        return items
    return items.filter(pk__in=ScheduleItem.objects.for_person(acting_user).filter(cohort=cohort).values("pk"))


def schedule_item_list_for_cohort(*, acting_user, cohort: Cohort) -> list[ScheduleItem]:
    """The cohort plan as a timeline, grouped by month on the page."""
    return list(schedule_items_visible(acting_user=acting_user, cohort=cohort).order_by("starts_at", "pk"))


def schedule_item_get_for_user(*, acting_user, item_id) -> ScheduleItem:
    """An item of a cohort this person may see and whose audience includes them, or 404."""
    try:
        item = ScheduleItem.objects.select_related("cohort", "cohort__programme", "host_school").get(pk=_int(item_id))
    except ScheduleItem.DoesNotExist:
        raise Http404 from None
    if not can_view_cohort(acting_user, item.cohort):
        raise Http404
    if not schedule_items_visible(acting_user=acting_user, cohort=item.cohort).filter(pk=item.pk).exists():
        raise Http404
    return item


def schedule_item_get_for_manager(*, acting_user, item_id) -> ScheduleItem:
    """An item of a cohort this person coordinates: 404 if they cannot see it, 403 if they may not change it."""
    item = schedule_item_get_for_user(acting_user=acting_user, item_id=item_id)
    if not can_manage_cohort(acting_user, item.cohort):
        raise PermissionDenied
    return item


def schedule_item_list_upcoming_for_person(*, user, limit: int = 5) -> list[ScheduleItem]:
    """What is next for me, across my cohorts."""
    return list(
        ScheduleItem.objects.for_person(user)
        .filter(ends_at__gte=timezone.now())
        .select_related("cohort", "host_school")
        .order_by("starts_at", "pk")[:limit]
    )


@dataclass
class AttendanceRow:
    membership: CohortMembership
    present: bool
    method: str = ""


def attendance_sheet(*, item: ScheduleItem, day: datetime.date) -> list[AttendanceRow]:
    """The trainees an item is for, with who is marked present on a day."""
    from .services import attendance_trainees

    memberships = list(
        attendance_trainees(item).select_related("user", "region").order_by("user__display_name", "user__email")
    )
    marks = {
        attendance.trainee_id: attendance
        for attendance in Attendance.objects.filter(schedule_item=item, day=day).only("trainee_id", "present", "method")
    }
    return [
        AttendanceRow(
            membership=membership,
            present=bool(marks.get(membership.user_id) and marks[membership.user_id].present),
            method=marks[membership.user_id].method if membership.user_id in marks else "",
        )
        for membership in memberships
    ]


def schedule_item_calendar_event(item: ScheduleItem) -> CalendarEvent:
    """One item as a calendar entry: the UID never changes, SEQUENCE rises with each change."""
    from django.conf import settings
    from django.urls import reverse

    where = item.location
    if item.online_url:
        where = f"{where} · {item.online_url}" if where else item.online_url
    description = item.description
    if item.host_school_id:
        description = f"{item.host_school.name}\n{description}".strip()
    return CalendarEvent(
        uid=item.uid,
        sequence=item.sequence,
        summary=item.title if not item.title_en else f"{item.title} / {item.title_en}",
        start=item.starts_at,
        end=item.ends_at,
        location=where,
        description=description,
        url=settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("training:schedule-item-detail", kwargs={"item_id": item.pk}),
        cancelled=item.is_cancelled,
        last_modified=item.updated_at,
    )


def schedule_calendar_events(*, user, cohort: Cohort | None = None) -> list[CalendarEvent]:
    """Calendar provider: a person's items, or with a cohort every item of that cohort (for its coordinators)."""
    if cohort is not None:
        items = ScheduleItem.objects.filter(cohort=cohort)
    else:
        items = ScheduleItem.objects.for_person(user)
    return [schedule_item_calendar_event(item) for item in items.select_related("host_school").order_by("starts_at")]


def calendar_feed_get_for_user(*, user) -> CalendarFeed | None:
    """My calendar address, if I have turned it on."""
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_owner(*, token: str) -> User:
    """Whose feed a secret address belongs to, or 404 for a revoked or made-up address."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    return feed.user


# --- Assignments ---------------------------------------------------------------------


def assignment_list_for_cohort(*, acting_user, cohort: Cohort) -> list[Assignment]:
    """A cohort's assignments; a trainee also sees where each of theirs stands."""
    assignments = list(Assignment.objects.filter(cohort=cohort).order_by("due_at", "pk"))
    latest = {}
    for submission in Submission.objects.filter(assignment__cohort=cohort, trainee=acting_user).order_by("attempt"):
        latest[submission.assignment_id] = submission
    for assignment in assignments:
        assignment.my_submission = latest.get(assignment.pk)
    return assignments


def assignment_get_for_user(*, acting_user, assignment_id) -> Assignment:
    """An assignment of a cohort this person may see, or 404."""
    try:
        assignment = Assignment.objects.select_related("cohort", "cohort__programme").get(pk=_int(assignment_id))
    except Assignment.DoesNotExist:
        raise Http404 from None
    if not can_view_cohort(acting_user, assignment.cohort):
        raise Http404
    return assignment


def submission_list_for_reviewer(*, acting_user, assignment: Assignment) -> list[Submission]:
    """Submissions this person may read: all for coordinators, their mentees' for mentors, own region's for regional admins."""
    submissions = Submission.objects.filter(assignment=assignment).select_related("trainee", "reviewed_by")
    submissions = submissions.prefetch_related("files")
    if can_manage_cohort(acting_user, assignment.cohort):
        return list(submissions.order_by("trainee__display_name", "attempt"))
    roles = cohort_roles(acting_user, assignment.cohort)
    allowed = Q(pk__in=[])
    if MembershipRole.MENTOR in roles:
        mentees = [
            pair.trainee_id
            for pair in pairs_for(cohort_ids=[assignment.cohort_id], mentor_ids=[acting_user.pk])
            if pair.mentor_id == acting_user.pk
        ]
        allowed |= Q(trainee_id__in=mentees)
    regions = visible_region_ids(acting_user, assignment.cohort) or frozenset()
    if regions:
        allowed |= Q(
            trainee__memberships__cohort=assignment.cohort,
            trainee__memberships__role=MembershipRole.TRAINEE,
            trainee__memberships__region_id__in=regions,
        )
    return list(submissions.filter(allowed).distinct().order_by("trainee__display_name", "attempt"))


def submission_list_own(*, acting_user, assignment: Assignment) -> list[Submission]:
    """My attempts at an assignment, first to last."""
    return list(
        Submission.objects.filter(assignment=assignment, trainee=acting_user)
        .prefetch_related("files")
        .select_related("reviewed_by")
        .order_by("attempt")
    )


def submission_get_for_reviewer(*, acting_user, submission_id) -> Submission:
    """A submission this person may review, or 404."""
    from .permissions import can_review_submission

    try:
        submission = Submission.objects.select_related("assignment", "assignment__cohort", "trainee").get(
            pk=_int(submission_id)
        )
    except Submission.DoesNotExist:
        raise Http404 from None
    if not can_review_submission(acting_user, submission):
        raise Http404
    return submission


def submission_file_get_for_user(*, acting_user, file_id) -> SubmissionFile:
    """A submitted file for its author and the people who may read the submission, or 404."""
    try:
        upload = SubmissionFile.objects.select_related(
            "submission", "submission__assignment", "submission__assignment__cohort"
        ).get(pk=_int(file_id))
    except SubmissionFile.DoesNotExist:
        raise Http404 from None
    submission = upload.submission
    if submission.trainee_id == acting_user.pk:
        return upload
    readable = submission_list_for_reviewer(acting_user=acting_user, assignment=submission.assignment)
    if submission.pk not in {item.pk for item in readable}:
        raise Http404
    return upload


def assignment_list_due_for_trainee(*, user, limit: int = 5) -> list[Assignment]:
    """What is due for me: assignments not yet accepted or waiting for review, soonest first."""
    cohort_ids = CohortMembership.objects.filter(
        user=user, role=MembershipRole.TRAINEE, status__in=MembershipStatus.counted_values()
    ).values("cohort_id")
    done = Submission.objects.filter(
        trainee=user, status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED]
    ).values("assignment_id")
    assignments = list(
        Assignment.objects.filter(cohort_id__in=cohort_ids)
        .exclude(pk__in=done)
        .select_related("cohort")
        .order_by("due_at", "pk")[:limit]
    )
    returned = set(
        Submission.objects.filter(
            trainee=user, assignment__in=assignments, status=SubmissionStatus.RETURNED
        ).values_list("assignment_id", flat=True)
    )
    now = timezone.now()
    for assignment in assignments:
        assignment.is_returned = assignment.pk in returned
        assignment.is_overdue = assignment.due_at < now
    return assignments


# --- Progress and the overview --------------------------------------------------------


@dataclass
class OverviewRow:
    membership: CohortMembership
    progress: TraineeProgress
    mentors: list = field(default_factory=list)

    @property
    def school(self):
        profile = getattr(self.membership.user, "profile", None)
        return profile.school if profile else None


OVERVIEW_SORTS = overview.OVERVIEW_SORTS


def cohort_overview(
    *,
    acting_user,
    cohort: Cohort,
    region_id=None,
    flagged: bool = False,
    status: str = "",
    query: str = "",
    sort: str = "name",
    descending: bool = False,
) -> list[OverviewRow]:
    """Every trainee of a cohort this person may see, with progress, mentor and flags, in a fixed number of queries."""
    entries = cohort_overview_entries(
        acting_user=acting_user,
        cohort=cohort,
        region_id=region_id,
        flagged=flagged,
        status=status,
        query=query,
        sort=sort,
        descending=descending,
    )
    return overview.overview_rows(entries, OverviewRow)


def cohort_overview_entries(*, acting_user, cohort: Cohort, **filters) -> list[overview.OverviewEntry]:
    """The overview's entries (plain data, cached per cohort) this person may see, filtered and sorted."""
    computed = overview.cohort_overview_entries(cohort=cohort)
    return overview.overview_filter(computed.entries, regions=visible_region_ids(acting_user, cohort), **filters)


def cohort_overview_state(*, acting_user, cohort: Cohort) -> tuple:
    """When the figures were computed, and a key naming them as this person sees them (for the page's cache)."""
    computed = overview.cohort_overview_entries(cohort=cohort)
    regions = visible_region_ids(acting_user, cohort)
    seen_as = "all" if regions is None else ",".join(str(pk) for pk in sorted(regions))
    return computed.computed_at, f"{computed.key}:{seen_as}:{int(can_manage_cohort(acting_user, cohort))}"


def cohort_overview_rows(entries) -> overview.LazyRows:
    """Model-backed rows for some entries (the page on screen), loaded when first read."""
    entries = list(entries)
    return overview.LazyRows(lambda: overview.overview_rows(entries, OverviewRow))


def progress_for_trainee(*, user) -> list[tuple[CohortMembership, TraineeProgress]]:
    """My progress in each cohort I am a trainee of."""
    memberships = list(
        CohortMembership.objects.filter(
            user=user, role=MembershipRole.TRAINEE, status__in=MembershipStatus.counted_values()
        ).select_related("cohort", "cohort__programme", "region")
    )
    result = []
    for membership in memberships:
        progress = cohort_progress(cohort=membership.cohort, memberships=[membership])[membership.pk]
        result.append((membership, progress))
    return result


def pairing_flows(*, acting_user, cohort: Cohort) -> list[dict]:
    """How many pairings go from each trainee region to each host region, for the overview's chart."""
    counts = overview.overview_flows(
        overview.cohort_overview_entries(cohort=cohort), regions=visible_region_ids(acting_user, cohort)
    )
    if not counts:
        return []
    names = {region.pk: region for region in Region.objects.all()}
    return [
        {"from": names.get(source), "to": names.get(target), "count": count}
        for (source, target), count in sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    ]


# --- Hours, certificates and audit ----------------------------------------------------


def hours_by_region(
    *, acting_user, cohort: Cohort, region_id=None, date_from: datetime.date | None = None, date_to=None
) -> list[dict]:
    """Credited hours of each trainee by source, for credit mutual recognition (学分互认); optionally within dates."""
    memberships = hours_memberships(acting_user=acting_user, cohort=cohort, region_id=region_id)
    return hours_rows(cohort=cohort, memberships=list(memberships), date_from=date_from, date_to=date_to)


def hours_memberships(*, acting_user, cohort: Cohort, region_id=None) -> QuerySet[CohortMembership]:
    """The trainees whose hours this person may export (a page of them at a time for the API)."""
    return membership_list_for_cohort(
        acting_user=acting_user, cohort=cohort, role=MembershipRole.TRAINEE, region_id=region_id
    ).exclude(status__in=[MembershipStatus.INVITED, MembershipStatus.APPLIED])


def hours_rows(
    *, cohort: Cohort, memberships: list, date_from: datetime.date | None = None, date_to=None
) -> list[dict]:
    """Hours by source, total and valid certificate of these memberships, in two queries."""
    entries = HoursEntry.objects.filter(cohort=cohort)
    if date_from:
        entries = entries.filter(occurred_on__gte=date_from)
    if date_to:
        entries = entries.filter(occurred_on__lte=date_to)
    totals = defaultdict(dict)
    for row in (
        entries.filter(trainee_id__in=[m.user_id for m in memberships])
        .annotate(bucket=Coalesce("corrects__source", "source"))
        .values("trainee_id", "bucket")
        .annotate(total=Sum("hours"))
        .order_by()
    ):
        totals[row["trainee_id"]][row["bucket"]] = row["total"]
    certificates = {
        certificate.membership_id: certificate
        for certificate in Certificate.objects.filter(membership__in=memberships, revoked_at__isnull=True)
    }
    rows = []
    for membership in memberships:
        hours = totals.get(membership.user_id, {})
        rows.append(
            {
                "membership": membership,
                "by_source": {
                    source: hours.get(source, 0) for source in HoursSource.values if source != HoursSource.CORRECTION
                },
                "total": sum(hours.values(), 0),
                "certificate": certificates.get(membership.pk),
            }
        )
    return rows


def hours_entries_for_person(
    *, acting_user, cohort: Cohort, person_id, date_from: datetime.date | None = None, date_to=None
) -> QuerySet[HoursEntry]:
    """One trainee's ledger in a cohort: for themselves, and for whoever sees them on the members page; else 404."""
    person_id = _int(person_id)
    if person_id != acting_user.pk:
        if not (can_manage_cohort(acting_user, cohort) or visible_region_ids(acting_user, cohort)):
            raise Http404
        visible = membership_list_for_cohort(acting_user=acting_user, cohort=cohort, role=MembershipRole.TRAINEE)
        if not visible.filter(user_id=person_id).exists():
            raise Http404
    entries = HoursEntry.objects.filter(cohort=cohort, trainee_id=person_id)
    if date_from:
        entries = entries.filter(occurred_on__gte=date_from)
    if date_to:
        entries = entries.filter(occurred_on__lte=date_to)
    return entries


def certificate_get_by_code(*, code: str) -> Certificate | None:
    """The certificate a verification code names, or None; the public check shows no more than it must."""
    code = (code or "").strip().upper()
    if not code or len(code) > 20:
        return None
    return Certificate.objects.filter(code=code).first()


def certificate_get_for_user(*, acting_user, certificate_id) -> Certificate:
    """A certificate for its holder and the cohort's coordinators (and the holder's regional admin), or 404."""
    try:
        certificate = Certificate.objects.select_related("membership", "membership__cohort", "membership__user").get(
            pk=_int(certificate_id)
        )
    except Certificate.DoesNotExist:
        raise Http404 from None
    membership = certificate.membership
    if membership.user_id == acting_user.pk:
        return certificate
    regions = visible_region_ids(acting_user, membership.cohort)
    if regions is None or membership.region_id in regions:
        return certificate
    raise Http404


def certificate_list_for_holder(*, user) -> list[Certificate]:
    """My certificates, newest first, revoked ones included so that a holder sees why one no longer counts."""
    return list(
        Certificate.objects.filter(membership__user=user)
        .order_by("-issued_at")
        .only(
            "pk",
            "kind",
            "code",
            "holder_name",
            "programme_title",
            "programme_title_en",
            "cohort_name",
            "cohort_name_en",
            "hours",
            "issued_at",
            "revoked_at",
            "membership_id",
        )
    )


def certificate_list_for_cohort(*, acting_user, cohort: Cohort) -> list[Certificate]:
    """A cohort's certificates, valid and revoked, as this person may see them."""
    certificates = Certificate.objects.filter(membership__cohort=cohort).select_related(
        "membership__user", "membership__region"
    )
    regions = visible_region_ids(acting_user, cohort)
    if regions is not None:
        certificates = certificates.filter(membership__region_id__in=regions)
    return list(certificates.order_by("-issued_at", "holder_name"))


def audit_entries_for_cohort(*, acting_user, cohort: Cohort):
    """The cohort's audit trail (memberships, acceptance, attendance, sign-off, revocation), newest first."""
    from wagtail.models import ModelLogEntry

    if not can_manage_cohort(acting_user, cohort):
        raise PermissionDenied
    return (
        ModelLogEntry.objects.filter(action__startswith="training.", data__cohort_id=cohort.pk)
        .select_related("user", "content_type")
        .order_by("-timestamp", "-pk")
    )


# --- Kept for other apps -------------------------------------------------------------


def hours_total_for_trainee(*, trainee, cohort: Cohort | None = None):
    """Credited hours from the ledger, the single source of progress."""
    entries = HoursEntry.objects.filter(trainee=trainee)
    if cohort is not None:
        entries = entries.filter(cohort=cohort)
    return entries.aggregate(total=Sum("hours"))["total"] or 0
