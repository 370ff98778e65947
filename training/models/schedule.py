"""Schedule items: a cohort's plan, with audience, calendar identity and check-in secret."""

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import School, in_reader_language

from .cohorts import Cohort, CohortMembership, MembershipRole, MembershipStatus


class ScheduleItemKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    SHADOWING_BLOCK = "shadowing_block", _("Shadowing block")
    SCHOOL_VISIT = "school_visit", _("School visit")
    REMOTE_LESSON = "remote_lesson", _("Remote lesson")
    FORUM = "forum", _("Forum")


class Audience(models.TextChoices):
    COHORT = "cohort", _("Whole cohort")
    TRAINEES = "trainees", _("Trainees")
    MENTORS = "mentors", _("Mentors")
    NAMED = "named", _("Named participants")


class ScheduleItemStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


def new_checkin_secret() -> str:
    return secrets.token_hex(16)


class ScheduleItemQuerySet(models.QuerySet):
    def for_person(self, user):
        """Items whose audience includes this person through a membership that grants access."""
        counted = MembershipStatus.counted_values()
        memberships = CohortMembership.objects.filter(user=user, status__in=counted)
        whole = models.Q(audience=Audience.COHORT, cohort__in=memberships.values("cohort_id"))
        trainees = models.Q(
            audience=Audience.TRAINEES, cohort__in=memberships.filter(role=MembershipRole.TRAINEE).values("cohort_id")
        )
        mentors = models.Q(
            audience=Audience.MENTORS, cohort__in=memberships.filter(role=MembershipRole.MENTOR).values("cohort_id")
        )
        named = models.Q(
            audience=Audience.NAMED,
            pk__in=self.model.participants.through.objects.filter(cohortmembership__in=memberships).values(
                "scheduleitem_id"
            ),
        )
        coordinated = models.Q(cohort__in=memberships.filter(role=MembershipRole.COORDINATOR).values("cohort_id"))
        return self.filter(whole | trainees | mentors | named | coordinated)


class ScheduleItem(models.Model):
    """One entry of a cohort's plan. A shadowing block spans several days at a host school."""

    Kind = ScheduleItemKind

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="schedule_items", verbose_name=_("cohort")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ScheduleItemKind.choices)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    host_school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("host school")
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.COHORT)
    participants = models.ManyToManyField(
        CohortMembership, blank=True, related_name="named_schedule_items", verbose_name=_("named participants")
    )
    required = models.BooleanField(_("required"), default=True)
    credit_hours = models.DecimalField(
        _("hours credited per day attended"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ScheduleItemStatus.choices, default=ScheduleItemStatus.SCHEDULED
    )
    # Raised on every change attendees should see, so calendars update the entry instead of adding one.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    checkin_secret = models.CharField(max_length=32, default=new_checkin_secret, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScheduleItemQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("schedule item")
        verbose_name_plural = _("schedule items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="training_schedule_item_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["cohort", "starts_at"]), models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return self.localized_title

    @property
    def localized_title(self) -> str:
        return in_reader_language(self.title, self.title_en)

    @property
    def localized_description(self) -> str:
        return in_reader_language(self.description, self.description_en)

    @property
    def is_cancelled(self) -> bool:
        return self.status == ScheduleItemStatus.CANCELLED

    @property
    def uid(self) -> str:
        return f"schedule-item-{self.pk}@yingzi"

    @property
    def days(self) -> list[datetime.date]:
        """Each local calendar day the item covers; attendance is taken once per day."""
        # Progress asks this once per trainee for the same item: remember it for these times and zone.
        key = (self.starts_at, self.ends_at, timezone.get_current_timezone_name())
        cached = self.__dict__.get("_days")
        if cached and cached[0] == key:
            return list(cached[1])
        first = timezone.localtime(self.starts_at).date()
        # An item ending at midnight does not take up the next day.
        last = timezone.localtime(self.ends_at - datetime.timedelta(microseconds=1)).date()
        days = [first + datetime.timedelta(days=offset) for offset in range((last - first).days + 1)]
        self.__dict__["_days"] = (key, days)
        return list(days)

    @property
    def is_multi_day(self) -> bool:
        return len(self.days) > 1
