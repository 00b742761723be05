"""What is waiting for a supervisee: the strip at the top of her home page (the log list).

The log list belongs to this app, but some of what waits for her lives in apps above it
(a supervisor's request on a returned log, questions to answer). Those apps register a
section here from their `AppConfig.ready()`, as log-page panels are registered
(`cases.log_page`); this app draws the strip without knowing them.

Each section reads only what the strip shows, in one query, and only a few rows: the
strip links to the full list where there are more. Its wording is calm on purpose: no
counts, no "overdue"; the tool must not become one more place to be perfect.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from accounts.selectors import kept_drafts_for
from supervision.compiled import FixedQuery
from supervision.links import page_url, pk_url
from supervision.models import User

from .models import LogStatus, SessionLog

# Rows a section shows before "see all".
SHOWN = 3


@dataclass(frozen=True)
class WaitingItem:
    title: str  # what it is about: a log's client code and date
    url: str
    detail: str = ""  # a supervisor's request, a question's wording
    by: str = ""  # who asked
    when: datetime.datetime | datetime.date | None = None


@dataclass(frozen=True)
class WaitingGroup:
    heading: str
    items: tuple[WaitingItem, ...]
    # Where the whole list is, when the strip shows only the first few.
    more_url: str = ""
    more_label: str = ""


@dataclass(frozen=True)
class WaitingSection:
    name: str
    # (person) → what to show, or None when nothing of this kind waits.
    read: Callable[[User], WaitingGroup | None]
    # Sections are drawn by this number, lowest first: what someone asked of her first.
    order: int = 50


_sections: dict[str, WaitingSection] = {}


def register(section: WaitingSection) -> None:
    """Called from an AppConfig.ready(); registering a name again replaces its section."""
    _sections[section.name] = section


def _read(sections: dict[str, WaitingSection], person: User) -> list[WaitingGroup]:
    """Each section's group, lowest `order` first, leaving out those with nothing waiting."""
    groups = []
    for section in sorted(sections.values(), key=lambda s: (s.order, s.name)):
        group = section.read(person)
        if group is not None and group.items:
            groups.append(group)
    return groups


def waiting_for(user: User) -> list[WaitingGroup]:
    return _read(_sections, user)


def log_label(client_code: str, session_date: datetime.date) -> str:
    """A log named as everywhere else (`SessionLog.__str__`), from two columns."""
    return f"{client_code} · {session_date:%d %b %Y}"


# On her home page at every visit: compiled once per process (supervision.compiled).
_DRAFTS = FixedQuery(
    lambda person: (
        SessionLog.objects.live()
        .filter(author_id=person, status=LogStatus.DRAFT)
        .order_by("-updated_at", "-pk")
        .values_list("pk", "client_code", "session_date", "updated_at")
    ),
    person=int,
)


def _drafts(user: User) -> WaitingGroup | None:
    rows = _DRAFTS.rows(person=user.pk, limit=SHOWN + 1)
    if not rows:
        return None
    log_url = pk_url("cases:log_detail")
    items = tuple(
        WaitingItem(title=log_label(code, date), url=log_url(pk), when=updated)
        for pk, code, date, updated in rows[:SHOWN]
    )
    more = len(rows) > SHOWN
    return WaitingGroup(
        heading="Drafts you have not submitted yet",
        items=items,
        more_url=f"{page_url('cases:log_list')}?status={LogStatus.DRAFT}" if more else "",
        more_label="All your drafts" if more else "",
    )


def _kept(user: User) -> WaitingGroup | None:
    """What the idle limit kept of a form she was writing (accounts.KeptDraft): first, since
    it is not saved anywhere else yet."""
    kept = kept_drafts_for(user)
    if not kept:
        return None
    return WaitingGroup(
        heading="Kept for you when you were signed out (not saved yet)",
        items=tuple(WaitingItem(title=k.label, url=k.url, when=k.kept_at) for k in kept),
    )


# Registered by CasesConfig.ready(), like the sections of the apps above.
KEPT = WaitingSection(name="accounts_kept", read=_kept, order=0)
DRAFTS = WaitingSection(name="cases_drafts", read=_drafts, order=80)


# --- What else waits for a supervisor, on her review queue ------------------------------
#
# The queue is this app's page; other work that waits for her (hours to sign) belongs to
# apps above, which register a section here as the strip's sections are registered.

_queue_sections: dict[str, WaitingSection] = {}


def register_queue_section(section: WaitingSection) -> None:
    """Called from an AppConfig.ready(); `section.read` gets the supervisor."""
    _queue_sections[section.name] = section


def queue_sections_for(supervisor: User) -> list[WaitingGroup]:
    return _read(_queue_sections, supervisor)
