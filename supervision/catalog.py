"""What every catalog item shares, and how the catalog is loaded from `seeds/`.

Catalog items are keyed by a stable slug so that editing a wording in the
seed file updates the row in place and everything that points at it keeps
pointing at it. Items are retired, never deleted while referenced.
"""

from dataclasses import dataclass, field

from django.db import models


class CatalogQuerySet(models.QuerySet):
    def in_use(self):
        """Items offered for new use; retired ones stay for history."""
        return self.filter(is_retired=False)


class CatalogItem(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    is_retired = models.BooleanField(
        "retired", default=False, help_text="Hidden from new use; past uses keep showing it."
    )

    objects = CatalogQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    def merge(self, other: "LoadReport") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


def upsert_by_slug(model: type[CatalogItem], rows: list[dict]) -> tuple[LoadReport, dict]:
    """Create or update `model` rows keyed by slug; saves only what changed.

    Returns the report and a slug → instance map for wiring relations.
    """
    report = LoadReport()
    existing = {obj.slug: obj for obj in model.objects.filter(slug__in=[r["slug"] for r in rows])}
    by_slug = {}
    for position, row in enumerate(rows, start=1):
        values = {"position": position, "is_retired": False, **row}
        obj = existing.get(row["slug"])
        label = f"{model._meta.verbose_name} {row['slug']}"
        if obj is None:
            obj = model.objects.create(**values)
            report.created.append(label)
        else:
            changed = [k for k, v in values.items() if getattr(obj, k) != v]
            if changed:
                for k in changed:
                    setattr(obj, k, values[k])
                obj.save(update_fields=changed)
                report.updated.append(label)
            else:
                report.unchanged += 1
        by_slug[obj.slug] = obj
    return report, by_slug
