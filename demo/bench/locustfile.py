"""Load test: signed-in people walking the platform's journeys (`manage.py bench` runs it headless).

Each simulated person signs in through the real allauth form (with its CSRF
token), then opens their dashboard, notifications and the public pages, and
marks notifications read. BENCH_SCALE picks the scaled cohort's accounts;
BENCH_PATHS (JSON) adds the measured pages that exist.
"""

import itertools
import json
import os
import re

from locust import HttpUser, between, task

PASSWORD = "yingzi-demo-2026"  # noqa: S105 -- the demo accounts' published password
SCALE = int(os.environ.get("BENCH_SCALE", "1000"))
EXTRA_PATHS = json.loads(os.environ.get("BENCH_PATHS", "{}"))
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_accounts = itertools.cycle(
    [f"trainee{index}.s{SCALE}@scale.yingzi.example" for index in range(40)]
    + [f"mentor{index}.s{SCALE}@scale.yingzi.example" for index in range(10)]
)


class SignedInPerson(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        self.email = next(_accounts)
        page = self.client.get("/accounts/login/", name="sign-in form")
        token = CSRF_INPUT.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/",
            {"login": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "sessionid" not in self.client.cookies:
                response.failure(f"{self.email} could not sign in: {response.status_code}")

    @task(5)
    def dashboard(self):
        self.client.get("/dashboard/", name="dashboard")

    @task(3)
    def notifications(self):
        self.client.get("/notifications/", name="notifications inbox")

    @task(2)
    def home(self):
        self.client.get("/", name="home")

    @task(1)
    def profile(self):
        self.client.get("/account/profile/", name="profile")

    @task(1)
    def mark_all_read(self):
        page = self.client.get("/notifications/", name="notifications inbox")
        match = CSRF_INPUT.search(page.text)
        if match:
            self.client.post(
                "/notifications/read-all/",
                {"csrfmiddlewaretoken": match.group(1)},
                headers={"Referer": self.host + "/notifications/"},
                name="mark all read",
            )

    @task(3)
    def measured_pages(self):
        for label, path in EXTRA_PATHS.items():
            self.client.get(path, name=label)
