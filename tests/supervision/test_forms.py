"""Form helpers shared by every app (supervision/forms.py)."""

import pytest
from django.template import engines

from cases.forms import AddendumForm
from reflections.forms import CommentForm
from supervision.forms import blank_form


def test_a_blank_form_is_drawn_as_the_crispy_filter_draws_it_once_per_process():
    template = engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}")
    for form_class in (CommentForm, AddendumForm):
        blank_form.cache_clear()
        drawn = blank_form(form_class)
        assert drawn == template.render({"form": form_class()})
        assert 'name="text"' in drawn
        assert blank_form(form_class) is drawn
        assert blank_form.cache_info().hits == 1


def test_a_blank_form_drawn_once_for_many_rows_is_each_rows_own_drawing():
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form

    from reflections.forms import AnswerForm
    from supervision.forms import blank_form_for

    for pk in (7, 1234567):
        drawn = as_crispy_form(AnswerForm(auto_id=f"answer-{pk}-%s"))
        assert blank_form_for(AnswerForm, "answer", pk) == drawn
        assert f'id="answer-{pk}-answer"' in drawn


def test_a_form_drawn_once_with_each_rows_value_is_that_rows_own_drawing():
    """Her answer goes into the drawing escaped as the widget escapes it, whatever she wrote:
    markup, quotes, line breaks, a leading line break, the stand-ins' own text."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form

    from reflections.forms import AnswerForm
    from supervision.forms import _ROW_MARKER, _VALUE_MARKER, filled_form_for

    answers = [
        "Synthetic: I noticed I wanted to fix it.",
        "<script>alert(\"x\")</script> & 'quotes'",
        "Line one\nline two\r\n\nline four",
        "\nStarts with a line break",
        f"Mentions {_VALUE_MARKER} and {_ROW_MARKER}",
        "é ü — 漢字",
    ]
    for pk in (7, 1234567):
        for answer in answers:
            drawn = as_crispy_form(AnswerForm(initial={"answer": answer}, auto_id=f"edit-{pk}-%s"))
            assert filled_form_for(AnswerForm, "edit", pk, field="answer", value=answer) == drawn
            assert f'id="edit-{pk}-answer"' in drawn


def test_a_field_not_drawn_once_as_text_is_refused():

    from reflections.forms import AnswerForm
    from supervision.forms import filled_form_for

    # No such field: its value would be drawn nowhere.
    with pytest.raises(ValueError, match="not drawn once"):
        filled_form_for(AnswerForm, "edit", 1, field="nothing", value="x")


def test_text_marked_safe_is_still_escaped_in_a_filled_form():
    from django.utils.safestring import mark_safe

    from reflections.forms import AnswerForm
    from supervision.forms import filled_form_for

    drawn = filled_form_for(AnswerForm, "edit", 3, field="answer", value=mark_safe("<b>x</b>"))
    assert "<b>x</b>" not in drawn and "&lt;b&gt;x&lt;/b&gt;" in drawn
