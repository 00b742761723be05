"""Reads for group supervision."""

from reflections.export import log_ref
from supervision.models import User

from .models import GroupComment


def group_comments_of(person: User) -> list[dict]:
    """What she wrote in group discussions of shared logs, for her export."""
    rows = GroupComment.objects.filter(author=person).select_related(
        "share__group", "share__log__author"
    )
    return [
        {
            "id": c.pk,
            "group": c.share.group.name,
            "log": log_ref(c.share.log),
            "text": c.text,
            "created_at": c.created_at,
        }
        for c in rows
    ]
