"""Reflections when a person is erased, and the purge of expired signed records.

Her private reflections go. Replies, questions, answers and comments on her
logs that are not signed go with those logs (they point at them, so they go
first; `cases` then deletes the logs). On signed logs they stay as part of
the clinical record until it expires.
"""

import datetime

from django.db import transaction
from django.db.models import QuerySet

from cases import erasure as case_erasure
from cases.models import SessionLog
from supervision import audit
from supervision.batches import batches
from supervision.erasure import Eraser, ErasurePlan, counted
from supervision.models import AuditAction, User

from .models import AskedQuestion, Comment, PrivateReflection, Reply


def _delete_dependants(logs: QuerySet[SessionLog]) -> None:
    """Replies (with their questions and answers) and comments on these logs."""
    Reply.objects.filter(log__in=logs).delete()
    Comment.objects.filter(log__in=logs).delete()


def describe(person: User) -> ErasurePlan:
    unsigned = case_erasure.unsigned_logs(person)
    replies = Reply.objects.filter(log__in=unsigned).count()
    answers = AskedQuestion.objects.filter(
        reply__log__in=unsigned, answered_at__isnull=False
    ).count()
    comments = Comment.objects.filter(log__in=unsigned).count()
    return ErasurePlan(
        goes=[
            f"{counted(replies, 'reply', 'replies')}, {counted(answers, 'answer')} and "
            f"{counted(comments, 'comment')} on the session logs not signed off",
            counted(
                PrivateReflection.objects.filter(author=person).count(),
                "private journal entry",
                "private journal entries",
            ),
        ],
        stays=[
            "what this person wrote in other people's records (replies, comments, addenda, "
            "group discussion), shown under the anonymised name",
        ],
    )


def erase(person: User) -> None:
    PrivateReflection.objects.filter(author=person).delete()
    _delete_dependants(case_erasure.unsigned_logs(person))


ERASER = Eraser(app_label="reflections", describe=describe, erase=erase)


@transaction.atomic
def expired_records_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the signed logs of erased people whose retention period is over, with
    everything that hangs off them. Returns how many logs went; running it again the
    same day deletes nothing more."""
    expired = list(case_erasure.expired_signed_logs(now).values_list("pk", "author_id"))
    if not expired:
        return 0
    count = 0
    # A batch at a time: nothing bounds how many records expire on one day.
    for part in batches(expired):
        logs = SessionLog.objects.filter(pk__in=[pk for pk, _ in part])
        _delete_dependants(logs)
        count += case_erasure.logs_delete(logs)
    # One DELETE row per log, with no actor: the system did it.
    audit.record_many(actor=None, action=AuditAction.DELETE, model=SessionLog, objects=expired)
    return count
