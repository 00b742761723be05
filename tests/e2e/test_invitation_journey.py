"""An administrator invites a supervisor, and a supervisor her own supervisee; she follows the e-mailed link, chooses her password,
sets up two-factor (required here) and lands logged in. At desktop and phone width, every page
scanned with axe. The e-mail is read from the test outbox (the live server runs in this
process, with the locmem e-mail backend)."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts import two_factor
from supervision.models import SupervisionRelationship, User
from tests.e2e.helpers import log_in, nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "quiet-harbour-lantern-7"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_an_admin_invites_and_she_joins_with_two_factor(
    new_page, axe_check, live_server, mailoutbox, settings, admin_user, outsider, password
):
    settings.OTP_REQUIRED_FOR_STAFF_ROLES = True
    admin_device = TOTPDevice.objects.create(
        user=admin_user, name="Authenticator app", confirmed=True
    )

    # --- the administrator: log in with a code, straight to the invitation page
    page = new_page("/accounts/login/?next=/admin/accounts/invitation/add/", who=admin_user.email)
    axe_check(page)
    log_in(page, admin_user.email, password, succeed=False)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    axe_check(page)
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(
        code_for(admin_device)
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Invite a person")).to_be_visible()
    axe_check(page)
    expect(page.locator('input[type="password"]')).to_have_count(0)
    page.get_by_label("Name").fill("Dr Ivy Invited")
    page.get_by_label("E-mail address").fill("ivy@example.org")
    page.get_by_label("Role").select_option(label="Supervisor")
    page.get_by_role("group", name="Her supervisees").get_by_label(outsider.display_name).check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation e-mailed to ivy@example.org")).to_be_visible()
    axe_check(page)

    # --- the e-mail: a link, no password
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ivy@example.org"]
    link = re.search(r"https?://\S+(/accounts/invitation/\S+/)", message.body)
    assert link, message.body
    ivy = User.objects.get(email="ivy@example.org")
    assert not ivy.has_usable_password()
    assert SupervisionRelationship.objects.filter(supervisor=ivy, supervisee=outsider).exists()

    # --- Ivy, in her own browser: the link, her password, her authenticator
    hers = new_page(link.group(1), who="ivy@example.org")
    expect(hers.get_by_role("heading", name="Welcome, Dr Ivy Invited")).to_be_visible()
    expect(hers.get_by_role("img", name="QR code to add Good Enough")).to_be_visible()
    axe_check(hers)
    hers.get_by_label("Choose a password").fill(NEW_PASSWORD)
    hers.get_by_label("The same password again").fill(NEW_PASSWORD)
    device = TOTPDevice.objects.get(user=ivy, confirmed=False)
    hers.get_by_label("Code from your authenticator app").fill(code_for(device))
    hers.get_by_role("button", name="Set password and turn on two-factor").click()
    expect(hers.get_by_role("heading", name="Recovery codes")).to_be_visible()
    expect(
        hers.get_by_role("list", name="Your recovery codes").get_by_role("listitem")
    ).to_have_count(10)
    axe_check(hers)
    hers.get_by_role("link", name="I have kept them safe").click()
    expect(hers.get_by_role("heading", name="Review queue")).to_be_visible()
    axe_check(hers)
    ivy.refresh_from_db()
    assert ivy.check_password(NEW_PASSWORD)
    assert two_factor.has_authenticator(ivy)

    # --- the link is used up
    again = new_page(link.group(1), who="anonymous")
    expect(again.get_by_role("heading", name="This link does not work")).to_be_visible()
    axe_check(again)


def test_a_supervisor_invites_her_own_supervisee(
    new_page, open_as, axe_check, live_server, mailoutbox, settings, supervisor, password
):
    settings.SUPERVISORS_MAY_INVITE = True
    page = open_as(supervisor, password)
    axe_check(page)
    nav(page, "Invite")
    expect(page.get_by_role("heading", name="Invite a supervisee")).to_be_visible()
    axe_check(page)
    page.get_by_label("Name").fill("Nia New")
    page.get_by_label("E-mail address").fill("nia@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation e-mailed to nia@example.org")).to_be_visible()
    expect(page.get_by_role("cell", name="Nia New", exact=True)).to_be_visible()
    axe_check(page)
    first = re.search(r"https?://\S+(/accounts/invitation/\S+/)", mailoutbox[-1].body).group(1)
    page.get_by_role("button", name="Send a new link to Nia New").click()
    expect(page.get_by_text("the old one no longer works")).to_be_visible()
    axe_check(page)
    second = re.search(r"https?://\S+(/accounts/invitation/\S+/)", mailoutbox[-1].body).group(1)
    assert first != second

    # Nia's own browser: the newest link works, and she lands on her logs.
    hers = new_page(second, who="nia@example.org")
    expect(hers.get_by_role("heading", name="Welcome, Nia New")).to_be_visible()
    axe_check(hers)
    hers.get_by_label("Choose a password").fill(NEW_PASSWORD)
    hers.get_by_label("The same password again").fill(NEW_PASSWORD)
    hers.get_by_role("button", name="Set password and log in").click()
    expect(hers.get_by_role("heading", name="My session logs")).to_be_visible()
    axe_check(hers)
    nia = User.objects.get(email="nia@example.org")
    assert SupervisionRelationship.objects.filter(supervisor=supervisor, supervisee=nia).exists()
