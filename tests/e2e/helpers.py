"""Steps the journeys share: logging in and out, and the main navigation at any width.

Each step waits until the next page has loaded, so that an axe scan straight after it reads
the new page, never the one being left.
"""

import re

from playwright.sync_api import expect

LOGIN_PATH = "/accounts/login/"


def log_in(page, email: str, password: str, *, succeed: bool = True) -> None:
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    if succeed:
        page.wait_for_url(lambda url: LOGIN_PATH not in url)


def open_menu(page) -> None:
    """On a phone the navigation collapses behind the toggler: open it if it is there."""
    toggler = page.get_by_role("button", name="Toggle navigation")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        expect(toggler).to_have_attribute("aria-expanded", "true")
        # Bootstrap adds "show" only once the panel has finished sliding open; a click aimed
        # at a button inside it while it still slides can land on nothing (seen in CI).
        expect(page.locator("#nav-main")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))


def main_menu(page):
    return page.get_by_role("navigation", name="Main", exact=True)


def nav(page, name: str) -> None:
    """Follow a link of the main navigation, as a person would at this width."""
    open_menu(page)
    link = main_menu(page).get_by_role("link", name=name, exact=True)
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{href}")


def log_out(page, display_name: str) -> None:
    """The user menu (named after the person) holds the log-out button."""
    open_menu(page)
    user_menu = main_menu(page).get_by_role("button", name=display_name, exact=True)
    user_menu.click()
    expect(user_menu).to_have_attribute("aria-expanded", "true")
    main_menu(page).get_by_role("button", name="Log out").click()
    page.wait_for_url(f"**{LOGIN_PATH}")
