"""`make bench`: seed a separate database at N and 10N, serve it with gunicorn, print one table of figures.

Figures, not verdicts: nothing here fails on an absolute time. The ratio to
the minimal view taken in the same run is what compares across machines.
"""

import contextlib
import csv
import datetime
import json
import math
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError

ROOT = Path(settings.BASE_DIR)
BENCH = ROOT / "demo" / "bench"
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/yingzi_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
RESULT = re.compile(r"^(BENCH|BENCHJSON) (\{.*\})$", re.MULTILINE)


class Command(BaseCommand):
    help = "Seed a separate database at N and 10N, serve it with gunicorn and print one table of figures."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1000, help="N: trainees in the smaller cohort (default 1000).")
        parser.add_argument("--duration", type=int, default=10, help="Seconds of wrk per page (default 10).")
        parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16).")
        parser.add_argument("--load-users", type=int, default=50, help="Signed-in users in the load test.")
        parser.add_argument("--load-seconds", type=int, default=60, help="Length of the load test in seconds.")
        parser.add_argument("--skip-load", action="store_true", help="Leave out the load test.")
        parser.add_argument(
            "--knee-users",
            default="50,100,150,200",
            help="Steps of signed-in users for the knee: the first step whose p95 passes 500 ms (default 50,100,150,200).",
        )
        parser.add_argument("--knee-seconds", type=int, default=30, help="Seconds of each knee step (default 30).")
        parser.add_argument(
            "--only",
            default="",
            help="Measure only these pages (labels of the table, comma-separated; the minimal view always), "
            "and leave out matching, import, fan-out and the load test.",
        )
        parser.add_argument(
            "--seeded",
            action="store_true",
            help="Measure the database as it is (already seeded with --scale N and 10N): no drop, no seeding.",
        )
        parser.add_argument("--record", action="store_true", help="Append the figures to docs/performance.md.")
        parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
        parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
        # Internal: the in-process part that runs under the bench settings.
        parser.add_argument("--phase", choices=["queries"], help="(internal)")

    def handle(self, *args, **options):
        endpoints = selected(options["only"])
        if options["phase"] == "queries":
            self.stdout.write("BENCHJSON " + json.dumps(measure_queries(options["scale"], endpoints)))
            return
        Bench(self, options, endpoints).run()


def selected(only: str) -> list:
    """The pages named by `--only` (and the minimal view, which every ratio needs), or every page."""
    from demo.bench.endpoints import ENDPOINTS, MINIMAL

    known = {endpoint.label for endpoint in ENDPOINTS}
    # Labels hold commas themselves ("home, cached for visitors", "studio threads (5,000 posts)"): the longest
    # run of pieces that names a page, joined as written, wins.
    pieces = only.split(",")
    labels, unknown, start = set(), set(), 0
    while start < len(pieces):
        for end in range(len(pieces), start, -1):
            if ",".join(pieces[start:end]).strip() in known:
                labels.add(",".join(pieces[start:end]).strip())
                start = end
                break
        else:
            if pieces[start].strip():
                unknown.add(pieces[start].strip())
            start += 1
    if not labels and not unknown:
        return list(ENDPOINTS)
    if unknown:
        known = ", ".join(endpoint.label for endpoint in ENDPOINTS)
        raise CommandError(f"No page called {', '.join(sorted(unknown))} in the bench; its pages are: {known}.")
    return [endpoint for endpoint in ENDPOINTS if endpoint.label in labels or endpoint.label == MINIMAL]


def measure_queries(scale: int, endpoints: list | None = None) -> dict:
    """Queries of each page at this scale (in-process test client), and session cookies for wrk."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from demo.bench.endpoints import ENDPOINTS, people_at

    people = people_at(scale)
    result = {"queries": {}, "status": {}, "paths": {}, "cookies": {}, "composed": {}}
    for endpoint in ENDPOINTS if endpoints is None else endpoints:
        path = endpoint.path(people)
        result["paths"][endpoint.label] = path
        if path is None:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        person = people.person(endpoint.role)
        cookies = [endpoint.cookie] if endpoint.cookie else []
        if person is not None:
            client.force_login(person)
            cookies.append(f"sessionid={client.cookies['sessionid'].value}")
        for name, _, value in (cookie.partition("=") for cookie in cookies):
            client.cookies[name] = value
        result["cookies"][endpoint.label] = "; ".join(cookies)
        client.get(path)  # warm caches that a running server would have warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        result["status"][endpoint.label] = response.status_code
        result["queries"][endpoint.label] = len(queries)
        if endpoint.forget is not None:
            result["composed"][endpoint.label] = measure_composed(client, path, person, endpoint.forget)
    return result


def measure_composed(client, path: str, person, forget, times: int = 20, budget: float = 60) -> dict:
    """Queries and in-process milliseconds (median) of a page composed afresh after its cached copy is forgotten.

    Up to `times` requests, but no more than `budget` seconds' worth once three are taken: the region
    home composed afresh at 100,000 people takes seconds each.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    forget(person)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    queries = len(captured)  # now: each request empties the connection's query log
    timings = []
    began = time.monotonic()
    for _ in range(times):
        forget(person)
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        if len(timings) >= 3 and time.monotonic() - began > budget:
            break
    return {"queries": queries, "ms": round(statistics.median(timings), 1), "runs": len(timings)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Bench:
    def __init__(self, command: BaseCommand, options: dict, endpoints: list):
        self.command, self.options, self.endpoints = command, options, endpoints
        self.scale = options["scale"]
        self.figures: dict = {"seeding": {}, "pages": [], "notes": [], "composed": {}}
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "demo.bench.settings",
            "DATABASE_URL": options["database_url"],
            "REDIS_URL": options["redis_url"],
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DATABASE_CONN_MAX_AGE": "60",
        }

    def say(self, message: str) -> None:
        self.command.stdout.write(message)
        self.command.stdout.flush()

    def manage(self, *args: str, capture: bool = False) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=capture,
            text=True,
            check=False,
        )
        if result.returncode:
            raise CommandError(f"manage.py {' '.join(args)} failed:\n{result.stdout or ''}{result.stderr or ''}")
        return result.stdout or ""

    # --- the run ---------------------------------------------------------------
    def run(self) -> None:
        started = time.monotonic()
        self.figures["machine_at_start"] = machine()
        ensure_services()
        wrk = ensure_wrk()
        seeded = self.options["seeded"]
        if not seeded:
            self.recreate_database()
        self.say(f"Database {urlsplit(self.options['database_url']).path[1:]}: migrating")
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        big = self.scale * 10
        if not seeded:
            self.seed("demo data", "seed_demo", "-v0")
            self.seed(f"--scale {self.scale}", "seed_demo", f"--scale={self.scale}", "-v0")
        at_n = self.queries(self.scale)
        if not seeded:
            self.seed(f"--scale {big}", "seed_demo", f"--scale={big}", "-v0")
        at_10n = self.queries(big)
        self.figures["composed"] = {
            label: {"n": figures, "10n": at_10n["composed"].get(label, {})}
            for label, figures in at_n["composed"].items()
        }
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with self.gunicorn(port), self.worker():
            wait_for(base + "/healthz")
            self.measure_pages(wrk, base, at_n, at_10n)
            self.print_table()
            if self.options["only"]:
                return self.finish(started)
            self.run_optional("bench_matching", "Matching (500, 1,000 and 5,000 trainees)")
            self.run_optional("bench_import", "Enrolment import of 5,000 rows (checked, all or nothing, rolled back)")
            self.run_optional("bench_notifications", "Notification fan-out of 10,000 beside the empty-task floor")
            if not self.options["skip_load"]:
                self.load_test(base, at_10n)
        self.finish(started)

    def finish(self, started: float) -> None:
        self.figures["total_seconds"] = round(time.monotonic() - started)
        self.say(f"\nBench finished in {self.figures['total_seconds']} s.")
        if self.options["record"]:
            record(self.figures, self.scale)
            self.say("Figures appended to docs/performance.md.")

    def recreate_database(self) -> None:
        import psycopg
        import redis

        parts = urlsplit(self.options["database_url"])
        name = parts.path.lstrip("/")
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or name in {"postgres", "template0", "template1"}:
            raise CommandError(f"Refusing to recreate the database {name!r}: give a dedicated bench database.")
        admin_url = parts._replace(path="/postgres").geturl()
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        redis.Redis.from_url(self.options["redis_url"]).flushdb()

    def seed(self, label: str, *args: str) -> None:
        self.say(f"Seeding {label} ...")
        started = time.monotonic()
        self.manage(*args)
        seconds = time.monotonic() - started
        self.figures["seeding"][label] = round(seconds, 1)
        self.say(f"  {seconds:.1f} s")

    def queries(self, scale: int) -> dict:
        output = self.manage(
            "bench", "--phase=queries", f"--scale={scale}", f"--only={self.options['only']}", capture=True
        )
        match = RESULT.search(output)
        if not match:
            raise CommandError(f"The query phase printed no figures:\n{output}")
        return json.loads(match.group(2))

    @contextlib.contextmanager
    def gunicorn(self, port: int):
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi:application", "--workers", "3", "--worker-class", "sync"]
            + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT,
            env=self.env,
        )
        try:
            yield process
        finally:
            stop(process)

    @contextlib.contextmanager
    def worker(self):
        # Two processes, as docker-compose.yml runs each production worker: one per core of the
        # reference machine. bench_notifications measures its fan-out against this worker.
        process = subprocess.Popen(
            [str(BIN / "celery"), "-A", "config", "worker", "--concurrency", "2", "--loglevel", "WARNING"]
            + ["--without-mingle", "--without-gossip", "--hostname", f"bench-{os.getpid()}@%h"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
        )
        try:
            yield process
        finally:
            stop(process)

    def measure_pages(self, wrk: str, base: str, at_n: dict, at_10n: dict) -> None:
        for endpoint in self.endpoints:
            label = endpoint.label
            row = {"page": label, "queries_n": at_n["queries"].get(label), "queries_10n": at_10n["queries"].get(label)}
            path = at_10n["paths"].get(label)
            row["path"] = path
            if path is None:
                row["note"] = "not built yet"
                self.figures["pages"].append(row)
                continue
            row["status"] = at_10n["status"].get(label)
            cookie = at_10n["cookies"].get(label, "")
            self.say(f"wrk {label}: {path}")
            for _ in range(6):  # warm every worker's connection and caches
                if fetch(base + path, cookie) is None:
                    row["note"] = "timed out while warming up"
                    break
            row.update(run_wrk(wrk, base + path, cookie, self.options["duration"], self.options["connections"]))
            self.figures["pages"].append(row)
        minimal = next(row for row in self.figures["pages"] if row["page"] == "minimal view")
        for row in self.figures["pages"]:
            if row.get("rps") and minimal.get("rps"):
                row["ratio"] = round(row["rps"] / minimal["rps"], 3)

    def print_table(self) -> None:
        self.say("")
        self.say(render_table(self.figures["pages"], self.scale))
        self.say(render_composed(self.figures["composed"], self.scale))
        seeding = ", ".join(f"{label}: {seconds} s" for label, seconds in self.figures["seeding"].items())
        self.say(f"\nSeeding: {seeding or 'none (--seeded)'}")

    def run_optional(self, command: str, title: str) -> None:
        self.say(f"\n{title}:")
        if command not in get_commands():
            self.say(f"  not built yet (no `{command}` command)")
            self.figures[command] = "not built yet"
            return
        output = self.manage(command, capture=True)
        self.say(output.rstrip())
        self.figures[command] = output.strip()

    def load_test(self, base: str, at_10n: dict) -> None:
        users, seconds = self.options["load_users"], self.options["load_seconds"]
        self.say(
            f"\nLoad test: {users} signed-in users for {seconds} s (locust, gunicorn + PostgreSQL + Redis + worker)"
        )
        stats = self.locust(base, at_10n, users=users, seconds=seconds)
        self.figures["load"] = stats
        self.say(render_load(stats))
        steps = [int(step) for step in self.options["knee_users"].split(",") if step.strip()]
        if not steps:
            return
        self.say(f"\nThe knee: {', '.join(map(str, steps))} users, {self.options['knee_seconds']} s each")
        knee = []
        for step in steps:
            figures = self.locust(base, at_10n, users=step, seconds=self.options["knee_seconds"])
            knee.append({"users": step, **{key: figures[key] for key in ("rps", "p95_ms", "p99_ms", "server_errors")}})
            self.say(render_knee_step(knee[-1]))
        self.figures["knee"] = {"steps": knee, "users": knee_users(knee)}
        self.say(render_knee(self.figures["knee"]))

    def locust(self, base: str, at_10n: dict, *, users: int, seconds: int) -> dict:
        extra = {
            label: path
            for label, path in at_10n["paths"].items()
            if path and label in {"programme page", "event page", "calendar feed"}
        }
        with tempfile.TemporaryDirectory() as folder:
            prefix = str(Path(folder) / "load")
            result = subprocess.run(
                [str(BIN / "locust"), "-f", str(BENCH / "locustfile.py"), "--headless", "--only-summary"]
                + ["-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--host", base]
                + ["--csv", prefix, "--exit-code-on-error", "0", "--loglevel", "WARNING"],
                cwd=ROOT,
                env={**self.env, "BENCH_SCALE": str(self.scale * 10), "BENCH_PATHS": json.dumps(extra)},
                capture_output=True,
                text=True,
                check=False,
            )
            stats = load_figures(prefix)
        if stats is None:
            self.say(result.stdout[-3000:] + result.stderr[-3000:])
            raise CommandError("The load test produced no figures.")
        return stats


# --- helpers -------------------------------------------------------------------
def ensure_services() -> None:
    """Start PostgreSQL and Redis the way .ci/run does, when they do not answer."""
    if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False).returncode:
        clusters = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
        if not clusters:
            raise CommandError("PostgreSQL is not answering on 127.0.0.1:5432 and no cluster was found to start.")
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", clusters[0], "main", "start"], check=False)
    redis_up = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"], capture_output=True, check=False)
    if redis_up.returncode:
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", ""]
            + ["--appendonly", "no"],
            check=False,
        )
    for _ in range(30):
        pg = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False).returncode == 0
        rd = subprocess.run(["redis-cli", "ping"], capture_output=True, check=False).returncode == 0
        if pg and rd:
            return
        time.sleep(1)
    raise CommandError("PostgreSQL or Redis did not come up.")


def ensure_wrk() -> str:
    """wrk from Debian's package, installed when missing (the bench runs as root on these machines)."""
    found = shutil.which("wrk")
    if not found and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-qq", "wrk"]
        if subprocess.run(install, env=env, capture_output=True, check=False).returncode:
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, check=False)
            subprocess.run(install, env=env, capture_output=True, check=False)
        found = shutil.which("wrk")
    if not found:
        raise CommandError("wrk is needed: apt-get install -y wrk")
    return found


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def fetch(url: str, cookie: str = "") -> int | None:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 -- loopback
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 -- loopback
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (TimeoutError, urllib.error.URLError):
        return None  # a page too slow for the server's timeout is a figure, not a crash of the bench


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if fetch(url) == 200:
                return
        time.sleep(0.5)
    raise CommandError(f"{url} did not answer 200 within {timeout:.0f} s")


def run_wrk(wrk: str, url: str, cookie: str, duration: int, connections: int) -> dict:
    result = subprocess.run(
        [wrk, "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(BENCH / "report.lua"), url],
        env={**os.environ, "BENCH_COOKIE": cookie},
        capture_output=True,
        text=True,
        check=False,
    )
    match = RESULT.search(result.stdout)
    if not match:
        raise CommandError(f"wrk printed no figures for {url}:\n{result.stdout}{result.stderr}")
    figures = json.loads(match.group(2))
    return {
        "rps": figures["rps"],
        "p50_ms": figures["p50_ms"],
        "p99_ms": figures["p99_ms"],
        "errors": figures["non_2xx_3xx"] + figures["socket_errors"],
    }


def render_table(rows: list[dict], scale: int) -> str:
    header = ["page", f"queries at {scale:,}", f"queries at {scale * 10:,}", "req/s", "p50 ms", "p99 ms", "ratio"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        if row.get("note"):
            cells = [row["page"], "", "", row["note"], "", "", ""]
        else:
            errors = f" ({row['errors']} errors)" if row.get("errors") else ""
            status = f" (HTTP {row['status']})" if row.get("status") not in (None, 200) else ""
            cells = [
                row["page"] + status,
                str(row["queries_n"]),
                str(row["queries_10n"]),
                f"{row['rps']:,.0f}{errors}",
                f"{row['p50_ms']:.1f}",
                f"{row['p99_ms']:.1f}",
                f"{row.get('ratio', 0):.3f}",
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_composed(composed: dict, scale: int) -> str:
    """The pages above that are served from a per-person cache, as the first visit after a change finds them."""
    if not composed:
        return ""
    lines = [
        "\nComposed afresh (the first visit after a change; in process, median of up to 20, at least 3 in a minute):",
        "",
        f"| page | queries at {scale:,} | queries at {scale * 10:,} | ms at {scale * 10:,} |",
        "|---|---|---|---|",
    ]
    for label, figures in composed.items():
        small, big = figures["n"], figures["10n"]
        lines.append(f"| {label} | {small.get('queries', '')} | {big.get('queries', '')} | {big.get('ms', '')} |")
    return "\n".join(lines)


def _percentile_ms(value: str) -> float:
    # Locust writes "N/A" when no request of a step finished: as slow as can be, for the knee too.
    return math.inf if value.strip() == "N/A" else float(value)


def _ms(value: float) -> str:
    return "none finished" if math.isinf(value) else f"{value:.0f} ms"


def load_figures(prefix: str) -> dict | None:
    stats_file = Path(prefix + "_stats.csv")
    if not stats_file.exists():
        return None
    with stats_file.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = next((row for row in rows if row["Name"] == "Aggregated"), None)
    if total is None:
        return None
    server_errors = 0
    failures_file = Path(prefix + "_failures.csv")
    failures = []
    if failures_file.exists():
        with failures_file.open(newline="") as handle:
            for row in csv.DictReader(handle):
                failures.append(f"{row['Method']} {row['Name']}: {row['Error']} x{row['Occurrences']}")
                if re.search(r"\b5\d\d\b", row["Error"]):
                    server_errors += int(row["Occurrences"])
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "server_errors": server_errors,
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": _percentile_ms(total["50%"]),
        "p95_ms": _percentile_ms(total["95%"]),
        "p99_ms": _percentile_ms(total["99%"]),
        "failure_details": failures,
        "per_page": {
            row["Name"]: {"requests": int(row["Request Count"]), "p95_ms": _percentile_ms(row["95%"])}
            for row in rows
            if row["Name"] != "Aggregated"
        },
    }


def render_load(stats: dict) -> str:
    lines = [
        f"  requests: {stats['requests']:,}, {stats['rps']} req/s; failures: {stats['failures']}, "
        f"server errors (5xx): {stats['server_errors']}",
        f"  latency p50 {_ms(stats['p50_ms'])}, p95 {_ms(stats['p95_ms'])}, p99 {_ms(stats['p99_ms'])}",
    ]
    lines += [
        f"  {name}: {page['requests']:,} requests, p95 {_ms(page['p95_ms'])}"
        for name, page in stats["per_page"].items()
    ]
    lines += [f"  failure: {failure}" for failure in stats["failure_details"]]
    return "\n".join(lines)


KNEE_P95_MS = 500


def knee_users(steps: list[dict]) -> int | None:
    """The fewest users at which p95 passed 500 ms, or None when no step did."""
    return next((step["users"] for step in steps if step["p95_ms"] > KNEE_P95_MS), None)


def render_knee_step(step: dict) -> str:
    return (
        f"  {step['users']:>4} users: {step['rps']} req/s, p95 {_ms(step['p95_ms'])}, "
        f"p99 {_ms(step['p99_ms'])}, server errors {step['server_errors']}"
    )


def render_knee(knee: dict) -> str:
    most = max(step["users"] for step in knee["steps"])
    if knee["users"] is None:
        return f"  knee: p95 stayed under {KNEE_P95_MS} ms up to {most} users"
    return f"  knee: p95 passes {KNEE_P95_MS} ms at {knee['users']} users"


def machine() -> str:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    # The machine is shared: the load average says how much else was running.
    load = ", load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    return f"{platform.node()}: {os.cpu_count()} cores ({model or platform.processor()}){memory}{load}"


def record(figures: dict, scale: int) -> None:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"\n## {now}\n", f"At the start: {figures['machine_at_start']}.  ", f"At the end: {machine()}.\n"]
    parts += [render_table(figures["pages"], scale), render_composed(figures.get("composed", {}), scale), ""]
    seeding = ", ".join(f"{label} {seconds} s" for label, seconds in figures["seeding"].items())
    parts.append(f"Seeding: {seeding}.\n")
    for key, title in [("bench_matching", "Matching"), ("bench_notifications", "Notification fan-out")]:
        parts.append(f"{title}:\n\n```\n{figures.get(key, 'not run')}\n```\n")
    if figures.get("load"):
        parts.append("Load test:\n\n```\n" + render_load(figures["load"]) + "\n```\n")
    if figures.get("knee"):
        steps = "\n".join(render_knee_step(step) for step in figures["knee"]["steps"])
        parts.append("The knee:\n\n```\n" + steps + "\n" + render_knee(figures["knee"]) + "\n```\n")
    parts.append(f"Whole run: {figures.get('total_seconds')} s.\n")
    with (ROOT / "docs" / "performance.md").open("a", encoding="utf-8") as handle:
        handle.write("\n".join(parts))
