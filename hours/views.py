"""The hours pages: hers (the ledger, what counts, her periods and documents) and her
supervisors' (periods to sign, a period to sign, ending a supervision)."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from dashboards.views import csv_response
from supervision import audit
from supervision.access import require_role
from supervision.http import AuthenticatedHttpRequest
from supervision.models import AuditAction, Role, SupervisionRelationship, User
from supervision.paging import Pager

from . import documents, selectors, services
from .access import signable_spans, signing_spans, supervisee_for_signing_or_404
from .forms import HourEntryForm, HoursSettingsForm, LicenceForm, SignPeriodsForm, period_choice
from .models import HourEntry, PeriodSignature, SignPeriod


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _period_or_404(
    person: User, period: str, start: datetime.date, today: datetime.date | None = None
) -> selectors.PeriodRow:
    if period not in SignPeriod.values:
        raise Http404
    row = selectors.period_of(person, period, start, today)
    if row is None:
        raise Http404
    return row


# --- Hers -------------------------------------------------------------------------------


def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, Role.SUPERVISEE)
    return render(
        request,
        "hours/overview.jinja",
        {
            "d": selectors.hours_overview(request.user),
            "period_link": _period_link("hours:my_period"),
        },
    )


def _period_link(view_name: str, *args: int) -> str:
    """The address of a period's page up to its part (`PeriodRow.path`, then "/"), `args`
    (her id) before it: one reverse for a list of years of periods, each costing as much as
    the next."""
    period, start = SignPeriod.WEEK, datetime.date(1901, 2, 4)
    marker = selectors.PeriodRow.path_of(period, start)
    head, tail = reverse(view_name, args=[*args, period, start]).rsplit(marker, 1)
    if tail != "/":
        raise ValueError(f"{view_name}: the period is not the end of the address")
    return head


@require_http_methods(["GET", "POST"])
def settings_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, Role.SUPERVISEE)
    profile = selectors.profile_of(request.user)
    supervisor_ids = SupervisionRelationship.objects.filter(supervisee=request.user).values_list(
        "supervisor_id", flat=True
    )
    form = HoursSettingsForm(
        request.POST or None, instance=profile, supervisor_ids=list(supervisor_ids)
    )
    if request.method == "POST":
        if form.is_valid():
            services.hours_profile_save(profile=form.save(commit=False), by=request.user)
            messages.success(request, "Saved. Your hours are read again under these rules.")
            return redirect("hours:overview")
        messages.error(request, "Nothing was saved: see below.")
    return render(request, "hours/settings.html", {"form": form})


@require_http_methods(["GET", "POST"])
def entry_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, Role.SUPERVISEE)
    return _entry_form(request, HourEntry(person=request.user))


@require_http_methods(["GET", "POST"])
def entry_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, Role.SUPERVISEE)
    return _entry_form(request, get_object_or_404(HourEntry, pk=pk, person=request.user))


def _entry_form(request: AuthenticatedHttpRequest, entry: HourEntry) -> HttpResponse:
    form = HourEntryForm(request.POST or None, instance=entry)
    if request.method == "POST":
        if form.is_valid():
            services.hour_entry_save(entry=form.save(commit=False), by=request.user)
            messages.success(request, "Hours saved.")
            return redirect("hours:overview")
        messages.error(request, "Nothing was saved: see below.")
    return render(request, "hours/entry_form.html", {"form": form, "entry": entry})


@require_http_methods(["GET", "POST"])
def entry_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, Role.SUPERVISEE)
    entry = get_object_or_404(HourEntry, pk=pk, person=request.user)
    if request.method == "POST":
        services.hour_entry_delete(entry=entry, by=request.user)
        messages.success(request, "Those hours were removed.")
        return redirect("hours:overview")
    return render(request, "hours/entry_delete.html", {"entry": entry})


@require_GET
def my_period(request: AuthenticatedHttpRequest, period: str, start: datetime.date) -> HttpResponse:
    require_role(request.user, Role.SUPERVISEE)
    row = _period_or_404(request.user, period, start)
    history = selectors.signature_history(request.user, period, start, row.sha256)
    return render(
        request,
        "hours/period.jinja",
        {"row": row, "person": request.user, "history": history, "is_supervisee": True},
    )


@require_GET
def entries_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, Role.SUPERVISEE)
    ledger = selectors.ledger_for(request.user)
    audit.record(
        actor=request.user, action=AuditAction.EXPORT, obj=request.user, owner=request.user
    )
    # The project's one CSV response (no cell can become a spreadsheet formula).
    response = csv_response(
        "hours.csv", list(documents.CSV_HEADER), (documents.entry_row(e) for e in ledger)
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def unsigned_statement(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Her statement of unsigned periods, for a board's contested-hours process."""
    require_role(request.user, Role.SUPERVISEE)
    data = selectors.hours_overview(request.user)
    unsigned = [row for row in data.periods if row.closed and row.entries and not row.signed]
    statements = [
        selectors.statement_of(
            supervisee=request.user,
            row=row,
            supervisor_name="",
            signature=None,
            history=[s.facts for s in row.signatures],
        )
        for row in reversed(unsigned)
    ]
    audit.record(
        actor=request.user, action=AuditAction.EXPORT, obj=request.user, owner=request.user
    )
    content = documents.unsigned_statement_pdf(
        statements, supervisee_name=request.user.display_name, generated_at=timezone.now()
    )
    return _pdf(content, "unsigned-hours.pdf")


# --- Documents of a period (hers, and her supervisors') ---------------------------------


def _viewer_period(
    request: AuthenticatedHttpRequest, person_pk: int | None, period: str, start: datetime.date
) -> tuple[User, selectors.PeriodRow]:
    """The period, for her or for a supervisor who may sign it; 404 for anyone else."""
    if person_pk is None:
        require_role(request.user, Role.SUPERVISEE)
        return request.user, _period_or_404(request.user, period, start)
    require_role(request.user, Role.SUPERVISOR)
    supervisee, spans = supervisee_for_signing_or_404(request.user, person_pk)
    row = _period_or_404(supervisee, period, start)
    if not any(span.overlaps(row.starts_on, row.ends_on) for span in spans):
        raise Http404
    return supervisee, row


@require_GET
def verification_pdf(
    request: AuthenticatedHttpRequest,
    period: str,
    start: datetime.date,
    signature_pk: int,
    person_pk: int | None = None,
) -> HttpResponse:
    """The verification of one signature of the period: hers, or the signing supervisor's."""
    supervisee, row = _viewer_period(request, person_pk, period, start)
    scope = {"supervisee": supervisee, "period": period, "starts_on": start}
    if person_pk is not None:
        scope["supervisor"] = request.user
    signature = get_object_or_404(PeriodSignature, pk=signature_pk, **scope)
    history = [
        facts
        for other, facts in selectors.signature_history(supervisee, period, start, row.sha256)
        if other.supervisor_id == signature.supervisor_id and other.pk != signature.pk
    ]
    statement = selectors.statement_of(
        supervisee=supervisee,
        row=row,
        supervisor_name=signature.supervisor_name,
        signature=selectors.signature_facts(signature, row.sha256),
        history=history,
    )
    audit.record(actor=request.user, action=AuditAction.EXPORT, obj=signature, owner=supervisee)
    return _pdf(documents.verification_pdf(statement), f"verification-{start.isoformat()}.pdf")


@require_GET
def weekly_log_pdf(
    request: AuthenticatedHttpRequest,
    period: str,
    start: datetime.date,
    person_pk: int | None = None,
) -> HttpResponse:
    supervisee, row = _viewer_period(request, person_pk, period, start)
    standing = [s for s in row.signatures if s.facts.current]
    mine = [s for s in standing if s.supervisor_id == request.user.pk]
    # Her own signature for her; otherwise any that stands; otherwise the log is unsigned.
    chosen = (mine or standing)[0] if (mine or standing) else None
    statement = selectors.statement_of(
        supervisee=supervisee,
        row=row,
        supervisor_name=chosen.facts.supervisor_name if chosen else "",
        signature=chosen.facts if chosen else None,
    )
    audit.record(actor=request.user, action=AuditAction.EXPORT, obj=supervisee, owner=supervisee)
    return _pdf(documents.weekly_log_pdf(statement), f"weekly-log-{start.isoformat()}.pdf")


# --- Her supervisors' -------------------------------------------------------------------


def _sign_choices(rows) -> list[tuple[str, str]]:
    return [(period_choice(r.period, r.starts_on, r.sha256), r.label) for r in rows]


def to_sign(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Her supervisees with periods waiting for a signature, one line each: the periods
    themselves are on each supervisee's page (`sign_periods`), so this page stays short
    however long the hours have waited."""
    require_role(request.user, Role.SUPERVISOR)
    today = timezone.localdate()
    waiting = selectors.waiting_to_sign(request.user, signable_spans(request.user, today), today)
    return render(request, "hours/to_sign.jinja", {"waiting": waiting, **_licence_of(request.user)})


@require_http_methods(["GET", "POST"])
def supervisee_period(
    request: AuthenticatedHttpRequest, person_pk: int, period: str, start: datetime.date
) -> HttpResponse:
    supervisee, row = _viewer_period(request, person_pk, period, start)
    history = selectors.signature_history(supervisee, period, start, row.sha256)
    form = SignPeriodsForm(request.POST or None, choices=_sign_choices([row]))
    if request.method == "POST":
        return _sign(request, supervisee, form, back=request.path)
    return render(
        request,
        "hours/period.jinja",
        {
            "row": row,
            "person": supervisee,
            "history": history,
            "is_supervisee": False,
            "form": form,
            "choice": period_choice(row.period, row.starts_on, row.sha256),
        },
    )


# A page of one supervisee's periods to sign: a year of months, half a year of weeks.
PERIODS_PER_PAGE = 24


@require_http_methods(["GET", "POST"])
def sign_periods(request: AuthenticatedHttpRequest, person_pk: int) -> HttpResponse:
    """One supervisee's periods to sign, newest first, a page at a time; ticked ones are
    signed in one step (any of her waiting periods, whichever page it was ticked on)."""
    require_role(request.user, Role.SUPERVISOR)
    supervisee, spans = supervisee_for_signing_or_404(request.user, person_pk)
    today = timezone.localdate()
    waiting = selectors.periods_to_sign(request.user, {supervisee.pk: spans}, today)
    rows = waiting[0].periods if waiting else ()
    if request.method == "POST":
        form = SignPeriodsForm(request.POST, choices=_sign_choices(rows))
        return _sign(request, supervisee, form, back=request.get_full_path())
    page = Paginator(rows, PERIODS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "hours/sign_periods.jinja",
        {
            "person": supervisee,
            "waiting": len(rows),
            "page": page,
            "pager": Pager.of(page),
            "period_link": _period_link("hours:supervisee_period", supervisee.pk),
            **_licence_of(request.user),
        },
    )


def _licence_of(supervisor: User) -> dict:
    licence = selectors.profile_of(supervisor)
    return {
        "licence": licence,
        "has_licence": bool(licence.licence_number and licence.licence_jurisdiction),
    }


def _sign(request: AuthenticatedHttpRequest, supervisee: User, form: SignPeriodsForm, back: str):
    if not form.is_valid():
        # The form's own reason: nothing ticked, or a period that changed meanwhile.
        reasons = [e for errors in form.errors.values() for e in errors]
        messages.error(request, f"Nothing was signed. {reasons[0] if reasons else ''}".strip())
        return redirect(back)
    try:
        signed = services.periods_sign(
            supervisor=request.user,
            supervisee=supervisee,
            periods=form.chosen(),
            url=reverse("hours:overview"),
        )
    except services.HoursError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request,
        f"Signed {len(signed)} period{'s' if len(signed) != 1 else ''} of "
        f"{supervisee.display_name}'s hours.",
    )
    return redirect(back)


@require_http_methods(["GET", "POST"])
def licence_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, Role.SUPERVISOR)
    profile = selectors.profile_of(request.user)
    form = LicenceForm(request.POST or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            services.hours_profile_save(profile=form.save(commit=False), by=request.user)
            messages.success(request, "Your licence is saved. Signatures from now on record it.")
            return redirect("hours:to_sign")
        messages.error(request, "Nothing was saved: see below.")
    return render(request, "hours/licence.html", {"form": form})


# --- Ending a supervision ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def supervision_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Both people see the unsigned periods of the supervision before it ends; the supervisor
    signs them here (or within the grace after), and either of them ends it."""
    relationship = get_object_or_404(
        SupervisionRelationship.objects.current().select_related("supervisor", "supervisee"),
        pk=pk,
    )
    if request.user.pk not in (relationship.supervisor_id, relationship.supervisee_id):
        raise Http404
    supervisor, supervisee = relationship.supervisor, relationship.supervisee
    today = timezone.localdate()
    span_rows = selectors.periods_to_sign(
        supervisor, {supervisee.pk: signing_spans(supervisor, supervisee, today)}, today
    )
    unsigned = span_rows[0].periods if span_rows else ()
    is_supervisor = request.user.pk == supervisor.pk
    if request.method == "POST" and request.POST.get("action") == "sign":
        if not is_supervisor:
            raise PermissionDenied("Only the supervisor signs hours.")
        form = SignPeriodsForm(request.POST, choices=_sign_choices(unsigned))
        return _sign(request, supervisee, form, back=request.path)
    if request.method == "POST":
        try:
            services.supervision_end(relationship=relationship, by=request.user)
        except services.HoursError as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
        messages.success(request, "The supervision has ended.")
        if request.user.pk == supervisor.pk:
            return redirect("hours:to_sign")
        return redirect("hours:overview")
    return render(
        request,
        "hours/supervision_end.html",
        {
            "relationship": relationship,
            "unsigned": unsigned,
            "is_supervisor": is_supervisor,
            "form": SignPeriodsForm(choices=_sign_choices(unsigned)) if is_supervisor else None,
        },
    )


def supervisions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Her or his current supervisions, each with a way to end it (through its periods)."""
    require_role(request.user, Role.SUPERVISEE, Role.SUPERVISOR)
    field = "supervisor" if request.user.role == Role.SUPERVISOR else "supervisee"
    rows = (
        SupervisionRelationship.objects.current()
        .filter(**{field: request.user})
        .select_related("supervisor", "supervisee")
        .order_by("starts_on")
    )
    return render(request, "hours/supervisions.html", {"rows": rows, "field": field})
