"""Writes for mentorship: matching, pairings, session logs, reflections, evaluations, follow-up.

Every write that touches several rows, the audit log or a notification is
here, in one transaction; bad input raises `ValidationError` with a
translated message and changes nothing.
"""

import datetime
import html
import logging
from collections import Counter
from decimal import Decimal, InvalidOperation

import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.models import School
from notifications.services import notification_send_many
from training.models import Cohort, CohortMembership, CohortRegion, HoursSource, MembershipRole, MembershipStatus
from training.overview import overview_invalidate
from training.permissions import can_manage_cohort, is_trainee
from training.services import HostingRecord, certificate_issue_for_hosts, hours_credit

from . import matching
from .models import (
    ActionPlan,
    ApprovalParty,
    BatchStatus,
    CheckIn,
    DoNotMatch,
    Evaluation,
    EvaluationKind,
    EvaluationStage,
    FocusArea,
    HostProfile,
    HostWindow,
    MatchingBatch,
    MatchingPreference,
    MentorQuality,
    Pairing,
    PairingApproval,
    PairingPin,
    PairingProposal,
    PairingStatus,
    Reflection,
    ReflectionComment,
    SessionKind,
    SessionLog,
    SessionLogStatus,
)
from .permissions import approval_parties_for, can_view_pairing, is_pair_member
from .reasons import PAIR_MESSAGES, points
from .selectors import hosting_records

logger = logging.getLogger(__name__)

CHECK_IN_MONTHS = (1, 3, 6)
STALE_RUN_AFTER = datetime.timedelta(minutes=10)
MAX_HOURS_PER_DAY = Decimal("24")
RICH_TEXT_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote"}


def clean_text(value: str) -> str:
    """Rich free text (reflections, comments): markup reduced to a few harmless tags, shown as HTML."""
    return nh3.clean(value or "", tags=RICH_TEXT_TAGS, attributes={}, url_schemes=set()).strip()


def plain_text(value: str) -> str:
    """Plain free text: every tag removed on the server; templates escape what is left."""
    return html.unescape(nh3.clean(value or "", tags=set(), attributes={}, url_schemes=set())).strip()


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _check_focus_areas(codes, *, field: str = "focus_areas") -> list[str]:
    valid = set(FocusArea.values)
    codes = list(dict.fromkeys(codes or []))
    if any(code not in valid for code in codes):
        raise ValidationError({field: _("Choose focus areas from the list.")})
    return codes


# --- Hosts ---------------------------------------------------------------------------------------


@transaction.atomic
def host_profile_save(*, acting_user, school: School, focus_areas, stages, subjects, capacity: int) -> HostProfile:
    """A mentor states their host school, focus areas, stages, subjects and capacity."""
    if not 0 <= int(capacity) <= 12:
        raise ValidationError({"capacity": _("A host takes between 0 and 12 trainees at once.")})
    profile, _created = HostProfile.objects.update_or_create(
        user=acting_user,
        defaults={
            "school": school,
            "focus_areas": _check_focus_areas(focus_areas),
            "stages": list(stages or []),
            "subjects": list(subjects or []),
            "capacity": int(capacity),
        },
    )
    audit_log(instance=profile, action="mentorship.host_profile.save", acting_user=acting_user)
    return profile


@transaction.atomic
def host_window_create(
    *, acting_user, cohort: Cohort, school: School, term: str, starts_on, ends_on, capacity: int
) -> HostWindow:
    """A coordinator opens a host school's shadowing window for a term."""
    _require(can_manage_cohort(acting_user, cohort))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The window cannot end before it starts.")})
    if HostWindow.objects.filter(school=school, term=term).exists():
        raise ValidationError({"term": _("This school already has a window for this term.")})
    window = HostWindow.objects.create(
        school=school, term=term, starts_on=starts_on, ends_on=ends_on, capacity=capacity
    )
    audit_log(instance=window, action="mentorship.window.create", acting_user=acting_user, data={"cohort": cohort.pk})
    return window


@transaction.atomic
def matching_preference_save(*, acting_user, cohort: Cohort, focus_areas, wishes) -> MatchingPreference:
    """A trainee names what they want to grow in and up to three hosts, first choice first."""
    _require(is_trainee(acting_user, cohort))
    wishes = [int(mentor_id) for mentor_id in dict.fromkeys(wishes or []) if mentor_id]
    if len(wishes) > matching.MAX_WISHES:
        raise ValidationError({"wishes": _("Name at most three hosts.")})
    mentors = set(
        CohortMembership.objects.filter(
            cohort=cohort, role=MembershipRole.MENTOR, status__in=MembershipStatus.counted_values()
        ).values_list("user_id", flat=True)
    )
    if any(mentor_id not in mentors for mentor_id in wishes):
        raise ValidationError({"wishes": _("Choose hosts who mentor in this cohort.")})
    preference, _created = MatchingPreference.objects.update_or_create(
        cohort=cohort,
        trainee=acting_user,
        defaults={"focus_areas": _check_focus_areas(focus_areas), "wishes": wishes},
    )
    return preference


# --- Matching ------------------------------------------------------------------------------------


def _trainee_region(membership) -> int | None:
    return membership.region_id or getattr(getattr(membership.user, "profile", None), "region_id", None)


def cohort_windows(cohort: Cohort):
    """Shadowing windows that overlap the cohort's period."""
    return HostWindow.objects.filter(starts_on__lte=cohort.ends_on, ends_on__gte=cohort.starts_on)


def _mentor_in(user, host: HostProfile | None, load: int) -> matching.MentorIn | None:
    profile = getattr(user, "profile", None)
    school = host.school if host else getattr(profile, "school", None)
    if school is None:
        return None
    subjects = set(host.subjects if host else []) | set(getattr(profile, "subjects", []) or [])
    stages = set(host.stages if host else []) | set(getattr(profile, "stages", []) or [])
    capacity = host.capacity if host else HostProfile._meta.get_field("capacity").default
    return matching.MentorIn(
        id=user.pk,
        region_id=school.region_id,
        school_id=school.pk,
        capacity=max(capacity - load, 0),
        stages=frozenset(stages),
        subjects=frozenset(subjects),
        focus_areas=frozenset(host.focus_areas if host else []),
        school_type=school.school_type,
        school_stage=school.stage,
    )


def matching_input_build(*, cohort: Cohort) -> tuple[matching.MatchingInput, dict]:
    """The cohort as the matcher sees it: remaining capacities, rules, wishes and pins."""
    counted = MembershipStatus.counted_values()
    memberships = list(
        CohortMembership.objects.filter(
            cohort=cohort, status__in=counted, role__in=[MembershipRole.TRAINEE, MembershipRole.MENTOR]
        ).select_related("user__profile__school", "user__host_profile__school")
    )
    placed = set(Pairing.objects.current().filter(cohort=cohort).values_list("trainee_id", flat=True))
    preferences = {p.trainee_id: p for p in MatchingPreference.objects.filter(cohort=cohort)}
    mentor_ids = [m.user_id for m in memberships if m.role == MembershipRole.MENTOR]
    loads = dict(
        Pairing.objects.current()
        .filter(mentor_id__in=mentor_ids)
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    trainees, mentors = [], []
    for membership in memberships:
        user = membership.user
        if membership.role == MembershipRole.MENTOR:
            mentor = _mentor_in(user, getattr(user, "host_profile", None), loads.get(user.pk, 0))
            if mentor is not None:
                mentors.append(mentor)
            continue
        if user.pk in placed:
            continue
        profile = getattr(user, "profile", None)
        school = getattr(profile, "school", None)
        preference = preferences.get(user.pk)
        trainees.append(
            matching.TraineeIn(
                id=user.pk,
                region_id=_trainee_region(membership) or 0,
                school_id=school.pk if school else None,
                stages=frozenset(getattr(profile, "stages", []) or []),
                subjects=frozenset(getattr(profile, "subjects", []) or []),
                focus_areas=frozenset(preference.focus_areas if preference else []),
                school_type=school.school_type if school else "",
                school_stage=school.stage if school else "",
                wishes=tuple(preference.wishes if preference else ()),
            )
        )
    windows = list(
        cohort_windows(cohort).annotate(
            used=Count("pairings", filter=Q(pairings__status__in=PairingStatus.current_values()))
        )
    )
    region_of = {m.user_id: _trainee_region(m) for m in memberships if m.role == MembershipRole.TRAINEE}
    paired_by_region = Counter(region_of.get(trainee_id) for trainee_id in placed)
    quotas = {
        row.region_id: row.quota - paired_by_region.get(row.region_id, 0)
        for row in CohortRegion.objects.filter(cohort=cohort)
    }
    trainee_ids = [t.id for t in trainees]
    data = matching.MatchingInput(
        kind=cohort.programme.kind,
        cross_region=cohort.programme.requires_cross_region,
        trainees=trainees,
        mentors=mentors,
        windows=[matching.WindowIn(id=w.pk, school_id=w.school_id, capacity=w.capacity - w.used) for w in windows],
        quotas=quotas,
        do_not_match=set(
            DoNotMatch.objects.filter(trainee_id__in=trainee_ids, mentor_id__in=mentor_ids).values_list(
                "trainee_id", "mentor_id"
            )
        ),
        pinned=dict(PairingPin.objects.filter(cohort=cohort).values_list("trainee_id", "mentor_id")),
    )
    return data, {w.pk: w for w in windows}


@transaction.atomic
def matching_batch_start(*, acting_user, cohort: Cohort) -> MatchingBatch:
    """Queue a matching run for the cohort; a Celery worker runs it and reports progress."""
    _require(can_manage_cohort(acting_user, cohort))
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    # A run whose worker died long ago must not block the cohort for ever.
    MatchingBatch.objects.filter(
        cohort=cohort,
        status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING],
        created_at__lt=timezone.now() - STALE_RUN_AFTER,
    ).update(status=BatchStatus.FAILED, error="stale")
    if MatchingBatch.objects.filter(cohort=cohort, status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING]).exists():
        raise ValidationError(_("A matching run for this cohort is already in progress."))
    MatchingBatch.objects.filter(cohort=cohort, status=BatchStatus.PENDING).update(status=BatchStatus.DISCARDED)
    batch = MatchingBatch.objects.create(cohort=cohort, created_by=acting_user)
    audit_log(instance=batch, action="mentorship.batch.start", acting_user=acting_user, data={"cohort": cohort.pk})

    def enqueue():
        from .tasks import run_matching_batch_task

        try:
            run_matching_batch_task.delay(batch.pk)
        except Exception:
            # The broker is down: the batch stays queued and the page offers to run it again.
            logger.warning("Could not queue matching batch %s", batch.pk, exc_info=True)

    transaction.on_commit(enqueue)
    return batch


def matching_batch_run(*, batch_id: int) -> MatchingBatch | None:
    """Run a queued batch once: solve the cohort's matching and store the proposals for review."""
    claimed = MatchingBatch.objects.filter(pk=batch_id, status=BatchStatus.QUEUED).update(
        status=BatchStatus.RUNNING, progress=1, stage="input"
    )
    if not claimed:
        return None
    batch = MatchingBatch.objects.select_related("cohort__programme").get(pk=batch_id)

    def progress(percent: int, stage: str) -> None:
        MatchingBatch.objects.filter(pk=batch_id).update(progress=percent, stage=stage)

    try:
        data, windows = matching_input_build(cohort=batch.cohort)
        result = matching.solve(data, progress=progress)
        with transaction.atomic():
            PairingProposal.objects.bulk_create(
                [
                    PairingProposal(
                        batch=batch,
                        trainee_id=proposal.trainee_id,
                        mentor_id=proposal.mentor_id,
                        window_id=proposal.window_id,
                        score=points(proposal.score),
                        reasons=proposal.reasons,
                        pinned=proposal.pinned,
                    )
                    for proposal in result.proposals
                ],
                batch_size=1000,
            )
            MatchingBatch.objects.filter(pk=batch_id).update(
                status=BatchStatus.PENDING,
                progress=100,
                stage="done",
                unplaced={str(u.trainee_id): u.rule for u in result.unplaced},
                total_score=points(result.total_score),
                seconds=result.seconds,
            )
    except Exception as exc:
        logger.exception("Matching batch %s failed", batch_id)
        MatchingBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, error=f"{type(exc).__name__}: {exc}"
        )
    batch.refresh_from_db()
    return batch


def _editable_batch(batch: MatchingBatch, acting_user) -> MatchingBatch:
    _require(can_manage_cohort(acting_user, batch.cohort))
    batch = MatchingBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.PENDING:
        raise ValidationError(_("This batch can no longer be changed."))
    return batch


def _pair_rule(*, cohort: Cohort, trainee_id: int, mentor_id: int, window_id: int | None = None, ignore_pairing=None):
    """The hard rule a pair of these two people would break today, or None."""
    data, _windows = matching_input_build(cohort=cohort)
    trainee = next((t for t in data.trainees if t.id == trainee_id), None)
    if trainee is None:
        membership = (
            CohortMembership.objects.filter(cohort=cohort, user_id=trainee_id, role=MembershipRole.TRAINEE)
            .select_related("user__profile__school")
            .first()
        )
        if membership is None:
            return matching.RULE_NO_HOSTS
        profile = getattr(membership.user, "profile", None)
        school = getattr(profile, "school", None)
        trainee = matching.TraineeIn(
            id=trainee_id,
            region_id=_trainee_region(membership) or 0,
            school_id=school.pk if school else None,
            stages=frozenset(getattr(profile, "stages", []) or []),
            subjects=frozenset(getattr(profile, "subjects", []) or []),
            school_stage=school.stage if school else "",
        )
    mentor = next((m for m in data.mentors if m.id == mentor_id), None)
    if mentor is None:
        return matching.RULE_NO_HOSTS
    # The matcher loads do-not-match pairs only for unplaced trainees; this pair may already be placed.
    if DoNotMatch.objects.filter(trainee_id=trainee_id, mentor_id=mentor_id).exists():
        data.do_not_match.add((trainee_id, mentor_id))
    rule = matching.pair_rule_broken(data=data, trainee=trainee, mentor=mentor)
    if rule:
        return rule
    own = 1 if ignore_pairing is not None and ignore_pairing.is_current else 0
    if mentor.capacity + own <= 0:
        return matching.RULE_MENTOR_CAPACITY
    if window_id is not None:
        window = next((w for w in data.windows if w.id == window_id), None)
        if window is None or window.school_id != mentor.school_id:
            return matching.RULE_NO_WINDOW
        if window.capacity + own <= 0:
            return matching.RULE_SCHOOL_CAPACITY
    return None


def _raise_pair_rule(rule: str | None) -> None:
    if rule:
        raise ValidationError(str(PAIR_MESSAGES[rule]))


@transaction.atomic
def batch_proposal_remove(*, acting_user, proposal: PairingProposal) -> None:
    """Take one proposal out of a pending batch; the trainee stays unplaced."""
    batch = _editable_batch(proposal.batch, acting_user)
    unplaced = dict(batch.unplaced)
    unplaced[str(proposal.trainee_id)] = "removed"
    batch.unplaced = unplaced
    batch.total_score -= proposal.score
    batch.save(update_fields=["unplaced", "total_score"])
    audit_log(
        instance=batch,
        action="mentorship.batch.remove",
        acting_user=acting_user,
        data={"trainee": proposal.trainee_id, "mentor": proposal.mentor_id},
    )
    proposal.delete()


@transaction.atomic
def batch_proposals_swap(*, acting_user, first: PairingProposal, second: PairingProposal) -> None:
    """Exchange the hosts of two proposals, if both new pairs keep every rule."""
    batch = _editable_batch(first.batch, acting_user)
    if second.batch_id != batch.pk or first.pk == second.pk:
        raise ValidationError(_("Choose two different proposals of this batch."))
    cohort = batch.cohort
    data, _windows = matching_input_build(cohort=cohort)
    trainees = {t.id: t for t in data.trainees}
    mentors = {m.id: m for m in data.mentors}
    for trainee_id, mentor_id in ((first.trainee_id, second.mentor_id), (second.trainee_id, first.mentor_id)):
        trainee, mentor = trainees.get(trainee_id), mentors.get(mentor_id)
        if trainee is None or mentor is None:
            raise ValidationError(_("One of these people has left the cohort."))
        _raise_pair_rule(matching.pair_rule_broken(data=data, trainee=trainee, mentor=mentor))
    demand = matching.mentor_demand(data)
    max_demand = max(demand.values(), default=0)
    old_total = first.score + second.score
    first.mentor_id, second.mentor_id = second.mentor_id, first.mentor_id
    first.window_id, second.window_id = second.window_id, first.window_id
    for proposal in (first, second):
        score, reasons = matching.pair_score(
            trainee=trainees[proposal.trainee_id],
            mentor=mentors[proposal.mentor_id],
            demand=demand,
            max_demand=max_demand,
        )
        proposal.score, proposal.reasons, proposal.pinned = points(score), reasons, False
        proposal.save(update_fields=["mentor", "window", "score", "reasons", "pinned"])
    batch.total_score += first.score + second.score - old_total
    batch.save(update_fields=["total_score"])
    audit_log(
        instance=batch,
        action="mentorship.batch.swap",
        acting_user=acting_user,
        data={"proposals": [first.pk, second.pk]},
    )


@transaction.atomic
def pairing_pin(*, acting_user, cohort: Cohort, trainee_id: int, mentor_id: int) -> PairingPin:
    """Fix a pair for the next matching run; it must keep every hard rule."""
    _require(can_manage_cohort(acting_user, cohort))
    _raise_pair_rule(_pair_rule(cohort=cohort, trainee_id=trainee_id, mentor_id=mentor_id))
    pin, _created = PairingPin.objects.update_or_create(
        cohort=cohort, trainee_id=trainee_id, defaults={"mentor_id": mentor_id}
    )
    audit_log(
        instance=pin,
        action="mentorship.pin.create",
        acting_user=acting_user,
        data={"trainee": trainee_id, "mentor": mentor_id},
    )
    return pin


@transaction.atomic
def pairing_unpin(*, acting_user, cohort: Cohort, trainee_id: int) -> None:
    """Release a pinned pair."""
    _require(can_manage_cohort(acting_user, cohort))
    for pin in PairingPin.objects.filter(cohort=cohort, trainee_id=trainee_id):
        audit_log(instance=pin, action="mentorship.pin.delete", acting_user=acting_user)
        pin.delete()


def _pairing_period(cohort: Cohort, window: HostWindow | None) -> tuple[datetime.date, datetime.date]:
    if window is None:
        return cohort.starts_on, cohort.ends_on
    starts_on, ends_on = max(cohort.starts_on, window.starts_on), min(cohort.ends_on, window.ends_on)
    return (starts_on, ends_on) if starts_on <= ends_on else (cohort.starts_on, cohort.ends_on)


def _notify(
    *,
    recipients,
    kind: str,
    target,
    pairing: Pairing,
    context: dict,
    occasion: str = "",
    url_name: str = "mentorship:pairing-detail",
    url_args=None,
) -> None:
    """Notify people of a pairing's event, each in their language, filed under the pairing's cohort.

    The link and the cohort's name are made once per language, so the daily
    digest lists mentorship and training messages of a cohort under one heading
    in the reader's language (training uses the same `cohort-<pk>` key).
    """
    by_language: dict[str, list] = {}
    for person in recipients:
        by_language.setdefault(person.preferred_language or settings.LANGUAGE_CODE, []).append(person)
    for language, people in by_language.items():
        with translation.override(language):
            notification_send_many(
                recipients=people,
                kind=kind,
                target=target,
                context=context,
                occasion=occasion,
                url=reverse(url_name, args=url_args or [pairing.pk]),
                group_key=cohort_group_key(pairing.cohort_id),
                group_label=pairing.cohort.localized_name,
            )


def cohort_group_key(cohort_id: int) -> str:
    """The digest's group of a cohort's messages; the same key as training's."""
    return f"cohort-{cohort_id}"


def _names(pairing: Pairing) -> dict:
    return {
        "trainee": pairing.trainee.get_full_name(),
        "mentor": pairing.mentor.get_full_name(),
        "cohort": pairing.cohort.name,
    }


@transaction.atomic
def matching_batch_publish(*, acting_user, batch: MatchingBatch) -> list[Pairing]:
    """Turn a reviewed batch into proposed pairings and tell both sides of each."""
    batch = _editable_batch(batch, acting_user)
    cohort = Cohort.objects.select_related("programme").get(pk=batch.cohort_id)
    proposals = list(batch.proposals.select_related("trainee", "mentor", "window__school"))
    pairings = []
    for proposal in proposals:
        starts_on, ends_on = _pairing_period(cohort, proposal.window)
        try:
            with transaction.atomic():
                pairing = Pairing.objects.create(
                    cohort=cohort,
                    trainee=proposal.trainee,
                    mentor=proposal.mentor,
                    kind=cohort.programme.kind,
                    host_school=proposal.window.school,
                    window=proposal.window,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    batch=batch,
                    score=proposal.score,
                    reasons=proposal.reasons,
                )
        except IntegrityError:
            raise ValidationError(
                _("%(name)s already has a current pairing in this cohort; run the matching again.")
                % {"name": proposal.trainee.get_full_name()}
            ) from None
        pairings.append(pairing)
    if pairings:
        audit_log(
            instance=batch,
            action="mentorship.batch.publish",
            acting_user=acting_user,
            data={"pairings": [pairing.pk for pairing in pairings]},
        )
    for pairing in pairings:
        audit_log(instance=pairing, action="mentorship.pairing.propose", acting_user=acting_user)
        _notify(
            recipients=[pairing.trainee, pairing.mentor],
            kind="mentorship.pairing_proposed",
            target=pairing,
            context=_names(pairing),
            pairing=pairing,
        )
    batch.status = BatchStatus.PUBLISHED
    batch.published_at = timezone.now()
    batch.save(update_fields=["status", "published_at"])
    PairingPin.objects.filter(cohort=cohort, trainee_id__in=[p.trainee_id for p in pairings]).delete()
    return pairings


# --- Pairings --------------------------------------------------------------------------------------


def _locked(pairing: Pairing) -> Pairing:
    return (
        Pairing.objects.select_for_update()
        .select_related("cohort__programme", "trainee", "mentor", "host_school")
        .get(pk=pairing.pk)
    )


def pairing_regions(pairing: Pairing) -> tuple[int | None, int | None]:
    """(the trainee's sending region, the host's region)."""
    membership = CohortMembership.objects.filter(
        cohort_id=pairing.cohort_id, user_id=pairing.trainee_id, role=MembershipRole.TRAINEE
    ).first()
    trainee_region = membership.region_id if membership and membership.region_id else None
    if trainee_region is None:
        trainee_region = getattr(getattr(pairing.trainee, "profile", None), "region_id", None)
    return trainee_region, pairing.host_school.region_id


def pairing_missing_parties(pairing: Pairing) -> list[str]:
    done = set(pairing.approvals.values_list("party", flat=True))
    return [party for party in ApprovalParty.values if party not in done]


@transaction.atomic
def pairing_approve(*, acting_user, pairing: Pairing) -> Pairing:
    """One party approves a proposed pairing; with every approval in, it is agreed."""
    pairing = _locked(pairing)
    if pairing.status != PairingStatus.PROPOSED:
        raise ValidationError(_("Only a proposed pairing can be approved."))
    trainee_region, host_region = pairing_regions(pairing)
    parties = approval_parties_for(acting_user, pairing, trainee_region_id=trainee_region, host_region_id=host_region)
    if not parties:
        raise PermissionDenied
    missing = [party for party in pairing_missing_parties(pairing) if party in parties]
    if not missing:
        raise ValidationError(_("You have already approved this pairing."))
    _raise_pair_rule(
        _pair_rule(
            cohort=pairing.cohort,
            trainee_id=pairing.trainee_id,
            mentor_id=pairing.mentor_id,
            window_id=pairing.window_id,
            ignore_pairing=pairing,
        )
    )
    PairingApproval.objects.bulk_create(
        [PairingApproval(pairing=pairing, party=party, user=acting_user) for party in missing]
    )
    overview_invalidate(pairing.cohort_id)  # the dashboards show whose approval is missing; bulk writes send no signal
    audit_log(instance=pairing, action="mentorship.pairing.approve", acting_user=acting_user, data={"parties": missing})
    if not pairing_missing_parties(pairing):
        pairing.status = PairingStatus.AGREED
        pairing.save(update_fields=["status", "updated_at"])
        audit_log(instance=pairing, action="mentorship.pairing.agree", acting_user=acting_user)
        _notify(
            recipients=[pairing.trainee, pairing.mentor],
            kind="mentorship.pairing_agreed",
            target=pairing,
            context=_names(pairing),
            pairing=pairing,
        )
    return pairing


@transaction.atomic
def pairing_agreement_update(
    *, acting_user, pairing: Pairing, focus_areas, visit_days: str, expectations: str
) -> Pairing:
    """The pair or a coordinator writes the agreement; changing it asks everyone to approve again."""
    pairing = _locked(pairing)
    _require(can_view_pairing(acting_user, pairing))
    if pairing.status != PairingStatus.PROPOSED:
        raise ValidationError(_("The agreement can be changed only while the pairing is proposed."))
    pairing.agreement_focus_areas = _check_focus_areas(focus_areas)
    pairing.agreement_visit_days = visit_days.strip()[:200]
    pairing.agreement_expectations = plain_text(expectations)
    pairing.save(
        update_fields=["agreement_focus_areas", "agreement_visit_days", "agreement_expectations", "updated_at"]
    )
    pairing.approvals.all().delete()
    audit_log(instance=pairing, action="mentorship.pairing.agreement", acting_user=acting_user)
    return pairing


@transaction.atomic
def pairing_start(*, acting_user, pairing: Pairing) -> Pairing:
    """The mentor or a coordinator starts an agreed pairing: from now on sessions are logged."""
    pairing = _locked(pairing)
    _require(acting_user.pk == pairing.mentor_id or can_manage_cohort(acting_user, pairing.cohort))
    if pairing.status != PairingStatus.AGREED:
        raise ValidationError(_("Only an agreed pairing can start."))
    pairing.status = PairingStatus.ACTIVE
    pairing.save(update_fields=["status", "updated_at"])
    audit_log(instance=pairing, action="mentorship.pairing.start", acting_user=acting_user)
    return pairing


@transaction.atomic
def pairing_complete(*, acting_user, pairing: Pairing) -> Pairing:
    """Shadowing is over: the pairing is completed and follow-up check-ins are scheduled."""
    pairing = _locked(pairing)
    _require(acting_user.pk == pairing.mentor_id or can_manage_cohort(acting_user, pairing.cohort))
    if pairing.status != PairingStatus.ACTIVE:
        raise ValidationError(_("Only an active pairing can be completed."))
    pairing.status = PairingStatus.COMPLETED
    pairing.save(update_fields=["status", "updated_at"])
    check_ins_schedule(pairing=pairing, after=timezone.localdate())
    audit_log(instance=pairing, action="mentorship.pairing.complete", acting_user=acting_user)
    _notify(
        recipients=[pairing.trainee, pairing.mentor],
        kind="mentorship.pairing_ended",
        target=pairing,
        occasion="completed",
        context=_names(pairing),
        pairing=pairing,
    )
    return pairing


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def check_ins_schedule(*, pairing: Pairing, after: datetime.date) -> list[CheckIn]:
    """Follow-up check-ins one, three and six months after shadowing; scheduling twice adds none."""
    CheckIn.objects.bulk_create(
        [
            CheckIn(pairing=pairing, months_after=months, due_on=_add_months(after, months))
            for months in CHECK_IN_MONTHS
        ],
        ignore_conflicts=True,
    )
    return list(pairing.check_ins.all())


@transaction.atomic
def pairing_end(*, acting_user, pairing: Pairing, reason: str, do_not_match: bool = False) -> Pairing:
    """A coordinator ends a pairing early, with a reason; the history stays."""
    pairing = _locked(pairing)
    _require(can_manage_cohort(acting_user, pairing.cohort))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the pairing ends.")})
    if not pairing.is_current:
        raise ValidationError(_("This pairing has already finished."))
    pairing.status = PairingStatus.ENDED
    pairing.ended_reason = reason[:300]
    pairing.ended_at = timezone.now()
    pairing.save(update_fields=["status", "ended_reason", "ended_at", "updated_at"])
    if do_not_match:
        DoNotMatch.objects.get_or_create(
            trainee_id=pairing.trainee_id,
            mentor_id=pairing.mentor_id,
            defaults={"reason": reason[:200], "created_by": acting_user},
        )
    audit_log(
        instance=pairing,
        action="mentorship.pairing.end",
        acting_user=acting_user,
        data={"reason": reason, "do_not_match": do_not_match},
    )
    _notify(
        recipients=[pairing.trainee, pairing.mentor],
        kind="mentorship.pairing_ended",
        target=pairing,
        occasion="ended",
        context=_names(pairing),
        pairing=pairing,
    )
    return pairing


@transaction.atomic
def pairing_reassign(*, acting_user, pairing: Pairing, mentor_id: int, reason: str) -> Pairing:
    """End a pairing and propose another host; the old pairing stays in the history."""
    old = pairing_end(acting_user=acting_user, pairing=pairing, reason=reason)
    cohort = old.cohort
    _raise_pair_rule(_pair_rule(cohort=cohort, trainee_id=old.trainee_id, mentor_id=mentor_id))
    data, windows = matching_input_build(cohort=cohort)
    mentor = next(m for m in data.mentors if m.id == mentor_id)
    window = max(
        (w for w in data.windows if w.school_id == mentor.school_id and w.capacity > 0),
        key=lambda w: w.capacity,
        default=None,
    )
    if window is None:
        has_window = any(w.school_id == mentor.school_id for w in data.windows)
        _raise_pair_rule(matching.RULE_SCHOOL_CAPACITY if has_window else matching.RULE_NO_WINDOW)
    window = windows[window.id]
    starts_on, ends_on = _pairing_period(cohort, window)
    starts_on = max(starts_on, min(timezone.localdate(), ends_on))
    new = Pairing.objects.create(
        cohort=cohort,
        trainee_id=old.trainee_id,
        mentor_id=mentor_id,
        kind=cohort.programme.kind,
        host_school_id=window.school_id,
        window=window,
        starts_on=starts_on,
        ends_on=ends_on,
        previous=old,
    )
    new = Pairing.objects.select_related("trainee", "mentor", "cohort").get(pk=new.pk)
    audit_log(instance=new, action="mentorship.pairing.reassign", acting_user=acting_user, data={"previous": old.pk})
    _notify(
        recipients=[new.trainee, new.mentor],
        kind="mentorship.pairing_proposed",
        target=new,
        context=_names(new),
        pairing=new,
    )
    return new


# --- Session logs ----------------------------------------------------------------------------------


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": _("Enter the hours as a number, e.g. 1.5.")}) from None
    if hours <= 0:
        raise ValidationError({"hours": _("A session lasts more than zero hours.")})
    if hours > MAX_HOURS_PER_DAY:
        raise ValidationError({"hours": _("A day has no more than 24 hours.")})
    return hours


@transaction.atomic
def session_log_create(
    *,
    acting_user,
    pairing: Pairing,
    occurred_on: datetime.date,
    hours,
    kind: str,
    went_well: str = "",
    challenges: str = "",
    trainee_next_steps: str = "",
    mentor_next_steps: str = "",
    next_meeting: datetime.datetime | None = None,
    tags=(),
) -> SessionLog:
    """Either party logs a session; the other party is asked to confirm it."""
    pairing = _locked(pairing)
    _require(is_pair_member(acting_user, pairing))
    if not pairing.accepts_logs:
        raise ValidationError(_("Sessions can be logged once the pairing has started."))
    hours = _log_checked(pairing=pairing, acting_user=acting_user, occurred_on=occurred_on, hours=hours, kind=kind)
    if next_meeting is not None and next_meeting <= timezone.now():
        raise ValidationError({"next_meeting": _("The next meeting must be in the future.")})
    log = SessionLog.objects.create(
        pairing=pairing,
        author=acting_user,
        occurred_on=occurred_on,
        hours=hours,
        kind=kind,
        went_well=plain_text(went_well),
        challenges=plain_text(challenges),
        trainee_next_steps=plain_text(trainee_next_steps),
        mentor_next_steps=plain_text(mentor_next_steps),
        next_meeting=next_meeting,
        tags=_check_focus_areas(tags, field="tags"),
    )
    audit_log(instance=log, action="mentorship.session_log.create", acting_user=acting_user, data={"hours": str(hours)})
    _notify(
        recipients=[pairing.other_party(acting_user)],
        kind="mentorship.session_log_awaiting",
        target=log,
        context={"author": acting_user.get_full_name(), "date": occurred_on.isoformat(), "hours": str(hours)},
        pairing=pairing,
    )
    return log


def _log_checked(*, pairing: Pairing, acting_user, occurred_on, hours, kind: str, editing_pk=None) -> Decimal:
    """The rules a new or edited log must meet; the hours as a Decimal. An edited log does not count against itself."""
    if kind not in SessionKind.values:
        raise ValidationError({"kind": _("Choose the kind of session.")})
    hours = _hours(hours)
    today = timezone.localdate()
    if occurred_on > today:
        raise ValidationError({"occurred_on": _("A session cannot be logged for a date in the future.")})
    if occurred_on < pairing.starts_on:
        raise ValidationError({"occurred_on": _("The session is dated before the pairing began.")})
    if kind == SessionKind.SHADOW_DAY and acting_user.pk != pairing.trainee_id:
        raise ValidationError({"kind": _("The trainee keeps the daily shadow log; the host countersigns it.")})
    if (
        kind == SessionKind.SHADOW_DAY
        and pairing.session_logs.filter(kind=kind, occurred_on=occurred_on).exclude(pk=editing_pk).exists()
    ):
        raise ValidationError({"occurred_on": _("There is already a shadow-day log for this date.")})
    logged = (
        SessionLog.objects.filter(pairing__trainee_id=pairing.trainee_id, occurred_on=occurred_on)
        .exclude(status=SessionLogStatus.REJECTED)
        .exclude(pk=editing_pk)
        .aggregate(total=Sum("hours"))["total"]
        or 0
    )
    if logged + hours > MAX_HOURS_PER_DAY:
        raise ValidationError(
            {
                "hours": _("With this session the day would have more than 24 hours (%(logged)s already logged).")
                % {"logged": logged}
            }
        )
    return hours


@transaction.atomic
def session_log_update(*, acting_user, session_log: SessionLog, changes: dict) -> SessionLog:
    """The author corrects a log while it awaits confirmation, under the rules of a new log; audited."""
    log = _locked_log(session_log)
    if acting_user.pk != log.author_id:
        raise PermissionDenied(_("Only the person who logged the session can change it."))
    if log.status != SessionLogStatus.AWAITING:
        raise ValidationError(_("This log is no longer awaiting confirmation, so it cannot be changed."))
    editable = ("occurred_on", "hours", "kind", "went_well", "challenges")
    before = {field: str(getattr(log, field)) for field in editable}
    values = {field: changes.get(field, getattr(log, field)) for field in editable}
    log.hours = _log_checked(
        pairing=log.pairing,
        acting_user=acting_user,
        occurred_on=values["occurred_on"],
        hours=values["hours"],
        kind=values["kind"],
        editing_pk=log.pk,
    )
    log.occurred_on, log.kind = values["occurred_on"], values["kind"]
    log.went_well, log.challenges = plain_text(values["went_well"]), plain_text(values["challenges"])
    changed = {
        field: {"from": before[field], "to": str(getattr(log, field))}
        for field in editable
        if before[field] != str(getattr(log, field))
    }
    if changed:
        # Calendar feeds carry the revision as SEQUENCE, so a moved session replaces the old entry.
        log.revision += 1
        log.save(update_fields=[*changed, "revision"])
        audit_log(instance=log, action="mentorship.session_log.update", acting_user=acting_user, data=changed)
        # The other party is asked again, with the corrected figures, so nobody confirms what they did not see.
        _notify(
            recipients=[log.pairing.other_party(acting_user)],
            kind="mentorship.session_log_awaiting",
            target=log,
            occasion=f"revision-{log.revision}",
            context=_log_context(log),
            pairing=log.pairing,
        )
    return log


def _locked_log(session_log: SessionLog) -> SessionLog:
    return (
        SessionLog.objects.select_for_update()
        .select_related("pairing__cohort", "pairing__trainee", "pairing__mentor", "author")
        .get(pk=session_log.pk)
    )


def _credit(log: SessionLog, acting_user) -> None:
    hours_credit(
        trainee=log.pairing.trainee,
        hours=log.hours,
        source=HoursSource.MENTORING,
        occurred_on=log.occurred_on,
        source_object=log,
        cohort=log.pairing.cohort,
        credited_by=acting_user,
    )


def _log_context(log: SessionLog) -> dict:
    return {"author": log.author.get_full_name(), "date": log.occurred_on.isoformat(), "hours": str(log.hours)}


@transaction.atomic
def session_log_confirm(*, acting_user, session_log: SessionLog) -> SessionLog:
    """The other party confirms a log; only now are its hours credited, once."""
    log = _locked_log(session_log)
    if acting_user.pk != log.confirmer_id:
        raise PermissionDenied(_("Only the other party of the session can confirm it."))
    if log.status != SessionLogStatus.AWAITING:
        raise ValidationError(_("This log is no longer awaiting confirmation."))
    log.status = SessionLogStatus.CONFIRMED
    log.reviewed_by, log.reviewed_at = acting_user, timezone.now()
    log.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    _credit(log, acting_user)
    audit_log(instance=log, action="mentorship.session_log.confirm", acting_user=acting_user)
    _notify(
        recipients=[log.author],
        kind="mentorship.session_log_confirmed",
        target=log,
        context=_log_context(log) | {"confirmer": acting_user.get_full_name()},
        pairing=log.pairing,
    )
    return log


def _coordinators(cohort: Cohort):
    from accounts.models import User

    return list(
        User.objects.filter(
            memberships__cohort=cohort,
            memberships__role=MembershipRole.COORDINATOR,
            memberships__status__in=MembershipStatus.counted_values(),
        ).distinct()
    )


@transaction.atomic
def session_log_dispute(*, acting_user, session_log: SessionLog, comment: str) -> SessionLog:
    """The other party disputes a log with a comment; the coordinators decide."""
    log = _locked_log(session_log)
    if acting_user.pk != log.confirmer_id:
        raise PermissionDenied(_("Only the other party of the session can dispute it."))
    comment = plain_text(comment)
    if not comment:
        raise ValidationError({"comment": _("Say what is wrong with this log.")})
    if log.status != SessionLogStatus.AWAITING:
        raise ValidationError(_("This log is no longer awaiting confirmation."))
    log.status = SessionLogStatus.DISPUTED
    log.dispute_comment = comment
    log.reviewed_by, log.reviewed_at = acting_user, timezone.now()
    log.save(update_fields=["status", "dispute_comment", "reviewed_by", "reviewed_at"])
    audit_log(instance=log, action="mentorship.session_log.dispute", acting_user=acting_user, data={"comment": comment})
    _notify(
        recipients=[log.author, *_coordinators(log.pairing.cohort)],
        kind="mentorship.session_log_disputed",
        target=log,
        context=_log_context(log) | {"disputer": acting_user.get_full_name()},
        pairing=log.pairing,
    )
    return log


@transaction.atomic
def session_log_resolve(*, acting_user, session_log: SessionLog, accept: bool, comment: str = "") -> SessionLog:
    """A coordinator settles a disputed log: counted (hours credited) or not counted."""
    log = _locked_log(session_log)
    _require(can_manage_cohort(acting_user, log.pairing.cohort))
    if log.status != SessionLogStatus.DISPUTED:
        raise ValidationError(_("Only a disputed log needs a decision."))
    log.status = SessionLogStatus.CONFIRMED if accept else SessionLogStatus.REJECTED
    log.resolution_comment = plain_text(comment)
    log.revision += 1
    log.save(update_fields=["status", "resolution_comment", "revision"])
    if accept:
        _credit(log, acting_user)
    audit_log(
        instance=log,
        action="mentorship.session_log.resolve",
        acting_user=acting_user,
        data={"accepted": accept, "comment": log.resolution_comment},
    )
    _notify(
        recipients=[log.pairing.trainee, log.pairing.mentor],
        kind="mentorship.session_log_resolved",
        target=log,
        context=_log_context(log) | {"coordinator": acting_user.get_full_name()},
        pairing=log.pairing,
    )
    return log


# --- Reflections and evaluations -------------------------------------------------------------------


@transaction.atomic
def reflection_create(*, acting_user, pairing: Pairing, title: str, body: str) -> Reflection:
    """The trainee writes a reflection that only the pair and the coordinators read."""
    _require(acting_user.pk == pairing.trainee_id)
    title, body = (title or "").strip(), clean_text(body)
    if not title or not body:
        raise ValidationError(_("A reflection needs a title and some text."))
    reflection = Reflection.objects.create(pairing=pairing, author=acting_user, title=title[:200], body=body)
    audit_log(instance=reflection, action="mentorship.reflection.create", acting_user=acting_user)
    _notify(
        recipients=[pairing.mentor],
        kind="mentorship.reflection_written",
        target=reflection,
        context={"trainee": acting_user.get_full_name(), "title": reflection.title},
        pairing=pairing,
        url_name="mentorship:reflection-detail",
        url_args=[reflection.pk],
    )
    return reflection


@transaction.atomic
def reflection_comment_add(*, acting_user, reflection: Reflection, body: str) -> ReflectionComment:
    """The mentor (or a coordinator) comments on a reflection; the trainee is told."""
    pairing = reflection.pairing
    _require(acting_user.pk == pairing.mentor_id or can_manage_cohort(acting_user, pairing.cohort))
    body = clean_text(body)
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    comment = ReflectionComment.objects.create(reflection=reflection, author=acting_user, body=body)
    audit_log(instance=comment, action="mentorship.reflection.comment", acting_user=acting_user)
    _notify(
        recipients=[pairing.trainee],
        kind="mentorship.reflection_commented",
        target=comment,
        context={"author": acting_user.get_full_name(), "title": reflection.title},
        pairing=pairing,
        url_name="mentorship:reflection-detail",
        url_args=[reflection.pk],
    )
    return comment


def rubric_items(*, pairing: Pairing, kind: str) -> list[tuple[str, str]]:
    """What an evaluation rates: the standard's duties, or the mentor's qualities."""
    if kind == EvaluationKind.TRAINEE_RATES_MENTOR:
        return list(MentorQuality.choices)
    return [(area.value, area.label) for area in FocusArea.for_kind(pairing.kind)]


def evaluation_author_may(user, pairing: Pairing, kind: str) -> bool:
    if kind == EvaluationKind.MENTOR_RATES_TRAINEE:
        return user.pk == pairing.mentor_id
    return user.pk == pairing.trainee_id


@transaction.atomic
def evaluation_submit(
    *, acting_user, pairing: Pairing, stage: str, kind: str, ratings: dict, comment: str = ""
) -> Evaluation:
    """Rate on the rubric (1 to 4 for every item); submitting again replaces the ratings."""
    if stage not in EvaluationStage.values or kind not in EvaluationKind.values:
        raise ValidationError(_("Unknown evaluation."))
    _require(evaluation_author_may(acting_user, pairing, kind))
    if pairing.status not in {PairingStatus.ACTIVE, PairingStatus.COMPLETED}:
        raise ValidationError(_("Evaluations open once the pairing has started."))
    items = [code for code, _label in rubric_items(pairing=pairing, kind=kind)]
    clean = {}
    for code in items:
        try:
            value = int(ratings.get(code))
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 4:
            raise ValidationError({code: _("Rate every item from 1 to 4.")})
        clean[code] = value
    evaluation, _created = Evaluation.objects.update_or_create(
        pairing=pairing,
        stage=stage,
        kind=kind,
        defaults={"author": acting_user, "ratings": clean, "comment": plain_text(comment)},
    )
    audit_log(
        instance=evaluation,
        action="mentorship.evaluation.submit",
        acting_user=acting_user,
        data={"stage": stage, "kind": kind},
    )
    return evaluation


# --- Follow-up -------------------------------------------------------------------------------------


@transaction.atomic
def action_plan_save(
    *, acting_user, pairing: Pairing, goals: str, actions: str, support_needed: str = ""
) -> ActionPlan:
    """After shadowing the trainee writes what they will do at their own school."""
    _require(acting_user.pk == pairing.trainee_id)
    if pairing.status not in {PairingStatus.ACTIVE, PairingStatus.COMPLETED}:
        raise ValidationError(_("The action plan is written once shadowing has started."))
    goals, actions = plain_text(goals), plain_text(actions)
    if not goals or not actions:
        raise ValidationError(_("Write your goals and the actions that lead to them."))
    plan, _created = ActionPlan.objects.update_or_create(
        pairing=pairing, defaults={"goals": goals, "actions": actions, "support_needed": plain_text(support_needed)}
    )
    audit_log(instance=plan, action="mentorship.action_plan.save", acting_user=acting_user)
    return plan


@transaction.atomic
def check_in_record(*, acting_user, check_in: CheckIn, held_on: datetime.date, progress: str) -> CheckIn:
    """The mentor or trainee records a follow-up check-in."""
    check_in = CheckIn.objects.select_for_update().select_related("pairing").get(pk=check_in.pk)
    _require(is_pair_member(acting_user, check_in.pairing))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A check-in cannot be recorded for a date in the future.")})
    progress = plain_text(progress)
    if not progress:
        raise ValidationError({"progress": _("Note how the action plan is going.")})
    check_in.held_on, check_in.progress, check_in.recorded_by = held_on, progress, acting_user
    check_in.save(update_fields=["held_on", "progress", "recorded_by"])
    audit_log(instance=check_in, action="mentorship.check_in.record", acting_user=acting_user)
    return check_in


def host_certificate_issue(*, acting_user, cohort: Cohort, mentor_ids) -> list:
    """Host certificates for the chosen mentors, through the training certificate machinery, all or none."""
    try:
        mentor_ids = {int(pk) for pk in mentor_ids}
    except (TypeError, ValueError):
        raise ValidationError(_("Choose mentors from the list.")) from None
    records = hosting_records(cohort=cohort, mentor_ids=mentor_ids)
    empty = frozenset()
    chosen = [
        records.get(pk) or HostingRecord(mentor_id=pk, hours=Decimal(0), sessions=0, trainee_ids=empty)
        for pk in sorted(mentor_ids)
    ]
    return certificate_issue_for_hosts(cohort=cohort, acting_user=acting_user, records=chosen)
