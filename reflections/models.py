"""Reflective questions, practices, strengths, and what people write with them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cases.models import NOTE_LIMIT, TEXT_LIMIT, SessionLog
from supervision import access
from supervision.catalog import CatalogItem


class ReflectiveQuestion(CatalogItem):
    """A question from the catalog; `name` holds its theme, `text` the exact wording."""

    text = models.TextField()
    instead_of = models.CharField(
        max_length=200, blank=True, help_text="The question this one replaces, if any."
    )
    patterns = models.ManyToManyField(
        "cases.Pattern",
        blank=True,
        related_name="reflective_questions",
        help_text="Patterns this question fits; replies to logs tagged with them suggest it.",
    )
    # Data, from the seed catalog: a question that asks what the log form already asks
    # (e.g. "What is this teaching me?" beside "what this is teaching me") is offered
    # but never pre-selected. Holds a name from cases.content.TEXT_FIELDS, or "".
    repeats_log_field = models.CharField(
        max_length=40,
        blank=True,
        help_text="The log field this question repeats, if any; it is then never pre-selected.",
    )

    class Meta(CatalogItem.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.name}: {self.text}"


class Practice(CatalogItem):
    class Meta(CatalogItem.Meta):
        pass


class Strength(CatalogItem):
    class Meta(CatalogItem.Meta):
        pass


class Decision(models.TextChoices):
    # The labels name the action, for the reply form; RESULTS name what happened.
    REPLY = "reply", "Reply only"
    RETURN = "return", "Return for revision"
    SIGN = "sign", "Sign off"


RESULTS = {
    Decision.REPLY: "replied",
    Decision.RETURN: "returned for revision",
    Decision.SIGN: "signed off",
}


class Reply(models.Model):
    """A supervisor's response to a session log."""

    log = models.ForeignKey(SessionLog, on_delete=models.PROTECT, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="replies_written"
    )
    feedback = models.TextField(max_length=TEXT_LIMIT)
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    strengths = models.ManyToManyField(Strength, blank=True, related_name="replies")
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.REPLY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "replies"
        # Dashboards count replies of the last weeks (make bench: docs/performance.md).
        indexes = [models.Index(fields=["created_at"], name="reply_created_at")]

    def __str__(self) -> str:
        return f"Reply by {self.author} on {self.created_at:%d %b %Y}"

    @property
    def result(self) -> str:
        """What the reply did, in words: "replied", "returned for revision", "signed off"."""
        return RESULTS[Decision(self.decision)]


class AskedQuestion(models.Model):
    """A question put to the supervisee in a reply, and her answer.

    The wording is copied when asked, so a later catalog edit does not change
    what was asked.
    """

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="questions")
    catalog_question = models.ForeignKey(
        ReflectiveQuestion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="asked",
    )
    theme = models.CharField(max_length=200, blank=True)
    text = models.TextField(max_length=NOTE_LIMIT)
    position = models.PositiveSmallIntegerField(default=0)
    answer = models.TextField(blank=True, max_length=TEXT_LIMIT)
    answered_at = models.DateTimeField(null=True, blank=True)
    # The author may change her answer until the reply's author has read it, i.e. opened
    # the log page after it was saved (reflections.services.answers_mark_read).
    answer_edited_at = models.DateTimeField(null=True, blank=True)
    answer_read_at = models.DateTimeField(null=True, blank=True)
    # She chose to talk about this one in supervision rather than write an answer: it
    # leaves her waiting questions and goes on her supervisor's preparation list.
    deferred_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["reply", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_answer_read(self) -> bool:
        return self.answer_read_at is not None

    @property
    def is_deferred(self) -> bool:
        return self.deferred_at is not None and not self.is_answered


class Comment(models.Model):
    """A follow-up in the thread under a log, between its author and her supervisors."""

    log = models.ForeignKey(SessionLog, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField(max_length=NOTE_LIMIT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author}"


class PrivateReflectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The author's own entries, and single entries shared with this person as a
        current supervisor of the author."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(author=user) | Q(shared_with=user, author__in=access.current_supervisee_ids(user))
        )


class PrivateReflection(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="private_reflections"
    )
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField(max_length=TEXT_LIMIT)
    log = models.ForeignKey(
        SessionLog,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="private_reflections",
        help_text="Optional: the session this reflection is about.",
    )
    question = models.ForeignKey(
        ReflectiveQuestion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="private_reflections",
        help_text="Optional: a question to start from.",
    )
    shared_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reflections_shared_with_me",
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PrivateReflectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title or f"Reflection of {self.created_at:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("reflections:journal_detail", args=[self.pk])
