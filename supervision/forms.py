"""Form fields shared by every app."""

import functools

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The largest primary key a 64-bit integer column holds.
MAX_ID = 2**63 - 1


class IdChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by id that refuses ids no column could hold.

    Django's own field passes every posted value to an `id IN (...)` query, and
    SQLite raises OverflowError on a number past 64 bits: a 500 instead of the form
    error a person should see.
    """

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if not text.isdecimal() or int(text) > MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


def refusal(form: forms.BaseForm, usual: str) -> str:
    """What to tell someone whose one-line form was refused, when the form is not re-shown.

    `usual` covers the everyday cases (empty, too long); anything else (a null character,
    say) is named in the form's own words so the person knows what to change.
    """
    errors = [error for field_errors in form.errors.as_data().values() for error in field_errors]
    if all(error.code in ("required", "max_length") for error in errors):
        return usual
    details = " ".join(message for error in errors for message in error.messages)
    return f"Nothing was saved. {details}"


@functools.lru_cache(maxsize=32)
def blank_form(form_class: type[forms.Form]) -> str:
    """`form_class()` as `{{ form|crispy }}` draws it. A form with no data and no choices
    read from the database draws the same for everyone, so each process draws it once
    (about 0.7 ms a form). For pages whose forms post elsewhere and never come back bound."""
    return as_crispy_form(form_class())


# Stands in for a row's id in a form drawn once for many rows (blank_form_for).
_ROW_MARKER = "9876543210123"


@functools.lru_cache(maxsize=32)
def _blank_form_for_rows(form_class: type[forms.Form], id_prefix: str) -> str:
    return as_crispy_form(form_class(auto_id=f"{id_prefix}-{_ROW_MARKER}-%s"))


def blank_form_for(form_class: type[forms.Form], id_prefix: str, pk: int) -> SafeString:
    """`form_class(auto_id=f"{id_prefix}-{pk}-%s")` as `{{ form|crispy }}` draws it: a blank
    form drawn once per process and prefix, each row's copy differing only in its element
    ids (a page of questions draws one answer form per question). Same conditions as
    `blank_form`."""
    return mark_safe(_blank_form_for_rows(form_class, id_prefix).replace(_ROW_MARKER, str(int(pk))))  # noqa: S308


# Stands in for a field's value in a form drawn once for many rows (filled_form_for).
_VALUE_MARKER = "GoodEnoughValue4242424242"


@functools.lru_cache(maxsize=32)
def _form_with_value_for_rows(form_class: type[forms.Form], id_prefix: str, field: str) -> str:
    drawn = as_crispy_form(
        form_class(initial={field: _VALUE_MARKER}, auto_id=f"{id_prefix}-{_ROW_MARKER}-%s")
    )
    if drawn.count(_VALUE_MARKER) != 1:
        raise ValueError(f"{form_class.__name__}.{field} is not drawn once as text.")
    return drawn


def filled_form_for(
    form_class: type[forms.Form], id_prefix: str, pk: int, *, field: str, value: str
) -> SafeString:
    """`form_class(initial={field: value}, auto_id=f"{id_prefix}-{pk}-%s")` as `{{ form|crispy }}`
    draws it, for a form whose one filled field is text drawn once (a textarea): the form is
    drawn once per process with stand-ins, and each copy gets its ids and its value, escaped
    as the widget escapes it (a page of her answers draws one form per answer). The value
    is put in last, so nothing she wrote is ever read as a stand-in; the drawing is in the
    process only and holds no one's text."""
    drawn = _form_with_value_for_rows(form_class, id_prefix, field).replace(
        _ROW_MARKER, str(int(pk))
    )
    # Always escaped (`escape`, not `conditional_escape`): her text is never taken as markup,
    # even if a caller handed in a string marked safe.
    return mark_safe(drawn.replace(_VALUE_MARKER, escape(str(value)), 1))  # noqa: S308
