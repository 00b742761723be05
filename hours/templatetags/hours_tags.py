"""Minutes as the hours pages show them, one definition shared with the documents."""

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join

from hours.documents import entry_details, hours_label
from hours.ledger import LedgerEntry

register = template.Library()


@register.filter
def hours(minutes: int) -> str:
    return hours_label(int(minutes or 0))


@register.filter
def details(entry: LedgerEntry) -> str:
    return entry_details(entry)


@register.filter
def percent_of(have: float, required: float) -> int:
    """How full a progress bar is drawn, 0 to 100."""
    if not required:
        return 100
    return max(0, min(100, int(100 * float(have) / float(required))))


@register.filter
def category(code: str) -> str:
    from hours.documents import category_label

    return category_label(code)


@register.filter
def signed_by(row, person_pk: int) -> bool:
    return row.signed_by(person_pk)


@register.simple_tag
def period_state(row) -> str:
    """A period's signature, in words: signed (by whom, when), changed since, not yet, or
    still going. A tag rather than an include: her hours page draws it on every row."""
    if row.signed:
        return format_html_join(
            "",
            '<span class="d-block">Signed by {} on {}</span>',
            (
                (
                    s.facts.supervisor_name,
                    dateformat.format(timezone.localtime(s.facts.signed_at), "j M Y"),
                )
                for s in row.signatures
                if s.facts.current
            ),
        )
    if row.changed_since_signed:
        return format_html(
            "<span>{}</span>", "Changed since it was signed: a new signature is needed"
        )
    if row.closed:
        return format_html("<span>{}</span>", "Not signed yet")
    return format_html('<span class="text-body-secondary">{}</span>', "Still going")
