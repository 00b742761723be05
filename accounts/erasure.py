"""Kept drafts when a person is erased: they all go (nothing of them is a record)."""

from supervision.erasure import Eraser, ErasurePlan, counted
from supervision.models import User

from .models import KeptDraft


def describe(person: User) -> ErasurePlan:
    count = KeptDraft.objects.filter(owner=person).count()
    return ErasurePlan(
        goes=[f"{counted(count, 'form')} kept when the idle limit signed her out, not yet saved"]
    )


def erase(person: User) -> None:
    KeptDraft.objects.filter(owner=person).delete()


ERASER = Eraser(app_label="accounts", describe=describe, erase=erase)
