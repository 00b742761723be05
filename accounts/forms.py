"""Forms of the log-in code step and the two-factor pages."""

from django import forms


class CodeForm(forms.Form):
    """A code from the authenticator app, or (where allowed) a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, recovery: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if recovery:
            field.label = "Code from your authenticator app, or a recovery code"
            field.help_text = (
                "Six digits from the app, or one of your recovery codes (each works once)."
            )
        else:
            field.label = "Code from your authenticator app"
            field.help_text = "The six digits the app shows now."
            field.widget.attrs["inputmode"] = "numeric"
