"""Form helpers shared by every app (supervision/forms.py)."""

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
