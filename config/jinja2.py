"""Jinja2 through Django's own backend, for the pages of one kind that are drawn most.

Which pages, and why, is in docs/architecture.md ("Which template engine draws a page"). In short: a page kind moves
whole (its page and its partials are `*.jinja` files beside the Django templates in
`templates/<app>/`), and the base layout is one definition both engines read: `base.html` and
the partials it includes (SHARED) are written in what the two template languages share, so a
Jinja2 page extends the very file a Django page does.

What keeps the two engines' output the same:

- Escaping: every `{{ }}` is escaped, by MarkupSafe (Jinja2's own, in C); what Django marked
  safe (a drawn form: SafeString has `__html__`) is left as it is. The one difference from
  Django's escaping is the spelling of two entities, the same characters in every browser:
  a quote is `&#34;` and an apostrophe `&#39;` where Django writes `&quot;` and `&#x27;`.
  Escaping as Django does (a `finalize` hook) cost about 1.9 M instructions on her list,
  a tenth of the page.
- Context: the same context processors run for both (settings.TEMPLATES).
- `url()` reverses a URL without arguments once per process and script prefix, like the
  layout's links (config.context_processors).
- `drawn_once` keeps a drawn part of a page as Django's `{% cache %}` tag does, under the
  same key (`make_template_fragment_key`) in the same `drawn` cache: the dashboards' figure
  sections, keyed by the state of the work they show (dashboards.cache).
- In tests, each page drawn sends Django's `template_rendered` signal, as Django's own
  templates do under the test runner, so `response.context` and `response.templates` work for
  both kinds of page.
"""

from collections.abc import Iterable
from typing import Any

import jinja2
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.template import TemplateDoesNotExist
from django.template.backends.jinja2 import Jinja2, Template
from django.template.defaultfilters import (
    default_if_none,
    floatformat,
    linebreaksbr,
    pluralize,
    timesince_filter,
    truncatechars,
    urlencode,
)
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils.safestring import SafeString
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Node
from markupsafe import Markup

from hours.templatetags.hours_tags import category, details, hours, percent_of
from supervision.formats import date_written
from supervision.links import page_url, pk_url

# Read by both engines: written in what Django's template language and Jinja2 share (no
# {% url %}, {% load %}, filters with arguments or callables; links come from
# config.context_processors, the CSRF field from `csrf_input`).
SHARED = frozenset(
    {
        "base.html",
        "_head.html",
        "_nav_items.html",
        "_pagination.html",
        "accounts/_session_timeout.html",
        "cases/_co_supervisors.html",
        "cases/_log_body.html",
        "cases/_status_badge.html",
        "reflections/_return_request.html",
    }
)
SUFFIX = ".jinja"


class _BlocksInOnePiece(CodeGenerator):
    """Jinja2's code, except that a block gives its text in one piece.

    Jinja2 draws a page as a generator of pieces, one for each run of text and each `{{ }}`.
    A page extends the layout, so each piece of its `content` block passed through three
    generators (the block, the layout, the page) on its way out: about 0.25 M of her list's
    13 M instructions. Here a block's own body appends its pieces to a list, as Jinja2 does
    inside a macro or a `{% set %}` block, and gives them joined once. What it draws is the
    same (a test draws every kind of tag both ways)."""

    def blockvisit(self, nodes: Iterable[Node], frame: Frame) -> None:
        if not frame.block_frame or frame.buffer is not None:
            super().blockvisit(nodes, frame)
            return
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = []")
        super().blockvisit(nodes, frame)
        self.writeline(f"yield concat({frame.buffer})")


class _PagesLoader(jinja2.FileSystemLoader):
    """Jinja2 reads its own pages and the shared layout, never a Django template."""

    def get_source(self, environment, template):
        if not (template.endswith(SUFFIX) or template in SHARED):
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


def url(name: str, *args: Any) -> str:
    # A URL without arguments does not change while the process runs (per script prefix,
    # which reverse() reads itself and so is part of the key); one whose arguments are ids
    # comes from one reverse per process too (supervision.links.pk_url).
    if not args:
        return page_url(name)
    if all(type(a) is int for a in args):
        return pk_url(name, *args[:-1])(args[-1])
    return reverse(name, args=args)


def _linebreaksbr(value: Any) -> SafeString:
    # Django's filter, escaping first as Django's templates do.
    return linebreaksbr(value, autoescape=True)


def _truncatechars(value: Any, length: int) -> str:
    # Django's filter walks every character (to skip combining marks) even when the text is
    # shorter than the limit, which it then returns unchanged; so does this, without the walk.
    text = str(value)
    return text if len(text) <= length else truncatechars(text, length)


def drawn_once(seconds: int | None, name: str, *vary_on: Any, caller: Any) -> Markup:
    """`{% call drawn_once(seconds, "name", key...) %}part{% endcall %}`: the part as drawn
    before for the same `vary_on`, or drawn now and kept for `seconds`. What Django's
    `{% cache seconds name key... using="drawn" %}` does, under the key it would use, so a
    page keeps the same parts whichever engine draws it."""
    fragments = caches["drawn"]
    key = make_template_fragment_key(name, vary_on)
    html = fragments.get(key)
    if html is None:
        html = caller()
        fragments.set(key, html, seconds)
    # The part was drawn, and escaped, by this very template (caller()).
    return Markup(html)  # noqa: S704


def environment(**options: Any) -> jinja2.Environment:
    # Django's backend made a loader of the backend's DIRS; this one reads from the same.
    options["loader"] = _PagesLoader(options["loader"].searchpath)
    options.pop("autoescape", None)
    env = jinja2.Environment(
        autoescape=True,
        # Django's templates keep a file's last newline; so does this.
        keep_trailing_newline=True,
        **options,
    )
    env.code_generator_class = _BlocksInOnePiece
    env.globals["url"] = url
    env.globals["drawn_once"] = drawn_once
    env.filters["truncatechars"] = _truncatechars
    env.filters["urlencode"] = urlencode
    env.filters["timesince"] = timesince_filter
    # Django's `date` filter, without its formatter for the formats pages print.
    env.filters["date"] = date_written
    env.filters["linebreaksbr"] = _linebreaksbr
    env.filters["pluralize"] = pluralize
    env.filters["default_if_none"] = default_if_none
    env.filters["floatformat"] = floatformat
    # The hours pages' own (hours_tags: one definition, shared with their documents).
    env.filters["hours"] = hours
    env.filters["percent_of"] = percent_of
    env.filters["category"] = category
    env.filters["details"] = details
    return env


class _Page(Template):
    def render(self, context=None, request=None):
        context = {} if context is None else context
        html = super().render(context, request)
        # Django's own templates send this under the test runner (django.test.utils); with no
        # receiver outside tests it costs one check.
        template_rendered.send(sender=self, template=self, context=context)
        return html

    @property
    def name(self) -> str:
        return self.origin.template_name or ""


class Pages(Jinja2):
    """Django's Jinja2 backend, answering only for `*.jinja` names.

    It is listed before Django's engine (which would read a `.jinja` file as a Django
    template and fail), so it must not answer for the shared layout's names.
    """

    def get_template(self, template_name: str) -> _Page:
        if not template_name.endswith(SUFFIX):
            raise TemplateDoesNotExist(template_name, backend=self)
        return _Page(super().get_template(template_name).template, self)
