"""A value kept in a slot is served while the tokens it was kept under stand, and never after one is renewed."""

import pytest
from django.core.cache import cache

import versioned

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_kept_value_is_served_until_one_of_its_tokens_is_renewed():
    names = ["person:1", "cohort:7"]
    value, stamp = versioned.kept("slot:1", names)
    assert value is None
    versioned.keep("slot:1", stamp, "body", 60)

    assert versioned.kept("slot:1", names) == ("body", stamp)
    versioned.renew("cohort:7")
    assert versioned.kept("slot:1", names)[0] is None


def test_a_value_kept_under_other_tokens_is_not_served():
    versioned.keep("slot:1", versioned.kept("slot:1", ["person:1"])[1], "one cohort", 60)
    # The person joined a second cohort: the same slot, a different set of tokens.
    assert versioned.kept("slot:1", ["person:1", "cohort:8"])[0] is None


def test_a_reader_that_composed_before_a_renewal_cannot_keep_a_stale_value_for_later_readers():
    _, stale_stamp = versioned.kept("slot:1", ["person:1"])
    versioned.renew("person:1")
    versioned.keep("slot:1", stale_stamp, "old figures", 60)
    assert versioned.kept("slot:1", ["person:1"])[0] is None


def test_without_a_cache_nothing_is_served():
    from unittest import mock

    with mock.patch.object(cache, "get_many", return_value={}), mock.patch.object(cache, "add", return_value=False):
        first = versioned.kept("slot:1", ["person:1"])
        second = versioned.kept("slot:1", ["person:1"])
    assert first[0] is None and second[0] is None
    assert first[1] != second[1]
