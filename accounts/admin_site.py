"""The admin site: staff only, with a verified second factor when two-factor is required.

There is one way in, the app's log-in page (lock-out, rate limit and code step included):
the admin's own log-in form would take a password alone.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator


class AdminSite(admin.AdminSite):
    site_header = "Good Enough administration"
    site_title = "Good Enough admin"
    index_title = "People, supervision and the catalog"

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        if settings.OTP_REQUIRED_FOR_STAFF_ROLES:
            # OTPMiddleware installs is_verified(); a session without it is not verified.
            is_verified = getattr(request.user, "is_verified", None)
            return bool(is_verified and is_verified())
        return True

    @method_decorator(login_not_required)
    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if request.user.is_authenticated:
            # Signed in but not allowed here: sending them to log in again would loop.
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
