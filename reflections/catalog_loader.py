"""Loads `seeds/catalog.toml` into the catalog tables, idempotently.

It lives in the top layer because it wires questions (reflections) to
patterns (cases).
"""

import tomllib
from pathlib import Path

from django.conf import settings
from django.db import transaction

from cases.content import TEXT_FIELDS
from cases.models import ClientPresentation, Pattern, PatternFamily
from supervision.catalog import CatalogItem, LoadReport, upsert_by_slug

from .models import Practice, ReflectiveQuestion, Strength

DEFAULT_PATH = Path(settings.BASE_DIR) / "seeds" / "catalog.toml"


class CatalogError(ValueError):
    """The seed file is malformed or refers to something it does not define."""


def _rows(data: dict, section: str, fields: set[str]) -> list[dict]:
    rows = []
    for raw in data.get(section, []):
        unknown = set(raw) - fields - {"slug", "retired"}
        if unknown:
            raise CatalogError(f"[{section}] {raw.get('slug')!r}: unknown keys {sorted(unknown)}")
        if not raw.get("slug") or not raw.get("name"):
            raise CatalogError(f"[{section}]: every item needs a slug and a name ({raw!r})")
        row = {k: v for k, v in raw.items() if k != "retired"}
        row["is_retired"] = bool(raw.get("retired", False))
        rows.append(row)
    slugs = [r["slug"] for r in rows]
    if len(slugs) != len(set(slugs)):
        raise CatalogError(f"[{section}]: a slug is used twice")
    return rows


def _resolve(rows: list[dict], key: str, targets: dict, section: str) -> None:
    for row in rows:
        slug = row[key]
        if slug not in targets:
            raise CatalogError(f"[{section}] {row['slug']!r} refers to unknown {key} {slug!r}")
        row[key] = targets[slug]


@transaction.atomic
def catalog_load(*, path: Path = DEFAULT_PATH) -> LoadReport:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: {exc}") from None
    report = LoadReport()
    base = {"name", "description"}

    part, _ = upsert_by_slug(PatternFamily, _rows(data, "pattern_families", base))
    report.merge(part)

    pattern_rows = _rows(data, "patterns", base | {"family", "is_background"})
    _resolve(pattern_rows, "family", _existing(PatternFamily), "patterns")
    part, _ = upsert_by_slug(Pattern, pattern_rows)
    report.merge(part)

    # Annotated: mypy infers the abstract base's class object from the bare list and refuses
    # it where upsert_by_slug wants a concrete catalog model.
    sections: list[tuple[type[CatalogItem], str]] = [
        (ClientPresentation, "client_presentations"),
        (Practice, "practices"),
        (Strength, "strengths"),
    ]
    for model, section in sections:
        part, _ = upsert_by_slug(model, _rows(data, section, base))
        report.merge(part)

    question_rows = _rows(
        data, "reflective_questions", base | {"text", "instead_of", "patterns", "repeats_log_field"}
    )
    for row in question_rows:
        # Absent means "repeats nothing": taking the key out of the file clears it.
        row.setdefault("repeats_log_field", "")
        if row["repeats_log_field"] not in ("", *TEXT_FIELDS):
            raise CatalogError(
                f"[reflective_questions] {row['slug']!r}: repeats_log_field must be one of "
                f"{list(TEXT_FIELDS)}, not {row['repeats_log_field']!r}"
            )
    links = {row["slug"]: row.pop("patterns", []) for row in question_rows}
    part, questions = upsert_by_slug(ReflectiveQuestion, question_rows)
    report.merge(part)
    known_patterns = _existing(Pattern)
    for slug, pattern_slugs in links.items():
        missing = [s for s in pattern_slugs if s not in known_patterns]
        if missing:
            raise CatalogError(f"[reflective_questions] {slug!r}: unknown patterns {missing}")
        question = questions[slug]
        wanted = {known_patterns[s].pk for s in pattern_slugs}
        if set(question.patterns.values_list("pk", flat=True)) != wanted:
            question.patterns.set(wanted)
            label = f"{ReflectiveQuestion._meta.verbose_name} {slug} (patterns)"
            report.updated.append(label)
    return report


def _existing(model) -> dict:
    return {obj.slug: obj for obj in model.objects.all()}
