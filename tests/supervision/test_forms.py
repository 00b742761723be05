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
