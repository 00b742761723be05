"""Forms of the hours pages: they validate; the services write."""

import datetime

from django import forms
from django.utils import timezone

from supervision.models import Role, User

from .models import EntryKind, HourEntry, HoursProfile, RuleSet, SupervisionFormat

# Far enough back for a long road to licensure, near enough to catch a typed year.
OLDEST = datetime.timedelta(days=366 * 10)


class HourEntryForm(forms.ModelForm):
    hours = forms.DecimalField(
        min_value=0.25, max_value=12, decimal_places=2, help_text="For example 1.5 for 90 minutes."
    )

    class Meta:
        model = HourEntry
        fields = ["date", "kind", "supervision_format", "group_size", "mode", "observed_session"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"supervision_format": "Only for supervision received."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["hours"].initial = round(self.instance.minutes / 60, 2)
        else:
            self.fields["date"].initial = timezone.localdate
        self.fields["mode"].required = False

    def clean_date(self):
        day = self.cleaned_data["date"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(
                "Hours are recorded once they are worked: not a future date."
            )
        if day < today - OLDEST:
            raise forms.ValidationError("That date is more than ten years ago: check the year.")
        return day

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        format_ = cleaned.get("supervision_format")
        if kind == EntryKind.SUPERVISION:
            if not format_:
                self.add_error(
                    "supervision_format", "Say whether it was individual, triadic or group."
                )
            elif format_ == SupervisionFormat.GROUP and not cleaned.get("group_size"):
                self.add_error(
                    "group_size", "How many supervisees were in the group, you included?"
                )
        else:
            # Supervision details mean nothing on other hours: cleared, not kept by accident.
            cleaned["supervision_format"] = ""
            cleaned["group_size"] = None
            cleaned["observed_session"] = False
            cleaned["mode"] = ""
        if format_ != SupervisionFormat.GROUP:
            cleaned["group_size"] = None
        hours = cleaned.get("hours")
        if hours is not None:
            self.instance.minutes = int(round(hours * 60))
        return cleaned


class HoursSettingsForm(forms.ModelForm):
    class Meta:
        model = HoursProfile
        fields = ["rule_set", "degree_on", "started_on", "principal_supervisor"]
        widgets = {
            "degree_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, supervisor_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule_set"].queryset = RuleSet.objects.order_by("name")
        self.fields["rule_set"].empty_label = "None chosen yet"
        # Only people who supervise her now or did: no directory of the clinic's staff.
        self.fields["principal_supervisor"].queryset = User.objects.filter(
            pk__in=list(supervisor_ids), role=Role.SUPERVISOR
        ).order_by("display_name")


class LicenceForm(forms.ModelForm):
    class Meta:
        model = HoursProfile
        fields = ["licence_number", "licence_jurisdiction"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].required = True

    def clean_licence_number(self):
        return self.cleaned_data["licence_number"].strip()

    def clean_licence_jurisdiction(self):
        return self.cleaned_data["licence_jurisdiction"].strip()


class SignPeriodsForm(forms.Form):
    """Periods to sign, each as `kind/first-day/sha256` the page drew: a period whose hours
    changed since is refused by the service."""

    periods = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periods"].choices = choices
        self.fields["periods"].error_messages["required"] = "Choose at least one period to sign."
        self.fields["periods"].error_messages["invalid_choice"] = (
            "A period on this page changed or was signed meanwhile: look at the page again."
        )

    def chosen(self) -> list[tuple[str, datetime.date, str]]:
        result = []
        for value in self.cleaned_data["periods"]:
            period, start, sha = value.split("/")
            result.append((period, datetime.date.fromisoformat(start), sha))
        return result


def period_choice(period: str, starts_on: datetime.date, sha256: str) -> str:
    return f"{period}/{starts_on.isoformat()}/{sha256}"
