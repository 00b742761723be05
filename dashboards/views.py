"""The supervisee's and supervisor's dashboards, and what every dashboard draws with
(the window, figures drawn once per state of the work, CSV); the group dashboard uses
them from groups/views.py."""

from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from supervision.models import Role
from supervision.spreadsheet import csv_writer

from . import charts, selectors
from .forms import WindowForm


def window_weeks(request: HttpRequest) -> int:
    form = WindowForm(request.GET)
    return form.cleaned_data["weeks"] if form.is_valid() else selectors.DEFAULT_WEEKS


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    """Every CSV download: cells that a spreadsheet would run as formulas are neutralised
    (supervision/spreadsheet.py)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv_writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


# ------------------------------------------------------------------ personal


def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    weeks = window_weeks(request)
    if user.role == Role.SUPERVISEE:
        data = selectors.supervisee_dashboard(user, weeks=weeks)
        if request.GET.get("format") == "csv":
            return csv_response("my-dashboard.csv", *_supervisee_csv(data))
        return render(
            request,
            "dashboards/supervisee.html",
            {"d": data, "windows": selectors.WINDOWS, **figures_context(data, _supervisee_charts)},
        )
    if user.role == Role.SUPERVISOR:
        data = selectors.supervisor_dashboard(user, weeks=weeks)
        if request.GET.get("format") == "csv":
            return csv_response("supervision-dashboard.csv", *_supervisor_csv(data))
        return render(
            request,
            "dashboards/supervisor.html",
            {"d": data, "windows": selectors.WINDOWS, **figures_context(data)},
        )
    raise PermissionDenied("Dashboards are for supervisees and supervisors.")


def figures_context(data, charts_of=None) -> dict:
    """What a dashboard template needs to draw its figures once per state of the work
    (`{% cache figures_seconds <section> d.figures_key using="drawn" %}`): how long a
    drawing is kept, and its charts. Each chart is a callable, which the template calls
    only if it draws that section: one served from the cache makes no chart."""
    context = {"figures_seconds": settings.DASHBOARD_CACHE_SECONDS}
    if charts_of is not None:
        context["charts"] = charts_of(data)
    return context


def _supervisee_charts(d: selectors.SuperviseeDashboard) -> dict:
    labels = [f"{w:%d %b}" for w in d.week_labels]
    return {
        "pattern_chart": partial(
            charts.bar_chart,
            title=f"Patterns I noticed, last {d.weeks} weeks",
            labels=[name for name, _ in d.patterns],
            values=[n for _, n in d.patterns],
        ),
        "feelings_chart": partial(
            charts.line_chart,
            title="Anxiety before and rumination after sessions (weekly average, 0–10)",
            labels=labels,
            series=[
                charts.Series("Anxiety before", d.anxiety),
                charts.Series("Rumination after", d.rumination),
            ],
            y_max=10,
        ),
        "week_rows": list(zip(labels, d.anxiety, d.rumination, strict=True)),
    }


def _supervisee_csv(d: selectors.SuperviseeDashboard):
    rows = [("pattern", name, f"last {d.weeks} weeks", n) for name, n in d.patterns]
    rows += [
        ("anxiety before (mean)", f"week of {w:%Y-%m-%d}", "", a)
        for w, a in zip(d.week_labels, d.anxiety, strict=True)
    ]
    rows += [
        ("rumination after (mean)", f"week of {w:%Y-%m-%d}", "", r)
        for w, r in zip(d.week_labels, d.rumination, strict=True)
    ]
    rows += [("strength acknowledged", name, f"last {d.weeks} weeks", n) for name, n in d.strengths]
    rows += [("questions waiting for my answer", "", "", d.waiting_count)]
    return ["figure", "item", "period", "value"], rows


def _supervisor_csv(d: selectors.SupervisorDashboard):
    rows = [
        (
            r.person.display_name,
            r.last_log.isoformat() if r.last_log else "",
            r.awaiting_review,
            r.unanswered,
            "; ".join(f"{t.name} ({t.previous}→{t.current})" for t in r.rising),
        )
        for r in d.rows
    ]
    header = [
        "supervisee",
        "last log",
        "awaiting review",
        "unanswered questions",
        "patterns rising",
    ]
    return header, rows
