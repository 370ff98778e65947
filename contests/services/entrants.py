"""Entrants: a region's nominations within its quota, and student teachers' own sign-up."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.models import Profile

from ..models import Category, Entrant, EntrantStatus, Round, RoundEntry
from ..permissions import can_nominate_for


def _home(person):
    profile = Profile.objects.filter(user=person).select_related("region", "school").first()
    return (profile.region if profile else None), (profile.school if profile else None)


def _check_quota(category: Category, region) -> None:
    taken = Entrant.objects.filter(category=category, region=region, status=EntrantStatus.NOMINATED).count()
    if taken >= category.quota_per_region:
        raise ValidationError(
            _(
                "%(region)s has used its quota of %(quota)s entrants in %(category)s; withdraw one before nominating another."
            )
            % {"region": region.localized_name, "quota": category.quota_per_region, "category": category.localized_name}
        )


def _enter_first_round(entrant: Entrant) -> None:
    first = Round.objects.filter(contest_id=entrant.category.contest_id).order_by("sequence", "pk").first()
    if first is not None:
        RoundEntry.objects.get_or_create(round=first, entrant=entrant)


@transaction.atomic
def entrant_nominate(*, category: Category, person, acting_user, region=None) -> Entrant:
    """Nominate a person for the category on behalf of their region, within the region's quota.

    A student teacher who signed up is nominated by the same call.
    """
    # The category row is locked so that two offices nominating at once cannot both take the last place.
    category = Category.objects.select_for_update().select_related("contest").get(pk=category.pk)
    home_region, school = _home(person)
    existing = Entrant.objects.filter(category=category, person=person).first()
    region = region or (existing.region if existing else home_region)
    if region is None:
        raise ValidationError(_("This person has no home region in their profile, so no region can nominate them."))
    if not can_nominate_for(acting_user, category.contest, region):
        raise PermissionDenied
    if existing and existing.status == EntrantStatus.NOMINATED:
        raise ValidationError(_("%(name)s is already nominated in this category.") % {"name": person.get_full_name()})
    _check_quota(category, region)
    now = timezone.now()
    if existing:
        existing.status = EntrantStatus.NOMINATED
        existing.region = region
        existing.nominated_by = acting_user
        existing.nominated_at = now
        existing.save(update_fields=["status", "region", "nominated_by", "nominated_at"])
        entrant = existing
    else:
        entrant = Entrant.objects.create(
            category=category,
            person=person,
            region=region,
            school=school,
            status=EntrantStatus.NOMINATED,
            nominated_by=acting_user,
            nominated_at=now,
        )
    _enter_first_round(entrant)
    audit_log(
        instance=entrant, action="contests.entrant.nominate", acting_user=acting_user, data={"region": region.code}
    )
    return entrant


@transaction.atomic
def student_sign_up(*, category: Category, acting_user, university: str, region) -> Entrant:
    """A student teacher signs up with their university; their region's office then nominates them."""
    if not category.for_student_teachers:
        raise ValidationError(
            _("Only the student teachers' category takes sign-ups; teachers are nominated by their region.")
        )
    university = (university or "").strip()
    if not university:
        raise ValidationError({"university": _("Name your university.")})
    if Entrant.objects.filter(category=category, person=acting_user).exists():
        raise ValidationError(_("You have already signed up for this category."))
    entrant = Entrant.objects.create(
        category=category,
        person=acting_user,
        region=region,
        university=university[:200],
        status=EntrantStatus.SIGNED_UP,
    )
    audit_log(instance=entrant, action="contests.entrant.sign_up", acting_user=acting_user)
    return entrant


@transaction.atomic
def entrant_withdraw(*, entrant: Entrant, acting_user) -> Entrant:
    if not can_nominate_for(acting_user, entrant.category.contest, entrant.region) and acting_user != entrant.person:
        raise PermissionDenied
    entrant.status = EntrantStatus.WITHDRAWN
    entrant.save(update_fields=["status"])
    audit_log(instance=entrant, action="contests.entrant.withdraw", acting_user=acting_user)
    return entrant
