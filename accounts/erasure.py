"""What erasing a person deletes in this app: her kept drafts (nothing of them is a record),
her invitation and e-mailed codes (both would otherwise keep a working way into an
anonymised account).
"""

from supervision.erasure import Eraser, ErasurePlan, counted
from supervision.models import User

from .models import EmailCode, Invitation, KeptDraft


def describe(person: User) -> ErasurePlan:
    kept = KeptDraft.objects.filter(owner=person).count()
    invitations = Invitation.objects.filter(user=person).count()
    goes = [f"{counted(kept, 'form')} kept when the idle limit signed her out, not yet saved"]
    if invitations:
        goes.append(counted(invitations, "invitation"))
    return ErasurePlan(goes=goes)


def erase(person: User) -> None:
    KeptDraft.objects.filter(owner=person).delete()
    Invitation.objects.filter(user=person).delete()
    EmailCode.objects.filter(user=person).delete()


ERASER = Eraser(app_label="accounts", describe=describe, erase=erase)
