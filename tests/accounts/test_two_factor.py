"""Two-factor authentication: set-up, the log-in code step, recovery codes, enforcement, admin."""

import re

import pytest
from django.contrib.admin import site as admin_site
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from tests.factories import AdminFactory, SupervisorFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "two_factor",
    "two_factor_setup",
    "two_factor_recovery_codes",
    "two_factor_disable",
]


def code_for(device: TOTPDevice) -> str:
    """The code the app shows now (django-otp's own TOTP helper)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def add_authenticator(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device, two_factor.recovery_codes_regenerate(user=user)


def password_step(client, user, password, **extra):
    return client.post(
        reverse("login") + extra.pop("query", ""),
        {"username": user.email, "password": password},
        **extra,
    )


def code_step(client, code, **extra):
    return client.post(reverse("two_factor_verify"), {"code": code}, **extra)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def wait_out_throttling(user):
    """django-otp slows a device down for a moment after a wrong code; tests do not sleep."""
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user):
            device.throttle_reset()


@pytest.fixture
def protected(supervisee):
    device, codes = add_authenticator(supervisee)
    return supervisee, device, codes


# --- log-in with a code -----------------------------------------------------------------------


def test_people_without_an_authenticator_log_in_with_the_password(client, supervisee, password):
    response = password_step(client, supervisee, password)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert is_logged_in(client)


def test_the_password_alone_is_not_enough_with_an_authenticator(client, protected, password):
    person, device, _ = protected
    response = password_step(client, person, password)
    assert response.status_code == 302
    assert response.url == reverse("two_factor_verify")
    assert not is_logged_in(client)
    # Nothing else opens until the code is given.
    assert client.get(reverse("cases:log_list")).url.startswith(reverse("login"))
    page = client.get(reverse("two_factor_verify"))
    assert page.status_code == 200
    assert "Enter your code" in page.content.decode()


def test_log_in_with_a_code_from_the_app(client, protected, password):
    person, device, _ = protected
    password_step(client, person, password, query="?next=/notifications/")
    response = code_step(client, code_for(device))
    assert response.status_code == 302
    assert response.url == "/notifications/"
    assert is_logged_in(client)
    page = client.get(reverse("notifications"))
    assert page.status_code == 200
    assert page.wsgi_request.user.is_verified()


def test_right_code_straight_after_a_wrong_one_waits_for_the_throttle(client, protected, password):
    person, device, _ = protected
    password_step(client, person, password)
    code_step(client, "000000" if code_for(device) != "000000" else "111111")
    response = code_step(client, code_for(device))
    assert response.status_code == 200
    assert "wait a few seconds" in response.content.decode()
    wait_out_throttling(person)
    assert code_step(client, code_for(device)).status_code == 302


def test_a_wrong_code_is_refused(client, protected, password):
    person, device, _ = protected
    password_step(client, person, password)
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"
    response = code_step(client, wrong)
    assert response.status_code == 200
    assert "That code did not work" in response.content.decode()
    assert not is_logged_in(client)


def test_a_replayed_code_is_refused(client, protected, password):
    person, device, _ = protected
    code = code_for(device)
    password_step(client, person, password)
    assert code_step(client, code).status_code == 302
    client.post(reverse("logout"))

    # Someone who saw the code (over a shoulder, in a proxy log) tries it again at once.
    other = Client()
    password_step(other, person, password)
    response = code_step(other, code)
    assert response.status_code == 200
    assert not is_logged_in(other)
    device.refresh_from_db()
    assert device.last_t > 0


def test_a_recovery_code_works_once(client, protected, password):
    person, _, codes = protected
    password_step(client, person, password)
    response = code_step(client, codes[0].upper(), follow=True)
    assert is_logged_in(client)
    assert "You used a recovery code; 9 left" in response.content.decode()
    client.post(reverse("logout"))

    password_step(client, person, password)
    assert code_step(client, codes[0]).status_code == 200
    assert not is_logged_in(client)
    wait_out_throttling(person)
    assert code_step(client, codes[1]).status_code == 302
    assert StaticToken.objects.filter(device__user=person).count() == 8


def test_wrong_codes_count_towards_the_lock_out(client, protected, password):
    person, device, _ = protected
    password_step(client, person, password)
    for guess in ("000000", "111111", "222222", "333333"):
        code_step(client, guess)
    locked = code_step(client, "444444")
    assert locked.status_code == 429
    # Even the password and the right code are refused now, from this address.
    assert password_step(client, person, password).status_code == 429
    assert not is_logged_in(client)


def test_the_code_step_needs_the_password_step_first(client, protected):
    _, device, _ = protected
    response = code_step(client, code_for(device))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert not is_logged_in(client)


def test_the_code_step_expires(client, protected, password):
    person, device, _ = protected
    password_step(client, person, password)
    session = client.session
    session["_two_factor_pending"]["at"] -= 600
    session.save()
    response = code_step(client, code_for(device))
    assert response.url == reverse("login")
    assert not is_logged_in(client)


# --- set-up, recovery codes, turning off -----------------------------------------------------


def test_set_up_shows_the_secret_as_text_and_as_an_svg_qr_code(login, supervisee, prove_email):
    client = login(supervisee)
    prove_email(client)
    response = client.get(reverse("two_factor_setup"))
    assert response.status_code == 200
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=supervisee, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/Good%20Enough%3Asam%40example.org?")
    assert device.config_url.replace("&", "&amp;") in html
    assert two_factor.secret_text(device) in html
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "aria-label=" in svg and "<path" in svg
    # Nothing the Content-Security-Policy would refuse.
    assert "style=" not in html
    assert "<script>" not in html
    # Looking again keeps the same secret (the app may already have it).
    client.get(reverse("two_factor_setup"))
    assert TOTPDevice.objects.filter(user=supervisee).count() == 1


def test_set_up_refuses_a_wrong_code(login, supervisee, prove_email):
    client = login(supervisee)
    prove_email(client)
    client.get(reverse("two_factor_setup"))
    response = client.post(reverse("two_factor_setup"), {"code": "12345"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not two_factor.has_authenticator(supervisee)


def test_set_up_confirms_with_a_code_and_shows_ten_recovery_codes_once(
    login, supervisee, prove_email
):
    client = login(supervisee)
    prove_email(client)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=supervisee)
    response = client.post(reverse("two_factor_setup"), {"code": code_for(device)})
    assert response.status_code == 302
    assert response.url == reverse("two_factor_recovery_codes")
    device.refresh_from_db()
    assert device.confirmed

    first = client.get(reverse("two_factor_recovery_codes"))
    codes = first.context["codes"]
    assert len(codes) == 10
    assert all(code in first.content.decode() for code in codes)
    assert "no-store" in first["Cache-Control"]
    again = client.get(reverse("two_factor_recovery_codes"))
    assert again.context["codes"] is None
    assert not any(code in again.content.decode() for code in codes)
    assert again.context["codes_left"] == 10
    # The session that set it up counts as verified.
    assert again.wsgi_request.user.is_verified()


def test_new_recovery_codes_replace_the_old_ones(client, protected, password):
    person, device, old_codes = protected
    password_step(client, person, password)
    code_step(client, code_for(device))
    client.post(reverse("two_factor_recovery_codes"))
    new_codes = client.get(reverse("two_factor_recovery_codes")).context["codes"]
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert two_factor.verify_code(user=person, code=old_codes[0]) is None
    wait_out_throttling(person)
    assert two_factor.verify_code(user=person, code=new_codes[0]) is not None


def test_turning_off_needs_a_code(client, protected, password):
    person, device, codes = protected
    password_step(client, person, password)
    code_step(client, codes[0])
    response = client.post(reverse("two_factor_disable"), {"code": "not-a-code"})
    assert response.status_code == 200
    assert two_factor.has_authenticator(person)
    wait_out_throttling(person)
    response = client.post(reverse("two_factor_disable"), {"code": codes[1]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()


def test_changing_two_factor_needs_a_verified_session(login, protected):
    person, device, _ = protected
    client = login(person)  # a session that never gave a code
    for name in ("two_factor_recovery_codes", "two_factor_disable"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("two_factor_verify"))
    response = client.post(reverse("two_factor_recovery_codes"))
    assert response.url.startswith(reverse("two_factor_verify"))
    assert StaticToken.objects.filter(device__user=person).count() == 10
    # A code verifies this session, and then the page opens.
    verify = client.post(
        reverse("two_factor_verify") + "?next=" + reverse("two_factor_disable"),
        {"code": code_for(device)},
    )
    assert verify.url == reverse("two_factor_disable")
    assert client.get(reverse("two_factor_disable")).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_two_factor_pages_send_anonymous_visitors_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("factory", [UserFactory, SupervisorFactory, AdminFactory])
def test_everyone_signed_in_may_set_up_their_own(login, factory, prove_email):
    person = factory()
    client = login(person)
    assert client.get(reverse("two_factor")).status_code == 200
    assert client.get(reverse("two_factor_setup")).status_code == 200
    prove_email(client)
    assert client.get(reverse("two_factor_setup")).status_code == 200
    assert TOTPDevice.objects.get().user == person


def test_pages_act_on_the_signed_in_person_only(login, protected, outsider):
    person, _, _ = protected
    client = login(outsider)
    client.post(reverse("two_factor_recovery_codes"))
    client.post(reverse("two_factor_disable"), {"code": "whatever"})
    assert StaticToken.objects.filter(device__user=person).count() == 10
    assert two_factor.has_authenticator(person)
    assert not two_factor.has_authenticator(outsider)


# --- enforcement ------------------------------------------------------------------------------


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED_FOR_STAFF_ROLES = True
    return settings


def test_off_by_default(login, supervisor, settings):
    assert settings.OTP_REQUIRED_FOR_STAFF_ROLES is False
    assert login(supervisor).get(reverse("cases:review_queue")).status_code == 200


@pytest.mark.parametrize(
    ("factory", "url"),
    [(SupervisorFactory, "/review/"), (AdminFactory, "/admin/")],
)
def test_required_sends_supervisors_and_admins_to_set_up_first(login, required, factory, url):
    client = login(factory())
    for path in (url, reverse("home"), reverse("notifications"), reverse("two_factor")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url == reverse("two_factor_setup")
    assert client.get(reverse("two_factor_setup")).status_code == 200


def test_required_does_not_apply_to_supervisees(login, required, supervisee):
    client = login(supervisee)
    assert client.get(reverse("cases:log_list")).status_code == 200


def test_required_asks_a_code_of_a_session_not_yet_verified(login, required, supervisor):
    device, _ = add_authenticator(supervisor)
    client = login(supervisor)
    response = client.get(reverse("cases:review_queue"))
    assert response.url == reverse("two_factor_verify")
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert client.get(reverse("cases:review_queue")).status_code == 200


def test_required_set_up_then_carry_on(login, required, supervisor, prove_email):
    client = login(supervisor)
    prove_email(client)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=supervisor)
    client.post(reverse("two_factor_setup"), {"code": code_for(device)})
    assert client.get(reverse("cases:review_queue")).status_code == 200


def test_required_still_lets_them_log_out_and_stay_signed_in(login, required, supervisor):
    client = login(supervisor)
    assert client.post(reverse("keep_alive")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert not is_logged_in(client)


# --- the admin site -----------------------------------------------------------------------------


def test_admin_is_open_to_staff_with_a_password_when_not_required(login, admin_user):
    assert login(admin_user).get("/admin/").status_code == 200


def test_admin_wants_a_verified_session_when_required(login, required, admin_user):
    device, _ = add_authenticator(admin_user)
    client = login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == reverse("two_factor_verify")
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_admin_site_itself_checks_verification(rf, required, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    admin_user.is_verified = lambda: False
    assert admin_site.has_permission(request) is False
    admin_user.is_verified = lambda: True
    assert admin_site.has_permission(request) is True
    request.user = AnonymousUser()
    assert admin_site.has_permission(request) is False


def test_admin_log_in_goes_through_the_app_log_in(client):
    response = client.get("/admin/login/?next=/admin/supervision/user/")
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=/admin/supervision/user/"
    # Posting a password to the admin's own form does not log anyone in.
    admin = AdminFactory()
    client.post("/admin/login/", {"username": admin.email, "password": "correct-horse-battery"})
    assert not is_logged_in(client)


def test_signed_in_people_without_admin_rights_get_403_not_a_loop(login, supervisee):
    client = login(supervisee)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_admins_can_remove_devices_but_never_read_secrets(
    login, protected, admin_user, prove_email
):
    person, device, codes = protected
    client = login(admin_user)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403
    static = StaticDevice.objects.get(user=person)
    page = client.get(f"/admin/otp_static/staticdevice/{static.pk}/change/")
    assert page.status_code == 200
    assert not any(code in page.content.decode() for code in codes)
    # A lost phone: the admin deletes the authenticator; the password alone works again, and
    # setting up a new app replaces the old recovery codes.
    client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not two_factor.has_authenticator(person)
    own = Client()
    response = password_step(own, person, "correct-horse-battery")
    assert response.url == reverse("home")
    prove_email(own)
    own.get(reverse("two_factor_setup"))
    new_device = TOTPDevice.objects.get(user=person)
    own.post(reverse("two_factor_setup"), {"code": code_for(new_device)})
    assert two_factor.has_authenticator(person)
    assert two_factor.verify_code(user=person, code=codes[2]) is None
