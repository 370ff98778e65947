"""The demo world, seeded once per test module that asks for it.

Seeding the demo takes seconds, and a dozen tests that each seeded it (twice, to check that a second
run adds nothing) made them the slowest part of the suite. These fixtures seed inside a transaction of
the module's own, rolled back when the module ends; each test runs in a savepoint inside it
(pytest-django's `db`), so what a test writes still vanishes after it and the next test finds the
world as seeded.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase

from tests.conftest import needs_service

# One size for every test of the scaled demo: the smallest that still shows each proportion.
SCALE = 12

PROJECT_APPS = (
    "api",
    "accounts",
    "training",
    "mentorship",
    "credits",
    "studios",
    "contests",
    "announcements",
    "notifications",
)


def row_counts() -> dict[str, int]:
    """Rows of every model of the project's apps and Wagtail's pages, by model label."""
    models = [model for app in PROJECT_APPS for model in apps.get_app_config(app).get_models()]
    models += list(apps.get_app_config("cms").get_models())
    return {model._meta.label: model._default_manager.count() for model in models}


@dataclass
class SeededDemo:
    """What seeding left: row counts after the first and the second run, and the e-mails it sent."""

    counts_after_first_run: dict[str, int]
    counts_after_second_run: dict[str, int]
    outbox: list = field(default_factory=list)


@contextmanager
def _module_transaction(django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker):
    """`seed_demo` run twice, with what it leaves to be done on commit (the digest's e-mails) done."""
    with _module_transaction(django_db_blocker):
        mail.outbox = []
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", verbosity=0)
        first = row_counts()
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", verbosity=0)
        yield SeededDemo(first, row_counts(), outbox=list(mail.outbox))


@pytest.fixture(scope="module")
def seeded_demo_once(django_db_setup, django_db_blocker):
    """`seed_demo` run once, for modules that read the demo (test_seed_demo checks a second run adds nothing)."""
    with _module_transaction(django_db_blocker):
        call_command("seed_demo", verbosity=0)
        yield


@pytest.fixture(scope="module")
def seeded_demo_at_scale(django_db_setup, django_db_blocker):
    """The demo, then `seed_demo --scale SCALE` run twice: the counts are those of the two scaled runs.

    The scale seeding writes with COPY: PostgreSQL only (skipped on SQLite, and a failure under CI=true)."""
    needs_service("DATABASE_URL", "PostgreSQL: the scale seeding writes with COPY")
    with _module_transaction(django_db_blocker):
        call_command("seed_demo", verbosity=0)
        call_command("seed_demo", scale=SCALE, verbosity=0)
        first = row_counts()
        call_command("seed_demo", scale=SCALE, verbosity=0)
        yield SeededDemo(first, row_counts())
