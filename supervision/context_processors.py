from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Counted only when the navigation draws the badge, and once: a lazy value rather than a
    # callable, which Django's templates would call but Jinja2's would not (config.jinja2).
    return {"unread_count": SimpleLazyObject(lambda: unread_count(user))}
