"""The bench measures what exists, says what does not, and its minimal view never reaches production."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from demo.bench.endpoints import ENDPOINTS, MINIMAL
from demo.management.commands.bench import measure_queries, render_composed, render_table
from tests.config.test_production_settings import ROOT, env_example

pytestmark = pytest.mark.django_db


def test_the_minimal_view_exists_only_in_the_bench_urlconf():
    with pytest.raises(Resolver404):
        resolve("/_bench/ok", urlconf="config.urls")
    assert resolve("/_bench/ok", urlconf="demo.bench.urls").url_name == "bench-ok"


def test_the_bench_settings_are_production_with_debug_off_and_redis():
    script = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.DEBUG, s.ROOT_URLCONF, s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND'].endswith('RedisCache'))"
    )
    env = {**os.environ, **env_example(), "DJANGO_SETTINGS_MODULE": "demo.bench.settings"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["False", "demo.bench.urls", "False", "True"], result.stderr


def test_query_counts_are_measured_for_built_pages_and_missing_ones_are_named(settings):
    settings.ROOT_URLCONF = "demo.bench.urls"
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", scale=12, verbosity=0)
    figures = measure_queries(12)
    assert figures["status"]["trainee dashboard"] == 200
    assert figures["status"][MINIMAL] == 200
    assert figures["queries"][MINIMAL] == 0
    assert figures["cookies"]["trainee dashboard"].startswith("sessionid=")
    # Dashboards, the region home and the transcript come from a cache; composing one afresh is reported
    # beside it, and costs more.
    assert set(figures["composed"]) == {
        "trainee dashboard",
        "mentor dashboard",
        "regional office home",
        "credit transcript",
    }
    for label, composed in figures["composed"].items():
        assert composed["queries"] > figures["queries"][label]
        assert composed["ms"] > 0
    assert "| trainee dashboard |" in render_composed(
        {k: {"n": v, "10n": v} for k, v in figures["composed"].items()}, 12
    )
    assert set(figures["paths"]) == {endpoint.label for endpoint in ENDPOINTS}
    rows = [
        {"page": label, "queries_n": figures["queries"].get(label), "queries_10n": figures["queries"].get(label)}
        | ({"rps": 100.0, "p50_ms": 1.0, "p99_ms": 2.0, "ratio": 0.5} if path else {"note": "not built yet"})
        for label, path in figures["paths"].items()
    ]
    lines = render_table(rows, 12).splitlines()[2:]
    assert len(lines) == len(ENDPOINTS)
    for line, (label, path) in zip(lines, figures["paths"].items(), strict=True):
        assert line.startswith(f"| {label}")
        assert ("not built yet" in line) == (path is None)


def test_the_knee_is_the_first_step_whose_p95_passes_half_a_second():
    from demo.management.commands.bench import knee_users, render_knee

    def step(users, p95):
        return {"users": users, "rps": 100.0, "p95_ms": p95, "p99_ms": p95 * 2, "server_errors": 0}

    rising = [step(50, 180), step(100, 420), step(150, 510), step(200, 1400)]
    assert knee_users(rising) == 150
    assert "150" in render_knee({"steps": rising, "users": knee_users(rising)})
    calm = [step(50, 120), step(200, 499)]
    assert knee_users(calm) is None
    assert "200" in render_knee({"steps": calm, "users": None})


def test_only_selects_the_named_pages_and_keeps_the_minimal_view():
    from django.core.management import CommandError

    from demo.management.commands.bench import selected

    labels = [endpoint.label for endpoint in selected("regional office home, credit transcript")]
    assert labels == ["regional office home", "credit transcript", MINIMAL]
    assert len(selected("")) == len(ENDPOINTS)
    with pytest.raises(CommandError, match="No page called region home"):
        selected("region home")
