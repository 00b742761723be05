"""A name in a log is flagged; she marks it as her pseudonym; the same text then passes.

At desktop and phone width, every page scanned with axe (issue 19).
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import AllowedWord, SessionLog
from tests.e2e.helpers import main_menu, nav, open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Her husband Michael drinks every night and she is frightened of him."


def write_log(page, code: str) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Client code").fill(code)
    page.get_by_label("Session date").fill(f"{yesterday:%Y-%m-%d}")
    page.get_by_label("What happened").fill(TEXT)
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()


def test_a_flagged_name_marked_as_fine_passes_from_then_on(
    open_as, axe_check, catalog, supervisee, password
):
    page = open_as(supervisee, password)
    axe_check(page)

    # --- the name is flagged and nothing is stored
    nav(page, "New log")
    axe_check(page)
    write_log(page, "C-17")
    warning = page.locator("#identifier-warning")
    expect(warning).to_contain_text("Possible identifiers")
    expect(warning.locator("mark")).to_have_text("Michael")
    axe_check(page)
    assert not SessionLog.objects.exists()

    # --- she marks it as a pseudonym she uses and saves again: her text is kept
    expect(page.get_by_label("What happened")).to_have_value(TEXT)
    page.get_by_role("checkbox", name=re.compile("Fine for my notes")).check()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/logs/\d+/$"))
    expect(page.get_by_text("Saved as a draft.")).to_be_visible()
    axe_check(page)
    assert SessionLog.objects.get().what_happened == TEXT
    assert list(AllowedWord.objects.values_list("word", flat=True)) == ["Michael"]

    # --- the same text in a new log now saves without a warning
    nav(page, "New log")
    axe_check(page)
    write_log(page, "C-18")
    page.wait_for_url(re.compile(r"/logs/\d+/$"))
    axe_check(page)
    assert SessionLog.objects.count() == 2

    # --- her words are listed in her settings, and removable
    open_menu(page)
    main_menu(page).get_by_role("button", name=supervisee.display_name, exact=True).click()
    page.get_by_role("link", name="My words").click()
    page.wait_for_url("**/my-words/")
    expect(page.get_by_role("heading", name="My words")).to_be_visible()
    expect(page.get_by_text("Michael", exact=True)).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Remove Michael").click()
    page.wait_for_url("**/my-words/")
    expect(page.get_by_text("No words yet.")).to_be_visible()
    axe_check(page)
    assert not AllowedWord.objects.exists()
