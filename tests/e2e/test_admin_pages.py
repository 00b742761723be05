"""The admin pages the app ships pass the same axe scan as the rest of the app: the admin's
home page, every list, and one change form per model, as an administrator at desktop width.

The admin is a desktop tool (its lists are wide tables), so it is scanned at desktop width
only; the people it manages use the app itself, which every other journey scans at both widths.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from supervision import audit
from supervision.models import AuditAction, SupervisionRelationship
from tests.e2e.conftest import DESKTOP
from tests.factories import AdminFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def viewport():
    return DESKTOP


@pytest.fixture
def admin_world(supervisee, supervisor, group, password):
    """One row of every model the admin lists, so each list and change form has content."""
    import io

    call_command("load_catalog", stdout=io.StringIO())
    relationship = SupervisionRelationship.objects.get(supervisee=supervisee)
    audit.record(actor=supervisor, action=AuditAction.VIEW, obj=relationship, owner=supervisee)
    now = timezone.now()
    common = {"user_agent": "synthetic", "ip_address": "198.51.100.7", "path_info": "/"}
    AccessAttempt.objects.create(
        username="someone@example.org",
        attempt_time=now,
        get_data="",
        post_data="",
        failures_since_start=1,
        http_accept="text/html",
        **common,
    )
    AccessFailureLog.objects.create(
        username="someone@example.org", attempt_time=now, http_accept="text/html", **common
    )
    AccessLog.objects.create(
        username=supervisee.email, attempt_time=now, http_accept="text/html", **common
    )
    TOTPDevice.objects.create(user=supervisor, name="Phone", confirmed=True)
    StaticDevice.objects.create(user=supervisor, name="Recovery codes", confirmed=True)
    return AdminFactory(display_name="Ada Admin", email="ada@example.org")


def test_admin_home_lists_and_change_forms_pass_axe(
    open_as, axe_check, live_server, admin_world, password, _visits
):
    page = open_as(admin_world, password)
    problems = []

    def scan() -> None:
        """Every page's findings at once, rather than the first page's alone."""
        # axe-core itself adds a <style> element on some pages, which the app's CSP refuses;
        # what is logged while it runs is axe's, not the page's.
        before = len(_visits.csp_violations)
        try:
            axe_check(page)
        except pytest.fail.Exception as failed:
            problems.append(str(failed))
        del _visits.csp_violations[before:]

    page.goto(f"{live_server.url}{reverse('admin:index')}")
    for plain in ("People and supervision", "Log-in attempts", "Two-factor devices"):
        expect(page.get_by_role("link", name=plain, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="People", exact=True)).to_be_visible()
    # Django's permission groups are not used, so not shown.
    expect(page.get_by_role("link", name="Groups", exact=True)).to_have_count(0)
    expect(page.get_by_text("AXES", exact=True)).to_have_count(0)
    scan()
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        page.goto(f"{live_server.url}{reverse(f'{prefix}_changelist')}")
        expect(page.locator("#content-main")).to_be_visible()
        scan()
        first = model._default_manager.order_by("pk").first()
        if first is None:
            continue
        # Audit rows have no change page: the refusal is a page, and is scanned too.
        page.goto(f"{live_server.url}{reverse(f'{prefix}_change', args=[first.pk])}")
        scan()
    assert not problems, "\n".join(problems)
