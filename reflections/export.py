"""Everything a person wrote, as one versioned structure (JSON and a printable page).

The structure, version 1 (`"format": "good-enough-export"`):

- `person`: `id`, `name`, `email`, `role`;
- `session_logs`: every log she wrote, trashed ones included: all fields,
  `tags` (family, pattern, note), `presentations`, `status`, `submitted_at`,
  `in_trash_since`, `signed_by`, `signed_at`, `signed_sha256`;
- `addenda`: addenda she added to signed logs;
- `answers`: her answers, each with the question's theme and wording;
- `comments`: what she wrote in the conversation threads under logs;
- `group_comments`: what she wrote in group discussions of shared logs;
- `private_reflections`: her journal, with the supervisor an entry is shared
  with, if any;
- `allowed_words`: the names she marked as fine for her notes (`word`,
  `created_at`), which the identifier check leaves alone for her;
- `replies`: replies she wrote as a supervisor (feedback, decision, practice,
  strengths, the questions she asked); empty for a supervisee.
- `feedback_received`: what her supervisors wrote on her logs (feedback, decision,
  practice, strengths noticed, the questions asked and her answers): her record of
  her supervision, kept when a supervisor leaves. Empty for a supervisor.

A log is referred to by `{"id", "author", "client_code", "session_date"}`;
times are ISO 8601 in UTC. A change to the meaning of a field raises `VERSION`.

The queries are fixed, whatever the amount of writing: one per list, plus the
prefetches for tags, presentations, strengths and asked questions.
"""

from collections.abc import Callable

from django.db.models import Prefetch
from django.utils import timezone

from cases.content import CATALOG_FIELDS, LOG_FIELDS
from cases.models import Addendum, AllowedWord, PatternTag, SessionLog
from supervision.models import User

from .models import AskedQuestion, Comment, PrivateReflection, Reply

FORMAT = "good-enough-export"
VERSION = 1

# Sections that apps above this one add (`register_section`), by name: person → rows.
_sections: dict[str, Callable[[User], list[dict]]] = {}


def register_section(name: str, rows_of: Callable[[User], list[dict]]) -> None:
    """Called from an AppConfig.ready(): what that app holds of a person, in the export."""
    _sections[name] = rows_of


def _person(user: User | None) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.display_name}


def log_ref(log: SessionLog | None) -> dict | None:
    if log is None:
        return None
    return {
        "id": log.pk,
        "author": log.author.display_name,
        "client_code": log.client_code,
        "session_date": log.session_date,
    }


def _log_content(log: SessionLog) -> dict:
    """Everything she wrote on the log, catalog items by name: a person reads this."""
    return {
        name: (
            [item.name for item in getattr(log, name).all()]
            if name in CATALOG_FIELDS
            else getattr(log, name)
        )
        for name in LOG_FIELDS
    }


def _log(log: SessionLog) -> dict:
    return {
        "id": log.pk,
        **_log_content(log),
        "tags": [
            {"family": t.pattern.family.name, "pattern": t.pattern.name, "note": t.note}
            for t in log.tags.all()
        ],
        "status": log.status,
        "version": log.version,
        "created_at": log.created_at,
        "updated_at": log.updated_at,
        "submitted_at": log.submitted_at,
        "in_trash_since": log.deleted_at,
        "identifiers_confirmed_at": log.identifiers_confirmed_at,
        "signed_by": _person(log.signed_by),
        "signed_at": log.signed_at,
        "signed_sha256": log.signed_sha256 or None,
    }


def _logs(person: User) -> list[dict]:
    logs = (
        SessionLog.objects.filter(author=person)
        .select_related("author", "signed_by")
        .prefetch_related(
            Prefetch("tags", queryset=PatternTag.objects.select_related("pattern__family")),
            *CATALOG_FIELDS,
        )
        .order_by("session_date", "pk")
    )
    return [_log(log) for log in logs]


def _addenda(person: User) -> list[dict]:
    rows = Addendum.objects.filter(author=person).select_related("log__author")
    return [
        {"id": a.pk, "log": log_ref(a.log), "text": a.text, "created_at": a.created_at}
        for a in rows
    ]


def _answers(person: User) -> list[dict]:
    rows = (
        AskedQuestion.objects.filter(reply__log__author=person, answered_at__isnull=False)
        .select_related("reply__log__author", "reply__author")
        .order_by("answered_at", "pk")
    )
    return [
        {
            "id": q.pk,
            "log": log_ref(q.reply.log),
            "asked_by": _person(q.reply.author),
            "asked_at": q.reply.created_at,
            "theme": q.theme,
            "question": q.text,
            "answer": q.answer,
            "answered_at": q.answered_at,
        }
        for q in rows
    ]


def _comments(person: User) -> list[dict]:
    rows = Comment.objects.filter(author=person).select_related("log__author")
    return [
        {"id": c.pk, "log": log_ref(c.log), "text": c.text, "created_at": c.created_at}
        for c in rows
    ]


def _private_reflections(person: User) -> list[dict]:
    rows = (
        PrivateReflection.objects.filter(author=person)
        .select_related("log__author", "question", "shared_with")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": r.pk,
            "title": r.title,
            "text": r.text,
            "log": log_ref(r.log),
            "question": {"theme": r.question.name, "text": r.question.text} if r.question else None,
            "shared_with": _person(r.shared_with),
            "shared_at": r.shared_at,
            "created_at": r.created_at,
            "updated_at": r.updated_at,
        }
        for r in rows
    ]


def _replies(person: User) -> list[dict]:
    rows = (
        Reply.objects.filter(author=person)
        .select_related("log__author", "practice")
        .prefetch_related(
            "strengths", Prefetch("questions", queryset=AskedQuestion.objects.order_by("position"))
        )
    )
    return [
        {
            "id": r.pk,
            "log": log_ref(r.log),
            "feedback": r.feedback,
            "decision": r.decision,
            "practice": r.practice.name if r.practice else None,
            "strengths": [s.name for s in r.strengths.all()],
            "questions": [{"theme": q.theme, "question": q.text} for q in r.questions.all()],
            "created_at": r.created_at,
        }
        for r in rows
    ]


def _feedback_received(person: User) -> list[dict]:
    rows = (
        Reply.objects.filter(log__author=person)
        .select_related("log__author", "author", "practice")
        .prefetch_related(
            "strengths", Prefetch("questions", queryset=AskedQuestion.objects.order_by("position"))
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": r.pk,
            "log": log_ref(r.log),
            "from": _person(r.author),
            "feedback": r.feedback,
            "decision": r.decision,
            "practice": r.practice.name if r.practice else None,
            "strengths": [s.name for s in r.strengths.all()],
            "questions": [
                {"theme": q.theme, "question": q.text, "answer": q.answer or None}
                for q in r.questions.all()
            ],
            "created_at": r.created_at,
        }
        for r in rows
    ]


def _allowed_words(person: User) -> list[dict]:
    return [{"word": w.word, "created_at": w.created_at} for w in AllowedWord.objects.of(person)]


def person_export(person: User) -> dict:
    """Everything `person` wrote. Only ever called with the signed-in person."""
    sections = {
        "addenda": _addenda(person),
        "allowed_words": _allowed_words(person),
        "answers": _answers(person),
        "comments": _comments(person),
        "feedback_received": _feedback_received(person),
        "private_reflections": _private_reflections(person),
        "replies": _replies(person),
        **{name: rows_of(person) for name, rows_of in _sections.items()},
    }
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now(),
        "person": {
            "id": person.pk,
            "name": person.display_name,
            "email": person.email,
            "role": person.role,
        },
        "session_logs": _logs(person),
        **dict(sorted(sections.items())),
    }
