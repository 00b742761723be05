"""Forms of the log-in code step, the two-factor pages and invitations."""

from typing import cast

from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone

from supervision.models import Role, User


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


class EmailCodeForm(forms.Form):
    """The code e-mailed before a first two-factor set-up."""

    code = forms.CharField(
        label="Code from the e-mail",
        max_length=12,
        strip=True,
        help_text="Six digits. The newest e-mail's code is the one that works.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class InvitationAcceptForm(forms.Form):
    """Her own password, and (where two-factor is required) the first code of her app.

    The password rules are Django's validators (settings.AUTH_PASSWORD_VALIDATORS), checked
    again by the service.
    """

    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="The same password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, with_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if with_code:
            self.fields["code"] = CodeForm(recovery=False).fields["code"]

    def clean_password2(self):
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError("The two passwords differ.")
        if second:
            password_validation.validate_password(second, self.user)
        return second


class InvitationForm(forms.Form):
    """Who is invited, her role, and her supervision relationships, on one page."""

    display_name = forms.CharField(label="Name", max_length=120)
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.SUPERVISEE)
    supervisors = forms.ModelMultipleChoiceField(
        label="Her supervisors",
        queryset=User.objects.none(),
        required=False,
        help_text="For a supervisee: who supervises her.",
        widget=forms.CheckboxSelectMultiple,
    )
    supervisees = forms.ModelMultipleChoiceField(
        label="Her supervisees",
        queryset=User.objects.none(),
        required=False,
        help_text="For a supervisor: whom she supervises.",
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(
        label="Supervision starts on",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, supervisor: User | None = None, **kwargs):
        """`supervisor`: a supervisor inviting her own supervisee (fixed role and supervisor)."""
        super().__init__(*args, **kwargs)
        self.supervisor = supervisor
        people = User.objects.filter(is_active=True, is_staff=False).order_by("display_name")
        cast(forms.ModelMultipleChoiceField, self.fields["supervisors"]).queryset = people.filter(
            role=Role.SUPERVISOR
        )
        cast(forms.ModelMultipleChoiceField, self.fields["supervisees"]).queryset = people.filter(
            role=Role.SUPERVISEE
        )
        if supervisor is not None:
            for name in ("role", "supervisors", "supervisees"):
                del self.fields[name]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Someone already has an account with this e-mail address.")
        return email

    def clean(self):
        data = super().clean()
        if self.supervisor is not None:
            data["role"] = Role.SUPERVISEE
            data["supervisors"] = [self.supervisor]
            data["supervisees"] = []
            return data
        role = data.get("role")
        if data.get("supervisors") and role != Role.SUPERVISEE:
            self.add_error("supervisors", "Only a supervisee has supervisors.")
        if data.get("supervisees") and role != Role.SUPERVISOR:
            self.add_error("supervisees", "Only a supervisor has supervisees.")
        return data
