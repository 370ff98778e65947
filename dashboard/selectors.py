"""What a dashboard reads about the person themself: one query for their profile, calendar address, roles and
certificates."""

from django.contrib.auth.models import Group
from django.db.models import CharField, IntegerField
from django.db.models.expressions import RawSQL

from accounts import sql
from accounts.models import Profile, RegionalAdministrator, User
from accounts.permissions import roles_remember
from accounts.services import profile_get_or_create
from training.models import CalendarFeed, Certificate
from training.selectors import certificate_rows_for_holder, certificates_from_rows


def person_for_dashboard(*, user) -> tuple[Profile, CalendarFeed | None, list[Certificate]]:
    """My profile (with region and school), calendar address and certificates (newest first, revoked ones
    included); my groups and regions are kept on `user`.

    The groups and regions are written as SQL (`RawSQL`): as subqueries they cost the ORM more to compose
    than the database to run, on every first visit after a change.
    """
    me = User._meta.db_table
    groups = User.groups.through._meta.db_table
    person = (
        User.objects.select_related("profile__region", "profile__school", "calendar_feed")
        .annotate(
            group_names=RawSQL(  # noqa: S611 -- table names from the models, no values
                sql.list_of(
                    f"""SELECT g.name AS v FROM "{Group._meta.db_table}" g JOIN "{groups}" ug ON ug.group_id = g.id
                    WHERE ug.user_id = {me}.id"""  # noqa: S608
                ),
                (),
                output_field=sql.list_field(CharField()),
            ),
            region_ids=RawSQL(  # noqa: S611 -- table names from the models, no values
                sql.list_of(
                    f"""SELECT r.region_id AS v FROM "{RegionalAdministrator._meta.db_table}" r
                    WHERE r.user_id = {me}.id"""  # noqa: S608
                ),
                (),
                output_field=sql.list_field(IntegerField()),
            ),
            certificate_rows=certificate_rows_for_holder(user_column=f"{me}.id"),
        )
        .get(pk=user.pk)
    )
    roles_remember(user, group_names=person.group_names, region_ids=person.region_ids)
    try:
        profile = person.profile
    except Profile.DoesNotExist:
        profile = profile_get_or_create(user=user)  # an account made by allauth's sign-up, on its first visit
    try:
        feed = person.calendar_feed
    except CalendarFeed.DoesNotExist:
        feed = None
    return profile, feed, certificates_from_rows(person.certificate_rows)
