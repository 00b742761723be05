from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .http import AuthenticatedHttpRequest
from .models import Notification


def ping(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The smallest signed-in page: session, user and a tiny template, nothing else.

    `make bench` measures every page against it.
    """
    return render(request, "supervision/ping.html")


def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    notices = Notification.objects.filter(recipient=request.user)[:100]
    return render(request, "supervision/notifications.html", {"notices": notices})


@require_POST
def notifications_mark_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    Notification.objects.filter(recipient=request.user).unread().update(read_at=timezone.now())
    messages.success(request, "All notifications marked as read.")
    return redirect("notifications")


@require_POST
def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    # Only ever an internal path, stored by the app itself.
    if not url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect("notifications")
    return redirect(notice.url)
