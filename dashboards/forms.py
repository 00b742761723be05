from django import forms


class WindowForm(forms.Form):
    weeks = forms.TypedChoiceField(
        choices=[(4, "4 weeks"), (12, "12 weeks"), (52, "52 weeks")],
        coerce=int,
        required=False,
        # Django returns empty_value as given; django-stubs types it as str.
        empty_value=12,  # type: ignore[arg-type]
    )
