"""Download my records: everything the signed-in person wrote, as JSON or a printable page.

There is no person in the URL: each view exports `request.user` and nobody else.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import LogStatus, Modality
from supervision import audit
from supervision.http import AuthenticatedHttpRequest
from supervision.models import AuditAction, Role

from .export import FORMAT, VERSION, person_export
from .models import RESULTS, Decision


def _exported(request: AuthenticatedHttpRequest) -> dict:
    """Read everything and write the EXPORT audit row together."""
    with transaction.atomic():
        data = person_export(request.user)
        audit.record(
            actor=request.user, action=AuditAction.EXPORT, obj=request.user, owner=request.user
        )
    return data


def _filename(extension: str) -> str:
    return f"good-enough-records-{timezone.localdate():%Y-%m-%d}.{extension}"


def export_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "reflections/export.html", {"format": FORMAT, "version": VERSION})


def export_json(request: AuthenticatedHttpRequest) -> HttpResponse:
    body = json.dumps(_exported(request), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
    return response


def _with_labels(data: dict) -> dict:
    """The printed page says "Signed off" where the JSON says "signed"."""
    data["person"]["role_label"] = dict(Role.choices).get(data["person"]["role"], "")
    for log in data["session_logs"]:
        log["status_label"] = LogStatus(log["status"]).label
        log["modality_label"] = Modality(log["modality"]).label
    for reply in (*data["replies"], *data["feedback_received"]):
        reply["decision_label"] = RESULTS[Decision(reply["decision"])].capitalize()
    return data


def export_print(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A document to print or save as PDF from the browser; its stylesheet is a static file,
    so it opens here, under the app's Content-Security-Policy, rather than from disk."""
    data = _with_labels(_exported(request))
    html = render_to_string("reflections/export_print.html", {"data": data}, request=request)
    response = HttpResponse(html)
    response["Content-Disposition"] = f'inline; filename="{_filename("html")}"'
    return response
