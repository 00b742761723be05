"""The supervisee's and supervisor's dashboards, and what every dashboard draws with
(the window, figures drawn once per state of the work, CSV); the group dashboard uses
them from groups/views.py."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import selectors as case_selectors
from cases.forms import SubmittedLogFilterForm
from cases.views import filters_drawn
from supervision import access, audit
from supervision.http import AuthenticatedHttpRequest
from supervision.models import AuditAction, Role, User
from supervision.paging import Pager, page_of
from supervision.selectors import supervisee_names
from supervision.services import MeetingError, supervision_meeting_record
from supervision.spreadsheet import csv_writer

from . import charts, selectors
from .forms import MeetingForm, WindowForm, blank_meeting_fields


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
            "dashboards/supervisee.jinja",
            {"d": data, "windows": selectors.WINDOWS, **figures_context(data, _supervisee_charts)},
        )
    if user.role == Role.SUPERVISOR:
        data = selectors.supervisor_dashboard(user, weeks=weeks)
        if request.GET.get("format") == "csv":
            return csv_response("supervision-dashboard.csv", *_supervisor_csv(data))
        return render(
            request,
            "dashboards/supervisor.jinja",
            {
                "d": data,
                "windows": selectors.WINDOWS,
                **figures_context(data, _supervisor_charts),
            },
        )
    raise PermissionDenied("Dashboards are for supervisees and supervisors.")


def figures_context(data, charts_of=None) -> dict:
    """What a dashboard template needs to draw its figures once per state of the work
    (`{% call drawn_once(figures_seconds, "<section>", d.figures_key) %}`): how long a
    drawing is kept, and its charts. Each chart is a callable, which the template calls
    only if it draws that section: one served from the cache makes no chart."""
    context = {"figures_seconds": settings.DASHBOARD_CACHE_SECONDS}
    if charts_of is not None:
        context["charts"] = charts_of(data)
    return context


def _supervisee_charts(d, *, who: str = "I") -> dict:
    """Her patterns and ratings over the window: on her dashboard ("I") and on her
    supervisor's page of her (her name), from the same figures' shape."""
    labels = [f"{w:%d %b}" for w in d.week_labels]
    return {
        "pattern_chart": partial(
            charts.bar_chart,
            title=f"Patterns {who} noticed, last {d.weeks} weeks",
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


@dataclass(frozen=True)
class PersonCharts:
    """A supervisee's card on the supervisor dashboard: her row, her two small charts and their
    numbers week by week, each worked out only if the cards are drawn (see figures_context)."""

    row: selectors.SuperviseeRow
    patterns_chart: Callable[[], str]
    feelings_chart: Callable[[], str]
    week_rows: Callable[[], list[tuple[str, str, float | None, float | None]]]


# Small enough for three abreast in a card on a wide screen; the patterns' chart is taller
# for its legend of up to four names above the columns.
SMALL_CHART = {"width": 360, "height": 180}


def _supervisor_charts(d: selectors.SupervisorDashboard) -> dict:
    labels = [f"{w:%d %b}" for w in d.week_labels]
    people = []
    for row in d.rows:
        name, weekly = row.person.display_name, row.weekly
        people.append(
            PersonCharts(
                row=row,
                patterns_chart=partial(
                    charts.stacked_columns,
                    title=f"{name}: patterns by week",
                    labels=labels,
                    series=[charts.Series(p, list(counts)) for p, counts in weekly.patterns],
                    **(SMALL_CHART | {"height": 210}),
                ),
                feelings_chart=partial(
                    charts.line_chart,
                    title=f"{name}: anxiety and rumination (weekly average, 0–10)",
                    labels=labels,
                    series=[
                        charts.Series("Anxiety before", list(weekly.anxiety)),
                        charts.Series("Rumination after", list(weekly.rumination)),
                    ],
                    y_max=10,
                    **SMALL_CHART,
                ),
                week_rows=partial(_week_rows, labels, weekly),
            )
        )
    return {"people": people}


def _week_rows(labels: list[str], weekly: selectors.Weekly) -> list[tuple]:
    """(week, "pattern n, ...", anxiety, rumination) for each week with something recorded."""
    rows = []
    for i, label in enumerate(labels):
        tags = ", ".join(f"{name} {counts[i]}" for name, counts in weekly.patterns if counts[i])
        anxiety = weekly.anxiety[i] if weekly.anxiety else None
        rumination = weekly.rumination[i] if weekly.rumination else None
        if tags or anxiety is not None or rumination is not None:
            rows.append((label, tags, anxiety, rumination))
    return rows


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


# ------------------------------------------------ a supervisee, seen by her supervisor

LOGS_PAGE_SIZE = 20


def _my_supervisee_or_404(request: AuthenticatedHttpRequest, pk: int) -> User:
    """A supervisor's current supervisee; anyone else (a former one included) does not exist
    here. Other roles are refused outright."""
    access.require_role(request.user, Role.SUPERVISOR)
    return get_object_or_404(access.current_supervisees(request.user), pk=pk)


def _my_supervisee_named_or_404(
    request: AuthenticatedHttpRequest, pk: int
) -> tuple[User, list[tuple[int, str]]]:
    """As `_my_supervisee_or_404`, for a page that only names her: her id and name from the
    compiled query of the supervisor's supervisees (supervision.selectors.supervisee_names),
    not her whole row built and compiled by the ORM on each visit; with all of them by name
    (id, name), which the preparation sheet offers as the meeting's second supervisee."""
    access.require_role(request.user, Role.SUPERVISOR)
    supervisees = supervisee_names(request.user)
    name = dict(supervisees).get(pk)
    if name is None:
        raise Http404("No such supervisee.")
    return User(pk=pk, display_name=name), supervisees


def supervisee_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Her arc, for one of her current supervisors: figures from submitted work, answers,
    meetings, and every submitted, returned and signed log with her own list's filters."""
    person, _ = _my_supervisee_named_or_404(request, pk)
    data = selectors.supervisee_overview(person, weeks=window_weeks(request))
    # Nothing asked for (as she arrives): the blank filters drawn once per catalog.
    blank = SubmittedLogFilterForm.is_blank(request.GET)
    filters = None if blank else SubmittedLogFilterForm(request.GET)
    chosen = filters.cleaned_data if filters is not None and filters.is_valid() else {}
    chosen = {k: v for k, v in chosen.items() if v not in (None, "")}
    # Unfiltered, a page and its total from one compiled query; filtered, built by the ORM.
    logs = case_selectors.submitted_work(person, chosen)
    number = request.GET.get("page")
    page = (
        page_of(logs, number, LOGS_PAGE_SIZE)
        if isinstance(logs, QuerySet)
        else logs.page(number, LOGS_PAGE_SIZE)
    )
    page.object_list = case_selectors.list_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    # The page shows her answers in her own words: one row, as for a log page.
    audit.record(actor=request.user, action=AuditAction.VIEW, obj=person, owner=person)
    return render(
        request,
        "dashboards/supervisee_detail.jinja",
        {
            "d": data,
            "person": person,
            "filters": filters,
            "filters_drawn": filters_drawn(SubmittedLogFilterForm, filters),
            "page": page,
            "pager": Pager.of(page),
            "query": query.urlencode(),
            "windows": selectors.WINDOWS,
            **figures_context(data, partial(_supervisee_charts, who=person.display_name)),
        },
    )


def preparation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The sheet for the next supervision hour with her, and the form to record it."""
    # One compiled query finds her among this supervisor's current supervisees (anyone else
    # does not exist here) and gives the form its choice of a second supervisee, by name.
    person, supervisees = _my_supervisee_named_or_404(request, pk)
    fellows = tuple((other, named) for other, named in supervisees if other != pk)
    return _preparation_page(
        request, person, blank_fields=blank_meeting_fields(timezone.localdate(), fellows)
    )


def _preparation_page(
    request,
    person: User,
    form: MeetingForm | None = None,
    status: int = 200,
    blank_fields: str | None = None,
) -> HttpResponse:
    """The sheet, with the meeting form: blank (`blank_fields`, drawn once) or as sent back
    (drawn here by Django's engine, with crispy: the page itself is Jinja2)."""
    sheet = selectors.preparation_sheet(request.user, person)
    audit.record(actor=request.user, action=AuditAction.VIEW, obj=person, owner=person)
    fields = blank_fields or render_to_string("dashboards/_meeting_fields.html", {"form": form})
    return render(
        request,
        "dashboards/preparation.jinja",
        {"sheet": sheet, "person": person, "form": form, "meeting_fields": fields},
        status=status,
    )


@require_POST
def meeting_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _my_supervisee_or_404(request, pk)
    form = MeetingForm(request.POST, supervisor=request.user, supervisee=person)
    if form.is_valid():
        data = form.cleaned_data
        others = [data["other_supervisee"]] if data["other_supervisee"] else []
        try:
            supervision_meeting_record(
                supervisor=request.user,
                supervisees=[person, *others],
                held_on=data["held_on"],
                duration_minutes=data["duration_minutes"],
                kind=data["kind"],
                mode=data["mode"],
                observed_session=data["observed_session"],
                agreed=data["agreed"],
                url=reverse("dashboards:dashboard"),
            )
        except MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Meeting of {data['held_on']:%d %b %Y} recorded.")
            return redirect("dashboards:preparation", pk=person.pk)
    return _preparation_page(request, person, form, status=400)
