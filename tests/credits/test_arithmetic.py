"""Hypothesis over the arithmetic: totals never exceed caps, a rule change leaves past recognitions alone."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credits.arithmetic import convert, grant
from credits.models import Recognition
from credits.services import rule_create
from tests.factories.credits import activity, rule_data

hours = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("120"), places=1)
rates = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("40"), places=1)
caps = st.one_of(st.none(), st.decimals(min_value=Decimal("0"), max_value=Decimal("50"), places=1))


@given(st.lists(hours, max_size=30), rates, caps)
def test_grants_never_pass_the_cap_nor_the_hours(amounts, rate, cap):
    counted = Decimal("0")
    for amount in amounts:
        converted = convert(amount, rate)
        granted = grant(converted, cap=cap, counted_this_year=counted, counted_for_record=Decimal("0"))
        assert Decimal("0") <= granted <= converted
        assert converted * rate <= amount  # rounding never grants a tenth the hours did not earn
        counted += granted
    if cap is not None:
        assert counted <= cap


@given(hours, st.decimals(min_value=Decimal("-120"), max_value=Decimal("0"), places=1), rates)
def test_a_correction_never_takes_back_more_than_was_granted(amount, correction, rate):
    granted = convert(amount, rate)
    taken = grant(convert(correction, rate), cap=None, counted_this_year=granted, counted_for_record=granted)
    assert granted + taken >= 0


activities = st.lists(
    st.tuples(
        # At most a day's credit (the ledger's daily cap): each activity is on a day of its own.
        st.decimals(min_value=Decimal("1"), max_value=Decimal("24"), places=1),
        st.sampled_from(["research", "training"]),
        st.sampled_from([2024, 2025]),
    ),
    min_size=1,
    max_size=8,
)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    activities,
    st.decimals(min_value=Decimal("0"), max_value=Decimal("12"), places=1),
    st.decimals(min_value=Decimal("1"), max_value=Decimal("15"), places=1),
    st.decimals(min_value=Decimal("1"), max_value=Decimal("15"), places=1),
)
def test_recognised_totals_stay_under_the_caps_and_a_new_version_changes_no_past_decision(
    world, made, cap, rate, new_rate
):
    with transaction.atomic():
        rule_create(
            acting_user=world.regional_admin,
            region=world.region_b,
            **rule_data(
                hours_per_credit={"studio": str(rate)},
                yearly_caps={"research": str(cap), "training": str(cap)},
                accepts={"studio": ["sh"]},
            ),
        )
        for day, (amount, category, year) in enumerate(made, start=1):
            activity(
                world.trainee, hours=amount, issuer=world.region_a, on=datetime.date(year, 6, day), category=category
            )
        home = Recognition.objects.filter(region=world.region_b)
        for category in ("research", "training"):
            for year in (2024, 2025):
                total = sum(r.credits for r in home.filter(category=category, year=year))
                assert total <= cap
        before = list(home.order_by("pk").values_list("pk", "status", "credits", "rule_id", "hours_per_credit"))
        rule_create(
            acting_user=world.regional_admin,
            region=world.region_b,
            **rule_data(
                effective_from=datetime.date(2025, 1, 1),
                hours_per_credit={"studio": str(new_rate)},
                yearly_caps={},
                accepts={"studio": ["sh"]},
            ),
        )
        after = list(
            Recognition.objects.filter(pk__in=[row[0] for row in before])
            .order_by("pk")
            .values_list("pk", "status", "credits", "rule_id", "hours_per_credit")
        )
        assert after == before
        transaction.set_rollback(True)
