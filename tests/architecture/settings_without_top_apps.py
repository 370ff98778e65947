"""The test settings without the apps on top (`dashboard`, `demo`): they may add screens, never change rules."""

from config.settings.test import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in ("dashboard", "demo")]  # noqa: F405
