"""The regional office's home: scoping, indicators equal to raw rows, the queue, rules, exports."""

import csv
import datetime
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.permissions import JOINT_OFFICE_GROUP
from credits.models import Recognition, RecognitionRule
from mentorship.models import Pairing
from tests.factories.accounts import SchoolFactory, make_user
from tests.factories.credits import activity, rule_data
from tests.factories.training import CohortFactory, add_member
from training.models import CohortMembership

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 5, 10)


def pair(cohort, trainee, mentor, host_school):
    return Pairing.objects.create(
        cohort=cohort,
        trainee=trainee,
        mentor=mentor,
        kind=cohort.programme.kind,
        host_school=host_school,
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        status="completed",
    )


@pytest.fixture
def anhui(world):
    """Anhui (region B) people in two cohorts of 2025, some trained in Shanghai, some finished, with credit."""
    shanghai_school = SchoolFactory(region=world.region_a)
    cohort = CohortFactory(starts_on=datetime.date(2025, 3, 1), ends_on=datetime.date(2025, 6, 30))
    people = [make_user(region=world.region_b, school=SchoolFactory(region=world.region_b)) for _ in range(4)]
    for index, person in enumerate(people):
        add_member(cohort, person, "trainee", status="completed" if index < 3 else "withdrawn")
        if index < 2:
            pair(cohort, person, world.mentor, shanghai_school)
        activity(person, hours=str(10 + index * 4), issuer=world.region_a, on=DAY)  # within a day's 24 hours
    return people


def raw_figures(region, year) -> dict:
    """The same figures as the page, from raw rows with Python (what the database must agree with)."""
    memberships = [
        m
        for m in CohortMembership.objects.filter(role="trainee", region=region).select_related("cohort")
        if m.cohort.starts_on.year == year and m.status in ("accepted", "active", "completed", "withdrawn")
    ]
    trainees = {m.user_id for m in memberships}
    cross = {
        m.user_id
        for m in memberships
        for p in Pairing.objects.filter(
            cohort=m.cohort, trainee_id=m.user_id, status__in=["agreed", "active", "completed"]
        )
        if p.host_school.region_id != region.pk
    }
    completed = {m.user_id for m in memberships if m.status == "completed"}
    counted = [
        r
        for r in Recognition.objects.filter(region=region, year=year).select_related("record")
        if r.status in ("issued", "recognised") and r.record.home_region_id == region.pk
    ]
    people = {r.person_id for r in counted}
    hours = sum((r.record.hours for r in counted), Decimal("0"))
    credits = sum((r.credits for r in counted), Decimal("0"))

    def ratio(a, b):
        return (Decimal(a) / Decimal(b)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if b else None

    return {
        "trainees": len(trainees),
        "cross_province": len(cross),
        "completed": len(completed),
        "completion_rate": ratio(100 * len(completed), len(trainees)),
        "credited_teachers": len(people),
        "hours": hours,
        "credits": credits,
        "hours_per_teacher": ratio(hours, len(people)),
        "credits_per_teacher": ratio(credits, len(people)),
    }


def test_the_indicators_on_the_page_equal_the_raw_rows(client, world, anhui):
    rule_create_for_anhui(world)
    pending = Recognition.objects.filter(region=world.region_b, status="pending")
    from credits.services import recognition_decide

    recognition_decide(acting_user=world.regional_admin, recognition_ids=[r.pk for r in pending[:2]], recognise=True)
    client.force_login(world.regional_admin)
    response = client.get("/en/region/")
    assert response.status_code == 200
    (row,) = [row for row in response.context["rows"] if row["year"] == 2025]
    expected = raw_figures(world.region_b, 2025)
    assert {key: row[key] for key in expected} == expected
    assert expected["trainees"] == 4 and expected["cross_province"] == 2 and expected["credited_teachers"] == 2


def rule_create_for_anhui(world):
    from credits.services import rule_create

    return rule_create(acting_user=world.regional_admin, region=world.region_b, **rule_data())


def test_a_regional_admin_sees_only_their_region(client, world, anhui):
    client.force_login(world.regional_admin)
    page = client.get("/en/region/").content.decode()
    assert "Anhui regional office" in page
    assert client.get("/en/region/?region=sh").status_code == 404
    queue = client.get("/en/region/queue/").content.decode()
    assert anhui[0].get_full_name() in queue
    assert world.other_trainee.get_full_name() not in queue


def test_the_joint_office_sees_every_region_side_by_side(client, world, anhui):
    joint = make_user(email="joint@example.com", display_name="联训办")
    joint.groups.add(Group.objects.get(name=JOINT_OFFICE_GROUP))
    client.force_login(joint)
    page = client.get("/en/region/").content.decode()
    assert "Joint office" in page and "Shanghai" in page and "Anhui" in page
    assert client.get("/en/region/?region=sh").status_code == 200
    # The joint office reads every queue but decides none.
    pending = Recognition.objects.filter(region=world.region_b, status="pending").first()
    client.post("/en/region/queue/?region=ah", {"recognition": [pending.pk], "decision": "recognise"})
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_the_region_home_costs_the_same_queries_with_2_and_20_people(client, world):
    client.force_login(world.regional_admin)
    school = SchoolFactory(region=world.region_b)

    def people(count):
        for _ in range(count):
            person = make_user(region=world.region_b, school=school)
            add_member(world.cohort, person, "trainee")
            activity(person, hours="8", issuer=world.region_a, on=DAY)

    def queries():
        client.get("/en/region/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/region/").status_code == 200
        return len(captured)

    people(2)
    few = queries()
    people(18)
    assert queries() == few


def test_the_region_home_composed_afresh_costs_the_same_queries_with_2_and_20_people(client, world):
    """The first visit after a credit decision: every indicator recomputed, the body rendered again."""
    from regional.indicators import indicators_invalidate

    client.force_login(world.regional_admin)
    host = SchoolFactory(region=world.region_a)

    def people(count):
        for _ in range(count):
            school = SchoolFactory(region=world.region_b)
            person = make_user(region=world.region_b, school=school)
            add_member(world.cohort, person, "trainee")
            pair(world.cohort, person, world.mentor, host)
            activity(person, hours="8", issuer=world.region_a, on=DAY)

    def queries():
        client.get("/en/region/")
        indicators_invalidate()
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/en/region/")
        assert page.status_code == 200
        return len(captured), page.content.decode()

    people(2)
    few, _ = queries()
    people(18)
    many, page = queries()
    assert many == few
    assert world.region_b.name_en in page


def test_the_office_decides_its_queue_in_bulk_from_the_page(client, world, anhui):
    client.force_login(world.regional_admin)
    pending = list(Recognition.objects.filter(region=world.region_b, status="pending"))
    response = client.post(
        "/en/region/queue/", {"recognition": [r.pk for r in pending[:3]], "decision": "refuse", "reason": ""}
    )
    assert "Give the reason" in client.get(response["Location"]).content.decode()
    assert Recognition.objects.filter(region=world.region_b, status="pending").count() == len(pending)
    client.post(
        "/en/region/queue/", {"recognition": [r.pk for r in pending[:3]], "decision": "refuse", "reason": "未备案"}
    )
    assert Recognition.objects.filter(region=world.region_b, status="refused").count() == 3


def test_a_malformed_decision_is_refused_with_a_clear_message_and_nothing_changes(client, world, anhui):
    client.force_login(world.regional_admin)
    pending = [r.pk for r in Recognition.objects.filter(region=world.region_b, status="pending")[:2]]
    for data, message in [
        ({"recognition": pending, "decision": "maybe"}, "Select a valid choice. maybe is not one of the available"),
        ({"recognition": [*pending, "7; DROP"], "decision": "recognise"}, "The list sent is not valid."),
        (
            {"recognition": pending, "decision": "refuse", "reason": "x" * 501},
            "Ensure this value has at most 500 characters",
        ),
    ]:
        response = client.post("/en/region/queue/", data, follow=True)
        assert message in response.content.decode()
        assert Recognition.objects.filter(pk__in=pending, status="pending").count() == 2


def test_an_id_of_another_regions_queue_changes_nothing_and_says_why(client, world, anhui):
    theirs = activity(world.other_trainee, hours="8", issuer=world.region_b, on=DAY).recognitions.get(
        region=world.region_a
    )
    mine = Recognition.objects.filter(region=world.region_b, status="pending").first()
    client.force_login(world.regional_admin)
    response = client.post(
        "/en/region/queue/", {"recognition": [mine.pk, theirs.pk], "decision": "recognise"}, follow=True
    )
    assert "another region" in response.content.decode()
    assert Recognition.objects.filter(pk__in=[mine.pk, theirs.pk], status="pending").count() == 2


def test_the_office_adds_a_rule_version_and_overlapping_dates_are_refused(client, world):
    client.force_login(world.regional_admin)
    data = {"effective_from": "2024-01-01", "effective_to": "2024-12-31", "hours_studio": "5", "cap_research": "8"}
    client.post("/en/region/rules/", data)
    assert RecognitionRule.objects.filter(region=world.region_b).count() == 1
    response = client.post("/en/region/rules/", {**data, "effective_from": "2024-06-01", "effective_to": "2025-02-01"})
    assert "overlap" in response.content.decode()
    response = client.post("/en/region/rules/", {"effective_from": "2026-01-01", "cap_research": "-1"})
    assert "below zero" in response.content.decode()
    assert RecognitionRule.objects.filter(region=world.region_b).count() == 1


def test_the_export_has_the_documented_columns(client, world, anhui):
    client.force_login(world.regional_admin)
    content = client.get("/region/indicators.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == [
        "region_code",
        "region",
        "year",
        "scope",
        "group",
        "trainees",
        "cross_province",
        "completed",
        "completion_rate",
        "credited_teachers",
        "hours",
        "credits",
        "hours_per_teacher",
        "credits_per_teacher",
    ]
    assert {row[0] for row in rows[1:]} == {"ah"}
    assert client.get("/region/indicators.xlsx").status_code == 200


def test_a_regional_admin_finds_their_home_from_the_dashboard_and_the_menu(client, world):
    client.force_login(world.regional_admin)
    page = client.get("/en/dashboard/").content.decode()
    assert 'href="/en/region/"' in page
    client.force_login(world.trainee)
    assert 'href="/en/region/"' not in client.get("/en/dashboard/").content.decode()
