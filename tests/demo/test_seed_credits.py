"""The credit bank's demo: three years of history from all four regions, a queue, a refusal; bulk history at scale."""

import pytest
from django.utils import timezone

from credits.models import CreditRecord, Recognition
from regional.indicators import all_indicators, for_region

pytestmark = pytest.mark.django_db


def test_the_demo_has_three_years_from_all_four_regions_with_every_kind_of_decision(seeded_demo_once):
    assert set(CreditRecord.objects.values_list("issuing_region__code", flat=True)) == {"sh", "js", "zj", "ah"}
    this_year = timezone.localdate().year
    assert {r.occurred_on.year for r in CreditRecord.objects.all()} >= {this_year - 3, this_year - 2, this_year - 1}
    statuses = set(Recognition.objects.values_list("status", flat=True))
    assert statuses == {"issued", "recognised", "pending", "refused"}
    (refused,) = Recognition.objects.filter(status="refused")
    assert refused.region.code == "js" and "备案" in refused.reason
    jiangsu = for_region(all_indicators(), Recognition.objects.filter(region__code="js").first().region_id)
    assert any(row["trainees"] and row["credited_teachers"] and row["cross_province"] for row in jiangsu)
