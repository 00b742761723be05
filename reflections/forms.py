from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from cases.forms import IdentifierCheckMixin
from cases.models import NOTE_LIMIT, TEXT_LIMIT, LogStatus, SessionLog
from supervision.forms import IdChoiceField
from supervision.models import User

from .models import Decision, Practice, PrivateReflection, ReflectiveQuestion, Strength

MAX_OWN_QUESTIONS = 5


class QuestionChoiceField(IdChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}: “{obj.text}”"


class ReplyForm(forms.Form):
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
        help_text="Suggested from the patterns tagged on this log; change them as you see fit.",
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
        self.fields["questions"].initial = list(
            ReflectiveQuestion.objects.in_use()
            .filter(patterns__tags__log=log)
            .values_list("pk", flat=True)
            .distinct()
        )
        if log.status != LogStatus.SUBMITTED:
            # `fields` is typed dict[str, Field]; "decision" is the ChoiceField above.
            self.fields["decision"].choices = [  # type: ignore[attr-defined]
                (Decision.REPLY, Decision.REPLY.label)
            ]

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
