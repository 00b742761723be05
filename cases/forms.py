import hashlib
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.html import conditional_escape

from supervision.forms import IdChoiceField

from . import identifiers
from .content import LOG_FIELDS, QUICK_FIELDS, TEXT_FIELDS
from .models import (
    AllowedWord,
    ClientPresentation,
    ClientUnit,
    LogStatus,
    Pattern,
    PatternFamily,
    SessionLog,
)

# The name of the boxes in the identifier warning that mark a flagged name as fine.
ALLOW_FIELD = "allow_word"
CLIENT_CODE_RE = re.compile(r"^[A-Za-z0-9-]{2,12}$")


def clean_client_code(value: str) -> str:
    value = value.strip()
    if not CLIENT_CODE_RE.match(value):
        raise ValidationError(
            "Use 2 to 12 letters, digits or dashes, such as C-17 or RIVER-2.", code="format"
        )
    if identifiers.looks_like_name(value):
        raise ValidationError(
            "This looks like a person's name. Choose a code that could not identify the client, "
            "such as C-17.",
            code="name",
        )
    # One spelling per client, so the same code groups the sessions.
    return value.upper()


def clean_session_date(value):
    if value > timezone.localdate():
        raise ValidationError("A session log is written after the session: pick today or earlier.")
    return value


# What the ends of the 0-10 scales mean, in words that describe rather than judge.
SCALE_HELP = {
    "pre_session_anxiety": "0 means calm; 10, the most anxious I get.",
    "post_session_rumination": "0 means I let it go; 10, I could not stop going over it.",
}


class IdentifierCheckMixin:
    """Refuses to save text with likely identifiers until the writer has looked.

    The writer either edits the text or ticks the confirmation; the
    confirmation counts only for the findings that were shown. A name she
    marks as fine for her notes (a pseudonym she uses) is left out from then
    on: the form collects the marks in `words_to_allow` and the view keeps them
    (cases.services.allowed_words_add), for her alone.
    """

    def __init__(self, *args, writer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.identifier_writer = writer
        self.words_to_allow: list[str] = []

    def _scanned_texts(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.scanned_fields}

    def _writers_words(self) -> frozenset[str]:
        writer = self.identifier_writer
        if writer is None or not writer.pk:
            return frozenset()
        return AllowedWord.objects.folded(writer)

    def _ticked_words(self) -> list[str]:
        name = self.add_prefix(ALLOW_FIELD)
        if hasattr(self.data, "getlist"):
            return [str(w) for w in self.data.getlist(name)]
        value = self.data.get(name)  # a plain dict, as tests pass
        return [] if value is None else [value] if isinstance(value, str) else list(value)

    @staticmethod
    def _digest(findings, texts) -> str:
        return hashlib.sha256(
            "|".join(f"{f.field}:{f.kind}:{f.excerpt(texts[f.field])}" for f in findings).encode()
        ).hexdigest()

    def check_identifiers(self) -> None:
        self.identifier_findings = []
        texts = self._scanned_texts()
        allowed = self._writers_words()
        shown = findings = identifiers.scan_fields(texts, allowed)
        ticked = {identifiers.fold(w) for w in self._ticked_words()}
        if ticked:
            # Only a name flagged in this very text can be marked, so a forged field
            # cannot add words she never saw.
            self.words_to_allow = list(
                dict.fromkeys(
                    f.excerpt(texts[f.field])
                    for f in shown
                    if f.kind in identifiers.NAME_KINDS
                    and identifiers.fold(f.excerpt(texts[f.field])) in ticked
                )
            )
            allowed = allowed | {identifiers.fold(w) for w in self.words_to_allow}
            findings = identifiers.scan_fields(texts, allowed)
        if not findings:
            return
        digest = self._digest(findings, texts)
        # The confirmation was given for what was shown, before any name was marked.
        if self.cleaned_data.get("confirm_not_identifying") and (
            self.data.get(self.add_prefix("identifiers_digest"))
            in (digest, self._digest(shown, texts))
        ):
            self.identifiers_confirmed = True
            return
        self.identifier_findings = [
            {
                "field": self._field_label(f.field),
                "label": f.label,
                "excerpt": f.excerpt(texts[f.field]),
                "allow_name": self.add_prefix(ALLOW_FIELD)
                if f.kind in identifiers.NAME_KINDS
                else "",
            }
            for f in findings
        ]
        data = self.data.copy()
        data[self.add_prefix("identifiers_digest")] = digest
        data.pop(self.add_prefix("confirm_not_identifying"), None)
        data.pop(self.add_prefix(ALLOW_FIELD), None)
        self.data = data
        raise ValidationError(
            "Nothing was saved yet: some text may identify a client. Edit it, or tick the box "
            "below to confirm it is not identifying.",
            code="identifiers",
        )

    def _field_label(self, name: str) -> str:
        field = self.fields.get(name)
        return str(field.label) if field else name


class SessionLogForm(IdentifierCheckMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    identifiers_digest = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm_not_identifying = forms.BooleanField(
        required=False, label="I have checked the flagged text: it does not identify a client."
    )

    class Meta:
        model = SessionLog
        # Tags are not a model field: they are added per pattern below.
        fields = LOG_FIELDS
        field_classes = {"presentations": IdChoiceField}
        widgets = {
            "session_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "presentations": forms.CheckboxSelectMultiple,
            "what_happened": forms.Textarea(attrs={"rows": 5}),
            "what_i_felt": forms.Textarea(attrs={"rows": 3}),
            "what_i_did": forms.Textarea(attrs={"rows": 3}),
            "what_it_teaches": forms.Textarea(attrs={"rows": 3}),
            "pre_session_anxiety": forms.NumberInput(attrs={"min": 0, "max": 10}),
            "post_session_rumination": forms.NumberInput(attrs={"min": 0, "max": 10}),
        }
        help_texts = SCALE_HELP

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        log = self.instance if self.instance.pk else None
        self.identifiers_confirmed = False
        self.identifier_findings = []
        self.fields["presentations"].queryset = ClientPresentation.objects.filter(
            self._in_use_or_kept("session_logs", log)
        ).distinct()
        self.fields["presentations"].required = False
        # Only a quick note may lack a duration; the full form completes it.
        self.fields["duration_minutes"].required = True
        self.fields["duration_minutes"].initial = 50
        # Most sessions are with one person: a form sent without it (an older page still
        # open) means the default, not an error.
        self.fields["client_unit"].required = False
        if log:
            self.fields["version"].initial = log.version
        else:
            self.fields["session_date"].initial = timezone.localdate
        self._add_tag_fields(log)
        self.scanned_fields = (*TEXT_FIELDS, *(f"note_{p.pk}" for p in self.patterns))

    @staticmethod
    def _in_use_or_kept(relation: str, log):
        """Offer items in use, plus retired ones this log already carries."""
        query = Q(is_retired=False)
        if log is not None:
            query |= Q(**{relation: log})
        return query

    def _add_tag_fields(self, log) -> None:
        existing = {tag.pattern_id: tag.note for tag in log.tags.all()} if log else {}
        self.patterns = list(
            Pattern.objects.filter(is_background=False)
            .filter(self._in_use_or_kept("tags__log", log))
            .select_related("family")
            .distinct()
            .order_by("family__position", "position")
        )
        for pattern in self.patterns:
            self.fields[f"tag_{pattern.pk}"] = forms.BooleanField(
                required=False,
                label=pattern.name,
                # Catalog text is text: escaped here as well as by the help-text template
                # (templates/bootstrap5/layout/help_text.html), whichever renders it.
                help_text=conditional_escape(pattern.description),
                initial=pattern.pk in existing,
            )
            self.fields[f"note_{pattern.pk}"] = forms.CharField(
                required=False,
                max_length=2000,
                label="Note (optional)",
                widget=forms.TextInput(attrs={"aria-label": f"Note on {pattern.name}"}),
                initial=existing.get(pattern.pk, ""),
            )

    def tag_groups(self):
        """[(family, [(pattern, tick field, note field)])] in catalog order, for the template."""
        groups: dict[PatternFamily, list] = {}
        for pattern in self.patterns:
            groups.setdefault(pattern.family, []).append(
                (pattern, self[f"tag_{pattern.pk}"], self[f"note_{pattern.pk}"])
            )
        return list(groups.items())

    def clean_client_code(self):
        return clean_client_code(self.cleaned_data["client_code"])

    def clean_session_date(self):
        return clean_session_date(self.cleaned_data["session_date"])

    def clean_client_unit(self):
        return self.cleaned_data["client_unit"] or ClientUnit.INDIVIDUAL

    def clean(self):
        cleaned = super().clean()
        for pattern in self.patterns:
            note = (cleaned.get(f"note_{pattern.pk}") or "").strip()
            cleaned[f"note_{pattern.pk}"] = note
            if note and not cleaned.get(f"tag_{pattern.pk}"):
                self.add_error(
                    f"note_{pattern.pk}",
                    "Tick this pattern to keep the note, or clear the note.",
                )
        if not self.errors:
            self.check_identifiers()
        return cleaned

    @property
    def tags(self) -> dict[Pattern, str]:
        return {
            p: self.cleaned_data[f"note_{p.pk}"]
            for p in self.patterns
            if self.cleaned_data.get(f"tag_{p.pk}")
        }

    @property
    def has_identifier_warning(self) -> bool:
        return bool(self.identifier_findings)


QUICK_PATTERNS_MAX = 3
QUICK_SENTENCE_LIMIT = 500


class QuickLogForm(IdentifierCheckMixin, forms.ModelForm):
    """A log started on the phone: client code, date, one to three patterns and a sentence.

    The fields are the log's own (cases.content.QUICK_FIELDS), checked by the same rules as
    the full form; it is saved as a draft without a duration, which the full form adds."""

    # The same confirmation as the full form, so the identifier check reads it the same way.
    identifiers_digest = SessionLogForm.declared_fields["identifiers_digest"]
    confirm_not_identifying = SessionLogForm.declared_fields["confirm_not_identifying"]
    patterns = IdChoiceField(
        queryset=Pattern.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Patterns I noticed in myself (one to three)",
    )

    class Meta:
        model = SessionLog
        fields = QUICK_FIELDS
        widgets = {
            "session_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "what_happened": forms.TextInput,
        }
        labels = {"what_happened": "What happened, in one sentence"}
        help_texts = {"what_happened": "You can add the rest when you complete the log."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.identifiers_confirmed = False
        self.identifier_findings = []
        self.fields["session_date"].initial = timezone.localdate
        # One sentence, not a whole note: shorter than the log's own limit.
        sentence = self.fields["what_happened"]
        sentence.validators.append(MaxLengthValidator(QUICK_SENTENCE_LIMIT))
        sentence.widget.attrs["maxlength"] = str(QUICK_SENTENCE_LIMIT)
        # `fields` is typed dict[str, Field]; "patterns" is a ModelMultipleChoiceField.
        self.fields["patterns"].queryset = (  # type: ignore[attr-defined]
            Pattern.objects.filter(is_background=False, is_retired=False)
            .select_related("family")
            .order_by("family__position", "position")
        )
        self.scanned_fields = tuple(name for name in TEXT_FIELDS if name in self.fields)

    def clean_client_code(self):
        return clean_client_code(self.cleaned_data["client_code"])

    def clean_session_date(self):
        return clean_session_date(self.cleaned_data["session_date"])

    def clean_patterns(self):
        patterns = self.cleaned_data["patterns"]
        if not patterns:
            raise ValidationError("Tick at least one pattern you noticed.", code="too_few")
        if len(patterns) > QUICK_PATTERNS_MAX:
            raise ValidationError(
                f"Tick at most {QUICK_PATTERNS_MAX} patterns (you ticked {len(patterns)}); "
                "the full form takes as many as you like.",
                code="too_many",
            )
        return patterns

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            self.check_identifiers()
        return cleaned

    @property
    def tags(self) -> dict[Pattern, str]:
        return dict.fromkeys(self.cleaned_data["patterns"], "")

    @property
    def has_identifier_warning(self) -> bool:
        return bool(self.identifier_findings)


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Signed content never changes; an addendum is added below it with your name and the time.",
    )


class LogFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", max_length=200)
    pattern = forms.ModelChoiceField(
        # Only what the options show: this list is drawn on every visit to the log list.
        queryset=Pattern.objects.filter(is_background=False).only("name", "position"),
        required=False,
        empty_label="Any pattern",
    )
    client_code = forms.CharField(required=False, label="Client code", max_length=12)
    status = forms.ChoiceField(choices=[("", "Any status"), *LogStatus.choices], required=False)
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    # Each field's column, in order: the one layout of the filters (cases/views.py draws
    # them, each field through crispy or from its blank drawing).
    COLUMNS = (
        ("q", "col-12 col-md-4"),
        ("pattern", "col-6 col-md-4"),
        ("client_code", "col-6 col-md-4"),
        ("status", "col-6 col-md-4"),
        ("date_from", "col-6 col-md-4"),
        ("date_to", "col-6 col-md-4"),
    )

    @classmethod
    def is_blank(cls, data) -> bool:
        """No filter asked for (a page number alone is not a filter)."""
        return not any(data.get(name) for name in cls.base_fields)

    def clean_client_code(self):
        return self.cleaned_data["client_code"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned


class SubmittedLogFilterForm(LogFilterForm):
    """The same filters over someone else's logs, which never include her drafts."""

    status = forms.ChoiceField(
        choices=[("", "Any status"), *(c for c in LogStatus.choices if c[0] != LogStatus.DRAFT)],
        required=False,
    )
