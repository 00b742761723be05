"""The log page, and what higher layers show on it without this layer knowing them.

The log belongs to this app; apps above it (reflections, groups) add panels to its
page by registering them in their `AppConfig.ready()`, the way erasers are registered
(`supervision.erasure`). A panel names a slot on the page, a partial template and a
function that gives its context for one viewer (None: nothing to draw). It may add
EXISTS flags to the page's single log query, so that a panel with nothing to show
costs no query of its own.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Expression
from django.http import HttpRequest

from .models import SessionLog

# Where a panel is drawn: under the title (before anything else: what someone asks of the
# reader; the edit form draws this slot too), beside the author's buttons, above the log,
# below it.
SLOTS = ("top", "actions", "before_log", "after_log")


@dataclass(frozen=True)
class LogPagePanel:
    name: str
    slot: str
    template: str
    # (request, log, is_author) → the partial's context, or None to draw nothing.
    context: Callable[[HttpRequest, SessionLog, bool], dict | None]
    # Annotations on the log page's query, read back by `context` (e.g. "has_shares").
    annotations: Callable[[], dict[str, Expression]] = field(default=dict)

    def __post_init__(self):
        if self.slot not in SLOTS:
            raise ValueError(f"A log page panel goes in one of {SLOTS}, not {self.slot!r}.")


_panels: dict[str, LogPagePanel] = {}


def register(panel: LogPagePanel) -> None:
    """Called from an AppConfig.ready(); registering a name again replaces its panel.
    Panels in a slot are drawn in the order their apps are installed (lowest layer first)."""
    _panels[panel.name] = panel


def annotations() -> dict[str, Expression]:
    found: dict[str, Expression] = {}
    for panel in _panels.values():
        found.update(panel.annotations())
    return found


def panels_for(
    request: HttpRequest, log: SessionLog, *, is_author: bool, slots: tuple[str, ...] = SLOTS
) -> dict[str, list]:
    """The panels to draw, by slot, each as its context plus the template to draw it with.
    A page that draws only some slots (the edit form: "top") asks for those alone; their
    panels must not rely on the log page's annotations."""
    drawn: dict[str, list] = {slot: [] for slot in slots}
    for panel in _panels.values():
        if panel.slot not in drawn:
            continue
        context = panel.context(request, log, is_author)
        if context is not None:
            drawn[panel.slot].append({"template": panel.template, **context})
    return drawn
