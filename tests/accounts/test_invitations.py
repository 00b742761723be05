"""Invitations: the administrator creates a person on one page and never sees a password;
the person chooses it with a one-time link (and sets up two-factor where required)."""

import datetime
import re

import pytest
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services, two_factor
from accounts.models import Invitation, InvitationStatus
from supervision.models import AuditAction, AuditEvent, Role, SupervisionRelationship, User
from tests.factories import AdminFactory, SupervisorFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quiet-harbour-lantern-7"
INVITE_URL = "/admin/accounts/invitation/add/"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def link_in(message) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/invitation/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture
def invite(admin_user, django_capture_on_commit_callbacks, mailoutbox):
    """Invite a person through the service; returns (invitation, the path of her link)."""

    def _invite(**kwargs):
        fields = {"email": "nia@example.org", "display_name": "Nia New", "role": Role.SUPERVISEE}
        fields.update(kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invitation_create(by=admin_user, **fields)
        return invitation, link_in(mailoutbox[-1])

    return _invite


def accept(client, path, password=NEW_PASSWORD, **extra):
    return client.post(path, {"password1": password, "password2": password, **extra})


# --- the administrator's one page ----------------------------------------------------------


def test_the_admin_invites_on_one_page_and_never_sees_a_password(
    login, admin_user, supervisor, supervisee, django_capture_on_commit_callbacks, mailoutbox
):
    client = login(admin_user)
    # "Add person" leads to the invitation: no page of the admin takes a password.
    assert client.get("/admin/supervision/user/add/").url == INVITE_URL
    page = client.get(INVITE_URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="password"' not in html
    assert "Her supervisors" in html and supervisor.display_name in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            INVITE_URL,
            {
                "display_name": "Nia New",
                "email": "Nia@Example.org",
                "role": Role.SUPERVISEE,
                "supervisors": [supervisor.pk],
                "starts_on": timezone.localdate().isoformat(),
            },
        )
    assert response.status_code == 302
    nia = User.objects.get(email="nia@example.org")
    assert nia.role == Role.SUPERVISEE and not nia.is_staff
    assert not nia.has_usable_password()
    assert SupervisionRelationship.objects.filter(supervisor=supervisor, supervisee=nia).exists()
    invitation = Invitation.objects.get(user=nia)
    assert invitation.invited_by == admin_user
    assert invitation.status == InvitationStatus.PENDING
    # The admin's pages about her show no password, hash or token.
    for url in (response.url, f"/admin/supervision/user/{nia.pk}/change/"):
        shown = client.get(url).content.decode()
        assert invitation.token_hash not in shown
        assert nia.password not in shown
        assert 'type="password"' not in shown
    assert client.get(f"/admin/supervision/user/{nia.pk}/password/").status_code == 403
    # Audit rows name the admin: the person, her relationship, the invitation.
    types = set(
        AuditEvent.objects.filter(actor=admin_user, action=AuditAction.CREATE).values_list(
            "object_type", flat=True
        )
    )
    assert {
        "supervision.user",
        "supervision.supervisionrelationship",
        "accounts.invitation",
    } <= types
    # The e-mail: her link, no password, nothing from anyone's notes.
    (message,) = mailoutbox
    assert message.to == ["nia@example.org"]
    assert "/accounts/invitation/" in message.body
    assert "Ada Admin" in message.body
    assert "password" in message.body.lower()  # "choose your password": the word, never one
    assert not re.search(r"(?i)password\s*[:=]", message.body)


def test_a_supervisor_is_invited_with_her_supervisees(login, admin_user, outsider):
    client = login(admin_user)
    response = client.post(
        INVITE_URL,
        {
            "display_name": "Dr Ivy Invited",
            "email": "ivy@example.org",
            "role": Role.SUPERVISOR,
            "supervisees": [outsider.pk],
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    ivy = User.objects.get(email="ivy@example.org")
    assert SupervisionRelationship.objects.filter(supervisor=ivy, supervisee=outsider).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "sam@example.org"}, "email"),
        ({"email": "SAM@example.org"}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"role": Role.SUPERVISOR, "supervisors": "sup"}, "supervisors"),
        ({"role": Role.SUPERVISEE, "supervisees": "sam"}, "supervisees"),
        ({"display_name": ""}, "display_name"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(
    login, admin_user, supervisor, supervisee, data, field, mailoutbox
):
    ids = {"sup": supervisor.pk, "sam": supervisee.pk}
    post = {
        "display_name": "Nia New",
        "email": "nia@example.org",
        "role": Role.SUPERVISEE,
        "starts_on": timezone.localdate().isoformat(),
        **{k: ids.get(v, v) for k, v in data.items()},
    }
    users, relationships = User.objects.count(), SupervisionRelationship.objects.count()
    response = login(admin_user).post(INVITE_URL, post)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert User.objects.count() == users
    assert SupervisionRelationship.objects.count() == relationships
    assert not Invitation.objects.exists() and not mailoutbox


def test_staff_without_the_permission_cannot_invite(client):
    staff = UserFactory(role=Role.ADMIN, is_staff=True)
    client.force_login(staff)
    assert client.get(INVITE_URL).status_code == 403


# --- accepting ---------------------------------------------------------------------------------


def test_the_link_sets_her_password_and_logs_her_in(client, invite):
    invitation, path = invite()
    page = client.get(path)
    assert page.status_code == 200
    assert "Welcome, Nia New" in page.content.decode()
    response = accept(client, path)
    assert response.status_code == 302
    assert response.url == reverse("home")
    nia = User.objects.get(pk=invitation.user_id)
    assert nia.check_password(NEW_PASSWORD)
    assert get_user(client).pk == nia.pk
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert AuditEvent.objects.filter(
        actor=nia, action=AuditAction.UPDATE, object_type="accounts.invitation"
    ).exists()
    # She can log in with it later.
    other = Client()
    login = other.post(reverse("login"), {"username": nia.email, "password": NEW_PASSWORD})
    assert login.url == reverse("home")


def test_the_token_is_stored_only_as_a_hash(invite):
    invitation, path = invite()
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 40
    assert not Invitation.objects.filter(token_hash__contains=token).exists()
    assert invitation.token_hash != token


def test_the_link_works_once(client, invite):
    invitation, path = invite()
    accept(client, path)
    fresh = Client()
    assert fresh.get(path).status_code == 410
    response = accept(fresh, path, password="another-long-password-9")
    assert response.status_code == 410
    nia = User.objects.get(pk=invitation.user_id)
    assert nia.check_password(NEW_PASSWORD)


def test_the_link_expires(client, invite, settings):
    invitation, path = invite()
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(
        days=settings.INVITATION_DAYS
    )
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(path).status_code == 410
    assert accept(client, path).status_code == 410
    assert not User.objects.get(pk=invitation.user_id).has_usable_password()
    assert "_auth_user_id" not in client.session


def test_a_new_link_kills_the_old_one(
    client, invite, admin_user, django_capture_on_commit_callbacks, mailoutbox
):
    invitation, old = invite()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation, by=admin_user)
    new = link_in(mailoutbox[-1])
    assert new != old
    assert accept(client, old).status_code == 410
    assert accept(client, new).status_code == 302


def test_a_revoked_link_dies(client, invite, admin_user):
    invitation, path = invite()
    services.invitation_revoke(invitation=invitation, by=admin_user)
    assert client.get(path).status_code == 410
    assert accept(client, path).status_code == 410
    assert not User.objects.get(pk=invitation.user_id).has_usable_password()
    assert AuditEvent.objects.filter(
        actor=admin_user, action=AuditAction.DELETE, object_type="accounts.invitation"
    ).exists()


def test_an_accepted_invitation_is_neither_resent_nor_revoked(client, invite, admin_user):
    invitation, path = invite()
    accept(client, path)
    for action in (services.invitation_resend, services.invitation_revoke):
        with pytest.raises(services.InvitationError):
            action(invitation=invitation, by=admin_user)


def test_an_unknown_link_gets_the_same_answer(client):
    response = client.get(reverse("invitation_accept", args=["made-up-token"]))
    assert response.status_code == 410
    assert "This link does not work" in response.content.decode()


def test_someone_signed_in_cannot_use_her_link(login, invite, supervisee):
    invitation, path = invite()
    client = login(supervisee)
    assert client.get(path).status_code == 403
    response = accept(client, path)
    assert response.status_code == 403
    assert get_user(client).pk == supervisee.pk
    assert not User.objects.get(pk=invitation.user_id).has_usable_password()
    supervisee.refresh_from_db()
    assert not supervisee.check_password(NEW_PASSWORD)


def test_the_password_rules_apply(client, invite):
    invitation, path = invite()
    for password in ("short", "12345678901234", "password1234", "nia@example.org"):
        response = accept(client, path, password=password)
        assert response.status_code == 200, password
        assert response.context["form"].errors
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert "The two passwords differ" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert not invitation.user.has_usable_password()


def test_invited_people_cannot_use_password_reset_instead(client, invite, mailoutbox):
    invite()
    sent = len(mailoutbox)
    client.post(reverse("password_reset"), {"email": "nia@example.org"})
    assert len(mailoutbox) == sent


# --- two-factor in the same flow ---------------------------------------------------------------


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED_FOR_STAFF_ROLES = True
    return settings


def test_where_required_the_link_also_enrols_two_factor(client, required, invite):
    invitation, path = invite(email="ivy@example.org", display_name="Dr Ivy", role=Role.SUPERVISOR)
    page = client.get(path)
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=invitation.user, confirmed=False)
    # A password alone does not use the invitation up.
    response = accept(client, path)
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"
    response = accept(client, path, code=wrong)
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert not invitation.user.has_usable_password()
    assert not two_factor.has_authenticator(invitation.user)

    device.throttle_reset()
    response = accept(client, path, code=code_for(device))
    assert response.status_code == 302
    assert response.url == reverse("two_factor_recovery_codes")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert two_factor.has_authenticator(invitation.user)
    codes = client.get(response.url)
    assert len(codes.context["codes"]) == 10
    # Logged in and verified: the pages that need two-factor open.
    assert codes.wsgi_request.user.is_verified()
    assert client.get(reverse("cases:review_queue")).status_code == 200


def test_not_required_no_two_factor_step(client, settings, invite):
    assert settings.OTP_REQUIRED_FOR_STAFF_ROLES is False
    invitation, path = invite(role=Role.SUPERVISOR)
    assert "<svg" not in client.get(path).content.decode()
    assert accept(client, path).url == reverse("home")
    assert not TOTPDevice.objects.filter(user=invitation.user).exists()


# --- re-send and revoke in the admin ---------------------------------------------------------


def test_the_admin_resends_and_revokes(
    login, admin_user, invite, django_capture_on_commit_callbacks, mailoutbox
):
    invitation, old = invite()
    client = login(admin_user)
    page = client.get(f"/admin/accounts/invitation/{invitation.pk}/change/")
    html = page.content.decode()
    assert "Send a new link" in html and "Revoke" in html and "Waiting" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/accounts/invitation/{invitation.pk}/resend/")
    assert response.status_code == 302
    new = link_in(mailoutbox[-1])
    assert Client().get(old).status_code == 410
    assert Client().get(new).status_code == 200
    client.post(f"/admin/accounts/invitation/{invitation.pk}/revoke/")
    assert Client().get(new).status_code == 410
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    # A GET changes nothing.
    assert client.get(f"/admin/accounts/invitation/{invitation.pk}/resend/").status_code == 302
    assert Client().get(new).status_code == 410


def test_staff_who_may_only_view_cannot_resend(invite, client):
    from django.contrib.auth.models import Permission

    invitation, path = invite()
    viewer = AdminFactory(is_superuser=False)
    viewer.user_permissions.add(Permission.objects.get(codename="view_invitation"))
    client.force_login(viewer)
    assert client.post(f"/admin/accounts/invitation/{invitation.pk}/resend/").status_code == 403
    assert client.post(f"/admin/accounts/invitation/{invitation.pk}/revoke/").status_code == 403
    assert Client().get(path).status_code == 200


def test_non_staff_cannot_reach_the_invitation_pages(login, supervisor, invite):
    invitation, _ = invite()
    client = login(supervisor)
    for url in (INVITE_URL, f"/admin/accounts/invitation/{invitation.pk}/revoke/"):
        response = client.post(url, {})
        assert response.status_code == 302 and "login" in response.url
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_seed_demo_people_keep_their_passwords():
    SupervisorFactory()  # factories, like seed_demo, set passwords directly
    assert not Invitation.objects.exists()


def test_erasing_an_invited_person_kills_her_link(client, invite, admin_user):
    from supervision.erasure import erasure_plan, person_erase

    invitation, path = invite()
    person = invitation.user
    assert "1 invitation" in erasure_plan(person).goes
    person_erase(person=person, by=admin_user)
    assert not Invitation.objects.exists()
    assert client.get(path).status_code == 410


def test_a_deactivated_person_cannot_use_her_link(client, invite):
    invitation, path = invite()
    User.objects.filter(pk=invitation.user_id).update(is_active=False)
    assert accept(client, path).status_code == 410
    assert not User.objects.get(pk=invitation.user_id).has_usable_password()


# --- a supervisor invites her own supervisee (SUPERVISORS_MAY_INVITE) -------------------------

SUPERVISOR_PAGE = "/accounts/invitations/"


@pytest.fixture
def may_invite(settings):
    settings.SUPERVISORS_MAY_INVITE = True
    return settings


def test_supervisors_may_not_invite_by_default(login, supervisor):
    response = login(supervisor).get(reverse("supervisor_invitations"))
    assert response.status_code == 403
    assert "Invite</a>" not in login(supervisor).get(reverse("cases:review_queue")).content.decode()


def test_a_supervisor_invites_her_own_supervisee(
    login, may_invite, supervisor, django_capture_on_commit_callbacks, mailoutbox
):
    client = login(supervisor)
    assert "Invite</a>" in client.get(reverse("cases:review_queue")).content.decode()
    page = client.get(reverse("supervisor_invitations"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="password"' not in html and 'name="role"' not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("supervisor_invitations"),
            {
                "display_name": "Nia New",
                "email": "nia@example.org",
                "starts_on": timezone.localdate().isoformat(),
                # Ignored: the role and the supervisor are fixed.
                "role": Role.ADMIN,
                "supervisors": [SupervisorFactory().pk],
            },
        )
    assert response.status_code == 302
    nia = User.objects.get(email="nia@example.org")
    assert nia.role == Role.SUPERVISEE and not nia.is_staff
    assert list(
        SupervisionRelationship.objects.filter(supervisee=nia).values_list("supervisor", flat=True)
    ) == [supervisor.pk]
    assert mailoutbox[-1].to == ["nia@example.org"]
    assert "Nia New" in client.get(reverse("supervisor_invitations")).content.decode()


@pytest.mark.parametrize("who", ["supervisee", "admin_user", "other_supervisor"])
def test_only_supervisors_invite_and_only_their_own_are_shown(
    login, may_invite, request, who, invite, supervisor
):
    invitation, path = invite()  # sent by the admin
    person = request.getfixturevalue(who)
    client = login(person)
    if who != "other_supervisor":
        assert client.get(reverse("supervisor_invitations")).status_code == 403
        return
    page = client.get(reverse("supervisor_invitations"))
    assert page.status_code == 200
    assert "Nia New" not in page.content.decode()
    for action in ("resend", "revoke"):
        response = client.post(
            reverse("supervisor_invitations"), {"action": action, "invitation": invitation.pk}
        )
        assert response.status_code == 404
    assert Client().get(path).status_code == 200


def test_a_supervisor_resends_and_revokes_her_invitation(
    login, may_invite, supervisor, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            by=supervisor,
            email="nia@example.org",
            display_name="Nia New",
            role=Role.SUPERVISEE,
            supervisors=[supervisor],
        )
    old = link_in(mailoutbox[-1])
    client = login(supervisor)
    url = reverse("supervisor_invitations")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "resend", "invitation": invitation.pk})
    new = link_in(mailoutbox[-1])
    assert Client().get(old).status_code == 410
    assert Client().get(new).status_code == 200
    client.post(url, {"action": "revoke", "invitation": invitation.pk})
    assert Client().get(new).status_code == 410


def test_a_mail_outage_is_logged_not_a_500(
    login, admin_user, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("accounts.mail.send_mail", broken)
    client = login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            INVITE_URL,
            {
                "display_name": "Nia New",
                "email": "nia@example.org",
                "role": Role.SUPERVISEE,
                "starts_on": timezone.localdate().isoformat(),
            },
        )
    assert response.status_code == 302
    assert "The invitation e-mail to user" in caplog.text
    # The log names the person by id; the link is never written down.
    assert "/accounts/invitation/" not in caplog.text
