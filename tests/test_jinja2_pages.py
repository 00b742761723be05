"""Jinja2 for the pages of one kind (config.jinja2): it answers only for its own pages, escapes
as Django does, reads the one base layout Django's pages read, and its pages are seen by the
test client like Django's."""

import copy
import datetime
import html
import pickle
import re

import jinja2
import pytest
from django.template import TemplateDoesNotExist, engines
from django.template.loader import get_template, render_to_string
from django.urls import reverse, set_script_prefix
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape

from config.jinja2 import SHARED, url
from supervision.formats import _SHAPES, Row, shaped


def test_each_engine_answers_only_for_its_own_pages():
    jinja = engines["jinja2"]
    assert get_template("cases/log_list.jinja").backend is jinja
    # Listed first, Jinja2 must not take a Django page, nor the shared layout, for itself.
    for name in ["base.html", "layout.html", "cases/log_form.html"]:
        with pytest.raises(TemplateDoesNotExist):
            jinja.get_template(name)
        assert get_template(name).backend is engines["django"]


def test_a_jinja2_page_cannot_include_a_django_template():
    env = engines["jinja2"].env
    with pytest.raises(jinja2.TemplateNotFound):
        env.from_string('{% include "cases/log_form.html" %}').render()
    # The shared layout it can.
    assert "<meta" in env.from_string('{% include "_head.html" %}').render(links={})


def test_every_shared_layout_file_is_read_by_both_engines():
    for name in SHARED:
        engines["django"].get_template(name)
        engines["jinja2"].env.get_template(name)


def test_output_is_escaped_as_djangos_but_for_the_spelling_of_two_entities():
    hostile = 'O\'Brien "<script>alert(1)</script>" & co'
    drawn = engines["jinja2"].from_string("{{ name }}").render({"name": hostile})
    assert "<script>" not in drawn and "&lt;script&gt;" in drawn
    assert drawn == escape(hostile).replace("&#x27;", "&#39;").replace("&quot;", "&#34;")
    assert html.unescape(drawn) == hostile
    # Marked safe by Django (a drawn form, say), it is not escaped twice.
    safe = engines["jinja2"].from_string("{{ drawn }}").render({"drawn": escape("<b>")})
    assert safe == "&lt;b&gt;"


# Every kind of tag inside blocks: text, `{{ }}`, if/for/else, include, set blocks, macros,
# call and filter blocks, a block inside a block, super() and self.
_PIECES = {
    "layout": (
        "<title>{% block title %}Layout{% endblock %}</title>"
        "<main>{% block content %}{% endblock %}</main>"
        "<footer>{% block footer %}{{ self.title() }} & {{ name }}{% endblock %}</footer>"
    ),
    "_part": "<i>{{ name }} {{ n }}</i>",
    "page": (
        '{% extends "layout" %}'
        "{% macro badge(text) %}<b>{{ text }}</b>{{ caller() if caller }}{% endmacro %}"
        "{% block title %}Page · {{ super() }}{% endblock %}"
        "{% block content %}<h1>{{ name }}</h1>"
        "{% for n in numbers %}{% if n is odd %}{{ n }}{% else %}<em>{{ n }}</em>{% endif %}"
        "{% include '_part' %}{% else %}none{% endfor %}"
        "{% for n in [] %}{{ n }}{% else %}<p>empty</p>{% endfor %}"
        "{% set kept %}<s>{{ name }}</s>{% endset %}{{ kept }}{{ kept }}"
        "{{ badge(name) }}{% call badge('called') %}<u>{{ name }}</u>{% endcall %}"
        "{% filter upper %}shout {{ name }}{% endfilter %}"
        "{% block inner %}<q>{{ name }}</q>{% endblock %}{% endblock %}"
    ),
}


def test_blocks_drawn_in_one_piece_draw_what_jinja2_draws():
    from config.jinja2 import _BlocksInOnePiece

    ours = engines["jinja2"].env
    assert ours.code_generator_class is _BlocksInOnePiece
    drawn = []
    for generator in (_BlocksInOnePiece, jinja2.compiler.CodeGenerator):
        env = jinja2.Environment(loader=jinja2.DictLoader(_PIECES), autoescape=True)
        env.code_generator_class = generator
        page = env.get_template("page")
        context = {"name": "Sam <b>", "numbers": [1, 2, 3]}
        drawn.append((page.render(context), list(page.generate(context))))
    (ours_whole, ours_pieces), (theirs_whole, theirs_pieces) = drawn
    assert ours_whole == theirs_whole
    assert "Page · Layout" in ours_whole and "<em>2</em>" in ours_whole
    assert ours_whole.count("&lt;b&gt;") == theirs_whole.count("&lt;b&gt;") > 5
    # The same text, in fewer pieces: each block's body is one.
    assert "".join(ours_pieces) == theirs_whole
    assert len(ours_pieces) < len(theirs_pieces)


def test_urls_are_reversed_once_per_script_prefix():
    assert url("cases:log_list") == reverse("cases:log_list")
    try:
        set_script_prefix("/clinic/")
        assert url("cases:log_list") == reverse("cases:log_list")
        assert url("cases:log_list").startswith("/clinic/")
    finally:
        set_script_prefix("/")
    assert not url("cases:log_list").startswith("/clinic/")
    assert url("cases:log_detail", 7) == reverse("cases:log_detail", args=[7])
    # Ids after a fixed one (a group's), from one reverse; ids under another prefix too.
    assert url("groups:shared_log", 3, 41) == reverse("groups:shared_log", args=[3, 41])
    try:
        set_script_prefix("/clinic/")
        assert url("cases:log_detail", 8) == reverse("cases:log_detail", args=[8])
        assert url("cases:log_detail", 8) == "/clinic/logs/8/"
    finally:
        set_script_prefix("/")


def test_a_jinja2_page_and_a_django_page_draw_the_same_layout(rf, supervisee):
    request = rf.get("/")
    request.user = supervisee
    request.session = {}
    request._messages = []
    django_page = render_to_string("layout.html", request=request)
    jinja_page = (
        engines["jinja2"]
        .from_string('{% extends "base.html" %}{% block title %}Signed in{% endblock %}')
        .render(request=request)
    )
    assert "My logs" in django_page and supervisee.display_name in django_page
    # The CSRF field's value is masked afresh each time it is drawn.
    assert "csrfmiddlewaretoken" in jinja_page
    assert _unmasked(jinja_page).rstrip() == _unmasked(django_page).rstrip()


def _unmasked(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", page)


def test_the_test_client_sees_a_jinja2_pages_context(login, supervisee):
    response = login(supervisee).get(reverse("cases:log_list"))
    assert "cases/log_list.jinja" in [t.name for t in response.templates]
    assert response.context["page"].number == 1


@pytest.mark.parametrize(
    "text", ["", "short", "x" * 240, "x" * 241, "é" * 239 + "e\u0301" * 3, "a b " * 100]
)
def test_truncatechars_is_djangos(text):
    jinja = engines["jinja2"].from_string("{{ t|truncatechars(240) }}").render({"t": text})
    django = engines["django"].from_string("{{ t|truncatechars:240 }}").render({"t": text})
    assert jinja == django


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        datetime.date(2026, 3, 2),
        # Late in the evening in UTC: the next day in the local time zone of a clinic east of it.
        datetime.datetime(2026, 3, 29, 23, 40, tzinfo=datetime.UTC),
        datetime.datetime(2026, 11, 30, 9, 5, tzinfo=datetime.UTC),
    ],
)
@pytest.mark.parametrize("zone", ["Europe/London", "Pacific/Auckland"])
@pytest.mark.parametrize("shape", ["j F Y", "j M Y H:i", "j F Y, H:i", "j M"])
def test_date_is_djangos_in_the_current_time_zone(value, zone, shape):
    jinja = engines["jinja2"].from_string("{{ v|date(f) }}")
    django = engines["django"].from_string("{{ v|date:f }}")
    context = {"v": value, "f": shape}
    with timezone.override(zone):
        if type(value) is datetime.date and "H" in shape:
            # A day has no time: both refuse alike.
            with pytest.raises(TypeError):
                jinja.render(context)
            with pytest.raises(TypeError):
                django.render(context)
        else:
            assert jinja.render(context) == django.render(context)


@pytest.mark.parametrize(
    "text", ["", "one line", "two\nlines", "<b>bold</b> & \r\nmore", 'O\'Brien "quoted"']
)
def test_linebreaksbr_is_djangos_and_escapes_first(text):
    jinja = engines["jinja2"].from_string("{{ t|linebreaksbr }}").render({"t": text})
    django = engines["django"].from_string("{{ t|linebreaksbr }}").render({"t": text})
    assert "<b>" not in jinja
    assert _same_entities(jinja) == _same_entities(django)


def _same_entities(drawn: str) -> str:
    return drawn.replace("&#x27;", "&#39;").replace("&quot;", "&#34;")


def test_a_row_reads_the_same_in_both_engines_and_refuses_a_dict_methods_name():
    row = Row(name="Sam <b>", n=3)
    drawn = {
        engine: engines[engine].from_string("{{ row.name }}:{{ row.n }}").render({"row": row})
        for engine in ("django", "jinja2")
    }
    assert drawn["django"] == drawn["jinja2"] == "Sam &lt;b&gt;:3"
    with pytest.raises(AttributeError):
        row.missing  # noqa: B018
    # As an attribute, a key named like a dict method would hide that method.
    for name in ("items", "values", "get"):
        with pytest.raises(ValueError):
            Row({name: 1})


def test_a_row_is_not_changed_after_it_is_made_since_its_attributes_are_a_copy():
    row = Row(name="Sam", n=3)
    # Each key is an attribute of its own (read in C), not an answer of __getattr__.
    assert vars(row) == dict(row) == {"name": "Sam", "n": 3}
    changes = (
        lambda: row.__setitem__("name", "Alex"),
        lambda: row.__delitem__("name"),
        lambda: row.update(name="Alex"),
        lambda: row.setdefault("other", 1),
        lambda: row.pop("name"),
        lambda: row.popitem(),
        lambda: row.clear(),
    )
    for change in changes:
        with pytest.raises(TypeError):
            change()
    with pytest.raises(TypeError):
        row |= {"name": "Alex"}
    assert row == {"name": "Sam", "n": 3} and row.name == "Sam"
    # Copied and pickled (a cache) whole, as a Row.
    for again in (copy.copy(row), copy.deepcopy(row), pickle.loads(pickle.dumps(row))):  # noqa: S301
        assert type(again) is Row and again == row and again.name == "Sam"


def test_the_shapes_written_without_djangos_formatter_are_djangos():
    for shape in _SHAPES:
        for month in range(1, 13):
            for day, hour, minute in ((1, 0, 0), (9, 9, 5), (28, 23, 59)):
                moment = datetime.datetime(2026, month, day, hour, minute, 30)
                assert shaped(moment, shape) == date_format(moment, shape)
                if "H" not in shape:
                    assert shaped(moment.date(), shape) == date_format(moment.date(), shape)
    # A day has no time of day; any other format is Django's to write.
    assert shaped(datetime.date(2026, 3, 2), "j M Y H:i") is None
    assert shaped(datetime.date(2026, 3, 2), "D j M") is None
    drawn = engines["jinja2"].from_string('{{ d|date("D j M") }}')
    assert drawn.render({"d": datetime.date(2026, 3, 2)}) == "Mon 2 Mar"
