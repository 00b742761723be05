from django.conf import settings

from supervision.formats import Row
from supervision.models import Role

from .sessions import session_remaining


def session_timeout(request):
    """What the page's session warning needs (accounts/static/js/session-timeout.js)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        # A Row: read by both template engines (supervision.formats.Row).
        "session_timeout": Row(
            idle=settings.SESSION_IDLE_TIMEOUT,
            warn=settings.SESSION_WARNING_SECONDS,
            remaining=session_remaining(request),
        ),
        # The navigation's "Invite" link (accounts.views.supervisor_invitations).
        "may_invite": settings.SUPERVISORS_MAY_INVITE and user.role == Role.SUPERVISOR,
    }
