"""Writes to people and their profiles."""

from django.db import transaction

from .models import Profile, Region, School, User


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None = None,
    display_name: str = "",
    preferred_language: str = "zh-hans",
    region: Region | None = None,
    school: School | None = None,
    **profile_fields,
) -> User:
    """Create a person with their profile; the e-mail is the login."""
    user = User.objects.create_user(
        email=email, password=password, display_name=display_name, preferred_language=preferred_language
    )
    if region is None and school is not None:
        region = school.region
    Profile.objects.create(user=user, region=region, school=school, **profile_fields)
    return user


def profile_get_or_create(*, user: User) -> Profile:
    """Accounts made by allauth's sign-up get their profile on first use."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(*, acting_user: User, data: dict) -> Profile:
    """The owner edits their name, language and professional profile."""
    profile = profile_get_or_create(user=acting_user)
    acting_user.display_name = data["display_name"]
    acting_user.preferred_language = data["preferred_language"]
    acting_user.save(update_fields=["display_name", "preferred_language"])
    school = data.get("school")
    profile.region = data.get("region") or (school.region if school else None)
    profile.school = school
    profile.title = data.get("title", "")
    profile.subjects = list(data.get("subjects") or [])
    profile.stages = list(data.get("stages") or [])
    profile.years_of_experience = data.get("years_of_experience")
    profile.full_clean()
    profile.save()
    return profile
