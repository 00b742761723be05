"""What the base layout links to, worked out once per process.

Every page draws the same navigation: a dozen links and a few static files. Reversing a URL
costs about 85 k instructions and a static file's hashed name a little less, so the layout
alone cost twice the benchmark's ceiling. These do not change while the process runs (the
URL configuration and the static manifest are read at start-up), so they are worked out
once for each script prefix the site is served under.
"""

import functools

from django.template.backends.utils import csrf_input
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject

from supervision.formats import Row

# name in the template (links.NAME) -> URL name
PAGES = {
    "home": "home",
    "login": "login",
    "logout": "logout",
    "keep_and_sign_out": "keep_and_sign_out",
    "keep_alive": "keep_alive",
    "password_change": "password_change",
    "two_factor": "two_factor",
    "export": "reflections:export",
    "seen_by_others": "reflections:seen_by_others",
    "allowed_words": "cases:allowed_words",
    "log_list": "cases:log_list",
    "log_create": "cases:log_create",
    "journal_list": "reflections:journal_list",
    "dashboard": "dashboards:dashboard",
    "group_list": "groups:group_list",
    "review_queue": "cases:review_queue",
    "hours": "hours:overview",
    "hours_to_sign": "hours:to_sign",
    "supervisor_invitations": "supervisor_invitations",
    "admin": "admin:index",
    "notifications": "notifications",
}
# name in the template -> static file
STATIC = {
    "bootstrap_css": "vendor/bootstrap-5.3.8/bootstrap.min.css",
    "app_css": "css/app.css",
    "favicon": "favicon.svg",
    "bootstrap_js": "vendor/bootstrap-5.3.8/bootstrap.bundle.min.js",
    "session_timeout_js": "js/session-timeout.js",
}


@functools.lru_cache(maxsize=8)
def _links(script_prefix: str) -> Row:
    # reverse() reads the script prefix itself; it is the key so that each prefix gets its own.
    # A Row: read by both template engines as `links.home` (supervision.formats.Row).
    return Row(
        {key: reverse(name) for key, name in PAGES.items()}
        | {key: static(path) for key, path in STATIC.items()}
    )


def links() -> Row:
    return _links(get_script_prefix())


def layout_links(request) -> dict:
    # csrf_input: the layout is read by both template engines (config.jinja2.SHARED), and
    # Jinja2 has no {% csrf_token %}. Django's lazy field masks the token afresh for each form
    # of the page (64 random characters each time); this one masks it once per page, which
    # is what the masking is for (a different token in each response).
    return {"links": links(), "csrf_input": SimpleLazyObject(lambda: csrf_input(request))}
