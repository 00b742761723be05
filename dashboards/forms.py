from django import forms
from django.utils import timezone

from supervision import access
from supervision.models import MeetingKind, MeetingMode, User


class WindowForm(forms.Form):
    weeks = forms.TypedChoiceField(
        choices=[(4, "4 weeks"), (12, "12 weeks"), (52, "52 weeks")],
        coerce=int,
        required=False,
        # Django returns empty_value as given; django-stubs types it as str.
        empty_value=12,  # type: ignore[arg-type]
    )


class MeetingForm(forms.Form):
    """A supervision hour, as the supervisor records it (supervision.SupervisionMeeting)."""

    held_on = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)", min_value=10, max_value=240, initial=60
    )
    kind = forms.ChoiceField(
        label="Kind", choices=MeetingKind.choices, initial=MeetingKind.INDIVIDUAL
    )
    other_supervisee = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="With (triadic only)",
        empty_label="Nobody else",
    )
    mode = forms.ChoiceField(
        label="Where", choices=MeetingMode.choices, initial=MeetingMode.IN_PERSON
    )
    observed_session = forms.BooleanField(
        required=False, label="It included observing a session (live or recorded)"
    )
    agreed = forms.CharField(
        label="What was agreed (one line)",
        max_length=300,
        required=False,
        help_text="No client detail: both of you read it, and it is kept with the hours.",
    )

    def __init__(
        self,
        *args,
        supervisor: User,
        supervisee: User,
        fellows: list[User] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        # Her fellow supervisees under this supervisor: the only possible third person.
        # The queryset checks what is sent; `fellows`, when the page has read them already
        # (ordered by name), are drawn as the choices without reading them again.
        field = self.fields["other_supervisee"]
        field.queryset = (  # type: ignore[attr-defined]
            access.current_supervisees(supervisor)
            .exclude(pk=supervisee.pk)
            .order_by("display_name")
        )
        if fellows is not None:
            choices: list[tuple[object, str]] = [("", field.empty_label)]  # type: ignore[attr-defined]
            choices += [(p.pk, field.label_from_instance(p)) for p in fellows]  # type: ignore[attr-defined]
            field.choices = choices  # type: ignore[attr-defined]

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                "Record a meeting once it has taken place: pick today or earlier."
            )
        return value

    def clean_agreed(self):
        # One line: a pasted paragraph is folded, not stored with its breaks.
        return " ".join(self.cleaned_data["agreed"].split())

    def clean(self):
        cleaned = super().clean()
        kind, other = cleaned.get("kind"), cleaned.get("other_supervisee")
        if kind == MeetingKind.TRIADIC and other is None:
            self.add_error(
                "other_supervisee", "A triadic meeting has a second supervisee: choose who."
            )
        if kind == MeetingKind.INDIVIDUAL and other is not None:
            self.add_error("other_supervisee", "An individual meeting has no second supervisee.")
        return cleaned
