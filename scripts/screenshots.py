"""Regenerate the screenshots in docs/screenshots: `make screenshots`.

Builds a throw-away SQLite database with the demo data, serves it on a local
port, and photographs the main screens (log form, log page, review queue,
group page, the three dashboards) at desktop and at phone width with Debian's
Chromium through Playwright (the browser is never downloaded).
"""

import os

from demo_server import CHROMIUM, CHROMIUM_ARGS, PASSWORD, ROOT, demo_server
from playwright.sync_api import sync_playwright

OUT = ROOT / "docs" / "screenshots"
PORT = int(os.environ.get("SCREENSHOT_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
ARGS = CHROMIUM_ARGS

DESKTOP, PHONE = 1200, 375
CLARA, MOREAU = "clara@example.org", "moreau@example.org"
DEV, ELI = "dev@example.org", "eli@example.org"

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
    ("hours", DEV, "/hours/", None),
    # Eli's second month is signed; its page lists the entries, the signature and documents.
    ("hours-period", ELI, "/hours/", "section[aria-labelledby='periods-h'] tbody a >> nth=2"),
    ("hours-to-sign", MOREAU, "/hours/to-sign/", None),
    # One supervisee's periods to sign, from her line on Hours to sign.
    ("hours-to-sign-hers", MOREAU, "/hours/to-sign/", "text=Review and sign >> nth=0"),
]
SHOTS = [
    (name if width == DESKTOP else f"{name}-phone", account, path, follow, width)
    for width in (DESKTOP, PHONE)
    for name, account, path, follow in SCREENS
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with demo_server(PORT):
        _shoot()


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
