"""A first authenticator needs more than the password: a code e-mailed to the account.

The reproduction from the issue: where two-factor is required, someone who holds a
supervisor's password before she enrolled must not be able to enrol their own app.
"""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import EmailCode
from accounts.views import EMAIL_PROOF_SECONDS, EMAIL_PROVEN
from supervision.models import AuditAction, AuditEvent
from tests.factories import PASSWORD, SupervisorFactory

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED_FOR_STAFF_ROLES = True
    return settings


@pytest.fixture
def thief(supervisor):
    """A browser of someone who has the supervisor's password, and nothing else."""
    client = Client()
    response = client.post(reverse("login"), {"username": supervisor.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_the_password_alone_does_not_enrol_an_authenticator(required, supervisor, thief):
    # Sent to the set-up page, as before, but it shows no QR code and makes no device.
    assert thief.get(reverse("cases:review_queue")).url == reverse("two_factor_setup")
    page = thief.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "First, a code from your e-mail" in html
    assert "<svg" not in html and "otpauth://" not in html
    assert not TOTPDevice.objects.filter(user=supervisor).exists()
    # Guessing at the set-up page enrols nothing either.
    for guess in ("123456", "000000"):
        thief.post(reverse("two_factor_setup"), {"code": guess})
    assert not TOTPDevice.objects.filter(user=supervisor).exists()
    assert not two_factor.has_authenticator(supervisor)
    assert thief.get(reverse("cases:review_queue")).url == reverse("two_factor_setup")


def test_the_code_from_the_e_mail_opens_the_set_up(login, required, supervisor, prove_email):
    client = login(supervisor)
    prove_email(client)
    page = client.get(reverse("two_factor_setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=supervisor, confirmed=False)
    response = client.post(reverse("two_factor_setup"), {"code": code_for(device)})
    assert response.url == reverse("two_factor_recovery_codes")
    assert two_factor.has_authenticator(supervisor)
    # The proof is spent with the set-up.
    assert EMAIL_PROVEN not in client.session


def test_the_e_mail_holds_the_code_and_nothing_else(login, supervisor, email_code, mailoutbox):
    code = email_code(login(supervisor))
    message = mailoutbox[-1]
    assert message.to == [supervisor.email]
    assert "two-factor" in message.subject
    assert code in message.body
    assert PASSWORD not in message.body
    # Only a keyed hash is stored.
    stored = EmailCode.objects.get(user=supervisor)
    assert code not in stored.code_hash and len(stored.code_hash) == 64


def test_a_code_works_once(login, supervisor, email_code):
    client = login(supervisor)
    code = email_code(client)
    assert client.post(reverse("two_factor_setup"), {"code": code}).status_code == 302
    session = client.session
    del session[EMAIL_PROVEN]
    session.save()
    again = client.post(reverse("two_factor_setup"), {"code": code})
    assert again.status_code == 200
    assert "expired or was used up" in again.content.decode()


def test_a_wrong_code_is_refused_and_the_guesses_are_limited(
    login, supervisor, email_code, settings
):
    client = login(supervisor)
    code = email_code(client)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for _ in range(settings.TWO_FACTOR_EMAIL_CODE_ATTEMPTS):
        response = client.post(reverse("two_factor_setup"), {"code": wrong})
        assert response.status_code == 200
        assert EMAIL_PROVEN not in client.session
    # Out of guesses: even the right code no longer works; a new one must be sent.
    response = client.post(reverse("two_factor_setup"), {"code": code})
    assert "expired or was used up" in response.content.decode()
    assert EMAIL_PROVEN not in client.session


def test_a_code_expires(login, supervisor, email_code):
    client = login(supervisor)
    code = email_code(client)
    EmailCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(reverse("two_factor_setup"), {"code": code})
    assert "expired or was used up" in response.content.decode()
    assert EMAIL_PROVEN not in client.session


def test_a_new_code_replaces_the_old_one(login, supervisor, email_code):
    client = login(supervisor)
    old = email_code(client)
    new = email_code(client)
    if old != new:
        refused = client.post(reverse("two_factor_setup"), {"code": old})
        assert "did not match" in refused.content.decode()
        assert EMAIL_PROVEN not in client.session
    assert client.post(reverse("two_factor_setup"), {"code": new}).status_code == 302


def test_codes_sent_are_limited_per_hour(login, supervisor, email_code, settings, mailoutbox):
    client = login(supervisor)
    for _ in range(settings.TWO_FACTOR_EMAIL_CODES_PER_HOUR):
        email_code(client)
    sent = len(mailoutbox)
    response = client.post(reverse("two_factor_email_code"), follow=True)
    assert "Several codes were sent in the last hour" in response.content.decode()
    assert len(mailoutbox) == sent


def test_one_persons_code_does_not_open_anothers_set_up(login, supervisor, email_code):
    other = SupervisorFactory()
    code = email_code(login(supervisor))
    client = login(other)
    response = client.post(reverse("two_factor_setup"), {"code": code})
    assert response.status_code == 200
    assert EMAIL_PROVEN not in client.session


def test_the_proof_lasts_a_while_only(login, supervisor, prove_email):
    client = login(supervisor)
    prove_email(client)
    session = client.session
    session[EMAIL_PROVEN]["at"] -= EMAIL_PROOF_SECONDS + 1
    session.save()
    assert (
        "First, a code from your e-mail" in client.get(reverse("two_factor_setup")).content.decode()
    )


def test_no_code_is_sent_once_an_authenticator_is_on(login, supervisor, mailoutbox):
    TOTPDevice.objects.create(user=supervisor, name="Authenticator app", confirmed=True)
    response = login(supervisor).post(reverse("two_factor_email_code"))
    assert response.url == reverse("two_factor")
    assert not EmailCode.objects.exists()


def test_an_admin_reset_removes_the_devices_ends_sessions_and_tells_her(
    supervisor, admin_user, django_capture_on_commit_callbacks, mailoutbox
):
    device = TOTPDevice.objects.create(user=supervisor, name="Authenticator app", confirmed=True)
    two_factor.recovery_codes_regenerate(user=supervisor)
    hers = Client()
    hers.force_login(supervisor)
    admin = Client()
    admin.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.filter(user=supervisor).exists()
    assert not StaticDevice.objects.filter(user=supervisor).exists()
    # Her open sessions end.
    assert hers.get(reverse("notifications")).url.startswith(reverse("login"))
    # She is told; the e-mail names no code and no secret.
    message = mailoutbox[-1]
    assert message.to == [supervisor.email]
    assert "reset" in message.subject
    assert not re.search(r"\d{6}", message.body)
    assert AuditEvent.objects.filter(
        actor=admin_user, action=AuditAction.DELETE, object_type="otp_totp.totpdevice"
    ).exists()
    # Whoever logs in next with her password meets the e-mail step, not a QR code.
    thief = Client()
    thief.post(reverse("login"), {"username": supervisor.email, "password": PASSWORD})
    page = thief.get(reverse("two_factor_setup"))
    assert "First, a code from your e-mail" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=supervisor).exists()
    assert len(mail.outbox) == 1
