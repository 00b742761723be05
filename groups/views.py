"""Group pages: the group, its members and meetings, and the logs shared with it."""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.two_factor import two_factor_exempt
from cases import log_page
from cases.models import LogStatus, SessionLog, note_fields_via
from dashboards import charts
from dashboards.selectors import WINDOWS
from dashboards.views import csv_response, figures_context, window_weeks
from supervision import audit
from supervision.forms import refusal
from supervision.http import AuthenticatedHttpRequest
from supervision.models import AuditAction

from . import access, ical, selectors, services
from .forms import (
    GroupCommentForm,
    InviteMemberForm,
    MeetingForm,
    ShareLogForm,
    SharePreviewForm,
    TakeawayForm,
    share_form_drawn,
)
from .models import CalendarFeed, GroupInvitation, GroupMeeting, LogShare
from .rota import presenter_rota


def group_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    groups = access.visible_groups(request.user).select_related("facilitator")
    invitations = GroupInvitation.objects.pending().filter(person=request.user)
    return render(
        request,
        "groups/group_list.html",
        {
            "groups": groups,
            "invitations": invitations.select_related("group__facilitator", "invited_by"),
        },
    )


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
            "upcoming": selectors.upcoming_meetings(group),
            "past": selectors.past_meetings(group),
            "has_feed": CalendarFeed.objects.active().filter(person=request.user).exists(),
            "absent_ids": {u.pk for u in meeting.absent.all()} if meeting else set(),
            "rota": presenter_rota(group, before=meeting.starts_at if meeting else None),
            "shares": shares,
            "invite_form": InviteMemberForm(people=services.invitable_people(group))
            if is_facilitator
            else None,
            "invited": GroupInvitation.objects.pending()
            .filter(group=group)
            .select_related("person")
            if is_facilitator
            else (),
            "meeting_form": MeetingForm() if is_facilitator else None,
        },
    )


@require_POST
def member_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = access.visible_group_or_404(request.user, pk)
    access.require_facilitator(request.user, group)
    form = InviteMemberForm(request.POST, people=services.invitable_people(group))
    if not form.is_valid():
        messages.error(
            request, "Choose a supervisee who is not already in the group or invited to it."
        )
        return redirect("groups:group_detail", pk=group.pk)
    person = form.cleaned_data["member"]
    try:
        services.group_member_invite(group=group, person=person, by=request.user)
    except services.GroupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{person} is invited; she joins the group if she accepts.")
    return redirect("groups:group_detail", pk=group.pk)


def _answer(request: AuthenticatedHttpRequest, invitation_pk: int, accept: bool) -> HttpResponse:
    invitation = get_object_or_404(
        GroupInvitation.objects.pending().filter(person=request.user).select_related("group"),
        pk=invitation_pk,
    )
    try:
        services.group_invitation_answer(invitation=invitation, by=request.user, accept=accept)
    except services.GroupError as exc:
        messages.error(request, str(exc))
        return redirect("groups:group_list")
    if accept:
        messages.success(request, f"You joined {invitation.group}.")
        return redirect("groups:group_detail", pk=invitation.group_id)
    messages.success(request, f"You declined the invitation to {invitation.group}.")
    return redirect("groups:group_list")


@require_POST
def invitation_accept(request: AuthenticatedHttpRequest, invitation_pk: int) -> HttpResponse:
    return _answer(request, invitation_pk, accept=True)


@require_POST
def invitation_decline(request: AuthenticatedHttpRequest, invitation_pk: int) -> HttpResponse:
    return _answer(request, invitation_pk, accept=False)


@require_http_methods(["GET", "POST"])
def member_remove(request: AuthenticatedHttpRequest, pk: int, user_pk: int) -> HttpResponse:
    """GET: what removal does, and a button; POST: remove."""
    group = access.visible_group_or_404(request.user, pk)
    access.require_facilitator(request.user, group)
    member = get_object_or_404(access.current_group_members(group), pk=user_pk)
    if request.method != "POST":
        return render(
            request,
            "groups/member_remove.html",
            {"group": group, "member": member, "leaving": False},
        )
    services.group_member_remove(group=group, member=member, by=request.user)
    messages.success(
        request,
        f"{member} is no longer a member; their access ended and their shares were withdrawn.",
    )
    return redirect("groups:group_detail", pk=group.pk)


@require_http_methods(["GET", "POST"])
def group_leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A member leaves herself: GET asks, POST leaves. The facilitator cannot leave."""
    group = access.visible_group_or_404(request.user, pk)
    if not access.is_current_member(request.user, group):
        raise PermissionDenied("Only a member can leave the group.")
    if request.method != "POST":
        return render(
            request,
            "groups/member_remove.html",
            {"group": group, "member": request.user, "leaving": True},
        )
    services.group_member_remove(group=group, member=request.user, by=request.user)
    messages.success(request, f"You left {group}. Your shared logs were withdrawn from it.")
    return redirect("groups:group_list")


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


def meeting_detail(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """The meeting's page: who presents, the log she brought (a link to the shared-log page,
    which shows members what it always shows), the patterns tagged on it as suggested
    topics, and the facilitator's "what we took away" note."""
    group = access.visible_group_or_404(request.user, pk)
    meeting = get_object_or_404(
        GroupMeeting.objects.filter(group=group).select_related("presenter"), pk=meeting_pk
    )
    is_facilitator = group.facilitator_id == request.user.pk
    share = selectors.meeting_share(meeting)
    return render(
        request,
        "groups/meeting_detail.html",
        {
            "group": group,
            "meeting": meeting,
            "share": share,
            "topics": share.log.tag_names if share else [],
            "today": timezone.localtime(),
            "is_facilitator": is_facilitator,
            "takeaway_form": TakeawayForm(initial={"takeaway": meeting.takeaway})
            if is_facilitator
            else None,
        },
    )


@require_POST
def meeting_takeaway(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    group = access.visible_group_or_404(request.user, pk)
    access.require_facilitator(request.user, group)
    meeting = get_object_or_404(GroupMeeting.objects.filter(group=group), pk=meeting_pk)
    form = TakeawayForm(request.POST)
    if not form.is_valid():
        messages.error(request, refusal(form, "Keep the note to 500 characters."))
    else:
        services.group_meeting_takeaway(
            meeting=meeting, text=form.cleaned_data["takeaway"], by=request.user
        )
        messages.success(request, "Saved on the group's record.")
    return redirect("groups:meeting_detail", pk=group.pk, meeting_pk=meeting.pk)


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def meeting_calendar(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The group's meetings still to come, as a file for her calendar."""
    group = access.visible_group_or_404(request.user, pk)
    meetings = ical.upcoming_for(request.user, groups=[group.pk])
    return _ics_response(ical.ics(request.user, meetings), f"group-{group.pk}-meetings.ics")


def _back_to_group(request: AuthenticatedHttpRequest) -> HttpResponse:
    """To the group page she came from, if it is one of hers; otherwise her groups."""
    pk = request.POST.get("group", "")
    if pk.isdecimal() and access.visible_groups(request.user).filter(pk=pk).exists():
        return redirect("groups:group_detail", pk=int(pk))
    return redirect("groups:group_list")


def _require_not_staff(request: AuthenticatedHttpRequest) -> None:
    # Administrators belong to no group; a feed would only ever be empty.
    if request.user.is_staff:
        raise PermissionDenied("Administrators take part in no group meetings.")


@require_POST
@never_cache
def calendar_feed_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Revoke her feed link, if any, and show a new one, once: only its hash is kept."""
    _require_not_staff(request)
    _feed, token = services.calendar_feed_new(person=request.user)
    url = settings.SITE_URL + reverse("groups:calendar_feed", args=[token])
    pk = request.POST.get("group", "")
    group = access.visible_groups(request.user).filter(pk=pk).first() if pk.isdecimal() else None
    return render(request, "groups/calendar_feed.html", {"feed_url": url, "group": group})


@require_POST
def calendar_feed_revoke(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_not_staff(request)
    if services.calendar_feed_revoke(person=request.user):
        messages.success(request, "Your calendar feed link no longer works.")
    else:
        messages.info(request, "You had no calendar feed link.")
    return _back_to_group(request)


@login_not_required
@two_factor_exempt
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Her meetings for a calendar app, which cannot log in: the secret link is the key. It
    answers for the groups she is in today, and 404 once revoked (or never made)."""
    feed = services.calendar_feed_for_token(token)
    if feed is None:
        raise Http404("No such calendar.")
    person = feed.person
    return _ics_response(ical.ics(person, ical.upcoming_for(person)), "meetings.ics")


# ---------------------------------------------------------------- shared logs


def shared_log(request: AuthenticatedHttpRequest, pk: int, share_pk: int) -> HttpResponse:
    """The group's view of a shared log and its discussion. Its author keeps reading it
    after she withdraws it or leaves; only an active share in her group takes comments."""
    share = get_object_or_404(
        LogShare.objects.readable_by(request.user)
        .filter(group_id=pk)
        .select_related("log__author", "group__facilitator")
        .prefetch_related("log__tags__pattern__family", "log__presentations", "comments__author"),
        pk=share_pk,
    )
    group = share.group
    open_to_comments = LogShare.objects.visible_to(request.user).filter(pk=share.pk).exists()
    audit.record(
        actor=request.user, action=AuditAction.VIEW, obj=share.log, owner=share.log.author_id
    )
    return render(
        request,
        "groups/shared_log.html",
        {
            "group": group,
            "share": share,
            "log": share.log,
            "show_ratings": share.show_ratings,
            "form": GroupCommentForm() if open_to_comments else None,
            "in_group": access.visible_groups(request.user).filter(pk=group.pk).exists(),
        },
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


@require_http_methods(["GET", "POST"])
def log_share(request: AuthenticatedHttpRequest, log_pk: int) -> HttpResponse:
    """GET (from the log page's group choice): a preview of exactly what the group will see,
    with the ratings choice; POST (from the preview): share."""
    log = get_object_or_404(
        SessionLog.objects.visible_to(request.user).prefetch_related(
            "tags__pattern__family", "presentations"
        ),
        pk=log_pk,
    )
    if log.author_id != request.user.pk:
        raise PermissionDenied("Only the author can share a log.")
    groups = access.member_groups(request.user)
    if request.method != "POST":
        choice = ShareLogForm(request.GET, groups=groups)
        if not choice.is_valid():
            messages.error(request, "Choose one of your groups.")
            return redirect(log)
        group = choice.cleaned_data["group"]
        form = SharePreviewForm(initial={"group": group.pk}, groups=groups)
        show = request.GET.get("show_ratings") == "on"
        if show:
            form.initial["show_ratings"] = True
        return render(
            request,
            "groups/share_preview.html",
            {"log": log, "group": group, "form": form, "show_ratings": show},
        )
    form = SharePreviewForm(request.POST, groups=groups)
    if not form.is_valid():
        messages.error(request, "Choose one of your groups.")
        return redirect(log)
    group = form.cleaned_data["group"]
    try:
        services.log_share(
            log=log, group=group, by=request.user, show_ratings=form.cleaned_data["show_ratings"]
        )
    except services.GroupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Shared with {group}. You can withdraw it at any time.")
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
        "groups/dashboard.jinja",
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
    every = list(log.shares.select_related("group")) if log.has_shares else []
    shares = [s for s in every if s.withdrawn_at is None]
    # Withdrawn (by her, or when she left the group): she keeps reading their discussion.
    past = [s for s in every if s.withdrawn_at is not None]
    # The groups she may share with, in the order the form offers them; the form, drawn
    # once per process for the same choices (share_form_drawn), only when there are some.
    choices = tuple(access.member_group_choices(request.user))
    share_form = share_form_drawn(choices) if choices else None
    if not (shares or past or (share_form and log.status != LogStatus.DRAFT)):
        return None
    return {"shares": shares, "past": past, "share_form": share_form}


LOG_SHARE_PANEL = log_page.LogPagePanel(
    name="group_shares",
    slot="before_log",
    template="groups/_log_share_panel.jinja",
    context=log_share_panel,
    annotations=lambda: {"has_shares": Exists(LogShare.objects.filter(log_id=OuterRef("pk")))},
)
