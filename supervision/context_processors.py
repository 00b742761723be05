from django.conf import settings

from .sessions import session_remaining


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": lambda: user.notifications.unread().count()}


def session_timeout(request):
    """What the page's session warning needs (supervision/static/js/session-timeout.js)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "session_timeout": {
            "idle": settings.SESSION_IDLE_TIMEOUT,
            "warn": settings.SESSION_WARNING_SECONDS,
            "remaining": session_remaining(request),
        }
    }
