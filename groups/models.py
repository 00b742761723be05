"""Group supervision: groups, memberships, meetings, and the logs members bring to them.

The tables were made by the supervision, cases and reflections apps, where these models
first lived; they keep those names (Meta.db_table), so moving the models moved no data.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models import NOTE_LIMIT, SessionLog
from supervision.models import CurrentQuerySet, Role, User, register_role_guard, role_problem


class SupervisionGroup(models.Model):
    name = models.CharField(max_length=120)
    facilitator = models.ForeignKey(User, on_delete=models.PROTECT, related_name="facilitating")
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "supervision_supervisiongroup"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Every single-row save passes here (admin, services, shell); bulk writes do not.
        problems = self.role_problems()
        if problems:
            raise ValidationError(problems)
        super().save(*args, **kwargs)

    def role_problems(self) -> dict[str, str]:
        """A facilitator sees every log shared with the group: a supervisor, never staff."""
        problem = role_problem(
            self.facilitator if self.facilitator_id else None,
            Role.SUPERVISOR,
            "a group's facilitator",
        )
        return {"facilitator": problem} if problem else {}

    def clean(self):
        super().clean()
        problems = self.role_problems()
        if problems:
            raise ValidationError(problems)


class MembershipQuerySet(CurrentQuerySet):
    start_field = "joined_on"
    end_field = "left_on"

    def current(self, on: datetime.date | None = None):
        """A membership removed on the day it began keeps its row (joined and left that day)
        but grants nothing, even that day: removal ends access at once."""
        on = on or timezone.localdate()
        return super().current(on).exclude(joined_on=on, left_on=on)


class GroupMembership(models.Model):
    group = models.ForeignKey(
        SupervisionGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="group_memberships")
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True, help_text="Last day; empty while a member.")
    show_name = models.BooleanField(
        default=False,
        help_text="The member chose to be shown by name on the group dashboard.",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        db_table = "supervision_groupmembership"
        ordering = ["joined_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_leaves_after_join",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.group}"

    def save(self, *args, **kwargs):
        problems = self.role_problems()
        if problems:
            raise ValidationError(problems)
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row._stored_member = row.__dict__.get("member_id")
        return row

    def role_problems(self) -> dict[str, str]:
        """Members are supervisees, never staff. Checked for a new row, a row naming
        someone new, and a membership that has not ended."""
        ended = self.left_on is not None and self.left_on < timezone.localdate()
        same_member = getattr(self, "_stored_member", None) == self.member_id
        if ended and same_member and not self._state.adding:
            return {}
        problem = role_problem(
            self.member if self.member_id else None, Role.SUPERVISEE, "a group member"
        )
        return {"member": problem} if problem else {}

    def clean(self):
        super().clean()
        problems = self.role_problems()
        if problems:
            raise ValidationError(problems)


def _group_guard(person: User) -> list[str]:
    """A facilitator stays a supervisor, and a member a supervisee, while the group needs them."""
    reasons = []
    if person.is_staff or person.role != Role.SUPERVISOR:
        names = list(
            SupervisionGroup.objects.filter(facilitator=person).values_list("name", flat=True)
        )
        if names:
            reasons.append(
                f"{person} facilitates {', '.join(names)}. Give the group another "
                "facilitator before changing the role or making them an administrator."
            )
    if person.is_staff or person.role != Role.SUPERVISEE:
        today = timezone.localdate()
        if (
            GroupMembership.objects.filter(member=person)
            .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
            .exists()
        ):
            reasons.append(
                f"{person} is a group member. End the membership before changing the "
                "role or making them an administrator."
            )
    return reasons


register_role_guard(_group_guard)


# How long a group meeting lasts, for calendars: meetings are set by their start only.
MEETING_LENGTH = datetime.timedelta(minutes=90)
TAKEAWAY_LIMIT = 500


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(answered_at__isnull=True)


class GroupInvitation(models.Model):
    """A facilitator's invitation to join a group. Nobody becomes a member without saying yes:
    membership opens the group's shared logs to her and counts her work on its dashboard."""

    group = models.ForeignKey(
        SupervisionGroup, on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="group_invitations")
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True, blank=True, help_text="Empty until answered.")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(answered_at__isnull=True),
                name="one_pending_invitation_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.person} to {self.group}"


class GroupMeeting(models.Model):
    """A group meeting: when, who presents, who sends apologies, what the group took away.

    The presenter is stored when chosen and stays once the meeting has started: a meeting
    already held is a record, and later changes to the rota never rewrite it."""

    group = models.ForeignKey(SupervisionGroup, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    presenter = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="presentations"
    )
    absent = models.ManyToManyField(User, blank=True, related_name="meeting_absences")
    created_at = models.DateTimeField(auto_now_add=True)
    takeaway = models.TextField(
        max_length=TAKEAWAY_LIMIT,
        blank=True,
        help_text="What we took away: the facilitator's short note, on the group's record.",
    )
    takeaway_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "supervision_groupmeeting"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["group", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.group} on {self.starts_at:%d %b %Y}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + MEETING_LENGTH

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


class CalendarFeedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(models.Model):
    """A person's private calendar feed link: the group meetings she takes part in, for a
    calendar app that cannot log in. Only a keyed hash of the token is stored (as for
    invitations), so the link is shown once; she can revoke it and make a new one."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_calendar_feed",
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"


class LogShareQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True, log__deleted_at__isnull=True)

    def visible_to(self, user, on: datetime.date | None = None):
        """Shares in groups this person facilitates or belongs to today."""
        if not user.is_authenticated:
            return self.none()
        # Imported here: the access rules read these models.
        from .access import visible_groups

        return self.active().filter(group__in=visible_groups(user, on))

    def readable_by(self, user):
        """What `visible_to` gives, plus every share of her own logs, withdrawn or not: the
        discussion of her log stays hers to read after she withdraws it or leaves the group."""
        if not user.is_authenticated or user.is_staff:
            return self.none()
        from .access import visible_groups

        return self.filter(log__deleted_at__isnull=True).filter(
            Q(withdrawn_at__isnull=True, group__in=visible_groups(user)) | Q(log__author=user)
        )


class LogShare(models.Model):
    """A supervisee's choice to bring one log to a group for discussion; it can be withdrawn."""

    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="shares")
    group = models.ForeignKey(SupervisionGroup, on_delete=models.CASCADE, related_name="shares")
    shared_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    show_ratings = models.BooleanField(
        default=False,
        help_text="She chose to show the group her anxiety and rumination ratings.",
    )

    objects = LogShareQuerySet.as_manager()

    class Meta:
        db_table = "cases_logshare"
        ordering = ["-shared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["log", "group"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_share_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.log} shared with {self.group}"


class GroupComment(models.Model):
    """The group's discussion of a shared log: the sounding board."""

    share = models.ForeignKey(LogShare, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField(max_length=NOTE_LIMIT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "reflections_groupcomment"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Group comment by {self.author}"
