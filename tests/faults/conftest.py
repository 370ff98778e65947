"""Real services for the fault tests: a Redis of their own, Celery worker subprocesses, an SMTP server.

Every fixture undoes what it did in its finalizer: processes are killed by
their own process group, the Celery app gets its broker URL and eagerness
back, and kombu's connection pools are closed so the next test (or the rest
of the suite) starts from a clean app.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import kombu.pools
import pytest

from config.celery_app import app as celery_app
from tests.conftest import needs_service

from .smtp_sink import SMTPSink

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"


def wait_until(predicate, timeout: float, interval: float = 0.1, action=None) -> bool:
    """Poll until `predicate()` holds; run `action()` between polls (a sweep, say)."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        if action is not None:
            action()
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _kill_group(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


@pytest.fixture(autouse=True)
def _real_services():
    from django.contrib.contenttypes.models import ContentType

    needs_service("DATABASE_URL", "the fault tests run on PostgreSQL")
    needs_service("REDIS_URL", "the fault tests run on real Redis")
    if shutil.which("redis-server") is None:
        needs_service("FAULTS_REDIS_SERVER", "redis-server must be on PATH: apt-get install -y redis-server")
    # A transactional test before this one may have flushed the tables and made
    # new content types while this process still caches the old ids (a
    # notification's target type would then point at nothing).
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


class RedisServer:
    """A redis-server of the test's own on a spare port, which the test may stop, restart and pause."""

    def __init__(self, folder: Path, *, durable: bool = False):
        self.port = free_port()
        self.folder = folder
        self.durable = durable  # append-only, as in production: what it held is there again after a restart
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2, socket_connect_timeout=2)

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "yes" if self.durable else "no", "--appendfsync", "always"]
            + ["--dir", str(self.folder), "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        client = self.client()
        if not wait_until(lambda: _pings(client), timeout=10):
            raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.process is not None:
            _kill_group(self.process, signal.SIGTERM)
            self.process = None

    def pause(self, milliseconds: int) -> None:
        self.client().execute_command("CLIENT", "PAUSE", milliseconds, "ALL")


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


# The fail-fast window of the production cache, shortened so that a test sees recovery within a second.
FAIL_FAST_SECONDS = 0.5


@pytest.fixture(scope="session")
def production_cache_settings() -> dict:
    """CACHES["default"] exactly as config.settings.production builds it, read in a production process."""
    from tests.config.test_production_settings import env_example

    placeholder = "redis://cache.invalid:6379/0"
    env = {
        **os.environ,
        **env_example(),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "REDIS_URL": placeholder,
        "CACHE_URL": placeholder,
    }
    script = "import json,django;django.setup();from django.conf import settings;print(json.dumps(settings.CACHES['default']))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    cache = json.loads(result.stdout.strip().splitlines()[-1])
    assert cache["LOCATION"] == placeholder, cache
    return cache


@pytest.fixture
def production_cache(redis_server, settings, production_cache_settings):
    """This process caches in the test's Redis with production's backend and options, until the test ends."""
    cache = json.loads(json.dumps(production_cache_settings))
    cache["LOCATION"] = redis_server.url
    if "FAIL_FAST_SECONDS" in cache.get("OPTIONS", {}):
        cache["OPTIONS"]["FAIL_FAST_SECONDS"] = FAIL_FAST_SECONDS
    settings.CACHES = {"default": cache}
    yield redis_server


def _reset_celery_pools() -> None:
    # The app caches a connection pool and a producer pool made for the broker
    # URL of the moment; after a URL change they would still talk to the old one.
    if celery_app._pool is not None:
        with contextlib.suppress(Exception):
            celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None
    kombu.pools.reset()


@pytest.fixture
def broker(redis_server, settings, production_cache):
    """This process publishes to the test's own Redis, for real (not eagerly), and caches there as production does."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    _reset_celery_pools()
    celery_app.conf.update(broker_url=redis_server.url, task_always_eager=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_server.url  # what /healthz asks
    yield redis_server
    _reset_celery_pools()
    celery_app.conf.update(saved)


@pytest.fixture
def smtp_sink():
    sink = SMTPSink()
    yield sink
    sink.close()


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path):
        self.process, self.log = process, log

    def kill(self) -> None:
        """SIGKILL the whole worker: the main process and every child, no chance to clean up."""
        _kill_group(self.process)

    def stop(self) -> None:
        # The test has checked what it needed; a warm shutdown would only cost seconds.
        _kill_group(self.process)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@pytest.fixture
def gate(tmp_path):
    """While the gate file exists, a worker holds its next e-mail just before SMTP (see tests/faults/mail.py)."""
    return tmp_path / "gate"


@pytest.fixture
def start_worker(transactional_db, broker, smtp_sink, gate, tmp_path, settings):
    """Start `celery worker` subprocesses on the test database and the test's Redis; all are killed at the end."""
    from django.db import connection

    database = connection.settings_dict
    database_url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )
    started: list[Worker] = []

    def start(*, concurrency: int = 1, **environment: str) -> Worker:
        """`environment` adds to or overrides the worker's (FAULTS_SMTP_PORT, FAULTS_SEND_DELAY, ...)."""
        name = f"fault-{uuid.uuid4().hex[:8]}"
        log = tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": broker.url,
            "FAULTS_SMTP_PORT": str(smtp_sink.port),
            "FAULTS_GATE": str(gate),
            # The workers cache as production does, in the same Redis (tests/faults/worker_settings.py).
            "FAULTS_CACHE": json.dumps(settings.CACHES["default"]),
            "PYTHONPATH": str(ROOT),
            **environment,
        }
        with log.open("wb") as handle:
            process = subprocess.Popen(
                [str(CELERY), "-A", "config.celery_app", "worker", "--pool", "prefork"]
                + ["--concurrency", str(concurrency), "--prefetch-multiplier", "1", "--loglevel", "INFO"]
                + ["--without-mingle", "--without-gossip", "--without-heartbeat", "--hostname", f"{name}@%h"],
                cwd=ROOT,
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(process, log)
        started.append(worker)
        if not wait_until(lambda: " ready." in worker.output() or process.poll() is not None, timeout=60):
            raise RuntimeError(f"The worker did not start:\n{worker.output()[-3000:]}")
        if process.poll() is not None:
            raise RuntimeError(f"The worker exited:\n{worker.output()[-3000:]}")
        return worker

    yield start
    for worker in started:
        worker.stop()
    with contextlib.suppress(FileNotFoundError):
        gate.unlink()
