"""The forms whose text the idle limit keeps, registered by the apps that own them.

accounts sits below the apps with forms, so it cannot name their pages or look up their
objects: each app registers a `KeptForm` in its `AppConfig.ready()` saying which fields its
form has (after checking that this person may write in it) and where the form lives.
The page marks such a form with `data-keep-on-timeout="<key>"` (and `data-keep-object`).
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass

from supervision.models import User

# Never kept, whatever the form: the token, and the identifier check's own state, so that a
# kept draft goes back into its form as never checked.
NEVER_KEPT = frozenset({"csrfmiddlewaretoken", "identifiers_digest", "confirm_not_identifying"})


@dataclass(frozen=True)
class KeptForm:
    key: str
    # What the "Waiting for you" list calls it; never the text.
    label: str
    # object id (0: a new one) -> the form's page.
    url: Callable[[int], str]
    # (person, object id) -> the names of the form's fields. Raises Http404 when she may not
    # write in this form for this object, PermissionDenied for the wrong role.
    field_names: Callable[[User, int], Collection[str]]


_forms: dict[str, KeptForm] = {}


def register(kept_form: KeptForm) -> None:
    """Called from an AppConfig.ready(); registering a key again replaces it."""
    _forms[kept_form.key] = kept_form


def get(key: str) -> KeptForm | None:
    return _forms.get(key)


def kept_field_names(kept_form: KeptForm, user: User, object_id: int) -> set[str]:
    return set(kept_form.field_names(user, object_id)) - NEVER_KEPT
