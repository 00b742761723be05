from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, Value, When

from cases.forms import IdentifierCheckMixin
from cases.models import NOTE_LIMIT, TEXT_LIMIT, LogStatus, SessionLog
from supervision.forms import IdChoiceField
from supervision.models import User

from .models import Decision, Practice, PrivateReflection, ReflectiveQuestion, Strength
from .selectors import questions_by_fit

MAX_OWN_QUESTIONS = 5


class QuestionChoiceField(IdChoiceField):
    # The one question pre-selected for this log (ReplyForm sets it), named as such.
    suggested: int | None = None

    def label_from_instance(self, obj):
        label = f"{obj.name}: “{obj.text}”"
        if obj.pk == self.suggested:
            return f"Suggested for this log — {label}"
        if obj.repeats_log_field:
            asked = SessionLog._meta.get_field(obj.repeats_log_field).verbose_name
            return f"{label} (close to the log's own “{asked}”)"
        return label


class ReplyForm(forms.Form):
    # The version of the log shown above the form: return and sign-off apply to it alone.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    feedback = forms.CharField(
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you noticed, in your own words. Name strengths as well as patterns.",
    )
    questions = QuestionChoiceField(
        queryset=ReflectiveQuestion.objects.in_use(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Reflective questions",
        help_text=(
            "One question is suggested from the patterns tagged on this log; one is often "
            "enough. Those fitting the log best come first; tick others if you wish."
        ),
    )
    own_questions = forms.CharField(
        required=False,
        # Room for the line breaks (CRLF from browsers) and stray spaces around each line;
        # the per-question limits are checked in clean_own_questions.
        max_length=MAX_OWN_QUESTIONS * 600,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Questions of your own",
        help_text=f"One per line, up to {MAX_OWN_QUESTIONS}.",
    )
    practice = forms.ModelChoiceField(
        queryset=Practice.objects.in_use(),
        required=False,
        empty_label="No practice this time",
        label="Suggest a practice",
    )
    strengths = IdChoiceField(
        queryset=Strength.objects.in_use(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Strengths you noticed",
    )
    decision = forms.ChoiceField(
        choices=Decision.choices, initial=Decision.REPLY, widget=forms.RadioSelect, label="Then"
    )

    def __init__(self, *args, log: SessionLog, **kwargs):
        super().__init__(*args, **kwargs)
        self.log = log
        self.fields["version"].initial = log.version
        # Best fitting first; the first that fits at all and does not repeat what the log
        # form already asks is the single suggestion.
        offered = questions_by_fit(log)
        suggested = next(
            (q for q in offered if q.fit and not q.repeats_log_field),  # type: ignore[attr-defined]
            None,
        )
        field = cast(QuestionChoiceField, self.fields["questions"])
        if suggested is not None:  # the suggestion leads the list, then the rest by fit
            offered = offered.order_by(
                Case(When(pk=suggested.pk, then=Value(0)), default=Value(1)),
                *offered.query.order_by,
            )
        field.queryset = offered
        field.suggested = suggested.pk if suggested else None
        field.initial = [suggested.pk] if suggested else []
        if log.status != LogStatus.SUBMITTED:
            # `fields` is typed dict[str, Field]; "decision" is the ChoiceField above.
            self.fields["decision"].choices = [  # type: ignore[attr-defined]
                (Decision.REPLY, Decision.REPLY.label)
            ]

    def show_version(self, version: int) -> None:
        """After a refusal for a stale version: the page now shows the log as it is, so the
        form carries that version, with everything the supervisor wrote kept."""
        # A bound form's data is the request's QueryDict; the copy is mutable.
        data = self.data.copy()  # type: ignore[attr-defined]
        data[self.add_prefix("version")] = str(version)
        self.data = data

    @property
    def suggested_ids(self) -> set[int]:
        return set(self.fields["questions"].initial)

    def clean_own_questions(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["own_questions"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_OWN_QUESTIONS:
            raise ValidationError(f"Ask at most {MAX_OWN_QUESTIONS} questions of your own.")
        if any(len(line) > 500 for line in lines):
            raise ValidationError("Keep each question under 500 characters.")
        return lines


class AnswerForm(forms.Form):
    answer = forms.CharField(
        max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3}), label="Your answer"
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Add to the conversation",
    )


class PrivateReflectionForm(IdentifierCheckMixin, forms.ModelForm):
    identifiers_digest = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm_not_identifying = forms.BooleanField(
        required=False, label="I have checked the flagged text: it does not identify a client."
    )
    scanned_fields = ("title", "text")

    class Meta:
        model = PrivateReflection
        fields = ["title", "question", "log", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}
        labels = {"text": "Reflection", "log": "About a session", "question": "Starting from"}

    def __init__(self, *args, author, **kwargs):
        super().__init__(*args, writer=author, **kwargs)
        self.identifiers_confirmed = False
        self.identifier_findings = []
        # Only the author's own logs can be linked: ids of anyone else's are invalid choices.
        # An entry being edited keeps its log and question even if since trashed or retired.
        self.fields["log"].queryset = SessionLog.objects.filter(author=author).filter(
            Q(deleted_at__isnull=True) | Q(pk=self.instance.log_id or 0)
        )
        self.fields["log"].empty_label = "No particular session"
        self.fields["question"].queryset = ReflectiveQuestion.objects.filter(
            Q(is_retired=False) | Q(pk=self.instance.question_id or 0)
        )
        self.fields["question"].empty_label = "A blank page"
        self.fields["question"].label_from_instance = lambda q: q.text

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            self.check_identifiers()
        return cleaned


class ShareForm(forms.Form):
    # The queryset is set per form in __init__; the annotation names the model it will hold.
    supervisor: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Nobody (keep it private)", label="Share with"
    )

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors
