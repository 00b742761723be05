"""Labels for the admin's table cells: the column heading is no label for the input under it.

A list's editable cells (list_editable) and a tabular inline's fields each get an
aria-label naming the column and the row ("Position of Over-preparing"), so screen readers
and the axe scan (tests/e2e/test_admin_pages.py) know what each input is for.
"""

from django import forms
from django.contrib.admin import widgets as admin_widgets

# Django's split date and time writes "Date:" and "Time:" as bare text, which labels neither
# input; this copy of its template uses <label> (every admin form, third-party ones too).
admin_widgets.AdminSplitDateTime.template_name = "supervision/widgets/split_datetime.html"


def label_fields(form: forms.BaseForm, row: str) -> None:
    for name, field in form.fields.items():
        # A related field's widget is wrapped (the add and change links): label the input.
        widget: forms.Widget = getattr(field.widget, "widget", None) or field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        label = field.label or name.replace("_", " ").capitalize()
        widget.attrs["aria-label"] = f"{label} of {row}"


def _row(form: forms.BaseForm) -> str:
    instance = getattr(form, "instance", None)
    return str(instance) if instance is not None and instance.pk else "the new row"


def labelled(base: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """`base` with each visible input labelled by its column and its row."""

    class Labelled(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            label_fields(self, _row(self))

    return Labelled


def labelled_formset(base: type[forms.BaseFormSet]) -> type[forms.BaseFormSet]:
    """An inline's formset whose rows are labelled, the "delete" box it adds included."""

    class LabelledFormSet(base):  # type: ignore[misc, valid-type]
        def add_fields(self, form, index):
            super().add_fields(form, index)
            label_fields(form, _row(form))

    return LabelledFormSet
