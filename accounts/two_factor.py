"""Two-factor authentication with django-otp: an authenticator app (TOTP) and recovery codes.

A person has at most one confirmed authenticator and one set of recovery codes. Codes are
checked against a specific device: six digits go to the authenticator (which refuses a code
it has already accepted: django-otp keeps the last time step, `last_t`), anything else to
the recovery codes (each works once). Both devices slow down after failures (django-otp's
throttling), and the log-in code step counts failures towards the axes lock-out too.

When OTP_REQUIRED_FOR_STAFF_ROLES is on, supervisors and admins must have an authenticator
and a session verified with a code before any page but the few that get them there.

A first authenticator needs more than the password: someone who stole it must not enrol
their own app and lock the person out. The set-up page first asks for a code e-mailed to the
account (`email_code_send`, `email_code_check`); an invitation link proves the same.
"""

import base64
import datetime
import re
import secrets
import xml.etree.ElementTree as ET  # noqa: S405 - we parse SVG we generated ourselves
from collections.abc import Callable

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.safestring import SafeString, mark_safe
from django_otp import devices_for_user
from django_otp import verify_token as otp_verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from supervision import audit
from supervision.models import AuditAction, Role, User
from supervision.services import sessions_end_all

from .mail import mail_after_commit
from .models import EmailCode, secret_hash

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
SVG_NS = "http://www.w3.org/2000/svg"


class TwoFactorError(Exception):
    """The action does not fit; the message is shown to the person."""


# --- who needs it -------------------------------------------------------------------------


def is_required_for(user: User) -> bool:
    """Supervisors and admins must use two-factor when the setting is on."""
    if not settings.OTP_REQUIRED_FOR_STAFF_ROLES or not user.is_authenticated:
        return False
    return user.role in (Role.SUPERVISOR, Role.ADMIN) or user.is_staff or user.is_superuser


def has_authenticator(user: User) -> bool:
    """A confirmed authenticator app. Recovery codes alone do not count: they back one up."""
    if not user.is_authenticated:
        return False
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def is_verified(user) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def two_factor_exempt(view: Callable) -> Callable:
    """The pages a person must reach before two-factor is set up or verified."""
    # A marker attribute on the function, read by TwoFactorRequiredMiddleware.
    view.two_factor_exempt = True  # type: ignore[attr-defined]
    return view


# --- set-up -------------------------------------------------------------------------------


def pending_authenticator(*, user: User) -> TOTPDevice:
    """The authenticator being set up (not yet confirmed), created on first need."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(data: str, *, label: str) -> SafeString:
    """`data` as a QR code in inline SVG: drawn here, no image file, no script, no style."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    ET.register_namespace("", SVG_NS)
    svg = ET.fromstring(image.to_string())  # noqa: S314 - our own output
    for attribute in ("width", "height", "style"):
        svg.attrib.pop(attribute, None)
    for element in svg.iter():
        element.attrib.pop("style", None)
        element.attrib.pop("id", None)
    svg.set("class", "qr-code")
    svg.set("role", "img")
    svg.set("aria-label", label)
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308 - no outside text


def two_factor_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator with a code from it; returns fresh recovery codes.

    The code is checked before the transaction, so a wrong one still counts towards the
    device's throttling instead of being rolled back with the error.
    """
    if device.user_id != user.pk or device.confirmed:
        raise TwoFactorError("This set-up has expired. Please start again.")
    if not code_matches(device, code):
        raise TwoFactorError("That code did not match. Check the time on your phone and retry.")
    return confirm_device(user=user, device=device)


def code_matches(device: TOTPDevice, code: str) -> bool:
    """Whether `code` is the authenticator's current code (a wrong one counts to its throttle)."""
    return _is_totp_code(code) and bool(device.verify_token(_clean(code)))


@transaction.atomic
def confirm_device(*, user: User, device: TOTPDevice) -> list[str]:
    """Make `device` her one authenticator and return fresh recovery codes."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # Any other authenticator (an older one, or a second set-up started) goes.
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return recovery_codes_regenerate(user=user)


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Ten new recovery codes, replacing any old ones; they are shown once, then only used."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = []
    for _ in range(settings.RECOVERY_CODE_COUNT):
        token = StaticToken.random_token()
        device.token_set.create(token=token)
        codes.append(token)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_disable(*, user: User, code: str) -> None:
    """Remove the authenticator and recovery codes, once a current code proves it is them.

    The code is checked first, outside the removal's transaction (see two_factor_confirm).
    """
    if verify_code(user=user, code=code) is None:
        raise TwoFactorError("That code did not work, so two-factor is still on.")
    _remove_devices(user=user)


@transaction.atomic
def _remove_devices(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# --- checking a code ----------------------------------------------------------------------


def _clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _is_totp_code(code: str) -> bool:
    return re.fullmatch(r"\d{6}", _clean(code)) is not None


def verify_code(*, user: User, code: str) -> Device | None:
    """The confirmed device that accepts `code` (a recovery code is used up), or None."""
    cleaned = _clean(code)
    if not cleaned:
        return None
    wanted = TOTPDevice if _is_totp_code(cleaned) else StaticDevice
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, wanted):
            # django-otp verifies under select_for_update: two requests cannot both use a code.
            verified = otp_verify_token(user, device.persistent_id, cleaned)
            if verified is not None:
                return verified
    return None


# --- proof by e-mail before a first set-up ---------------------------------------------------

EMAIL_CODE_PURPOSE = "two-factor-email-code"


def email_code_live(user: User) -> EmailCode | None:
    """The newest e-mailed code that may still be tried, if any."""
    code = EmailCode.objects.filter(user=user).first()
    if (
        code is None
        or code.used_at is not None
        or code.expires_at <= timezone.now()
        or code.attempts >= settings.TWO_FACTOR_EMAIL_CODE_ATTEMPTS
    ):
        return None
    return code


def email_codes_sent_recently(user: User) -> int:
    since = timezone.now() - datetime.timedelta(hours=1)
    return EmailCode.objects.filter(user=user, created_at__gte=since).count()


@transaction.atomic
def email_code_send(*, user: User) -> None:
    """E-mail a new six-digit code to the account's address; any older code stops working."""
    if email_codes_sent_recently(user) >= settings.TWO_FACTOR_EMAIL_CODES_PER_HOUR:
        raise TwoFactorError(
            "Several codes were sent in the last hour. Please use the newest one, "
            "or try again later."
        )
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    minutes = settings.TWO_FACTOR_EMAIL_CODE_MINUTES
    EmailCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    EmailCode.objects.create(
        user=user,
        code_hash=secret_hash(f"{EMAIL_CODE_PURPOSE}:{user.pk}", code),
        created_at=now,
        expires_at=now + datetime.timedelta(minutes=minutes),
    )
    mail_after_commit(
        address=user.email,
        subject="Good Enough: your code to set up two-factor authentication",
        body=(
            f"Your code is {code}\n\n"
            "Enter it on the set-up page to add an authenticator app to your Good Enough "
            f"account. It works once, for {minutes} minutes.\n\n"
            "If you are not setting up two-factor authentication, someone may know your "
            "password: change it, and tell your administrator."
        ),
        about="set-up code",
        user_id=user.pk,
    )


def email_code_check(*, user: User, code: str) -> None:
    """Accept the live e-mailed code once; a wrong guess uses up one of its attempts.

    The attempt is counted outside any transaction the caller may roll back.
    """
    live = email_code_live(user)
    if live is None:
        raise TwoFactorError("That code has expired or was used up. Send a new one.")
    EmailCode.objects.filter(pk=live.pk).update(attempts=F("attempts") + 1)
    expected = secret_hash(f"{EMAIL_CODE_PURPOSE}:{user.pk}", re.sub(r"\s", "", code or ""))
    if not constant_time_compare(expected, live.code_hash):
        raise TwoFactorError("That code did not match the one we e-mailed. Check it and retry.")
    used = EmailCode.objects.filter(pk=live.pk, used_at__isnull=True).update(used_at=timezone.now())
    if not used:  # another request used it a moment ago
        raise TwoFactorError("That code has expired or was used up. Send a new one.")


# --- an administrator's reset (a lost phone) ----------------------------------------------------


@transaction.atomic
def two_factor_reset(*, user: User, by: User | None) -> None:
    """Remove the person's authenticator and recovery codes, end her sessions, and tell her.

    Setting up again needs the code e-mailed to her, so whoever holds only her password
    cannot step into the gap.
    """
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        audit.record(actor=by, action=AuditAction.DELETE, obj=device, owner=None)
    _remove_devices(user=user)
    sessions_end_all(user=user)
    mail_after_commit(
        address=user.email,
        subject="Good Enough: your two-factor authentication was reset",
        body=(
            "An administrator removed the authenticator app and the recovery codes of "
            "your Good Enough account, and signed you out everywhere.\n\n"
            "Next time you log in you can set up an authenticator again; the set-up page "
            "first e-mails a code to this address.\n\n"
            "If you did not ask for this, tell your administrator."
        ),
        about="two-factor reset",
        user_id=user.pk,
    )
