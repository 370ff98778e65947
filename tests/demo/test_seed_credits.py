"""The credit bank's demo: three years of history from all four regions, a queue, a refusal; bulk history at scale."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from credits.models import CreditRecord, Recognition
from regional.indicators import all_indicators, for_region

pytestmark = pytest.mark.django_db


def test_the_demo_has_three_years_from_all_four_regions_with_every_kind_of_decision():
    call_command("seed_demo", verbosity=0)
    counts = (CreditRecord.objects.count(), Recognition.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (CreditRecord.objects.count(), Recognition.objects.count()) == counts
    assert set(CreditRecord.objects.values_list("issuing_region__code", flat=True)) == {"sh", "js", "zj", "ah"}
    this_year = timezone.localdate().year
    assert {r.occurred_on.year for r in CreditRecord.objects.all()} >= {this_year - 3, this_year - 2, this_year - 1}
    statuses = set(Recognition.objects.values_list("status", flat=True))
    assert statuses == {"issued", "recognised", "pending", "refused"}
    (refused,) = Recognition.objects.filter(status="refused")
    assert refused.region.code == "js" and "备案" in refused.reason
    jiangsu = for_region(all_indicators(), Recognition.objects.filter(region__code="js").first().region_id)
    assert any(row["trainees"] and row["credited_teachers"] and row["cross_province"] for row in jiangsu)


def test_scale_adds_five_years_of_records_in_bulk_once():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", scale=12, verbosity=0)
    scaled = CreditRecord.objects.filter(person__email__endswith=".s12@scale.yingzi.example")
    # Every scale person: 12 trainees and 4 mentors, two records a year for five years.
    assert scaled.count() == 16 * 5 * 2
    assert len({record.occurred_on.year for record in scaled}) == 5
    assert Recognition.objects.filter(record__in=scaled, status="issued").count() == scaled.count()
    call_command("seed_demo", scale=12, verbosity=0)
    assert CreditRecord.objects.filter(person__email__endswith=".s12@scale.yingzi.example").count() == 16 * 5 * 2
