"""Group pages: the group, its members and meetings, and the logs shared with it."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cases import log_page
from cases.models import LogStatus, SessionLog, note_fields_via
from dashboards import charts
from dashboards.selectors import WINDOWS
from dashboards.views import csv_response, figures_context, window_weeks
from supervision import audit
from supervision.forms import refusal
from supervision.http import AuthenticatedHttpRequest
from supervision.models import AuditAction

from . import access, selectors, services
from .forms import AddMemberForm, GroupCommentForm, MeetingForm, ShareLogForm
from .models import GroupMeeting, LogShare
from .rota import presenter_rota


def group_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    groups = access.visible_groups(request.user).select_related("facilitator")
    return render(request, "groups/group_list.html", {"groups": groups})


def group_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = access.visible_group_or_404(request.user, pk)
    is_facilitator = group.facilitator_id == request.user.pk
    meeting = selectors.upcoming_meeting(group)
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
        "groups/group_detail.html",
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


@require_POST
def member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = access.visible_group_or_404(request.user, pk)
    access.require_facilitator(request.user, group)
    form = AddMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a supervisee to add.")
        return redirect("groups:group_detail", pk=group.pk)
    try:
        services.group_member_add(group=group, member=form.cleaned_data["member"], by=request.user)
    except services.GroupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{form.cleaned_data['member']} joined the group.")
    return redirect("groups:group_detail", pk=group.pk)


@require_POST
def member_remove(request: AuthenticatedHttpRequest, pk: int, user_pk: int) -> HttpResponse:
    group = access.visible_group_or_404(request.user, pk)
    access.require_facilitator(request.user, group)
    member = get_object_or_404(access.current_group_members(group), pk=user_pk)
    services.group_member_remove(group=group, member=member, by=request.user)
    messages.success(request, f"{member} has left the group; their access ended today.")
    return redirect("groups:group_detail", pk=group.pk)


@require_POST
def show_name(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = access.visible_group_or_404(request.user, pk)
    show = request.POST.get("show") == "1"
    try:
        services.membership_show_name(group=group, member=request.user, show=show)
    except services.GroupError as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(
        request,
        "Your name is shown on the group dashboard."
        if show
        else "You are anonymous on the group dashboard.",
    )
    return redirect("groups:group_detail", pk=group.pk)


@require_POST
def meeting_schedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = access.visible_group_or_404(request.user, pk)
    access.require_facilitator(request.user, group)
    form = MeetingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("starts_at", ["Enter a date and time."])))
        return redirect("groups:group_detail", pk=group.pk)
    meeting = services.group_meeting_schedule(
        group=group, starts_at=form.cleaned_data["starts_at"], by=request.user
    )
    who = meeting.presenter or "nobody (no members)"
    messages.success(request, f"Meeting set. Presenting: {who}.")
    return redirect("groups:group_detail", pk=group.pk)


@require_POST
def meeting_absence(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    group = access.visible_group_or_404(request.user, pk)
    access.require_facilitator(request.user, group)
    meeting = get_object_or_404(GroupMeeting.objects.filter(group=group), pk=meeting_pk)
    member_id = request.POST.get("member", "")
    member = get_object_or_404(
        access.current_group_members(group), pk=member_id if member_id.isdecimal() else 0
    )
    services.group_meeting_set_absent(
        meeting=meeting, member=member, absent=request.POST.get("absent") == "1", by=request.user
    )
    return redirect("groups:group_detail", pk=group.pk)


# ---------------------------------------------------------------- shared logs


def shared_log(request: AuthenticatedHttpRequest, pk: int, share_pk: int) -> HttpResponse:
    group = access.visible_group_or_404(request.user, pk)
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
        "groups/shared_log.html",
        {"group": group, "share": share, "log": share.log, "form": GroupCommentForm()},
    )


@require_POST
def shared_log_comment(request: AuthenticatedHttpRequest, pk: int, share_pk: int) -> HttpResponse:
    group = access.visible_group_or_404(request.user, pk)
    share = get_object_or_404(
        LogShare.objects.visible_to(request.user).filter(group=group), pk=share_pk
    )
    form = GroupCommentForm(request.POST)
    if form.is_valid():
        services.group_comment_add(share=share, author=request.user, text=form.cleaned_data["text"])
        messages.success(request, "Added to the discussion.")
    else:
        messages.error(
            request, refusal(form, "A comment needs some text (at most 2,000 characters).")
        )
    return redirect("groups:shared_log", pk=group.pk, share_pk=share.pk)


@require_POST
def log_share(request: AuthenticatedHttpRequest, log_pk: int) -> HttpResponse:
    log = get_object_or_404(SessionLog.objects.visible_to(request.user), pk=log_pk)
    if log.author_id != request.user.pk:
        raise PermissionDenied("Only the author can share a log.")
    form = ShareLogForm(request.POST, groups=access.member_groups(request.user))
    if not form.is_valid():
        messages.error(request, "Choose one of your groups.")
        return redirect(log)
    try:
        services.log_share(log=log, group=form.cleaned_data["group"], by=request.user)
    except services.GroupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Shared with {form.cleaned_data['group']}. You can withdraw it at any time."
        )
    return redirect(log)


@require_POST
def share_withdraw(request: AuthenticatedHttpRequest, share_pk: int) -> HttpResponse:
    share = get_object_or_404(
        LogShare.objects.active().filter(log__in=SessionLog.objects.visible_to(request.user)),
        pk=share_pk,
    )
    if share.log.author_id != request.user.pk:
        raise PermissionDenied("Only the author can withdraw a shared log.")
    services.log_share_withdraw(share=share, by=request.user)
    messages.success(request, f"Withdrawn from {share.group}; the group no longer sees it.")
    return redirect(share.log)


# ------------------------------------------------------------------- dashboard


def group_dashboard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = access.visible_group_or_404(request.user, pk)
    data = selectors.group_dashboard(group, weeks=window_weeks(request))
    if request.GET.get("format") == "csv":
        return csv_response(f"group-{group.pk}-dashboard.csv", *_group_csv(data))
    return render(
        request,
        "groups/dashboard.html",
        {
            "d": data,
            "windows": WINDOWS,
            "min_people": selectors.MIN_PEOPLE,
            # A pattern with neither figure shown says nothing: it is left out of the table.
            "shown_patterns": [
                t for t in data.patterns if t.current is not None or t.previous is not None
            ],
            **figures_context(data, _group_charts),
        },
    )


def _group_charts(d: selectors.GroupDashboard) -> dict:
    """Each chart twice: at full width, and narrower for phones (the template shows one), so
    its text is drawn at a legible size on a 375 px screen rather than scaled down."""
    month_labels = [f"{m:%b %Y}" for m in d.months]
    shown = [t for t in d.patterns if t.current is not None] or d.families
    period = _period(d)

    def patterns(width: int):
        return partial(
            charts.bar_chart,
            title=f"Patterns across the group, {period}",
            labels=[t.name for t in shown],
            values=[t.current for t in shown],
            width=width,
            labels_above=True,
        )

    def presentations(width: int):
        return partial(
            charts.stacked_columns,
            title=f"Client presentations by month, {period}",
            labels=[f"{m:%b %y}" for m in d.months],
            series=[charts.Series(name, v) for name, v in d.presentations.items()],
            width=width,
        )

    return {
        "pattern_chart": patterns(640),
        "pattern_chart_narrow": patterns(320),
        "presentation_chart": presentations(640),
        "presentation_chart_narrow": presentations(320),
        "month_labels": month_labels,
        "period": period,
    }


def _period(d: selectors.GroupDashboard) -> str:
    """The closed months a window covers, in words: "Oct 2026" or "Sep 2025 to Oct 2026"."""
    return _period_of(d.window)


def _group_csv(d: selectors.GroupDashboard):
    period = _period(d)
    before = _period_of(d.previous_months)
    rows = [("pattern", t.name, period, t.current, t.previous) for t in d.patterns]
    rows += [("pattern family", t.name, period, t.current, t.previous) for t in d.families]
    rows += [("question theme", name, period, n, "") for name, n in d.questions]
    rows += [("practice", name, period, n, "") for name, n in d.practices]
    for name, values in d.presentations.items():
        rows += [
            ("client presentation", name, f"{m:%Y-%m}", v, "")
            for m, v in zip(d.months, values, strict=True)
        ]
    header = ["figure", "item", "period", "value", f"previous period ({before})"]
    return header, rows


def _period_of(months) -> str:
    if len(months) == 1:
        return f"{months[0]:%b %Y}"
    return f"{months[0]:%b %Y} to {months[-1]:%b %Y}" if months else ""


def log_share_panel(
    request: AuthenticatedHttpRequest, log: SessionLog, is_author: bool
) -> dict | None:
    """The log page's "Group discussion" panel: her shares of this log, and a form to share
    it with a group she belongs to. Only the author sees it."""
    if not is_author:
        return None
    shares = list(log.shares.active().select_related("group")) if log.has_shares else []
    form = ShareLogForm(groups=access.member_groups(request.user))
    field = form.fields["group"]
    field.choices = list(iter(field.choices))  # iter(): no COUNT query for the length
    share_form = form if field.choices else None
    if not (shares or (share_form and log.status != LogStatus.DRAFT)):
        return None
    return {"shares": shares, "share_form": share_form}


LOG_SHARE_PANEL = log_page.LogPagePanel(
    name="group_shares",
    slot="before_log",
    template="groups/_log_share_panel.html",
    context=log_share_panel,
    annotations=lambda: {
        "has_shares": Exists(LogShare.objects.active().filter(log_id=OuterRef("pk")))
    },
)
