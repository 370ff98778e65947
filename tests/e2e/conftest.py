"""Browser fixtures: Debian's chromium through Playwright, against the live server with the demo data.

Mark every browser test module with `BROWSER` (from .harness): a
transactional database, because the live server answers from another
thread and must see committed rows, restored from the migrations' data
(Wagtail's root page, locales and the editors' page permissions) before
each test and seeded with `seed_demo`.
"""

import os
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection, connections

from tests.conftest import IN_CI

from .harness import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, WIDTHS, Journey


@pytest.fixture
def browser(demo_data):
    """Chromium for one test, started after the database is ready and stopped before it is flushed.

    Playwright's sync API runs an event loop in this thread while it is open.
    Django then takes the thread for async code: it refuses ORM calls unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set, and asgiref hands out connections per
    context instead of per thread. So the browser lives only for the test
    body, and the connections opened meanwhile are closed with it.
    """
    if not shutil.which(CHROMIUM):
        message = f"needs Debian's chromium at {CHROMIUM} (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail(f"CI=true but {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
            connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


_SNAPSHOT: dict = {}


@pytest.fixture
def demo_data(transactional_db, tmp_path_factory):
    """The demo world, seeded once per run and then restored from a dump of the seeded database.

    `seed_demo` builds pages, cohorts, pairings and notifications through the
    services (10 to 20 s); every browser test needs the same world, and
    PostgreSQL restores a data-only dump of it in about a second. On SQLite
    each test seeds afresh.
    """
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        call_command("seed_demo", verbosity=0)
        return
    if "path" not in _SNAPSHOT:
        call_command("seed_demo", verbosity=0)
        path = tmp_path_factory.mktemp("demo") / "demo.sql"
        _postgres_tool("pg_dump", "--data-only", "--disable-triggers", "--no-owner", "--file", str(path))
        _SNAPSHOT["path"] = path
        return
    tables = [f'"{table}"' for table in connection.introspection.table_names()]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    # Content types come back under the ids the serialized restore gave them, so their cache stays true.
    _postgres_tool("psql", "--quiet", "--set", "ON_ERROR_STOP=1", "--file", str(_SNAPSHOT["path"]))


def _postgres_tool(tool: str, *args: str) -> None:
    settings = connection.settings_dict
    command = [tool, "--host", settings["HOST"] or "127.0.0.1", "--port", str(settings["PORT"] or 5432)]
    command += ["--username", settings["USER"] or "postgres", *args, settings["NAME"]]
    environment = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    subprocess.run(command, check=True, env=environment, capture_output=True)


@pytest.fixture
def journey(live_server, browser):
    """A fresh browser context (no cookies) for one journey; call `journey.finish()` at the end."""
    opened = []

    def start(name: str, *, width: str = "desktop") -> Journey:
        """A journey walked at `width` ("phone": 360 px, or "desktop"); screenshots are taken at both."""
        size = dict(zip(("width", "height"), WIDTHS[width], strict=True))
        context = browser.new_context(locale="zh-CN", viewport=size, has_touch=width == "phone")
        context.set_default_timeout(15_000)
        opened.append(context)
        page = context.new_page()
        return Journey(name=name, page=page, base_url=live_server.url, folder=ARTIFACTS / name, width=width)

    yield start
    for context in opened:
        context.close()
