"""What erasing a person deletes in this app: her invitation and e-mailed codes.

Both would otherwise keep a working way into an anonymised account (an unused link).
"""

from supervision.erasure import Eraser, ErasurePlan, counted
from supervision.models import User

from .models import EmailCode, Invitation


def describe(person: User) -> ErasurePlan:
    invitations = Invitation.objects.filter(user=person).count()
    return ErasurePlan(goes=[counted(invitations, "invitation")] if invitations else [])


def erase(person: User) -> None:
    Invitation.objects.filter(user=person).delete()
    EmailCode.objects.filter(user=person).delete()


ERASER = Eraser(app_label="accounts", describe=describe, erase=erase)
