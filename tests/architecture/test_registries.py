"""Each app registers its own extensions, so leaving out the apps on top changes no rule of the others.

Training decides progress, reviewers and certificates' host regions from
what is registered with it (pairing sources, calendar providers), and
notifications sends what kinds and reminder finders are registered. Those
registries are filled in each owner's `AppConfig.ready()`; this test starts
Django in a fresh process with and without `dashboard` and `demo` and
compares every registry. Before mentorship registered its own pairing
source, dropping `dashboard` silently left training with no mentors at all.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DUMP = """
import json
import django

django.setup()

from notifications.channels import outside_channels
from notifications.kinds import all_kinds
from notifications.reminders import reminder_keys
from training.calendar import provider_names
from training.pairings import pairing_source_names

print(json.dumps({
    "pairing_sources": sorted(pairing_source_names()),
    "calendar_providers": sorted(provider_names()),
    "reminders": reminder_keys(),
    "notification_kinds": sorted(kind.key for kind in all_kinds()),
    "channels": sorted(channel.key for channel in outside_channels()),
}))
"""


def registries(settings_module: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module}
    result = subprocess.run(
        [sys.executable, "-c", DUMP], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_leaving_out_dashboard_and_demo_changes_no_registry_of_the_other_apps():
    full = registries("config.settings.test")
    without = registries("tests.architecture.settings_without_top_apps")
    assert without == full
    assert "mentorship" in without["pairing_sources"]
    assert {"training.schedule", "mentorship.sessions", "cms.events"} <= set(without["calendar_providers"])
