"""Hours when a person is erased.

Her own hours go: the entries she typed, her settings and the signatures of her periods
(they were hers to keep, and she is gone). A supervisor's signatures of other people's
periods stay, with the name and licence as they were when she signed: they are the
supervisee's evidence for her board, which erasing the supervisor must not take away.
"""

from supervision.erasure import Eraser, ErasurePlan, counted
from supervision.models import User

from .models import HourEntry, HoursProfile, PeriodSignature


def describe(person: User) -> ErasurePlan:
    plan = ErasurePlan()
    entries = HourEntry.objects.filter(person=person).count()
    received = PeriodSignature.objects.filter(supervisee=person).count()
    if entries or received:
        plan.goes.append(
            f"{counted(entries, 'hour entry', 'hour entries')} and "
            f"{counted(received, 'signature')} of her hours"
        )
    given = PeriodSignature.objects.filter(supervisor=person).count()
    if given:
        plan.stays.append(
            f"{counted(given, 'signature')} of other people's hours, with the name and "
            "licence as they were (their evidence for their board)"
        )
    return plan


def erase(person: User) -> None:
    HourEntry.objects.filter(person=person).delete()
    PeriodSignature.objects.filter(supervisee=person).delete()
    HoursProfile.objects.filter(person=person).delete()
    # A principal supervisor who is erased is no longer named in anyone's settings.
    HoursProfile.objects.filter(principal_supervisor=person).update(principal_supervisor=None)


ERASER = Eraser(app_label="hours", describe=describe, erase=erase)
