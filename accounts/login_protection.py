"""Log-in protection: django-axes lock-out and django-ratelimit limits per client address.

Both see the client's address through `client_ip()`, the same one the audit trail records:
X-Forwarded-For counts only when TRUSTED_PROXY_COUNT says how many proxies stand in front.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from supervision.client_ip import client_ip


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
