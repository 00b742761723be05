"""The request type of a signed-in page, for type checking."""

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An HttpRequest whose `user` is a signed-in `User`, never `AnonymousUser`.

    LoginRequiredMiddleware (config/settings/base.py) sends anonymous visitors to the log-in
    page before any view runs, so views annotate `request` with this class and mypy need not
    treat every `request.user` as possibly anonymous. Views marked `login_not_required` keep
    `HttpRequest`. Only an annotation: Django still passes its own request object.
    """

    user: User
