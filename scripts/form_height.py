"""How tall the log forms are: `/work/main/.venv/bin/python scripts/form_height.py`.

Builds a throw-away SQLite database with the demo data, serves it on a local port, logs in
as the demo supervisee (Clara) and prints document.body.scrollHeight of the new-log form
and the quick log at desktop (1200 px) and phone (375 px) width, with Debian's Chromium
through Playwright (docs/how-it-works.md keeps the figures).
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
PORT = int(os.environ.get("FORM_HEIGHT_PORT", "8766"))
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "good-enough-demo"
CLARA = "clara@example.org"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
WIDTHS = (1200, 375)
PATHS = ("/logs/new/", "/logs/quick/")


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp}/heights.sqlite3"}
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
            _measure()
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
