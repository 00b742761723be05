"""Minutes as the hours pages show them, one definition shared with the documents."""

from django import template

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
