"""Hours waiting for a supervisor's signature, on her review queue (`cases.waiting`)."""

from django.urls import reverse
from django.utils import timezone

from cases.waiting import WaitingGroup, WaitingItem, WaitingSection
from supervision.models import Role, User

from .access import signable_spans
from .selectors import periods_to_sign


def _to_sign(supervisor: User) -> WaitingGroup | None:
    if supervisor.role != Role.SUPERVISOR:
        return None
    today = timezone.localdate()
    waiting = periods_to_sign(supervisor, signable_spans(supervisor, today), today)
    if not waiting:
        return None
    page = reverse("hours:to_sign")
    return WaitingGroup(
        heading="Hours to sign",
        items=tuple(
            WaitingItem(
                title=f"{row.supervisee_name}: {', '.join(p.label for p in row.periods[:3])}"
                + (" and more" if len(row.periods) > 3 else ""),
                url=f"{page}#supervisee-{row.supervisee_id}",
            )
            for row in waiting
        ),
        more_url=page,
        more_label="Sign hours",
    )


TO_SIGN = WaitingSection(name="hours_to_sign", read=_to_sign, order=10)
