"""Regenerate the screenshots in docs/screenshots: `make screenshots`.

Builds a throw-away SQLite database with the demo data, serves it on a local
port, and photographs the main screens (log form, log page, review queue,
group page, the three dashboards) at desktop and at phone width with Debian's
Chromium through Playwright (the browser is never downloaded).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PORT = int(os.environ.get("SCREENSHOT_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "good-enough-demo"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

DESKTOP, PHONE = 1200, 375
CLARA, MOREAU = "clara@example.org", "moreau@example.org"

# (file name, account, path, links to follow from there, in turn); each is taken at desktop
# width under its own name and at phone width as "<name>-phone".
SCREENS = [
    ("supervisee-dashboard", CLARA, "/dashboard/", None),
    ("supervisor-dashboard", MOREAU, "/dashboard/", None),
    ("group-dashboard", CLARA, "/groups/1/dashboard/", None),
    ("group", CLARA, "/groups/1/", None),
    ("log-list", CLARA, "/logs/", None),
    ("log-form", CLARA, "/logs/new/", None),
    ("log-page", CLARA, "/logs/?status=signed", "main .list-group a >> nth=0"),
    ("review-queue", MOREAU, "/review/", None),
    ("log-quick", CLARA, "/logs/quick/", None),
    ("supervisee-page", MOREAU, "/review/", "nav[aria-label='My supervisees'] a >> nth=0"),
    (
        "preparation",
        MOREAU,
        "/review/",
        ("nav[aria-label='My supervisees'] a >> nth=0", "text=Prepare the next hour"),
    ),
]
SHOTS = [
    (name if width == DESKTOP else f"{name}-phone", account, path, follow, width)
    for width in (DESKTOP, PHONE)
    for name, account, path, follow in SCREENS
]


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp}/screens.sqlite3"}
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "load_catalog", "-v0")
        manage(env, "seed_demo", "-v0")
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_server()
            _shoot()
        finally:
            server.terminate()
            server.wait(timeout=10)


def _wait_for_server() -> None:
    for _ in range(60):
        try:
            urllib.request.urlopen(f"{BASE}/accounts/login/", timeout=2)  # noqa: S310 - local only
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("The app did not start.")


def _shoot() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pages = {}  # one logged-in page per account and width
        for name, account, path, follow, width in SHOTS:
            page = pages.get((account, width))
            if page is None:
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = pages[account, width] = context.new_page()
                page.goto(f"{BASE}/accounts/login/")
                page.get_by_label("E-mail address").fill(account)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Log in").click()
                page.wait_for_load_state()
            page.goto(f"{BASE}{path}")
            for selector in (follow,) if isinstance(follow, str) else follow or ():
                page.locator(selector).click()
                page.wait_for_load_state()
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
            print(f"docs/screenshots/{name}.png")  # noqa: T201 - a script's output
        for page in pages.values():
            page.context.close()
        browser.close()


if __name__ == "__main__":
    main()
