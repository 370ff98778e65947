"""The per-region hours export states what each certificate states (issue 16: 0 hours beside a certificate of 76)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories.accounts import make_user
from tests.factories.training import add_member
from training.models import CohortMembership, HoursSource
from training.services import certificate_issue, hours_correct, hours_credit

pytestmark = pytest.mark.django_db


def rows(client, cohort, region="ah") -> dict:
    content = client.get(f"/en/cohorts/{cohort.pk}/hours.csv?region={region}").getvalue().decode("utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(content)))
    return {line["Name"]: line for line in lines}


def test_the_hours_csv_agrees_with_the_certificates(client, world, pairings):
    programme = world.cohort.programme
    programme.required_sessions = programme.required_assignments = 0
    programme.min_mentoring_hours = programme.credit_hours = Decimal("2")
    programme.save()
    second = make_user(email="second@example.com", display_name="学员丙", region=world.region_b)
    add_member(world.cohort, second, "trainee")
    for person, hours in ((world.trainee, "76"), (second, "40.5")):
        membership = CohortMembership.objects.get(cohort=world.cohort, user=person)
        # A day holds at most 24 hours: the term's hours are credited over several days.
        remaining, day = Decimal(hours), timezone.localdate()
        while remaining > 0:
            share = min(remaining, Decimal("8"))
            hours_credit(
                trainee=person,
                hours=share,
                source=HoursSource.MENTORING,
                occurred_on=day,
                source_object=membership if remaining == Decimal(hours) else None,
                cohort=world.cohort,
            )
            remaining -= share
            day -= datetime.timedelta(days=1)
    certificates = certificate_issue(
        cohort=world.cohort, acting_user=world.coordinator, trainee_ids=[world.trainee.pk, second.pk]
    )
    # A correction after sign-off changes the ledger, not what was certified.
    hours_correct(
        entry=world.trainee.hours_entries.first(), hours=Decimal("-6"), acting_user=world.coordinator, note="重复"
    )
    client.force_login(world.regional_admin)
    table = rows(client, world.cohort)
    for certificate in certificates:
        line = table[certificate.holder_name]
        assert Decimal(line["Certified hours"]) == certificate.hours
        assert line["Certificate"] == certificate.code
    assert Decimal(table["学员甲"]["Certified hours"]) == Decimal("76")
    assert Decimal(table["学员丙"]["Credited hours"]) == Decimal("40.5")


def test_the_public_check_shows_hours_and_the_home_host_and_issuing_regions(client, world):
    from tests.factories.training import training_world

    certificate = training_world(world).certificate
    certificate.host_regions = [{"name": "上海市", "name_en": "Shanghai"}]
    certificate.issuing_regions = [{"name": "上海市", "name_en": "Shanghai"}, {"name": "安徽省", "name_en": "Anhui"}]
    certificate.home_region_en = "Anhui"
    certificate.save()
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "60 学时" in page or "60学时" in page
    assert "安徽省" in page and "上海市" in page
    english = client.get(f"/en/verify/{certificate.code}/").content.decode()
    assert "60 hours" in english and "Anhui" in english and "Shanghai、Anhui" in english
