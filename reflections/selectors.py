"""Reads for the log page and the journal."""

from django.db.models import Prefetch, QuerySet

from cases.models import Addendum, PatternTag, SessionLog
from supervision.models import User

from .models import AskedQuestion, Comment, PrivateReflection, Reply


def log_page_queryset(user: User) -> QuerySet[SessionLog]:
    """Everything the log page shows, in a fixed number of queries."""
    return (
        SessionLog.objects.visible_to(user)
        .select_related("author", "signed_by")
        .prefetch_related(
            Prefetch("tags", queryset=PatternTag.objects.select_related("pattern__family")),
            "presentations",
            Prefetch("addenda", queryset=Addendum.objects.select_related("author")),
            Prefetch(
                "replies",
                queryset=Reply.objects.select_related("author", "practice").prefetch_related(
                    "strengths",
                    Prefetch("questions", queryset=AskedQuestion.objects.order_by("position")),
                ),
            ),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
        )
    )


def journal_for(user: User) -> QuerySet[PrivateReflection]:
    return PrivateReflection.objects.filter(author=user).select_related(
        "log", "question", "shared_with"
    )


def shared_with_me(user: User) -> QuerySet[PrivateReflection]:
    return (
        PrivateReflection.objects.visible_to(user)
        .exclude(author=user)
        .select_related("author", "log", "question")
    )
