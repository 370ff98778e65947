"""A journey through the site in a real browser: screenshots, axe-core, console and server errors.

`Journey.check(name)` is the one call a test makes on every page it reaches:
it saves the page at 360 px and 1280 px, runs axe-core at both widths and
fails on a serious or critical violation, and the journey fails at the end
if the browser logged an error (a CSP violation, a failed script) or the
server answered 500.

axe-core is vendored (tests/e2e/vendor/axe.min.js, MPL-2.0, its licence
header kept) so the check needs no network and its rules change only when we
update the file.
"""

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from demo.seeding.people import ACCOUNTS, DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
WIDTHS = {"phone": (360, 780), "desktop": (1280, 900)}
BLOCKING_IMPACTS = {"serious", "critical"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(__file__).with_name("vendor") / "axe.min.js"
DEMO = {role: account[0] for role, account in ACCOUNTS.items()}  # role -> demo e-mail
# pytestmark of every browser test module.
BROWSER = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@dataclass
class Journey:
    name: str
    page: object  # playwright.sync_api.Page
    base_url: str
    folder: Path
    width: str = "desktop"  # the viewport the journey is walked at: "phone" or "desktop"
    checked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)

    def __post_init__(self):
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        print(f"\nScreenshots of journey '{self.name}': {self.folder}")
        self.page.on("console", self._on_console)
        self.page.on("response", self._on_response)

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{self.page.url}: {message.text}")

    def _on_response(self, response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.url}")

    def url(self, path: str) -> str:
        return self.base_url + path

    def visit(self, path: str):
        response = self.page.goto(self.url(path))
        assert response is not None and response.status < 400, f"{path} answered {response and response.status}"
        return response

    def sign_in(self, email: str, password: str = DEMO_PASSWORD, *, next_path: str = "/dashboard/") -> None:
        """Sign in through allauth's form, as a person would, and wait for the page it leads to."""
        if "/accounts/login/" not in self.page.url:
            self.visit(f"/accounts/login/?next={next_path}")
        self.page.fill("input[name=login]", email)
        self.page.fill("input[name=password]", password)
        self.page.locator("main form button[type=submit]").first.click()
        self.page.wait_for_url(self.url(next_path) + "**")

    def check(self, step: str, *, accessibility: bool = True) -> None:
        """Screenshot the current page at both widths and fail on a serious accessibility violation.

        `accessibility=False` only for pages we do not write (Wagtail's admin).
        """
        number = len(self.checked) + 1
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        violations = []
        for label, (width, height) in WIDTHS.items():
            self.page.set_viewport_size({"width": width, "height": height})
            self.page.screenshot(path=str(self.folder / f"{number:02d}-{slug}-{width}.png"), full_page=True)
            if not accessibility:
                continue
            violations += [f"[{label}] {line}" for line in axe_violations(self.page)]
        self.page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[self.width], strict=True)))
        self.checked.append(step)
        assert violations == [], f"Accessibility violations on {step} ({self.page.url}):\n" + "\n".join(violations)

    def finish(self) -> None:
        assert self.server_errors == [], f"Server errors during '{self.name}': {self.server_errors}"
        assert self.console_errors == [], f"Browser errors during '{self.name}': {self.console_errors}"


def axe_violations(page) -> list[str]:
    """The serious and critical axe-core violations of the page as shown now, one line per element.

    The script is evaluated through the DevTools protocol, which the page's
    CSP does not govern, so the site's policy stays as strict as in
    production. Each line names the rule, the element and, for contrast, the
    colours and the ratio measured against the one required.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    lines = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"]) or "?"
            lines.append(
                f"{violation['id']} ({violation['impact']}) at {target}: {_figures(node) or violation['help']}"
            )
    return lines


def _figures(node: dict) -> str:
    """For a contrast failure: "#767676 on #ffffff = 4.48:1, needs 4.5:1 (14px normal)"; otherwise ""."""
    for check in node.get("any", []) + node.get("all", []) + node.get("none", []):
        data = check.get("data")
        if isinstance(data, dict) and "contrastRatio" in data:
            return (
                f"{data.get('fgColor')} on {data.get('bgColor')} = {data['contrastRatio']}:1, "
                f"needs {data.get('expectedContrastRatio')} ({data.get('fontSize')} {data.get('fontWeight')})"
            )
    return ""
