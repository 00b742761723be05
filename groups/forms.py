import functools

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms
from django.utils import timezone

from cases.models import NOTE_LIMIT
from supervision.models import User

from .models import TAKEAWAY_LIMIT, SupervisionGroup


class GroupCommentForm(forms.Form):
    text = forms.CharField(
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Add to the discussion",
    )


class InviteMemberForm(forms.Form):
    # Only the people who can be invited are offered (set per group in __init__).
    member: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Invite a supervisee",
        empty_label="Choose a supervisee",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = people


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Next meeting",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if value <= timezone.now():
            raise forms.ValidationError("Pick a time in the future.")
        return value


class ShareLogForm(forms.Form):
    # The queryset is set per form in __init__; the annotation names the model it will hold.
    group: "forms.ModelChoiceField[SupervisionGroup]" = forms.ModelChoiceField(
        queryset=None, label="Share with group", empty_label=None
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


@functools.lru_cache(maxsize=256)
def share_form_drawn(choices: tuple[tuple[int, str], ...]) -> str:
    """The blank share form as `{{ form|crispy }}` draws it with these choices (group id,
    name). It shows nothing but them, so a process draws it once per set of choices: the key
    holds everything the drawing shows (a renamed group is another key), and whoever has the
    same choices is shown the same drawing."""
    form = ShareLogForm(groups=SupervisionGroup.objects.none())
    form.fields["group"].choices = list(choices)  # type: ignore[attr-defined]
    return as_crispy_form(form)


class TakeawayForm(forms.Form):
    takeaway = forms.CharField(
        max_length=TAKEAWAY_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TAKEAWAY_LIMIT}),
        label="What we took away",
        help_text=f"A few lines for the group's record, at most {TAKEAWAY_LIMIT} characters. "
        "Members read it; keep clients and colleagues unidentifiable.",
    )


class SharePreviewForm(forms.Form):
    """Sent from the preview page: the group, and whether peers see her ratings."""

    group: "forms.ModelChoiceField[SupervisionGroup]" = forms.ModelChoiceField(
        queryset=None, widget=forms.HiddenInput
    )
    show_ratings = forms.BooleanField(
        required=False,
        initial=False,
        label="Include my anxiety and rumination ratings",
        help_text="Left out unless you tick this.",
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
