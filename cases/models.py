"""Session logs and the catalog they are tagged from."""

from django.db import models

from supervision.catalog import CatalogItem


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
