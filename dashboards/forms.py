import datetime
import functools
from collections.abc import Sequence

from django import forms
from django.template.loader import render_to_string
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
        supervisor: User | None,
        supervisee: User | None,
        fellows: Sequence[tuple[int, str]] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        # Her fellow supervisees under this supervisor: the only possible third person.
        # The queryset checks what is sent; `fellows` (id, name), when the page has read
        # them already (ordered by name), are drawn as the choices without reading them again.
        # With neither (a blank form only drawn, blank_meeting_fields), nobody is accepted.
        field = self.fields["other_supervisee"]
        if supervisor is not None and supervisee is not None:
            field.queryset = (  # type: ignore[attr-defined]
                access.current_supervisees(supervisor)
                .exclude(pk=supervisee.pk)
                .order_by("display_name")
            )
        if fellows is not None:
            field.choices = [("", field.empty_label), *fellows]  # type: ignore[attr-defined]

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


@functools.lru_cache(maxsize=64)
def blank_meeting_fields(today: datetime.date, fellows: tuple[tuple[int, str], ...]) -> str:
    """The blank meeting form's fields as the preparation sheet draws them, for this day and
    choice of a second supervisee (id, name): they show nothing else, so a process draws
    them once per key (a new day, a renamed or new supervisee is another key), and whoever
    has the same key is shown the same drawing. A form sent back with errors is drawn anew."""
    form = MeetingForm(supervisor=None, supervisee=None, fellows=fellows)
    form.fields["held_on"].initial = today
    return render_to_string("dashboards/_meeting_fields.html", {"form": form})
