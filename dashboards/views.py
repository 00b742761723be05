"""Dashboards and group work: pages that read across supervision, cases and reflections."""

import csv
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cases import services as case_services
from cases.forms import ShareLogForm
from cases.models import LogShare, SessionLog, note_fields_via
from reflections import services as reflection_services
from supervision import access, audit
from supervision import services as group_services
from supervision.forms import refusal
from supervision.models import AuditAction, GroupMeeting, Role, SupervisionGroup, User
from supervision.rota import presenter_rota

from . import charts, selectors
from .forms import AddMemberForm, GroupCommentForm, MeetingForm, WindowForm


def _weeks(request: HttpRequest) -> int:
    form = WindowForm(request.GET)
    return form.cleaned_data["weeks"] if form.is_valid() else selectors.DEFAULT_WEEKS


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return response


# ------------------------------------------------------------------ personal


def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    weeks = _weeks(request)
    if user.role == Role.SUPERVISEE:
        data = selectors.supervisee_dashboard(user, weeks=weeks)
        if request.GET.get("format") == "csv":
            return _csv_response("my-dashboard.csv", *_supervisee_csv(data))
        return render(
            request,
            "dashboards/supervisee.html",
            {"d": data, "windows": selectors.WINDOWS, **_figures(data, _supervisee_charts)},
        )
    if user.role == Role.SUPERVISOR:
        data = selectors.supervisor_dashboard(user, weeks=weeks)
        if request.GET.get("format") == "csv":
            return _csv_response("supervision-dashboard.csv", *_supervisor_csv(data))
        return render(
            request,
            "dashboards/supervisor.html",
            {"d": data, "windows": selectors.WINDOWS, **_figures(data)},
        )
    raise PermissionDenied("Dashboards are for supervisees and supervisors.")


def _figures(data, charts_of=None) -> dict:
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


# --------------------------------------------------------------------- groups


def visible_group_or_404(request: HttpRequest, pk: int) -> SupervisionGroup:
    return get_object_or_404(
        access.visible_groups(request.user).select_related("facilitator"), pk=pk
    )


def group_list(request: HttpRequest) -> HttpResponse:
    groups = access.visible_groups(request.user).select_related("facilitator")
    return render(request, "dashboards/group_list.html", {"groups": groups})


def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = visible_group_or_404(request, pk)
    is_facilitator = group.facilitator_id == request.user.pk
    meeting = group_services.upcoming_meeting(group)
    memberships = list(
        group.memberships.current().select_related("member").order_by("member__display_name")
    )
    me = next((m for m in memberships if m.member_id == request.user.pk), None)
    shares = (
        LogShare.objects.active()
        .filter(group=group)
        .select_related("log__author")
        .defer(*note_fields_via("log"))
        .order_by("-shared_at")
    )
    return render(
        request,
        "dashboards/group_detail.html",
        {
            "group": group,
            "is_facilitator": is_facilitator,
            "memberships": memberships,
            "me": me,
            "meeting": meeting,
            "absent_ids": {u.pk for u in meeting.absent.all()} if meeting else set(),
            "rota": presenter_rota(group, before=meeting.starts_at if meeting else None),
            "shares": shares,
            "add_form": AddMemberForm() if is_facilitator else None,
            "meeting_form": MeetingForm() if is_facilitator else None,
        },
    )


def group_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    group = visible_group_or_404(request, pk)
    data = selectors.group_dashboard(group, weeks=_weeks(request))
    if request.GET.get("format") == "csv":
        return _csv_response(f"group-{group.pk}-dashboard.csv", *_group_csv(data))
    return render(
        request,
        "dashboards/group.html",
        {
            "d": data,
            "windows": selectors.WINDOWS,
            "min_people": selectors.MIN_PEOPLE,
            **_figures(data, _group_charts),
        },
    )


def _group_charts(d: selectors.GroupDashboard) -> dict:
    month_labels = [f"{m:%b %Y}" for m in d.months]
    return {
        "pattern_chart": partial(
            charts.bar_chart,
            title=f"Patterns across the group, last {d.weeks} weeks",
            labels=[t.name for t in d.patterns],
            values=[t.current for t in d.patterns],
        ),
        "presentation_chart": partial(
            charts.stacked_columns,
            title="Client presentations by month",
            labels=month_labels,
            series=[charts.Series(name, v) for name, v in d.presentations.items()],
        ),
        "month_labels": month_labels,
    }


def _group_csv(d: selectors.GroupDashboard):
    rows = [("pattern", t.name, f"last {d.weeks} weeks", t.current, t.previous) for t in d.patterns]
    rows += [("question theme", name, f"last {d.weeks} weeks", n, "") for name, n in d.questions]
    rows += [("practice", name, f"last {d.weeks} weeks", n, "") for name, n in d.practices]
    for name, values in d.presentations.items():
        rows += [
            ("client presentation", name, f"{m:%Y-%m}", v, "")
            for m, v in zip(d.months, values, strict=True)
        ]
    header = ["figure", "item", "period", "value", "previous period"]
    return header, rows


@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = visible_group_or_404(request, pk)
    access.require_facilitator(request.user, group)
    form = AddMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a supervisee to add.")
        return redirect("dashboards:group_detail", pk=group.pk)
    try:
        group_services.group_member_add(
            group=group, member=form.cleaned_data["member"], by=request.user
        )
    except group_services.GroupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{form.cleaned_data['member']} joined the group.")
    return redirect("dashboards:group_detail", pk=group.pk)


@require_POST
def member_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    group = visible_group_or_404(request, pk)
    access.require_facilitator(request.user, group)
    member = get_object_or_404(access.current_group_members(group), pk=user_pk)
    group_services.group_member_remove(group=group, member=member, by=request.user)
    messages.success(request, f"{member} has left the group; their access ended today.")
    return redirect("dashboards:group_detail", pk=group.pk)


@require_POST
def show_name(request: HttpRequest, pk: int) -> HttpResponse:
    group = visible_group_or_404(request, pk)
    show = request.POST.get("show") == "1"
    try:
        group_services.membership_show_name(group=group, member=request.user, show=show)
    except group_services.GroupError as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(
        request,
        "Your name is shown on the group dashboard."
        if show
        else "You are anonymous on the group dashboard.",
    )
    return redirect("dashboards:group_detail", pk=group.pk)


@require_POST
def meeting_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    group = visible_group_or_404(request, pk)
    access.require_facilitator(request.user, group)
    form = MeetingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("starts_at", ["Enter a date and time."])))
        return redirect("dashboards:group_detail", pk=group.pk)
    meeting = group_services.group_meeting_schedule(
        group=group, starts_at=form.cleaned_data["starts_at"], by=request.user
    )
    who = meeting.presenter or "nobody (no members)"
    messages.success(request, f"Meeting set. Presenting: {who}.")
    return redirect("dashboards:group_detail", pk=group.pk)


@require_POST
def meeting_absence(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    group = visible_group_or_404(request, pk)
    access.require_facilitator(request.user, group)
    meeting = get_object_or_404(GroupMeeting.objects.filter(group=group), pk=meeting_pk)
    member_id = request.POST.get("member", "")
    member = get_object_or_404(
        access.current_group_members(group), pk=member_id if member_id.isdecimal() else 0
    )
    group_services.group_meeting_set_absent(
        meeting=meeting, member=member, absent=request.POST.get("absent") == "1", by=request.user
    )
    return redirect("dashboards:group_detail", pk=group.pk)


# ---------------------------------------------------------------- shared logs


def shared_log(request: HttpRequest, pk: int, share_pk: int) -> HttpResponse:
    group = visible_group_or_404(request, pk)
    share = get_object_or_404(
        LogShare.objects.visible_to(request.user)
        .filter(group=group)
        .select_related("log__author")
        .prefetch_related("log__tags__pattern__family", "log__presentations", "comments__author"),
        pk=share_pk,
    )
    audit.record(
        actor=request.user, action=AuditAction.VIEW, obj=share.log, owner=share.log.author_id
    )
    return render(
        request,
        "dashboards/shared_log.html",
        {"group": group, "share": share, "log": share.log, "form": GroupCommentForm()},
    )


@require_POST
def shared_log_comment(request: HttpRequest, pk: int, share_pk: int) -> HttpResponse:
    group = visible_group_or_404(request, pk)
    share = get_object_or_404(
        LogShare.objects.visible_to(request.user).filter(group=group), pk=share_pk
    )
    form = GroupCommentForm(request.POST)
    if form.is_valid():
        reflection_services.group_comment_add(
            share=share, author=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, "Added to the discussion.")
    else:
        messages.error(
            request, refusal(form, "A comment needs some text (at most 2,000 characters).")
        )
    return redirect("dashboards:shared_log", pk=group.pk, share_pk=share.pk)


@require_POST
def log_share(request: HttpRequest, log_pk: int) -> HttpResponse:
    log = get_object_or_404(SessionLog.objects.visible_to(request.user), pk=log_pk)
    if log.author_id != request.user.pk:
        raise PermissionDenied("Only the author can share a log.")
    form = ShareLogForm(request.POST, groups=_my_member_groups(request.user))
    if not form.is_valid():
        messages.error(request, "Choose one of your groups.")
        return redirect(log)
    try:
        case_services.log_share(log=log, group=form.cleaned_data["group"], by=request.user)
    except case_services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Shared with {form.cleaned_data['group']}. You can withdraw it at any time."
        )
    return redirect(log)


@require_POST
def share_withdraw(request: HttpRequest, share_pk: int) -> HttpResponse:
    share = get_object_or_404(
        LogShare.objects.active().filter(log__in=SessionLog.objects.visible_to(request.user)),
        pk=share_pk,
    )
    if share.log.author_id != request.user.pk:
        raise PermissionDenied("Only the author can withdraw a shared log.")
    case_services.log_share_withdraw(share=share, by=request.user)
    messages.success(request, f"Withdrawn from {share.group}; the group no longer sees it.")
    return redirect(share.log)


def _my_member_groups(user: User):
    return access.member_groups(user)
