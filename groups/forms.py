from django import forms
from django.utils import timezone

from cases.models import NOTE_LIMIT
from supervision.models import Role, User

from .models import TAKEAWAY_LIMIT, SupervisionGroup


class GroupCommentForm(forms.Form):
    text = forms.CharField(
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Add to the discussion",
    )


class AddMemberForm(forms.Form):
    member = forms.ModelChoiceField(
        queryset=User.objects.filter(role=Role.SUPERVISEE, is_active=True),
        label="Add a member",
        empty_label="Choose a supervisee",
    )


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


class TakeawayForm(forms.Form):
    takeaway = forms.CharField(
        max_length=TAKEAWAY_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TAKEAWAY_LIMIT}),
        label="What we took away",
        help_text=f"A few lines for the group's record, at most {TAKEAWAY_LIMIT} characters. "
        "Members read it; keep clients and colleagues unidentifiable.",
    )
