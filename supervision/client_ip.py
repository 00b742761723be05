"""The client's address, as audit rows and log-in throttling see it.

A forwarding header is believed only when the operator says how many proxies
stand in front of the app (TRUSTED_PROXY_COUNT): anyone can send
X-Forwarded-For, so without that setting it is ignored.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        # Each trusted proxy appends the address it saw: the client's is the one the
        # outermost trusted proxy added, counted from the right.
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
