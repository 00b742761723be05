"""The one page that knows every app: where each person lands after logging in."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from supervision.http import AuthenticatedHttpRequest
from supervision.models import Role


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send each person to their work."""
    user = request.user
    if user.role == Role.SUPERVISEE:
        return redirect("cases:log_list")
    if user.role == Role.SUPERVISOR:
        return redirect("cases:review_queue")
    if user.is_staff:
        return redirect("admin:index")
    messages.info(request, "Your account has no role yet. An administrator can give you one.")
    return render(request, "supervision/no_role.html")
