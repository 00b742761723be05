"""Hours toward a licence: the rule sets, her choices, the hours not recorded elsewhere, and
the supervisors' signatures of periods.

Direct contact is not stored here: it is read from her session logs (`cases.SessionLog`),
and supervision from the meetings her supervisors record (`supervision.SupervisionMeeting`)
and the group meetings she attended (`groups.GroupMeeting`), so nothing is typed twice
(`hours.selectors.ledger_for`). No row here holds clinical text.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from supervision.models import MeetingMode, User

from .ledger import Category


class SignPeriod(models.TextChoices):
    WEEK = "week", "Week"
    MONTH = "month", "Month"


class RuleSet(models.Model):
    """One jurisdiction's and licence's rules, as data: loaded from `seeds/hours/*.toml` by
    `manage.py load_rule_sets` and editable in the admin. `definition` is the parsed file
    (`hours.rules.parse_rule_set`); the columns beside it are copies for lists and forms."""

    key = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    jurisdiction = models.CharField(max_length=120)
    licence = models.CharField(max_length=120)
    effective_from = models.DateField()
    sign_period = models.CharField(max_length=10, choices=SignPeriod.choices)
    definition = models.JSONField(
        help_text="The rules as data (see docs/hours-rules.md); checked when saved."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "hours rule set"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from .rules import RuleSetError, parse_rule_set

        try:
            parsed = parse_rule_set(self.definition)
        except RuleSetError as exc:
            raise ValidationError({"definition": str(exc)}) from exc
        self.copy_from(parsed)

    def copy_from(self, parsed: dict) -> None:
        """The columns follow the definition, so the two never disagree."""
        self.definition = parsed
        self.key = parsed["key"]
        self.name = parsed["name"]
        self.jurisdiction = parsed["jurisdiction"]
        self.licence = parsed["licence"]
        effective = parsed["effective_from"]
        self.effective_from = (
            datetime.date.fromisoformat(effective) if isinstance(effective, str) else effective
        )
        self.sign_period = parsed["sign_period"]

    @property
    def board_note(self) -> str:
        return self.definition.get("board_note", "")

    @property
    def source(self) -> str:
        return self.definition.get("source", "")


class HoursProfile(models.Model):
    """A person's hours settings. A supervisee's: the rule set she works toward and the dates
    the rules need. A supervisor's: the licence a signature records."""

    person = models.OneToOneField(User, on_delete=models.CASCADE, related_name="hours_profile")
    rule_set = models.ForeignKey(
        RuleSet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="The board and licence you are working toward. Changing it re-reads all "
        "your hours under the new rules; nothing is lost.",
    )
    degree_on = models.DateField(
        "degree awarded on",
        null=True,
        blank=True,
        help_text="Some boards count only hours after the qualifying degree.",
    )
    started_on = models.DateField(
        "supervised practice began on",
        null=True,
        blank=True,
        help_text="Rules that ask for weeks or months of practice count from here "
        "(or from your first hours, when empty).",
    )
    principal_supervisor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="principal_for",
        help_text="Where your board asks for one-to-one supervision with a principal supervisor.",
    )
    licence_number = models.CharField(
        "licence number",
        max_length=60,
        blank=True,
        help_text="Recorded with each period you sign, as it is on that day.",
    )
    licence_jurisdiction = models.CharField(
        "licensed in",
        max_length=120,
        blank=True,
        help_text="The board or jurisdiction that issued your licence.",
    )

    class Meta:
        verbose_name = "hours settings"
        verbose_name_plural = "hours settings"

    def __str__(self) -> str:
        return f"Hours settings of {self.person}"


class EntryKind(models.TextChoices):
    """Hours she enters herself; direct contact comes from her session logs."""

    INDIRECT = Category.INDIRECT.value, "Indirect work (notes, reports, consultation)"
    TRAINING = Category.TRAINING.value, "Training or education"
    SUPERVISION = Category.SUPERVISION.value, "Supervision received (not recorded here)"


class SupervisionFormat(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    TRIADIC = "triadic", "Triadic (two supervisees)"
    GROUP = "group", "Group"


class HourEntry(models.Model):
    """Hours recorded by hand: no text at all, only what a board counts."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="hour_entries")
    date = models.DateField()
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(720)]
    )
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    supervision_format = models.CharField(
        "format", max_length=20, choices=SupervisionFormat.choices, blank=True
    )
    group_size = models.PositiveSmallIntegerField(
        "people in the group",
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(40)],
        help_text="Supervisees present, you included.",
    )
    mode = models.CharField(
        max_length=20, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON, blank=True
    )
    observed_session = models.BooleanField("included observing one of my sessions", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name_plural = "hour entries"
        indexes = [models.Index(fields=["person", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=5) & Q(minutes__lte=720), name="hour_entry_minutes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date:%d %b %Y}"


class PeriodSignatureQuerySet(models.QuerySet):
    def standing(self):
        """Signatures not replaced by a later one of the same period and supervisor."""
        return self.filter(superseded_at__isnull=True)


class PeriodSignature(models.Model):
    """A supervisor's signature of one period (a week or a month) of a supervisee's hours.

    It records who signed, when, her licence number and jurisdiction as they were, and the
    SHA-256 of the period's entries (`hours.signing.period_digest`). Rows are never changed
    but to be superseded: a new signature of the same period replaces the standing one, and
    the old one stays in the history. It outlives the relationship."""

    supervisee = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="hours_signatures_received"
    )
    supervisor = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="hours_signatures_given"
    )
    period = models.CharField(max_length=10, choices=SignPeriod.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    # As they were when she signed: a later change of name or licence rewrites nothing.
    supervisor_name = models.CharField(max_length=120)
    licence_number = models.CharField(max_length=60)
    licence_jurisdiction = models.CharField(max_length=120)
    rule_set_name = models.CharField(max_length=120, blank=True)
    sha256 = models.CharField(max_length=64)
    entry_count = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    signed_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = PeriodSignatureQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "signed_at"]
        indexes = [models.Index(fields=["supervisee", "starts_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisee", "supervisor", "period", "starts_on"],
                condition=Q(superseded_at__isnull=True),
                name="one_standing_signature_per_period",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="signature_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Hours of {self.supervisee} from {self.starts_on:%d %b %Y}, signed"
