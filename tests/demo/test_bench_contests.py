"""The contest bench builds its synthetic contest, assigns, scores and ranks everyone, and keeps nothing."""

import pytest

from contests.models import Contest
from demo.bench.contests import measure

pytestmark = pytest.mark.django_db


def test_contest_bench_at_two_sizes_has_the_same_page_query_counts():
    small = measure(entrants=40, judges=12)
    large = measure(entrants=120, judges=20)
    assert small["assignments"] == 40 * 5 * 2 and small["scores"] == small["assignments"]
    assert large["ranked"] == 120
    assert small["judge_page"][0] == small["ranking_page"][0] == 200
    assert small["judge_page"] == large["judge_page"] and small["ranking_page"] == large["ranking_page"]
    assert not Contest.objects.exists()
