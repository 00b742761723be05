"""Minutes as the hours pages show them, one definition shared with the documents.

The hours pages that list periods are Jinja2 (config.jinja2 registers these filters there);
the forms and the supervision's end are Django templates, which load them from here."""

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
