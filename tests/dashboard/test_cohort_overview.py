import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Profile, User
from tests.factories.accounts import SchoolFactory, make_user
from training.models import CohortMembership, HoursEntry, HoursSource
from training.overview import overview_invalidate

pytestmark = pytest.mark.django_db


def add_trainees(world, count, pairings=None, mentor=None):
    """Trainees in bulk with profiles, schools, hours and a pairing each, like a real cohort."""
    school = SchoolFactory(region=world.region_b)
    start = User.objects.count()
    users = User.objects.bulk_create(
        [User(email=f"bulk{start + n}@example.com", display_name=f"学员{start + n}") for n in range(count)]
    )
    users = list(User.objects.filter(email__in=[user.email for user in users]))
    Profile.objects.bulk_create([Profile(user=user, region=world.region_b, school=school) for user in users])
    CohortMembership.objects.bulk_create(
        [
            CohortMembership(cohort=world.cohort, user=user, role="trainee", status="active", region=world.region_b)
            for user in users
        ]
    )
    HoursEntry.objects.bulk_create(
        [
            HoursEntry(
                trainee=user,
                cohort=world.cohort,
                source=HoursSource.MENTORING,
                hours=Decimal("2"),
                occurred_on=timezone.localdate(),
            )
            for user in users
        ]
    )
    overview_invalidate(world.cohort.pk)  # bulk writes send no signal; the services that make them say so
    if pairings is not None:
        for user in users:
            pairings(world.cohort, user, mentor)
    return users


def query_count(client, path, *, cold=False):
    client.get(path)  # warm caches (content types, sessions)
    if cold:
        cache.clear()  # the overview's figures are computed again
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/cohorts/{cohort}/",
        "/dashboard/cohorts/{cohort}/?sort=progress&dir=desc&flagged=1",
        "/dashboard/cohorts/{cohort}/?sort=school&q=学员&status=active&page=2",
        "/dashboard/cohorts/{cohort}/export.csv",
        "/dashboard/",
    ],
)
def test_coordinator_pages_cost_the_same_queries_at_20_and_200_trainees(client, world, pairings, path):
    from training.services import assignment_create, schedule_item_create

    now = timezone.now()
    schedule_item_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        data={
            "kind": "workshop",
            "title": "研修",
            "starts_at": now - timezone.timedelta(days=2),
            "ends_at": now - timezone.timedelta(days=2, hours=-3),
            "location": "会堂",
        },
    )
    assignment_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        data={"kind": "reflection", "title": "反思", "due_at": now - timezone.timedelta(days=10), "reviewer": "mentor"},
    )
    client.force_login(world.coordinator)
    path = path.format(cohort=world.cohort.pk)
    add_trainees(world, 20, pairings, world.mentor)
    few, few_cold = query_count(client, path), query_count(client, path, cold=True)
    add_trainees(world, 180, pairings, world.mentor)
    assert (query_count(client, path), query_count(client, path, cold=True)) == (few, few_cold)


def test_the_trainee_dashboard_costs_the_same_queries_at_20_and_200_trainees(client, world, pairings):
    pairings(world.cohort, world.trainee, world.mentor)
    client.force_login(world.trainee)
    add_trainees(world, 20)
    few = query_count(client, "/dashboard/")
    add_trainees(world, 180)
    assert query_count(client, "/dashboard/") == few


def test_the_overview_lists_every_trainee_with_region_school_mentor_and_flags(client, world, pairings):
    pairings(world.cohort, world.trainee, world.mentor)
    client.force_login(world.coordinator)
    page = client.get(f"/en/dashboard/cohorts/{world.cohort.pk}/").content.decode()
    assert "学员甲" in page
    assert "Anhui" in page
    assert world.trainee.profile.school.name_en in page
    assert "导师甲" in page  # the mentor, through the pairing registry
    assert "学员乙" not in page  # another cohort's trainee
    assert "<svg" in page and "<script" not in page.split("</main>")[0].split("<main")[1]


def test_the_overview_filters_to_at_risk_trainees_and_sorts(client, world):
    world.cohort.starts_on = timezone.localdate() - timezone.timedelta(days=60)
    world.cohort.save()
    on_track = make_user(display_name="进度好", region=world.region_b)
    CohortMembership.objects.create(
        cohort=world.cohort, user=on_track, role="trainee", status="active", region=world.region_b
    )
    HoursEntry.objects.create(
        trainee=on_track, cohort=world.cohort, source=HoursSource.MENTORING, hours=60, occurred_on=timezone.localdate()
    )
    client.force_login(world.coordinator)
    flagged = client.get(f"/en/dashboard/cohorts/{world.cohort.pk}/?flagged=1").content.decode()
    assert "学员甲" in flagged and "进度好" not in flagged
    ordered = client.get(f"/en/dashboard/cohorts/{world.cohort.pk}/?sort=progress&dir=desc").content.decode()
    assert ordered.index("进度好") < ordered.index("学员甲")


def test_the_overview_exports_csv_and_xlsx(client, world):
    from openpyxl import load_workbook

    client.force_login(world.coordinator)
    response = client.get(f"/en/dashboard/cohorts/{world.cohort.pk}/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "E-mail", "Region"]
    assert [row[0] for row in rows[1:]] == ["学员甲"]
    response = client.get(f"/en/dashboard/cohorts/{world.cohort.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[2]][:2] == ["学员甲", world.trainee.email]
    assert client.get(f"/dashboard/cohorts/{world.cohort.pk}/export.pdf").status_code == 404


def test_a_regional_admin_sees_only_their_regions_trainees(client, world):
    shanghai = make_user(display_name="上海学员", region=world.region_a)
    CohortMembership.objects.create(
        cohort=world.cohort, user=shanghai, role="trainee", status="active", region=world.region_a
    )
    client.force_login(world.regional_admin)
    page = client.get(f"/dashboard/cohorts/{world.cohort.pk}/").content.decode()
    assert "学员甲" in page
    assert "上海学员" not in page


def test_the_trainee_dashboard_shows_next_due_progress_mentor_and_calendar(client, world, pairings):
    from tests.factories.training import workshop
    from training.services import assignment_create

    now = timezone.now()
    workshop(
        world.cohort,
        world.coordinator,
        title_en="Next week's workshop",
        starts_at=now + timezone.timedelta(days=7),
        ends_at=now + timezone.timedelta(days=7, hours=3),
    )
    assignment_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        data={
            "kind": "action_plan",
            "title": "行动计划",
            "title_en": "Action plan",
            "due_at": now + timezone.timedelta(days=3),
            "reviewer": "coordinator",
        },
    )
    pairings(world.cohort, world.trainee, world.mentor)
    client.force_login(world.trainee)
    page = client.get("/en/dashboard/").content.decode()
    for expected in [
        "What is next",
        "Next week&#x27;s workshop",
        "What is due",
        "Action plan",
        "My progress",
        "Credited hours",
        "My calendar",
    ]:
        assert expected in page, expected


def test_mentorships_agreed_pairings_reach_the_overview_and_a_proposal_does_not(client, world):
    from mentorship.models import PairingStatus
    from tests.factories.mentorship import make_pairing

    client.force_login(world.coordinator)
    pairing = make_pairing(world.cohort, world.trainee, world.mentor, status=PairingStatus.PROPOSED)
    row = client.get(f"/dashboard/cohorts/{world.cohort.pk}/").content.decode().split("学员甲")[1].split("</tr>")[0]
    assert "导师甲" not in row
    pairing.delete()
    make_pairing(world.cohort, world.trainee, world.mentor, status=PairingStatus.AGREED)
    row = client.get(f"/dashboard/cohorts/{world.cohort.pk}/").content.decode().split("学员甲")[1].split("</tr>")[0]
    assert "导师甲" in row


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_name_that_looks_like_a_formula_is_exported_as_text(client, world, fmt):
    from openpyxl import load_workbook

    world.trainee.display_name = '=HYPERLINK("http://evil.example","点我")'
    world.trainee.save()
    client.force_login(world.coordinator)
    response = client.get(f"/en/dashboard/cohorts/{world.cohort.pk}/export.{fmt}")
    if fmt == "csv":
        names = [row[0] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))][1:]
    else:
        names = [row[0].value for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2)]
    assert names == ['\'=HYPERLINK("http://evil.example","点我")']


def test_the_overview_is_computed_once_and_again_after_any_change(client, world):
    from tests.factories.mentorship import make_pairing
    from training.services import membership_change

    client.force_login(world.coordinator)
    path = f"/en/dashboard/cohorts/{world.cohort.pk}/"

    def row(name):
        page = client.get(path).content.decode()
        return page.split(name)[1].split("</tr>")[0] if name in page else None

    cold = query_count(client, path, cold=True)
    warm = query_count(client, path)
    assert warm < cold  # the second look reads the cached figures

    assert ">0</td>" in row("学员甲")
    HoursEntry.objects.create(
        trainee=world.trainee,
        cohort=world.cohort,
        source=HoursSource.MENTORING,
        hours=3,
        occurred_on=timezone.localdate(),
    )
    assert ">3</td>" in row("学员甲")  # credited hours show at once

    world.trainee.display_name = "学员甲（改名）"
    world.trainee.save()
    assert row("学员甲（改名）") is not None

    make_pairing(world.cohort, world.trainee, world.mentor)  # mentorship's own pairing, through its signals
    assert "导师甲" in row("学员甲（改名）")

    membership = CohortMembership.objects.get(cohort=world.cohort, user=world.trainee)
    membership_change(membership=membership, acting_user=world.coordinator, status="withdrawn")
    assert row("学员甲（改名）") is None  # a withdrawn trainee leaves the overview


def test_a_sign_in_keeps_the_cached_overview_and_a_new_name_does_not(client, world):
    from django.contrib.auth.models import update_last_login

    import versioned
    from training.overview import cohort_token

    before = versioned.token(cohort_token(world.cohort.pk))
    update_last_login(None, world.trainee)  # what every sign-in writes
    assert versioned.token(cohort_token(world.cohort.pk)) == before
    world.trainee.display_name = "学员甲（新）"
    world.trainee.save(update_fields=["display_name"])
    assert versioned.token(cohort_token(world.cohort.pk)) != before


def test_the_charts_are_kept_with_the_table_yet_follow_a_new_trainee_at_once(client, world):
    from tests.factories.training import add_member

    def trainees_in_the_histogram(page: str) -> int:
        table = page.partition('id="histogram-caption"')[2].partition("</table>")[0]
        return sum(int(count) for count in re.findall(r'<th scope="row">[^<]+</th><td class="num">(\d+)</td>', table))

    client.force_login(world.coordinator)
    first = client.get(f"/en/dashboard/cohorts/{world.cohort.pk}/").content.decode()
    assert trainees_in_the_histogram(first) == 1
    again = client.get(f"/en/dashboard/cohorts/{world.cohort.pk}/").content.decode()
    assert trainees_in_the_histogram(again) == 1  # from the cache
    add_member(world.cohort, make_user(display_name="新学员"), "trainee")
    page = client.get(f"/en/dashboard/cohorts/{world.cohort.pk}/").content.decode()
    assert trainees_in_the_histogram(page) == 2


def test_the_counts_are_read_once_per_change_and_follow_a_new_trainee_at_once(client, world):
    from tests.factories.training import add_member

    def counted(path):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(path).content.decode()
        counts = [
            q["sql"] for q in queries.captured_queries if 'MAX("training_progressrecord"."computed_at")' in q["sql"]
        ]
        return re.search(r"(\d+) trainees shown, (\d+) at risk", page).groups(), len(counts)

    client.force_login(world.coordinator)
    path = f"/en/dashboard/cohorts/{world.cohort.pk}/"
    assert counted(path) == (("1", "0"), 1)
    assert counted(path) == (("1", "0"), 0)  # the same figures: kept
    assert counted(path + "?status=active")[1] == 1  # other filters, other counts
    add_member(world.cohort, make_user(display_name="新学员"), "trainee")
    assert counted(path) == (("2", "0"), 1)
