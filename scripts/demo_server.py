"""The demo data served on a local port, for the scripts that look at it in a browser
(`screenshots.py`, `form_height.py`).

A throw-away SQLite database is migrated, given the catalog and `seed_demo`, and served by
`runserver` until the block ends; Debian's Chromium is what Playwright drives (never
downloaded).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "good-enough-demo"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


@contextmanager
def demo_server(port: int) -> Iterator[str]:
    """Serve the demo on 127.0.0.1:`port`; yields its base URL."""
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3"}
        _manage(env, "migrate", "--no-input", "-v0")
        _manage(env, "load_catalog", "-v0")
        _manage(env, "seed_demo", "-v0")
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(base)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


def _wait_for(base: str) -> None:
    for _ in range(60):
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)  # noqa: S310 - local only
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("The app did not start.")
