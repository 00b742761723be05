"""People, supervision relationships and supervision groups.

This is the lowest layer: it knows nothing of case notes or reflections.
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac


class Role(models.TextChoices):
    SUPERVISEE = "supervisee", "Supervisee"
    SUPERVISOR = "supervisor", "Supervisor"
    # Admins manage people and the catalog; they do not read notes.
    ADMIN = "admin", "Admin"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.ADMIN)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # Log-in is by e-mail, whatever case the person types it in.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(max_length=120)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SUPERVISEE)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "admin", default=False, help_text="May log in to the admin site to manage people."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    # Part of the session hash: raising it ends every session this person has open.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name"]
        # "People" on the admin's home page, beside their relationships and groups.
        verbose_name = "person"
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    # The session hash covers the password (Django's) and session_epoch: changing either
    # ends every session that stored the old hash. Both methods take the same secrets as
    # Django's, so SECRET_KEY_FALLBACKS keeps sessions alive through a key rotation.
    _SESSION_HASH_SALT = "supervision.models.User.get_session_auth_hash"

    def _session_hash(self, secret=None) -> str:
        return salted_hmac(
            self._SESSION_HASH_SALT,
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_session_auth_hash(self) -> str:
        return self._session_hash()

    def get_session_auth_fallback_hash(self):
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=fallback_secret)

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        # What the row held, so save() knows whether the role or admin flag is changing.
        user._stored_standing = (user.__dict__.get("role"), user.__dict__.get("is_staff"))
        return user

    def _standing_changes(self) -> bool:
        if self._state.adding:
            return False  # a new person is in no relationship yet
        stored = getattr(self, "_stored_standing", None)
        if stored is None or None in stored:
            return True  # unknown (the row was loaded without them): check, rather than guess
        role, is_staff = stored
        # Only a change that could open notes is checked: a new role, or becoming staff.
        # Ceasing to be staff (erasure does) is always allowed.
        return self.role != role or (self.is_staff and not is_staff)

    def standing_conflicts(self) -> list[str]:
        """Why this person cannot take the role and admin flag they now have: the
        relationships (and, through ROLE_GUARDS, the groups) that need them as they were."""
        if not self._standing_changes():
            return []
        return [message for guard in ROLE_GUARDS for message in guard(self)]

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        conflicts = self.standing_conflicts()
        if conflicts:
            raise ValidationError(conflicts)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"role", "is_staff"} & set(update_fields):
            conflicts = self.standing_conflicts()
            if conflicts:
                raise ValidationError(conflicts)
        super().save(*args, **kwargs)
        self._stored_standing = (self.role, self.is_staff)

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_supervisee(self) -> bool:
        return self.role == Role.SUPERVISEE


def role_problem(person: User | None, role: Role, as_what: str) -> str | None:
    """Why `person` cannot stand in a relationship or group `as_what`, or None.

    Access to notes follows relationships and groups, so the roles in them must hold:
    an administrator (staff) is never a supervisor, facilitator or member, whatever
    her role says, or "admins read no notes" would be one admin form away from false."""
    if person is None:
        return None
    if person.is_staff:
        return f"{person} is an administrator; an administrator cannot be {as_what}."
    if person.role != role:
        return (
            f"{person} is not a {role.label.lower()}; only a {role.label.lower()} can be {as_what}."
        )
    return None


# Checks a person's new role and admin flag must pass (User.standing_conflicts): each
# returns the reasons they cannot change. Higher layers (groups) add theirs from ready().
ROLE_GUARDS: list[Callable[[User], list[str]]] = []


def register_role_guard(guard: Callable[[User], list[str]]) -> None:
    ROLE_GUARDS.append(guard)


class CurrentQuerySet(models.QuerySet):
    """Rows with a start date and an optional end date, current on a given day."""

    start_field = "starts_on"
    end_field = "ends_on"

    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(
            Q(**{f"{self.start_field}__lte": on}),
            Q(**{f"{self.end_field}__isnull": True}) | Q(**{f"{self.end_field}__gte": on}),
        )


class SupervisionRelationship(models.Model):
    """One supervisor supervising one supervisee, for a span of dates.

    The end date is the last day on which access is granted.
    """

    supervisor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="supervising")
    supervisee = models.ForeignKey(User, on_delete=models.PROTECT, related_name="supervised_by")
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True, help_text="Last day; empty while it goes on.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("supervisee")),
                name="relationship_not_self",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="relationship_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["supervisor", "supervisee", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.supervisor} supervises {self.supervisee}"

    def save(self, *args, **kwargs):
        # Every path that saves one row passes here (the admin, services, the shell); only
        # bulk writes (QuerySet.update, bulk_create) go around it.
        problems = self.role_problems()
        if problems:
            raise ValidationError(problems)
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row._stored_people = (row.__dict__.get("supervisor_id"), row.__dict__.get("supervisee_id"))
        return row

    def role_problems(self) -> dict[str, str]:
        """Field → why the person there cannot stand in it. Checked for a new row, a row
        that names someone new, and a row that has not ended; an ended relationship keeps
        the people it had, whatever they have become since."""
        ended = self.ends_on is not None and self.ends_on < timezone.localdate()
        same_people = getattr(self, "_stored_people", None) == (
            self.supervisor_id,
            self.supervisee_id,
        )
        if ended and same_people and not self._state.adding:
            return {}
        problems = {
            "supervisor": role_problem(
                self.supervisor if self.supervisor_id else None,
                Role.SUPERVISOR,
                "someone's supervisor",
            ),
            "supervisee": role_problem(
                self.supervisee if self.supervisee_id else None, Role.SUPERVISEE, "supervised"
            ),
        }
        return {field: message for field, message in problems.items() if message}

    def clean(self):
        super().clean()
        problems = self.role_problems()
        if problems:
            raise ValidationError(problems)


def _relationship_guard(person: User) -> list[str]:
    """A person in a relationship that has not ended keeps the role it needs."""
    today = timezone.localdate()
    open_rows = SupervisionRelationship.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    reasons = []
    if (person.is_staff or person.role != Role.SUPERVISOR) and open_rows.filter(
        supervisor=person
    ).exists():
        reasons.append(
            f"{person} supervises people. End those supervision relationships before "
            "changing the role or making them an administrator."
        )
    if (person.is_staff or person.role != Role.SUPERVISEE) and open_rows.filter(
        supervisee=person
    ).exists():
        reasons.append(
            f"{person} is supervised. End those supervision relationships before "
            "changing the role or making them an administrator."
        )
    return reasons


register_role_guard(_relationship_guard)


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notice. It names what happened and links to it; it never quotes note text."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=200)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message


class AuditAction(models.TextChoices):
    VIEW = "view", "viewed"
    CREATE = "create", "created"
    UPDATE = "update", "updated"
    SUBMIT = "submit", "submitted"
    RETURN = "return", "returned for revision"
    SIGN = "sign", "signed off"
    ADDENDUM = "addendum", "added an addendum"
    SHARE = "share", "shared"
    UNSHARE = "unshare", "withdrew sharing"
    EXPORT = "export", "exported"
    DELETE = "delete", "deleted"
    RESTORE = "restore", "restored"
    ERASE = "erase", "erased"


class AuditEvent(models.Model):
    """One read or write of clinical material: who, when (UTC), what, from where.

    It names the object by type and id and never copies its text. Rows are
    append-only: the app offers no way to change them, and on PostgreSQL a
    trigger refuses UPDATE and DELETE.
    """

    # PROTECT: a person with audit history is deactivated or anonymised, never deleted.
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Whose work the object is, so an author can see who looked at it. No index of its own:
    # the (owner, action, at) index below leads with it, and a row is written on every view of
    # a log, so each index is paid for on the hottest write there is.
    owner = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"]),
            models.Index(fields=["owner", "action", "-at"]),
            # Each person's newest change (dashboards/cache.py): one probe, not a count.
            models.Index(
                fields=["owner", "-id"],
                condition=~models.Q(action=AuditAction.VIEW),
                name="audit_owner_change_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action} {self.object_type}:{self.object_id}"


class MeetingKind(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    TRIADIC = "triadic", "Triadic (two supervisees)"


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video"


class SupervisionMeeting(models.Model):
    """A supervision hour as the supervisor records it: when, how long, with whom, and one
    line of what was agreed. The hours a licence depends on are counted from these; a
    group's meetings are recorded with the group."""

    supervisor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="meetings_held")
    supervisees = models.ManyToManyField(User, related_name="supervision_meetings")
    held_on = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)", validators=[MinValueValidator(10), MaxValueValidator(240)]
    )
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    mode = models.CharField(
        max_length=20, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON
    )
    observed_session = models.BooleanField(
        "included observing a session", default=False, help_text="Live or recorded."
    )
    # One line, no clinical detail: it is read by both people, and kept with the hours.
    agreed = models.CharField("what was agreed", max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=10) & Q(duration_minutes__lte=240),
                name="meeting_duration_10_240",
            ),
        ]
        indexes = [models.Index(fields=["supervisor", "-held_on"])]

    def __str__(self) -> str:
        return f"Supervision on {self.held_on:%d %b %Y} with {self.supervisor}"


# What a page that only names people needs not read of them: their sign-in secrets and
# account details. `named_only("author")` defers these columns of a select_related person,
# so a page drawing "Dr A replied" never fetches a password hash, and reads less.
_NOT_FOR_NAMING = (
    "password",
    "last_login",
    "is_superuser",
    "email",
    "date_joined",
    "session_epoch",
)


def named_only(*relations: str) -> list[str]:
    """The `defer()` arguments that leave only the name, role and flags of each related
    person (`relations`: the select_related names of users)."""
    return [f"{relation}__{column}" for relation in relations for column in _NOT_FOR_NAMING]
