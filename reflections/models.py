"""Reflective questions, practices, strengths, and what people write with them."""

from django.db import models

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
