"""Lesson-study cycles: 说课 (plans and their versions, comments), 上课 (the lesson), 评课 (sheets), 改课 (revision)."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from notifications.services import notification_send_localized
from training.models import CohortMembership

from .. import permissions
from ..models import (
    Cycle,
    Lesson,
    LessonPlan,
    ObservationTemplate,
    Participation,
    PlanComment,
    PlanVersion,
    StudioMembership,
)
from .credit import participation_credit

# On-site check-in opens an hour before the lesson and closes a day after it.
CHECK_IN_OPENS = datetime.timedelta(hours=1)
CHECK_IN_CLOSES = datetime.timedelta(days=1)


def cycle_audience(cycle: Cycle):
    """The people a cycle concerns: the studio's active members, or the cohort's members."""
    User = get_user_model()
    if cycle.studio_id:
        return User.objects.filter(
            studio_memberships__studio_id=cycle.studio_id,
            studio_memberships__status=StudioMembership.Status.ACTIVE,
        )
    return User.objects.filter(
        cohort_memberships__cohort_id=cycle.cohort_id,
        cohort_memberships__status__in=CohortMembership.Status.counted_values(),
    ).distinct()


def _require_open(cycle: Cycle) -> None:
    if cycle.is_closed:
        raise ValidationError(_("This cycle is closed with its revised plan; it can no longer change."))


@transaction.atomic
def cycle_start(
    *, acting_user, topic: str, template: ObservationTemplate, studio=None, cohort=None, description: str = ""
) -> Cycle:
    """A studio's leaders or a cohort's coordinators start a cycle on a topic, with the sheet observers will fill."""
    if (studio is None) == (cohort is None):
        raise ValueError("A cycle belongs to a studio or to a cohort")
    if studio is not None and not permissions.can_lead_studio(acting_user, studio):
        raise PermissionDenied
    if cohort is not None and not permissions.can_manage_cohort(acting_user, cohort):
        raise PermissionDenied
    if template.studio_id is not None and (studio is None or template.studio_id != studio.pk):
        raise ValidationError(_("Choose one of this studio's observation sheets or a platform one."))
    if not template.items.exists():
        raise ValidationError(_("This observation sheet has no items yet; add some before using it."))
    if not topic.strip():
        raise ValidationError(_("Give the cycle a topic."))
    cycle = Cycle.objects.create(
        studio=studio,
        cohort=cohort,
        topic=topic.strip(),
        description=description.strip(),
        template=template,
        leader=acting_user,
    )
    audit_log(instance=cycle, action="studios.cycle_start", acting_user=acting_user)
    return cycle


@transaction.atomic
def plan_version_add(*, acting_user, cycle: Cycle, body: str, link: str = "") -> PlanVersion:
    """A member adds their plan for the topic, or a new version of it; after their lesson it is a revision."""
    if not permissions.can_view_cycle(acting_user, cycle):
        raise PermissionDenied
    _require_open(cycle)
    if not body.strip():
        raise ValidationError(_("Write the plan, or what changed in this version."))
    plan, _created = LessonPlan.objects.get_or_create(cycle=cycle, teacher=acting_user)
    LessonPlan.objects.select_for_update().filter(pk=plan.pk).exists()
    last = plan.versions.aggregate(last=Max("number"))["last"] or 0
    taught = plan.lessons.filter(starts_at__lte=timezone.now()).exists()
    version = PlanVersion.objects.create(plan=plan, number=last + 1, body=body.strip(), link=link, is_revision=taught)
    audit_log(instance=version, action="studios.plan_version_add", acting_user=acting_user)
    return version


@transaction.atomic
def plan_comment_add(*, acting_user, version: PlanVersion, body: str) -> PlanComment:
    """A colleague comments on a version of a plan."""
    cycle = version.plan.cycle
    if not permissions.can_view_cycle(acting_user, cycle):
        raise PermissionDenied
    _require_open(cycle)
    if not body.strip():
        raise ValidationError(_("Write a comment."))
    return PlanComment.objects.create(version=version, author=acting_user, body=body.strip())


@transaction.atomic
def lesson_schedule(
    *,
    acting_user,
    cycle: Cycle,
    plan: LessonPlan,
    classroom: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    online_link: str = "",
    hours: Decimal = Decimal("2.0"),
) -> Lesson:
    """Schedule the lesson taught from one plan; everyone the cycle concerns is told, in their calendar too."""
    if not permissions.can_run_cycle(acting_user, cycle):
        raise PermissionDenied
    _require_open(cycle)
    if plan.cycle_id != cycle.pk:
        raise ValidationError(_("Choose one of this cycle's plans."))
    if ends_at <= starts_at:
        raise ValidationError(_("The lesson must end after it starts."))
    if hours < 0 or hours > 8:
        raise ValidationError(_("A lesson credits from 0 to 8 hours."))
    lesson = Lesson.objects.create(
        cycle=cycle,
        plan=plan,
        classroom=classroom.strip(),
        place=place.strip(),
        online_link=online_link,
        starts_at=starts_at,
        ends_at=ends_at,
        hours=hours,
    )
    if cycle.status == Cycle.Status.PLANNING:
        cycle.status = Cycle.Status.OPEN
        cycle.save(update_fields=["status"])
    audit_log(instance=lesson, action="studios.lesson_schedule", acting_user=acting_user)
    lesson_notify(lesson=lesson, occasion="scheduled")
    return lesson


def lesson_notify(*, lesson: Lesson, occasion: str) -> None:
    """Tell everyone the cycle concerns about the lesson, with a link to it; once per occasion."""
    from django.utils import formats

    cycle = lesson.cycle
    notification_send_localized(
        recipients=list(cycle_audience(cycle)),
        kind="studios.lesson",
        target=lesson,
        context=lambda: {
            "topic": cycle.topic,
            "title": cycle.topic,
            "when": formats.date_format(timezone.localtime(lesson.starts_at), "SHORT_DATETIME_FORMAT"),
            "body": _("Lesson on “%(topic)s” at %(when)s, %(classroom)s. Open it to observe and fill the sheet.")
            % {
                "topic": cycle.topic,
                "when": formats.date_format(timezone.localtime(lesson.starts_at), "SHORT_DATETIME_FORMAT"),
                "classroom": lesson.classroom,
            },
        },
        occasion=f"{occasion}-{lesson.revision}",
        url_name="studios:lesson",
        url_kwargs={"lesson_id": lesson.pk},
    )


@transaction.atomic
def lesson_recording_set(*, acting_user, lesson: Lesson, recording_link: str) -> Lesson:
    """Add the recording's link once the lesson has been taught."""
    if not (permissions.can_run_cycle(acting_user, lesson.cycle) or lesson.plan.teacher_id == acting_user.pk):
        raise PermissionDenied
    if timezone.now() < lesson.starts_at:
        raise ValidationError(_("The recording is added after the lesson has started."))
    lesson.recording_link = recording_link
    lesson.save(update_fields=["recording_link"])
    audit_log(instance=lesson, action="studios.lesson_recording", acting_user=acting_user)
    return lesson


@transaction.atomic
def lesson_check_in(*, acting_user, lesson: Lesson, person) -> Participation:
    """The host or the cycle's leaders check in someone present in the classroom: their hours are credited once."""
    if not permissions.can_run_cycle(acting_user, lesson.cycle):
        raise PermissionDenied
    now = timezone.now()
    if not lesson.starts_at - CHECK_IN_OPENS <= now <= lesson.ends_at + CHECK_IN_CLOSES:
        raise ValidationError(_("Check-in is open from an hour before the lesson until a day after it."))
    if not cycle_audience(lesson.cycle).filter(pk=person.pk).exists():
        raise ValidationError(_("%(name)s is not a member here, so cannot be checked in.") % {"name": person})
    participation, new = participation_credit(
        cycle=lesson.cycle,
        lesson=lesson,
        person=person,
        kind=Participation.Kind.ON_SITE,
        hours=lesson.hours,
        recorded_by=acting_user,
    )
    if not new:
        raise ValidationError(_("%(name)s already attends this lesson; the hours count once.") % {"name": person})
    audit_log(instance=lesson, action="studios.lesson_check_in", acting_user=acting_user, data={"person": person.pk})
    return participation


@transaction.atomic
def cycle_close(*, acting_user, cycle: Cycle) -> Cycle:
    """The revised plan closes the cycle (改课): its leader is credited for leading it."""
    if not permissions.can_run_cycle(acting_user, cycle):
        raise PermissionDenied
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _require_open(cycle)
    if not cycle.lessons.filter(starts_at__lte=timezone.now()).exists():
        raise ValidationError(_("A cycle closes after its lesson has been taught."))
    if not PlanVersion.objects.filter(plan__cycle=cycle, is_revision=True).exists():
        raise ValidationError(_("A cycle closes with a revised plan: add the version revised after the lesson first."))
    cycle.status, cycle.closed_at = Cycle.Status.CLOSED, timezone.now()
    cycle.save(update_fields=["status", "closed_at"])
    participation_credit(cycle=cycle, person=cycle.leader, kind=Participation.Kind.LEADER, hours=cycle.leader_hours)
    audit_log(instance=cycle, action="studios.cycle_close", acting_user=acting_user)
    return cycle
