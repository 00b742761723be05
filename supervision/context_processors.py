from .selectors import unread_count


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Called only when the navigation draws the badge.
    return {"unread_count": lambda: unread_count(user)}
