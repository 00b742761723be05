"""How tall the log forms are: `/work/main/.venv/bin/python scripts/form_height.py`.

Builds a throw-away SQLite database with the demo data, serves it on a local port, logs in
as the demo supervisee (Clara) and prints document.body.scrollHeight of the new-log form
and the quick log at desktop (1200 px) and phone (375 px) width, with Debian's Chromium
through Playwright (docs/how-it-works.md keeps the figures).
"""

import os

from demo_server import CHROMIUM, CHROMIUM_ARGS, PASSWORD, demo_server
from playwright.sync_api import sync_playwright

PORT = int(os.environ.get("FORM_HEIGHT_PORT", "8766"))
BASE = f"http://127.0.0.1:{PORT}"
CLARA = "clara@example.org"
ARGS = CHROMIUM_ARGS
WIDTHS = (1200, 375)
PATHS = ("/logs/new/", "/logs/quick/")


def main() -> None:
    with demo_server(PORT):
        _measure()


def _measure() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            page.goto(f"{BASE}/accounts/login/")
            page.get_by_label("E-mail address").fill(CLARA)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_load_state()
            for path in PATHS:
                response = page.goto(f"{BASE}{path}")
                if response is None or response.status != 200:
                    continue
                page.wait_for_load_state()
                height = page.evaluate("document.body.scrollHeight")
                print(f"{path} at {width} px: {height} px")  # noqa: T201 - a script's output
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
