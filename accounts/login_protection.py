"""Log-in protection: django-axes lock-out and django-ratelimit limits per client address,
and a ceiling per account whatever the address.

Both see the client's address through `client_ip()`, the same one the audit trail records:
X-Forwarded-For counts only when TRUSTED_PROXY_COUNT says how many proxies stand in front.
"""

import datetime
import hashlib
from collections.abc import Callable
from functools import wraps

from axes.models import AccessFailureLog
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django_ratelimit.core import is_ratelimited

from supervision.client_ip import client_ip
from supervision.models import User
from supervision.notifications import notification_send


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """The account a log-in attempt names, as axes counts it: e-mail in any case is one account."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username", "")
    return str(username or "").strip().lower()


def ratelimit_ip(request: HttpRequest) -> str:
    # django-ratelimit needs some address; a request without one shares a single bucket.
    return client_ip(request) or "0.0.0.0"  # noqa: S104 - a bucket name, not a bind address


def too_many_requests(request: HttpRequest) -> HttpResponse:
    return render(request, "429.html", status=429)


def limit_posts(*, group: str, rate_setting: str) -> Callable:
    """Answer 429 once a client address has sent more POSTs to `group` than the setting allows.

    The rate is read on each request (settings may change in tests); GETs are never counted.
    """

    def rate(group_name: str, request: HttpRequest) -> str:
        return getattr(settings, rate_setting)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if is_ratelimited(
                request, group=group, key="ip", rate=rate, method="POST", increment=True
            ):
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- The per-account ceiling -------------------------------------------------------------
# django-axes locks out one account from one address. A spray from many addresses never
# trips that, so each account also has a ceiling: more than LOGIN_ACCOUNT_CEILING failures
# in the last hour, from anywhere, pause logging in to it. The count is axes' own failure
# log (AccessFailureLog, one row per failure, AXES_ENABLE_ACCESS_FAILURE_LOG), by the same
# normalised name axes counts (axes_username). Attempts refused by the pause never reach the
# password check, so they are not counted: the pause ends by itself once the failures that
# caused it are more than an hour old, and an administrator can end it sooner by deleting
# the account's rows under "Log-in attempts › access failures".

CEILING_WINDOW = datetime.timedelta(hours=1)


def failures_in_window(username: str) -> int:
    since = timezone.now() - CEILING_WINDOW
    return AccessFailureLog.objects.filter(username=username, attempt_time__gte=since).count()


def account_paused(username: str) -> bool:
    """Is logging in to this name paused? Answered the same for names with no account."""
    ceiling = settings.LOGIN_ACCOUNT_CEILING
    if not ceiling or not username:
        return False
    return failures_in_window(username) > ceiling


def paused_response(request: HttpRequest) -> HttpResponse:
    """The same page whether or not the name belongs to an account: it names no one."""
    return render(
        request,
        "registration/login_paused.html",
        {"ceiling": settings.LOGIN_ACCOUNT_CEILING},
        status=429,
    )


def _told_key(username: str) -> str:
    return "login-ceiling-told:" + hashlib.sha256(username.encode()).hexdigest()


def on_login_failed(sender, credentials=None, request=None, **kwargs) -> None:
    """After axes has logged a failure: the first time in an hour an account passes its
    ceiling, tell the person and the administrators (no password, no address)."""
    if request is None:
        return
    username = axes_username(request, credentials)
    if not account_paused(username):
        return
    if not cache.add(_told_key(username), True, int(CEILING_WINDOW.total_seconds())):
        return  # already told within the hour
    person = User.objects.filter(email__iexact=username, is_active=True).first()
    if person is None:
        return  # no account: nobody to tell, and a typed name is not worth showing anyone
    notification_send(
        recipients=[person],
        message=(
            "Logging in to your account is paused after many unsuccessful attempts in an "
            "hour. If they were not yours, tell your administrator."
        ),
        url=reverse("password_reset"),
    )
    notification_send(
        recipients=User.objects.filter(is_staff=True, is_active=True).exclude(pk=person.pk),
        message=(
            f"Logging in to {person}'s account is paused after more than "
            f"{settings.LOGIN_ACCOUNT_CEILING} unsuccessful attempts in an hour."
        )[:200],
        url=reverse("admin:axes_accessfailurelog_changelist"),
    )
