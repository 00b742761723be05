"""Log-in's middleware: session limits, and two-factor where it is required.

Each class is thin: the rules live in sessions.py and two_factor.py.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest
from django.shortcuts import redirect

from supervision.links import page_url

from . import sessions, two_factor


class SessionTimeoutMiddleware:
    """Sign out a session idle for too long, or older than the absolute limit.

    Keeping a form's text at the limit (views.keep_and_sign_out) is not activity: it never
    moves the idle clock, and it is let through up to sessions.KEEP_GRACE past either limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        login_at = session.get(sessions.LOGIN_AT)
        last_seen = session.get(sessions.LAST_SEEN)
        if login_at is None or last_seen is None:
            # A session from before these limits: its clock starts now.
            session[sessions.LOGIN_AT] = login_at or now
            session[sessions.LAST_SEEN] = now
            return
        keeping = request.path == page_url("keep_and_sign_out")
        grace = sessions.KEEP_GRACE if keeping else 0
        if now - last_seen > settings.SESSION_IDLE_TIMEOUT + grace:
            minutes = settings.SESSION_IDLE_TIMEOUT // 60
            self._sign_out(request, sessions.IDLE_MESSAGE.format(minutes=minutes))
        elif now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT + grace:
            hours = settings.SESSION_ABSOLUTE_TIMEOUT // 3600
            self._sign_out(request, sessions.ABSOLUTE_MESSAGE.format(hours=hours))
        elif not keeping and now - last_seen >= sessions.LAST_SEEN_GRANULARITY:
            session[sessions.LAST_SEEN] = now

    @staticmethod
    def _sign_out(request: HttpRequest, message: str) -> None:
        # Only this session ends: the person's other sessions have their own clocks.
        logout(request)
        messages.info(request, message)


class TwoFactorRequiredMiddleware:
    """When required: no authenticator → set one up; one but an unverified session → a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if getattr(view_func, "two_factor_exempt", False) or not two_factor.is_required_for(user):
            return None
        if two_factor.is_verified(user):
            return None
        if two_factor.has_authenticator(user):
            return redirect("two_factor_verify")
        return redirect("two_factor_setup")
