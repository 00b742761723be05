"""Session limits: an idle timeout and an absolute limit.

The session stores when the person logged in and when it last saw a request from them
(seconds since the epoch). Past either limit the next request signs them out and the
log-in page says why. Ending all of a person's sessions is `supervision.services.sessions_end_all`.
"""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

LOGIN_AT = "_session_login_at"
LAST_SEEN = "_session_last_seen"
# Last activity is written at most this often, so most requests do not write the session.
# The page is told how long is left (session_remaining), so its warning stays accurate.
LAST_SEEN_GRANULARITY = 60

# Keeping a form's text at the limit (views.keep_and_sign_out) is accepted this long after the
# session's limit: a laptop that slept past it wakes with her text still on the screen. Only
# that request, and only for the session that was hers: the session still has to be there
# and still has to authenticate her (log-out everywhere, a password change or erasure end
# it at once), and it ends as soon as the text is kept. Nothing is read, only kept.
KEEP_GRACE = 10 * 60

IDLE_MESSAGE = "You were signed out after {minutes} minutes without activity. Please log in again."
ABSOLUTE_MESSAGE = "You were signed out {hours} hours after logging in. Please log in again."
KEPT_MESSAGE = (
    "You were signed out to keep your notes private. What you were writing is kept for you: "
    "log in again to carry on."
)


@receiver(user_logged_in, dispatch_uid="accounts.sessions.start_clock")
def start_clock(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session[LOGIN_AT] = now
        session[LAST_SEEN] = now


def mark_active(request: HttpRequest) -> None:
    request.session[LAST_SEEN] = int(time.time())


def session_remaining(request: HttpRequest) -> int:
    """Seconds until the idle limit signs this session out, without further activity."""
    now = time.time()
    last_seen = request.session.get(LAST_SEEN, now)
    login_at = request.session.get(LOGIN_AT, now)
    idle_left = settings.SESSION_IDLE_TIMEOUT - (now - last_seen)
    absolute_left = settings.SESSION_ABSOLUTE_TIMEOUT - (now - login_at)
    return max(0, int(min(idle_left, absolute_left)))
