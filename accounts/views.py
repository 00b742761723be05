"""Logging in and out, the code step, two-factor set-up, keeping a session alive, and keeping
a form's text when the idle limit ends the session.

Django's auth views do the work; these add the code step after the password for people with
an authenticator, the rate limits, and ending the person's other sessions at log-out.
"""

import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from supervision.models import Role, User
from supervision.services import sessions_end_all

from . import drafts, services, two_factor
from .forms import CodeForm, EmailCodeForm, InvitationAcceptForm, InvitationForm
from .login_protection import account_paused, axes_username, limit_posts, paused_response
from .models import Invitation
from .services import (
    InvitationError,
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_resend,
    invitation_revoke,
)
from .sessions import KEPT_MESSAGE, mark_active, session_remaining
from .two_factor import TwoFactorError, two_factor_exempt

# Between a right password and a right code: who, through which backend, where to next.
PENDING = "_two_factor_pending"
PENDING_SECONDS = 300
FRESH_CODES = "_two_factor_fresh_codes"
# This session's person proved she reads the account's e-mail, so may set up a first
# authenticator for a while (two_factor.email_code_check).
EMAIL_PROVEN = "_two_factor_email_proven"
EMAIL_PROOF_SECONDS = 1800


def _safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """The password step; a person with an authenticator goes on to the code step."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # The per-account ceiling, before the password is checked (so a paused account
        # tells nothing about its password, and these attempts do not count).
        if account_paused(axes_username(request, None)):
            return paused_response(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.has_authenticator(user):
            return super().form_valid(form)
        # Not logged in yet: the session only remembers who passed the password step.
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": int(time.time()),
            "next": self.get_success_url(),
        }
        return redirect("two_factor_verify")


login_view = two_factor_exempt(
    limit_posts(group="login", rate_setting="LOGIN_RATE_LIMIT")(LoginView.as_view())
)


def _pending_user(request: HttpRequest) -> tuple[User | None, dict]:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, {}
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


@login_not_required
@two_factor_exempt
@limit_posts(group="login", rate_setting="LOGIN_RATE_LIMIT")
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code step: after the password at log-in, or for a signed-in, unverified session."""
    if request.user.is_authenticated:
        user, pending = request.user, {"next": request.GET.get("next")}
        if two_factor.is_verified(user) or not two_factor.has_authenticator(user):
            return redirect(_safe_next(request, pending["next"]))
    else:
        user, pending = _pending_user(request)
        if user is None:
            messages.info(request, "Please log in again.")
            return redirect("login")
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return get_lockout_response(request, None, credentials)
    if not request.user.is_authenticated and account_paused(axes_username(request, credentials)):
        return paused_response(request)

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_code(user=user, code=form.cleaned_data["code"])
        if device is not None:
            if not request.user.is_authenticated:
                request.session.pop(PENDING, None)
                login(request, user, backend=pending["backend"])
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You used a recovery code; {left} left. You can make new ones "
                    "under Two-factor authentication.",
                )
            return redirect(_safe_next(request, pending.get("next")))
        # A wrong code counts towards the same lock-out as a wrong password.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error(
            "code",
            "That code did not work. Check the app, or use a recovery code. "
            "After a wrong code, wait a few seconds before the next try.",
        )
    return render(
        request,
        "registration/login_code.html",
        {"form": form, "signed_in": request.user.is_authenticated},
    )


@require_POST
@login_not_required
@two_factor_exempt
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out here and everywhere else this person is signed in."""
    if request.user.is_authenticated:
        sessions_end_all(user=request.user)
    return auth_views.LogoutView.as_view()(request)


@require_POST
@two_factor_exempt
def keep_alive(request: HttpRequest) -> HttpResponse:
    """The session warning's "Stay signed in": any request counts as activity; this says so.

    A session that has already ended is sent to log in, like any other page.
    """
    mark_active(request)
    return JsonResponse({"remaining": session_remaining(request)})


def _kept_form(request: HttpRequest) -> tuple[drafts.KeptForm, int]:
    """The registered form the request names, checked for this person (404/403 otherwise)."""
    kept_form = drafts.get(request.POST.get("_keep_form", ""))
    object_id = request.POST.get("_keep_object", "0")
    if kept_form is None or not object_id.isdigit():
        raise Http404("No such form.")
    return kept_form, int(object_id)


@require_POST
def keep_and_sign_out(request: HttpRequest) -> HttpResponse:
    """Shortly before the idle limit, the page sends the form she was writing in: keep its
    fields for her, then end this session. Not activity (SessionTimeoutMiddleware), and
    accepted a little past the limit (sessions.KEEP_GRACE), for a laptop that slept.

    Someone else's object, or a form she may not write in, keeps nothing and leaves the
    session as it is (404/403); too much text answers 413. The answer says where to log in.
    """
    kept_form, object_id = _kept_form(request)
    names = drafts.kept_field_names(kept_form, request.user, object_id)
    fields = {name: request.POST.getlist(name) for name in sorted(names) if name in request.POST}
    try:
        services.kept_draft_keep(
            owner=request.user, form=kept_form.key, object_id=object_id, fields=fields
        )
    except services.KeepError:
        return JsonResponse({"kept": False}, status=413)
    # Only this session ends, as the idle limit would have ended it.
    logout(request)
    messages.info(request, KEPT_MESSAGE)
    login_url = f"{reverse('login')}?{urlencode({'next': kept_form.url(object_id)})}"
    return JsonResponse({"kept": True, "login": login_url})


@require_POST
def kept_draft_discard(request: HttpRequest) -> HttpResponse:
    """Forget what was kept of a form, and show the form as it is stored."""
    kept_form, object_id = _kept_form(request)
    drafts.kept_field_names(kept_form, request.user, object_id)  # the access check
    if services.kept_draft_discard(owner=request.user, form=kept_form.key, object_id=object_id):
        messages.info(request, "What was kept is discarded.")
    return redirect(kept_form.url(object_id))


# --- two-factor pages ----------------------------------------------------------------------


def _needs_code(request: HttpRequest) -> HttpResponse | None:
    """Changing two-factor needs a session verified with a code, once there is a device."""
    if two_factor.has_authenticator(request.user) and not two_factor.is_verified(request.user):
        return redirect(f"{reverse('two_factor_verify')}?next={request.path}")
    return None


def two_factor_overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/two_factor/overview.html",
        {
            "enabled": two_factor.has_authenticator(user),
            "codes_left": two_factor.recovery_codes_left(user),
            "required": two_factor.is_required_for(user),
        },
    )


def _email_proven(request: HttpRequest) -> bool:
    proof = request.session.get(EMAIL_PROVEN) or {}
    return (
        proof.get("user") == request.user.pk
        and time.time() - proof.get("at", 0) < EMAIL_PROOF_SECONDS
    )


def _email_code_step(request: HttpRequest) -> HttpResponse:
    """Before the QR code: the code e-mailed to the account, which a password thief lacks."""
    user = request.user
    form = EmailCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.email_code_check(user=user, code=form.cleaned_data["code"])
        except TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            request.session[EMAIL_PROVEN] = {"user": user.pk, "at": int(time.time())}
            return redirect("two_factor_setup")
    return render(
        request,
        "accounts/two_factor/email_code.html",
        {
            "form": form,
            "sent": two_factor.email_code_live(user) is not None,
            "required": two_factor.is_required_for(user),
        },
    )


@require_POST
@two_factor_exempt
def two_factor_email_code(request: HttpRequest) -> HttpResponse:
    """Send a (new) code to the account's e-mail address for the set-up page."""
    user = request.user
    if two_factor.has_authenticator(user):
        return redirect("two_factor")
    try:
        two_factor.email_code_send(user=user)
    except TwoFactorError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"We e-mailed a code to {user.email}.")
    return redirect("two_factor_setup")


@two_factor_exempt
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.has_authenticator(user):
        messages.info(request, "Two-factor authentication is already on.")
        return redirect("two_factor")
    if not _email_proven(request):
        return _email_code_step(request)
    device = two_factor.pending_authenticator(user=user)
    form = CodeForm(request.POST or None, recovery=False)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.two_factor_confirm(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            otp_login(request, device)
            request.session.pop(EMAIL_PROVEN, None)
            request.session[FRESH_CODES] = codes
            messages.success(request, "Two-factor authentication is on.")
            return redirect("two_factor_recovery_codes")
    return render(
        request,
        "accounts/two_factor/setup.html",
        {
            "form": form,
            "required": two_factor.is_required_for(user),
            "config_url": device.config_url,
            "secret": two_factor.secret_text(device),
            "qr": two_factor.qr_svg(
                device.config_url, label="QR code to add Good Enough to your authenticator app"
            ),
        },
    )


def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New codes are shown once, right after they are made; after that only how many are left."""
    user = request.user
    if not two_factor.has_authenticator(user):
        return redirect("two_factor_setup")
    if (needs_code := _needs_code(request)) is not None:
        return needs_code
    if request.method == "POST":
        request.session[FRESH_CODES] = two_factor.recovery_codes_regenerate(user=user)
        messages.success(request, "New recovery codes made; the old ones no longer work.")
        return redirect("two_factor_recovery_codes")
    return render(
        request,
        "accounts/two_factor/recovery_codes.html",
        {
            "codes": request.session.pop(FRESH_CODES, None),
            "codes_left": two_factor.recovery_codes_left(user),
        },
    )


def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not two_factor.has_authenticator(user):
        return redirect("two_factor")
    if (needs_code := _needs_code(request)) is not None:
        return needs_code
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.two_factor_disable(user=user, code=form.cleaned_data["code"])
        except TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, "Two-factor authentication is off.")
            return redirect("two_factor")
    return render(
        request,
        "accounts/two_factor/disable.html",
        {"form": form, "required": two_factor.is_required_for(user)},
    )


@login_not_required
@limit_posts(group="password-reset", rate_setting="PASSWORD_RESET_RATE_LIMIT")
def password_reset(request: HttpRequest) -> HttpResponse:
    """Django's: the same answer whether or not an account uses the address."""
    return auth_views.PasswordResetView.as_view()(request)


# --- invitations ---------------------------------------------------------------------------


@login_not_required
@two_factor_exempt
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person chooses her password (and sets up two-factor where required).

    The link is the proof that she reads the invitation's mailbox; nothing counts as used
    until every step is done.
    """
    invitation = invitation_for_token(token)
    if invitation is None or not invitation.is_usable:
        # The same answer for a link never made, used, revoked or expired.
        return render(request, "accounts/invitation_invalid.html", status=410)
    user = invitation.user
    if request.user.is_authenticated:
        return render(request, "accounts/invitation_signed_in.html", {"invited": user}, status=403)
    required = two_factor.is_required_for(user)
    device = two_factor.pending_authenticator(user=user) if required else None
    form = InvitationAcceptForm(request.POST or None, user=user, with_code=required)
    if request.method == "POST" and form.is_valid():
        try:
            user, codes = invitation_accept(
                token=token,
                password=form.cleaned_data["password1"],
                device=device,
                code=form.cleaned_data.get("code", ""),
            )
        except InvitationError:
            return render(request, "accounts/invitation_invalid.html", status=410)
        except ValidationError as error:
            form.add_error("password2", error)
        except TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if device is not None and codes is not None:
                otp_login(request, device)
                request.session[FRESH_CODES] = codes
                messages.success(
                    request, "Welcome to Good Enough. Your password and two-factor are set."
                )
                return redirect("two_factor_recovery_codes")
            messages.success(request, "Welcome to Good Enough. Your password is set.")
            return redirect(settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "invited": user, "required": required}
    if device is not None:
        context |= {
            "config_url": device.config_url,
            "secret": two_factor.secret_text(device),
            "qr": two_factor.qr_svg(
                device.config_url, label="QR code to add Good Enough to your authenticator app"
            ),
        }
    return render(request, "accounts/invitation_accept.html", context)


def supervisor_invitations(request: HttpRequest) -> HttpResponse:
    """A supervisor invites her own new supervisees, where the clinic allows it
    (SUPERVISORS_MAY_INVITE); she sees, re-sends and revokes the invitations she sent."""
    user = request.user
    if not settings.SUPERVISORS_MAY_INVITE or user.role != Role.SUPERVISOR:
        raise PermissionDenied
    mine = Invitation.objects.filter(invited_by=user).select_related("user")
    form = InvitationForm(supervisor=user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("resend", "revoke"):
            invitation = get_object_or_404(mine, pk=request.POST.get("invitation") or 0)
            service = invitation_resend if action == "resend" else invitation_revoke
            try:
                service(invitation=invitation, by=user)
            except InvitationError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    f"A new link was e-mailed to {invitation.user.email}; the old one no longer works."
                    if action == "resend"
                    else f"The invitation of {invitation.user} was revoked.",
                )
            return redirect("supervisor_invitations")
        form = InvitationForm(request.POST, supervisor=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                invitation = invitation_create(
                    by=user,
                    email=data["email"],
                    display_name=data["display_name"],
                    role=data["role"],
                    supervisors=data["supervisors"],
                    starts_on=data["starts_on"],
                )
            except (InvitationError, ValidationError) as error:
                form.add_error(None, error if isinstance(error, ValidationError) else str(error))
            else:
                messages.success(request, f"Invitation e-mailed to {invitation.user.email}.")
                return redirect("supervisor_invitations")
    return render(
        request,
        "accounts/supervisor_invitations.html",
        {"form": form, "invitations": mine[:100]},
    )
