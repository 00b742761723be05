"""Session logs when a person is erased, and the retention of signed ones.

A signed log is the clinical record: it stays after its author is erased and
is deleted `RECORD_RETENTION_YEARS` after sign-off (`purge_expired_records`).
Everything else she wrote in logs goes at once.
"""

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from supervision.batches import batches
from supervision.erasure import Eraser, ErasurePlan, counted, erased_people
from supervision.models import User

from .models import Addendum, AllowedWord, LogStatus, SessionLog


def unsigned_logs(person: User) -> QuerySet[SessionLog]:
    """Drafts, returned, submitted and trashed logs: everything not signed."""
    return SessionLog.objects.filter(author=person).exclude(status=LogStatus.SIGNED)


def signed_logs(person: User) -> QuerySet[SessionLog]:
    return SessionLog.objects.filter(author=person, status=LogStatus.SIGNED)


def describe(person: User) -> ErasurePlan:
    years = settings.RECORD_RETENTION_YEARS
    return ErasurePlan(
        goes=[
            f"{counted(unsigned_logs(person).count(), 'session log')} not signed off (drafts, "
            "returned, submitted, in the trash), with their pattern tags, presentations and "
            "group shares",
            f"{counted(AllowedWord.objects.of(person).count(), 'word')} she marked as fine for "
            "her notes",
        ],
        stays=[
            f"{counted(signed_logs(person).count(), 'signed-off session log')}, with their replies, answers, "
            f"comments and addenda: the clinical record, kept for {years} years after sign-off, "
            "then deleted by purge_expired_records; nobody reads them in the app once the "
            "relationships have ended",
        ],
    )


def logs_delete(logs: QuerySet[SessionLog]) -> int:
    """Delete logs with their tags, presentations, addenda, group shares and the group
    discussion of those shares. Replies and comments (a higher layer) must go first."""
    ids = list(logs.values_list("pk", flat=True))
    deleted = 0
    for part in batches(ids):
        Addendum.objects.filter(log__in=part).delete()
        _, per_model = SessionLog.objects.filter(pk__in=part).delete()
        deleted += per_model.get(SessionLog._meta.label, 0)
    return deleted


def erase(person: User) -> None:
    logs_delete(unsigned_logs(person))
    AllowedWord.objects.of(person).delete()


ERASER = Eraser(app_label="cases", describe=describe, erase=erase)


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Signatures older than this have outlived the retention period."""
    now = now or timezone.now()
    years = settings.RECORD_RETENTION_YEARS
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February, and the year `years` ago is not a leap year
        return now.replace(year=now.year - years, day=28)


def expired_signed_logs(now: datetime.datetime | None = None) -> QuerySet[SessionLog]:
    """Signed logs of erased people whose signature is older than the retention period."""
    return SessionLog.objects.filter(
        Q(status=LogStatus.SIGNED)
        & Q(signed_at__lt=retention_cutoff(now))
        & Q(author__in=erased_people())
    )
