"""Session logs and the catalog they are tagged from."""

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.functional import cached_property

from supervision import access
from supervision.catalog import CatalogItem

from .content import TEXT_FIELDS

# Long enough for a thorough note, short enough that nobody pastes a whole file.
TEXT_LIMIT = 20_000
NOTE_LIMIT = 2_000


class PatternFamily(CatalogItem):
    class Meta(CatalogItem.Meta):
        verbose_name_plural = "pattern families"


class Pattern(CatalogItem):
    family = models.ForeignKey(PatternFamily, on_delete=models.PROTECT, related_name="patterns")
    is_background = models.BooleanField(
        default=False,
        help_text="Context for reflection, not something to tag on a session.",
    )

    class Meta(CatalogItem.Meta):
        pass


class ClientPresentation(CatalogItem):
    """Presentations perfectionists tend to avoid; tagging them shows avoidance over time."""

    class Meta(CatalogItem.Meta):
        pass


class LogStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    RETURNED = "returned", "Returned for revision"
    SIGNED = "signed", "Signed off"


EDITABLE_STATUSES = (LogStatus.DRAFT, LogStatus.RETURNED)


class Modality(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video"
    TELEPHONE = "telephone", "Telephone"
    OTHER = "other", "Other"


class ClientUnit(models.TextChoices):
    """Who was in the room: licensing boards count some hours by it (couples, families and
    children in California). `hours.ledger.ClientUnit` mirrors these values."""

    INDIVIDUAL = "individual", "Individual"
    COUPLE = "couple", "Couple"
    FAMILY = "family", "Family"
    GROUP = "group", "Group"
    CHILD = "child", "Child or adolescent"


# What a list page leaves unread: the free text, and the search vector, whose words are
# the text's words.
NOTE_FIELDS = (*TEXT_FIELDS, "search_vector")


def note_fields_via(relation: str) -> list[str]:
    """NOTE_FIELDS seen from a row that reaches its log through `relation` (for `defer`)."""
    return [f"{relation}__{name}" for name in NOTE_FIELDS]


class SessionLogQuerySet(models.QuerySet):
    def live(self):
        """Not in the trash."""
        return self.filter(deleted_at__isnull=True)

    def visible_to(self, user, on: datetime.date | None = None):
        """Logs this person may read today: their own, and the submitted work of their
        current supervisees (a draft stays private until its author submits it)."""
        if not user.is_authenticated:
            return self.none()
        return self.live().filter(
            Q(author=user)
            | (Q(author__in=access.current_supervisee_ids(user, on)) & ~Q(status=LogStatus.DRAFT))
        )

    def awaiting_review_by(self, supervisor, on: datetime.date | None = None):
        return (
            self.live()
            .filter(
                status=LogStatus.SUBMITTED,
                author__in=access.current_supervisee_ids(supervisor, on),
            )
            .order_by("submitted_at", "pk")
        )

    def with_tags(self):
        return self.select_related("author").prefetch_related(
            Prefetch("tags", queryset=PatternTag.objects.select_related("pattern__family"))
        )

    def for_list(self):
        """What a list of logs shows: dates, codes and statuses (tag names come from
        `cases.selectors.with_tag_names`). The note text is never shown there, so it is not
        read: less to fetch, and no note text in memory that the page does not need."""
        return self.defer(*NOTE_FIELDS)


class SessionLog(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_logs"
    )
    client_code = models.CharField(
        "client code",
        max_length=12,
        help_text="A short code you choose for this client: letters, digits and dashes, never a name.",
    )
    session_date = models.DateField()
    # Empty only on a quick note (a draft written on the phone), until she completes it:
    # a constraint keeps every log that has left the draft stage timed.
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    modality = models.CharField(max_length=20, choices=Modality.choices, default=Modality.IN_PERSON)
    client_unit = models.CharField(
        "client", max_length=20, choices=ClientUnit.choices, default=ClientUnit.INDIVIDUAL
    )
    simulated = models.BooleanField(
        "simulated session",
        default=False,
        help_text="Role-play or a simulated client (some boards count only a few such hours).",
    )
    presentations = models.ManyToManyField(
        ClientPresentation,
        blank=True,
        related_name="session_logs",
        verbose_name="client presentations",
    )
    what_happened = models.TextField("what happened", max_length=TEXT_LIMIT)
    what_i_felt = models.TextField(
        "what I felt",
        max_length=TEXT_LIMIT,
        blank=True,
        help_text="The emotional message under the story.",
    )
    what_i_did = models.TextField("what I did", max_length=TEXT_LIMIT, blank=True)
    what_it_teaches = models.TextField(
        "what this is teaching me", max_length=TEXT_LIMIT, blank=True
    )
    pre_session_anxiety = models.PositiveSmallIntegerField(
        "anxiety before the session (0–10)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
    )
    post_session_rumination = models.PositiveSmallIntegerField(
        "rumination after the session (0–10)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
    )
    status = models.CharField(max_length=20, choices=LogStatus.choices, default=LogStatus.DRAFT)
    # Bumped on every save of the content; a form carries the version it was opened at.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    identifiers_confirmed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the writer confirmed flagged text was not identifying.",
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_logs",
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True)
    # The version the supervisor read and signed (`version` at sign-off); empty on logs
    # signed before it was recorded.
    signed_version = models.PositiveIntegerField(null=True, blank=True)
    # Written only by cases.search.search_vector_refresh, on PostgreSQL (where a GIN index,
    # made by migration 0005 rather than declared here, serves it); empty elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = SessionLogQuerySet.as_manager()

    class Meta:
        ordering = ["-session_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pre_session_anxiety__lte=10) | Q(pre_session_anxiety__isnull=True),
                name="log_anxiety_0_10",
            ),
            models.CheckConstraint(
                condition=Q(post_session_rumination__lte=10)
                | Q(post_session_rumination__isnull=True),
                name="log_rumination_0_10",
            ),
            models.CheckConstraint(
                condition=~Q(status="signed")
                | (Q(signed_by__isnull=False) & Q(signed_at__isnull=False) & ~Q(signed_sha256="")),
                name="log_signed_has_signature",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=False) | Q(status="draft"),
                name="log_duration_unless_draft",
            ),
        ]
        indexes = [
            models.Index(fields=["author", "-session_date"]),
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["author", "client_code"]),
            # Her logs in one status: a supervisor's queue is her supervisees' submitted
            # logs, and PostgreSQL keeps that query's plan without knowing the status
            # (prepared statements), so only an index that holds it finds them without
            # reading every log each supervisee ever wrote (docs/performance.md).
            models.Index(fields=["author", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.client_code} · {self.session_date:%d %b %Y}"

    def save(self, *args, **kwargs):
        # A full save of a log read earlier would write back the vector it was read with
        # (or none at all), undoing a refresh since: only the refresh writes that column.
        if (
            not self._state.adding
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "search_vector" and f.attname not in deferred
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        # The log page composes replies too, so it lives in the top layer.
        return reverse("cases:log_detail", args=[self.pk])

    @cached_property
    def tag_names(self) -> list[str]:
        """The tagged patterns' names in catalog order. A list sets them for all its logs
        from one query of names (`cases.selectors.with_tag_names`); otherwise they come
        from the tags, prefetched or not."""
        return [tag.pattern.name for tag in self.tags.all()]

    @property
    def presentation_names(self) -> str:
        """Its client presentations as its pages show them: names joined by "; ", or "—".
        The log page's query says when there are none (has_presentations), and then none
        are asked for; elsewhere they come from the presentations, prefetched or not."""
        if getattr(self, "has_presentations", True) is False:
            return "—"
        return "; ".join(p.name for p in self.presentations.all()) or "—"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES and self.deleted_at is None

    @property
    def is_quick_note(self) -> bool:
        """Written with the quick form and not completed yet: it has no duration (which only
        a draft may lack), and cannot be submitted until the full form has been filled in."""
        return self.duration_minutes is None

    @property
    def is_signed(self) -> bool:
        return self.status == LogStatus.SIGNED


class PatternTag(models.Model):
    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="tags")
    pattern = models.ForeignKey(Pattern, on_delete=models.PROTECT, related_name="tags")
    note = models.TextField(blank=True, max_length=NOTE_LIMIT)

    class Meta:
        ordering = ["pattern__family__position", "pattern__position"]
        constraints = [
            models.UniqueConstraint(fields=["log", "pattern"], name="tag_once_per_log"),
        ]

    def __str__(self) -> str:
        return str(self.pattern)


class Addendum(models.Model):
    """A later note on a signed log; the signed content itself never changes."""

    log = models.ForeignKey(SessionLog, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField(max_length=TEXT_LIMIT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum by {self.author} on {self.created_at:%d %b %Y}"


# As long as a pair of names ("Maya Ross") with room to spare; the check folds it.
ALLOWED_WORD_LIMIT = 60


class AllowedWordQuerySet(models.QuerySet):
    def of(self, owner) -> "AllowedWordQuerySet":
        return self.filter(owner=owner)

    def folded(self, owner) -> frozenset[str]:
        """The owner's words as the identifier check compares them."""
        return frozenset(self.of(owner).values_list("normalized", flat=True))


class AllowedWord(models.Model):
    """A word the identifier check flagged that its writer uses on purpose (a pseudonym).

    Kept per writer and never shared: it changes only what the check shows her.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="allowed_words"
    )
    word = models.CharField(max_length=ALLOWED_WORD_LIMIT)
    # The word as the check compares it (lower case, no accents): one row per spelling.
    normalized = models.CharField(max_length=ALLOWED_WORD_LIMIT)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AllowedWordQuerySet.as_manager()

    class Meta:
        ordering = ["normalized"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "normalized"], name="allowed_word_once_per_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.word


# How long "writing a reply" holds after a supervisor opens the reply form: long enough to
# read and write, short enough that a form left open does not keep saying so.
REVIEW_CLAIM_MINUTES = 20


class ReviewActivity(models.Model):
    """What one supervisor is doing with one log, for her co-supervisors to see: writing a
    reply now (a soft claim that expires: it never stops anyone) and when she last replied.
    Returns and sign-offs show in the log's status and history."""

    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="review_activity")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_activity"
    )
    writing_since = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["log", "supervisor"], name="review_activity_once"),
        ]
        verbose_name_plural = "review activity"

    def __str__(self) -> str:
        return f"{self.supervisor} on {self.log}"
