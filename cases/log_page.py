"""What higher layers show on the log page, without this layer knowing them.

The log belongs to this app; apps above it (reflections, groups) add panels to its
page by registering them in their `AppConfig.ready()`, the way erasers are registered
(`supervision.erasure`). A panel names a partial template and a function that gives
its context for one viewer; it may add EXISTS flags to the page's single log query,
so that a panel with nothing to show costs no query of its own.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Expression
from django.http import HttpRequest

from .models import SessionLog


@dataclass(frozen=True)
class LogPagePanel:
    name: str
    template: str
    # (request, log, is_author) → the partial's context, or None to draw nothing.
    context: Callable[[HttpRequest, SessionLog, bool], dict | None]
    # Annotations on the log page's query, read back by `context` (e.g. "has_shares").
    annotations: Callable[[], dict[str, Expression]] = field(default=dict)


_panels: dict[str, LogPagePanel] = {}


def register(panel: LogPagePanel) -> None:
    """Called from an AppConfig.ready(); registering a name again replaces its panel."""
    _panels[panel.name] = panel


def annotations() -> dict[str, Expression]:
    found: dict[str, Expression] = {}
    for panel in _panels.values():
        found.update(panel.annotations())
    return found


def panels_for(request: HttpRequest, log: SessionLog, *, is_author: bool) -> dict[str, dict]:
    """Each registered panel's context by name, for the panels that have something to show."""
    drawn = {}
    for name, panel in _panels.items():
        context = panel.context(request, log, is_author)
        if context is not None:
            drawn[name] = {"template": panel.template, **context}
    return drawn
