from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from supervision.access import require_role
from supervision.models import Role


def log_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.SUPERVISEE)
    return render(request, "cases/log_list.html")


def review_queue(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.SUPERVISOR)
    return render(request, "cases/review_queue.html")
