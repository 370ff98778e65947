"""The bench measures what exists, says what does not, and its minimal view never reaches production."""

import os
import subprocess
import sys

import pytest
from django.urls import Resolver404, resolve

from demo.bench.endpoints import ENDPOINTS, MINIMAL
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


def test_a_load_step_in_which_no_request_finished_counts_as_past_the_knee(tmp_path):
    from demo.management.commands.bench import knee_users, load_figures, render_knee_step, render_load

    header = "Type,Name,Request Count,Failure Count,Requests/s,50%,95%,99%\n"
    (tmp_path / "step_stats.csv").write_text(
        header + "GET,dashboard,0,0,0.0,N/A,N/A,N/A\n,Aggregated,0,0,0.0,N/A,N/A,N/A\n"
    )
    figures = load_figures(str(tmp_path / "step"))
    assert "p95 none finished" in render_load(figures)
    step = {"users": 150, **{key: figures[key] for key in ("rps", "p95_ms", "p99_ms", "server_errors")}}
    assert knee_users([step]) == 150
    assert "none finished" in render_knee_step(step)


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


def test_only_takes_labels_that_hold_commas():
    from demo.management.commands.bench import selected

    only = (
        "contest ranking, coordinator (50 of 2N entrants, published),contest page with results, cached,home,"
        "studio threads (5,000 posts)"
    )
    labels = [endpoint.label for endpoint in selected(only)]
    assert labels == [
        "home",
        "studio threads (5,000 posts)",
        "contest ranking, coordinator (50 of 2N entrants, published)",
        "contest page with results, cached",
        MINIMAL,
    ]


def test_only_selects_pages_whose_labels_hold_commas():
    from demo.management.commands.bench import selected

    labels = [endpoint.label for endpoint in selected("home,home, cached for visitors,event page, cached,/healthz")]
    assert labels == ["home", "home, cached for visitors", "event page, cached", "/healthz", MINIMAL]
