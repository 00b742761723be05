"""The one page that knows every app (where each person lands after logging in), and the
benchmark's empty layout."""

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


def layout(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The base layout and nothing else: navigation, unread count, messages and scripts around
    an empty main. `make bench` measures it as a row of its own, between the ceiling
    (/ping/, no layout) and the pages, so the cost of the layout is seen apart from theirs."""
    return render(request, "layout.html")
