"""Which writes renew the studios' cache tokens (`freshness`): the one place where the studios declare it.

A studio's page follows its studio, memberships, plans and activities; its
threads follow threads, posts and the titles of the resources they hang on; a
lesson's summary follows the lesson, its sheets and their answers, and the template's
items and scale; the library follows every resource and the studios' names.
A person renamed (or moved to another region or school) renews the studios
they belong to and the lessons they observed.
"""

from accounts.models import Profile, Region, User
from versioned import renews

from .freshness import LIBRARY, lesson_token, studio_token, template_token, threads_token
from .models import (
    Lesson,
    ObservationAnswer,
    ObservationItem,
    ObservationSheet,
    ObservationTemplate,
    PlannedActivity,
    Post,
    Resource,
    Studio,
    StudioMembership,
    StudioPlan,
    Thread,
)

OWNER = "studios"

# What the studio pages show of a person: their name, region and school.
SHOWN_OF_A_PERSON = {"display_name", "first_name", "last_name", "email", "erased_at"}
SHOWN_OF_A_PROFILE = {"region", "school"}


def _related_id(instance, field: str, model, column: str):
    """`instance.<field>.<column>` without a query when the related row is loaded, else read from the database.

    After a cascade the related row may be gone already; its own declaration has then renewed what it shows.
    """
    if getattr(instance, f"{field}_id") is None:
        return None
    if instance._meta.get_field(field).is_cached(instance):
        return getattr(getattr(instance, field), column)
    return model.objects.filter(pk=getattr(instance, f"{field}_id")).values_list(column, flat=True).first()


def _studio(instance) -> list[str | None]:
    return [studio_token(instance.pk), LIBRARY]


def _of_studio(instance) -> list[str | None]:
    return [studio_token(instance.studio_id)]


def _activity(instance) -> list[str | None]:
    return [studio_token(_related_id(instance, "plan", StudioPlan, "studio_id"))]


def _resource(instance) -> list[str | None]:
    # Threads on a resource show its title.
    return [LIBRARY, threads_token(instance.studio_id)]


def _thread(instance) -> list[str | None]:
    return [threads_token(instance.studio_id)]


def _post(instance) -> list[str | None]:
    return [threads_token(_related_id(instance, "thread", Thread, "studio_id"))]


def _lesson(instance) -> list[str | None]:
    return [lesson_token(instance.pk)]


def _sheet(instance) -> list[str | None]:
    return [lesson_token(instance.lesson_id)]


def _answer(instance) -> list[str | None]:
    return [lesson_token(_related_id(instance, "sheet", ObservationSheet, "lesson_id"))]


def _template(instance) -> list[str | None]:
    return [template_token(instance.pk)]


def _item(instance) -> list[str | None]:
    return [template_token(instance.template_id)]


def _person(user_id) -> list[str | None]:
    studio_ids = StudioMembership.objects.filter(person_id=user_id).values_list("studio_id", flat=True)
    lesson_ids = ObservationSheet.objects.filter(observer_id=user_id).values_list("lesson_id", flat=True)
    return [
        *(token for studio_id in studio_ids for token in (studio_token(studio_id), threads_token(studio_id))),
        *(lesson_token(lesson_id) for lesson_id in lesson_ids),
    ]


def connect() -> None:
    renews(Studio, _studio, owner=OWNER)
    for model in (StudioMembership, StudioPlan):
        renews(model, _of_studio, owner=OWNER)
    renews(PlannedActivity, _activity, owner=OWNER)
    renews(Resource, _resource, owner=OWNER)
    renews(Thread, _thread, owner=OWNER)
    renews(Post, _post, owner=OWNER)
    # The summary says who taught the lesson, and when.
    renews(Lesson, _lesson, owner=OWNER)
    renews(ObservationSheet, _sheet, owner=OWNER)
    renews(ObservationAnswer, _answer, owner=OWNER)
    renews(ObservationTemplate, _template, owner=OWNER)
    renews(ObservationItem, _item, owner=OWNER)
    # The library names each resource's region.
    renews(Region, lambda instance: [LIBRARY], owner=OWNER)
    renews(User, lambda instance: _person(instance.pk), owner=OWNER, fields=SHOWN_OF_A_PERSON)
    renews(Profile, lambda instance: _person(instance.user_id), owner=OWNER, fields=SHOWN_OF_A_PROFILE)
