"""Screenshots of pages at 360 px and 1280 px, to look at what tests miss.

    python scripts/screenshots.py [--base http://127.0.0.1:8000] [--as trainee] PATH [PATH ...]

Signs in as a demo account when --as is given. Writes PNGs to artifacts/screens/.
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "yingzi-demo-2026"  # noqa: S105 -- the documented demo password


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--as", dest="account", default="")
    parser.add_argument("--out", default="artifacts/screens")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for width in (360, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            if args.account:
                page.goto(f"{args.base}/accounts/login/")
                page.fill("input[name=login]", f"{args.account}@yingzi.example")
                page.fill("input[name=password]", DEMO_PASSWORD)
                page.click("main form button[type=submit]")
                page.wait_for_load_state()
            for path in args.paths:
                page.goto(args.base + path)
                name = re.sub(r"[^a-z0-9]+", "-", f"{args.account or 'anon'}{path}".lower()).strip("-")
                target = out / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
