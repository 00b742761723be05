"""Writes for group supervision: members, meetings and the presenter rota, shared logs
and their discussion. Each function is one person's action, all or nothing."""

import datetime
import secrets

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import secret_hash
from cases.models import LogStatus, SessionLog
from supervision import audit
from supervision.models import AuditAction, Role, User
from supervision.notifications import notification_send

from . import access
from .models import (
    TAKEAWAY_LIMIT,
    CalendarFeed,
    GroupComment,
    GroupInvitation,
    GroupMeeting,
    GroupMembership,
    LogShare,
    SupervisionGroup,
)
from .rota import next_presenter

FEED_PURPOSE = "calendar-feed"


class GroupError(Exception):
    """The action does not fit; the message is shown to the person."""


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def membership_recorded(
    *, membership: GroupMembership, by: User | None, action: AuditAction, what: str
) -> None:
    """A membership began, changed, ended or went: the audit row names who did it, and the
    member and the facilitator are told (memberships open shared logs to people)."""
    audit.record(actor=by, action=action, obj=membership, owner=membership.member_id)
    who = by.display_name if by is not None and by.is_authenticated else "The system"
    group = membership.group
    notification_send(
        recipients={membership.member, group.facilitator},
        message=_short(f"{who} {what} {membership.member}'s membership of {group}."),
        url=reverse("groups:group_detail", args=[group.pk]),
    )


@transaction.atomic
def group_delete(*, group: SupervisionGroup, by: User | None) -> None:
    """An administrator deletes a group, and its meetings with it. Each current member is
    told and audited (`membership_recorded`); a former member is audited without a notice,
    since the meetings she attended leave her hours too."""
    current = set(group.memberships.current().values_list("pk", flat=True))
    for membership in group.memberships.select_related("member", "group__facilitator"):
        if membership.pk in current:
            membership_recorded(
                membership=membership, by=by, action=AuditAction.DELETE, what="removed"
            )
        else:
            audit.record(
                actor=by, action=AuditAction.DELETE, obj=membership, owner=membership.member_id
            )
    group.delete()


def facilitator_recorded(
    *, group: SupervisionGroup, by: User | None, created: bool, before: User | None = None
) -> None:
    """A group was set up or handed to another facilitator: audited, and both told."""
    audit.record(actor=by, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=group)
    who = by.display_name if by is not None and by.is_authenticated else "The system"
    notification_send(
        recipients={p for p in (group.facilitator, before) if p is not None},
        message=_short(f"{who} made {group.facilitator} the facilitator of {group}."),
        url=reverse("groups:group_detail", args=[group.pk]),
    )


def invitation_problem(group: SupervisionGroup, person: User) -> str | None:
    """Why `person` cannot be invited to (or join) `group` now; None when she can."""
    if person.pk == group.facilitator_id:
        return "The facilitator runs the group; invite members only."
    if access.is_current_member(person, group):
        return f"{person} is already a member."
    if not person.is_active:
        return f"{person}'s account is not active."
    problem = GroupMembership(group=group, member=person).role_problems()
    return " ".join(problem.values()) if problem else None


def invitable_people(group: SupervisionGroup):
    """Who a facilitator may invite: active supervisees not in the group today and not
    already invited (an invitation waiting for an answer)."""
    return (
        User.objects.filter(role=Role.SUPERVISEE, is_active=True, is_staff=False)
        .exclude(pk=group.facilitator_id)
        .exclude(pk__in=GroupMembership.objects.current().filter(group=group).values("member_id"))
        .exclude(pk__in=GroupInvitation.objects.pending().filter(group=group).values("person_id"))
        .order_by("display_name", "pk")
    )


@transaction.atomic
def group_member_invite(*, group: SupervisionGroup, person: User, by: User) -> GroupInvitation:
    """The facilitator asks; she becomes a member only when she accepts."""
    access.require_facilitator(by, group)
    problem = invitation_problem(group, person)
    if problem:
        raise GroupError(problem)
    if GroupInvitation.objects.pending().filter(group=group, person=person).exists():
        raise GroupError(f"{person} has already been invited and has not answered yet.")
    invitation = GroupInvitation.objects.create(group=group, person=person, invited_by=by)
    audit.record(actor=by, action=AuditAction.CREATE, obj=invitation, owner=person)
    notification_send(
        recipients={person},
        message=_short(f"{by} invited you to join {group}. Accept or decline on the groups page."),
        url=reverse("groups:group_list"),
    )
    return invitation


@transaction.atomic
def group_invitation_answer(
    *, invitation: GroupInvitation, by: User, accept: bool
) -> GroupMembership | None:
    """She accepts (membership from today) or declines; either way the facilitator is told."""
    if by.pk != invitation.person_id:
        raise GroupError("Only the person invited can answer this invitation.")
    answered = GroupInvitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(
        answered_at=timezone.now(), accepted=accept
    )
    if not answered:
        raise GroupError("This invitation has already been answered.")
    invitation.refresh_from_db()
    group = invitation.group
    membership = None
    if accept:
        problem = invitation_problem(group, by)
        if problem:
            raise GroupError(problem)
        membership = GroupMembership.objects.create(
            group=group, member=by, joined_on=timezone.localdate()
        )
        audit.record(actor=by, action=AuditAction.CREATE, obj=membership, owner=by)
    audit.record(actor=by, action=AuditAction.UPDATE, obj=invitation, owner=by)
    notification_send(
        recipients={group.facilitator},
        message=_short(
            f"{by} {'accepted' if accept else 'declined'} the invitation to join {group}."
        ),
        url=reverse("groups:group_detail", args=[group.pk]),
    )
    return membership


@transaction.atomic
def group_member_add(*, group: SupervisionGroup, member: User, by: User) -> GroupMembership:
    """Direct add, without an invitation: for administrators (and fixtures). The pages give
    a facilitator only the invitation (group_member_invite), so nobody joins without consent."""
    if not by.is_staff:
        access.require_facilitator(by, group)
    problem = invitation_problem(group, member)
    if problem:
        raise GroupError(problem)
    membership = GroupMembership(group=group, member=member, joined_on=timezone.localdate())
    membership.save()
    membership_recorded(membership=membership, by=by, action=AuditAction.CREATE, what="began")
    return membership


@transaction.atomic
def group_member_remove(*, group: SupervisionGroup, member: User, by: User) -> None:
    """The facilitator removes a member, or she leaves. Access ends now: the last day of the
    membership was yesterday (a membership that began today ends today, which grants nothing,
    see MembershipQuerySet.current); the row stays. Her shares with the group are withdrawn;
    she keeps the discussion of her own logs (LogShare.objects.readable_by)."""
    if by.pk != member.pk:
        access.require_facilitator(by, group)
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    rows = GroupMembership.objects.current().filter(group=group, member=member)
    if not rows.exists():
        raise GroupError(f"{member} is not a current member.")
    what = "ended (she left)" if by.pk == member.pk else "ended"
    for membership in rows.select_related("group__facilitator", "member"):
        membership.left_on = max(yesterday, membership.joined_on)
        membership.save(update_fields=["left_on"])
        membership_recorded(membership=membership, by=by, action=AuditAction.UPDATE, what=what)
    shares = list(
        LogShare.objects.active().filter(group=group, log__author=member).select_related("log")
    )
    LogShare.objects.filter(pk__in=[s.pk for s in shares]).update(withdrawn_at=timezone.now())
    for share in shares:
        audit.record(actor=by, action=AuditAction.UNSHARE, obj=share.log, owner=member)
    # Meetings still to come that they were due to present go to the next in line.
    first_turn = (
        GroupMeeting.objects.filter(group=group, presenter=member, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    if first_turn is not None:
        choose_presenters(first_turn)


@transaction.atomic
def membership_show_name(*, group: SupervisionGroup, member: User, show: bool) -> None:
    rows = list(GroupMembership.objects.current().filter(group=group, member=member))
    if not rows:
        raise GroupError("You are not a current member of this group.")
    for membership in rows:
        if membership.show_name != show:
            membership.show_name = show
            membership.save(update_fields=["show_name"])
            audit.record(actor=member, action=AuditAction.UPDATE, obj=membership, owner=member)


@transaction.atomic
def group_meeting_schedule(
    *, group: SupervisionGroup, starts_at: datetime.datetime, by: User
) -> GroupMeeting:
    access.require_facilitator(by, group)
    if starts_at <= timezone.now():
        raise GroupError("The next meeting has to be in the future.")
    meeting = GroupMeeting.objects.create(group=group, starts_at=starts_at)
    choose_presenters(meeting)
    # Once held it counts toward the hours of each member on its day: an audit row of hers
    # (as for any change to her hours) for everyone whose membership may hold that day.
    day = timezone.localtime(starts_at).date()
    members = (
        GroupMembership.objects.filter(group=group)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .values_list("member_id", flat=True)
        .distinct()
    )
    audit.record_many(
        actor=by,
        action=AuditAction.CREATE,
        model=GroupMeeting,
        objects=[(meeting.pk, member) for member in sorted(members)],
    )
    return meeting


@transaction.atomic
def group_meeting_set_absent(
    *, meeting: GroupMeeting, member: User, absent: bool, by: User
) -> GroupMeeting:
    """Mark apologies. For a meeting still to come the presenter moves on to the next person
    in the rota; a meeting already held keeps the presenter it had (the apologies are
    recorded, the record of who presented is not rewritten)."""
    access.require_facilitator(by, meeting.group)
    if not access.is_current_member(member, meeting.group):
        raise GroupError(f"{member} is not a current member.")
    if absent:
        meeting.absent.add(member)
    else:
        meeting.absent.remove(member)
    # Apologies take the meeting out of her hours (or put it back): audited as hers.
    audit.record(actor=by, action=AuditAction.UPDATE, obj=meeting, owner=member)
    choose_presenters(meeting)
    return meeting


def choose_presenters(meeting: GroupMeeting) -> None:
    """Choose the presenter of `meeting`, then again for each meeting already set after it,
    earliest first: every choice depends on who presents before it. Meetings already held
    keep their presenter."""
    later = (
        GroupMeeting.objects.filter(
            group=meeting.group_id, starts_at__gt=max(meeting.starts_at, timezone.now())
        )
        .prefetch_related("absent")
        .order_by("starts_at")
    )
    # A meeting that has started is a record: its presenter stays whoever it was.
    first = [] if meeting.has_started else [meeting]
    for each in [*first, *later]:
        each.presenter = next_presenter(meeting.group, each)
        each.save(update_fields=["presenter"])


@transaction.atomic
def group_meeting_takeaway(*, meeting: GroupMeeting, text: str, by: User) -> GroupMeeting:
    """The facilitator's short "what we took away" note: one per meeting, on the group's
    record, rewritten in place; the audit row says who wrote it and when (never its text)."""
    access.require_facilitator(by, meeting.group)
    text = text.strip()
    if len(text) > TAKEAWAY_LIMIT:
        raise GroupError(f"Keep the note to {TAKEAWAY_LIMIT} characters.")
    first = not meeting.takeaway
    meeting.takeaway = text
    meeting.takeaway_updated_at = timezone.now()
    meeting.save(update_fields=["takeaway", "takeaway_updated_at"])
    audit.record(actor=by, action=AuditAction.CREATE if first else AuditAction.UPDATE, obj=meeting)
    return meeting


def _feed_hash(token: str) -> str:
    return secret_hash(FEED_PURPOSE, token)


@transaction.atomic
def calendar_feed_new(*, person: User) -> tuple[CalendarFeed, str]:
    """Revoke her feed link, if any, and make a new one. The token is returned once, to be
    shown once; only its keyed hash is stored."""
    calendar_feed_revoke(person=person)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(person=person, token_hash=_feed_hash(token))
    audit.record(actor=person, action=AuditAction.CREATE, obj=feed, owner=person)
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, person: User) -> int:
    """Her feed link stops answering (404) from now on."""
    feeds = list(CalendarFeed.objects.active().filter(person=person))
    for feed in feeds:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit.record(actor=person, action=AuditAction.DELETE, obj=feed, owner=person)
    return len(feeds)


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The active feed a link belongs to; None for a link revoked or never made, or the link
    of someone whose account is closed."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.active()
        .filter(token_hash=_feed_hash(token), person__is_active=True)
        .select_related("person")
        .first()
    )


@transaction.atomic
def log_share(
    *, log: SessionLog, group: SupervisionGroup, by: User, show_ratings: bool = False
) -> LogShare:
    """Bring one log to a group the author belongs to; she can withdraw it later."""
    if by.pk != log.author_id:
        raise GroupError("Only the author can share a log.")
    if not access.is_current_member(by, group):
        raise GroupError("You can share only with a group you are a member of.")
    if log.deleted_at is not None or log.status == LogStatus.DRAFT:
        raise GroupError("Submit the log before sharing it; drafts stay private.")
    if LogShare.objects.active().filter(log=log, group=group).exists():
        raise GroupError(f"This log is already shared with {group}.")
    share = LogShare.objects.create(log=log, group=group, show_ratings=show_ratings)
    audit.record(actor=by, action=AuditAction.SHARE, obj=log, owner=log.author_id)
    others = [group.facilitator, *access.current_group_members(group)]
    notification_send(
        recipients={p for p in others if p.pk != by.pk},
        message=f"{by} shared a session log with {group} for discussion.",
        url=reverse("groups:shared_log", args=[group.pk, share.pk]),
    )
    return share


@transaction.atomic
def log_share_withdraw(*, share: LogShare, by: User) -> LogShare:
    if by.pk != share.log.author_id:
        raise GroupError("Only the author can withdraw a shared log.")
    withdrawn = LogShare.objects.filter(pk=share.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if not withdrawn:
        raise GroupError("This log was already withdrawn.")
    audit.record(actor=by, action=AuditAction.UNSHARE, obj=share.log, owner=share.log.author_id)
    share.refresh_from_db()
    return share


@transaction.atomic
def group_comment_add(*, share: LogShare, author: User, text: str) -> GroupComment:
    """Only people who can see the shared log take part in its discussion."""
    # The check also fetches whose log it is, for the audit row, in the same query.
    owner_id = (
        LogShare.objects.visible_to(author)
        .filter(pk=share.pk)
        .values_list("log__author_id", flat=True)
        .first()
    )
    if owner_id is None:
        raise GroupError("This log is no longer shared with your group.")
    comment = GroupComment.objects.create(share=share, author=author, text=text)
    audit.record(actor=author, action=AuditAction.CREATE, obj=comment, owner=owner_id)
    group = share.group
    others = {group.facilitator, *access.current_group_members(group)} - {author}
    notification_send(
        recipients=others,
        message=f"{author} added to the discussion in {group}.",
        url=reverse("groups:shared_log", args=[group.pk, share.pk]),
    )
    return comment
