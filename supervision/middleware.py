"""The people layer's middleware: the audit trail's client address, and no stored copies
of pages a signed-in person sees. Log-in's own middleware is in accounts/middleware.py."""

from django.http import HttpRequest
from django.utils.cache import add_never_cache_headers

from . import audit


class AuditContextMiddleware:
    """Audit rows written while serving a request record its client address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = audit.bind_request(request)
        try:
            return self.get_response(request)
        finally:
            audit.unbind_request(token)


class NoStoreForSignedInMiddleware:
    """Pages a signed-in person sees may hold note text: no browser or proxy keeps a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
