"""Writes for replies, answers, comments and private reflections."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from cases import services as case_services
from cases.models import LogStatus, SessionLog
from supervision import access, audit
from supervision.models import AuditAction, User
from supervision.notifications import notification_send

from .models import (
    AskedQuestion,
    Comment,
    Decision,
    Practice,
    PrivateReflection,
    ReflectiveQuestion,
    Reply,
    Strength,
)

WorkflowError = case_services.WorkflowError

DECISION_MESSAGES = {
    Decision.REPLY: "{who} replied to your session log",
    Decision.RETURN: "{who} returned your session log for revision",
    Decision.SIGN: "{who} signed off your session log",
}


@transaction.atomic
def reply_create(
    *,
    log: SessionLog,
    author: User,
    feedback: str,
    questions: Iterable[ReflectiveQuestion] = (),
    own_questions: Iterable[str] = (),
    practice: Practice | None = None,
    strengths: Iterable[Strength] = (),
    decision: str = Decision.REPLY,
    version: int | None = None,
) -> Reply:
    """`version`: the version of the log the supervisor's form showed. Return and sign-off
    are refused (StaleReviewError, nothing written) if the log has changed since."""
    if not access.supervises(author, log.author):
        raise WorkflowError("Only a current supervisor can reply to this log.")
    if log.status == LogStatus.DRAFT:
        raise WorkflowError("This log is a draft; it can be replied to once it is submitted.")
    if decision != Decision.REPLY and log.status != LogStatus.SUBMITTED:
        raise WorkflowError("Only a log waiting for review can be returned or signed off.")
    reply = Reply.objects.create(
        log=log, author=author, feedback=feedback, practice=practice, decision=decision
    )
    audit.record(actor=author, action=AuditAction.CREATE, obj=reply, owner=log.author_id)
    reply.strengths.set(strengths)
    asked = [
        AskedQuestion(reply=reply, catalog_question=q, theme=q.name, text=q.text, position=i)
        for i, q in enumerate(sorted(questions, key=lambda q: (q.position, q.pk)))
    ]
    asked += [
        AskedQuestion(reply=reply, text=text, position=len(asked) + i)
        for i, text in enumerate(own_questions)
    ]
    AskedQuestion.objects.bulk_create(asked)
    case_services.review_replied(log=log, by=author)
    if decision == Decision.RETURN:
        case_services.session_log_return(log=log, by=author, version=version)
    elif decision == Decision.SIGN:
        case_services.session_log_sign(log=log, by=author, version=version)
    case_services.log_notice_send(
        recipients=[log.author],
        log=log,
        message=DECISION_MESSAGES[Decision(decision)].format(who=author),
    )
    return reply


ANSWER_READ = (
    "Your supervisor has read this answer, so it stays as it is; "
    "add further thoughts in the conversation below."
)


def _own_question(question: AskedQuestion, author: User, doing: str) -> SessionLog:
    log = question.reply.log
    if author.pk != log.author_id:
        raise WorkflowError(f"Only the author of the log can {doing}.")
    return log


@transaction.atomic
def answer_save(*, question: AskedQuestion, author: User, text: str) -> AskedQuestion:
    """Each answer is saved on its own, once; until the reply's author has read it, she
    can change it (asked_question_answer_edit). Answering a question she had kept for
    supervision takes it off that list: she chose to write after all."""
    log = _own_question(question, author, "answer its questions")
    updated = AskedQuestion.objects.filter(pk=question.pk, answered_at__isnull=True).update(
        answer=text, answered_at=timezone.now(), deferred_at=None
    )
    if not updated:
        raise WorkflowError("This question was already answered; add further thoughts below.")
    audit.record(actor=author, action=AuditAction.CREATE, obj=question, owner=log.author_id)
    question.refresh_from_db()
    case_services.log_notice_send(
        recipients=[question.reply.author],
        log=log,
        message=f"{author} answered a reflective question on a session log",
    )
    return question


@transaction.atomic
def asked_question_answer_edit(*, question: AskedQuestion, author: User, text: str) -> bool:
    """Change a saved answer the reply's author has not read yet. False (nothing written)
    when the text is the same; refused once it has been read."""
    log = _own_question(question, author, "change its answers")
    # Re-read under the transaction: the supervisor may have opened the page meanwhile.
    current = AskedQuestion.objects.filter(pk=question.pk).values(
        "answer", "answered_at", "answer_read_at"
    )[0]
    if current["answered_at"] is None:
        raise WorkflowError("This question has no answer yet to change.")
    if current["answer_read_at"] is not None:
        raise WorkflowError(ANSWER_READ)
    if current["answer"] == text:
        return False
    updated = AskedQuestion.objects.filter(
        pk=question.pk, answered_at__isnull=False, answer_read_at__isnull=True
    ).update(answer=text, answer_edited_at=timezone.now())
    if not updated:  # read between the two statements
        raise WorkflowError(ANSWER_READ)
    audit.record(actor=author, action=AuditAction.UPDATE, obj=question, owner=log.author_id)
    question.refresh_from_db()
    notification_send(
        recipients=[question.reply.author],
        message=f"{author} changed an answer to a reflective question.",
        url=log.get_absolute_url(),
    )
    return True


def answers_mark_read(*, reader: User, questions: Iterable[AskedQuestion]) -> int:
    """The reply's author has seen these answers (the log page showed them to her): from
    now on they stay as they are. One UPDATE, and only when there is something unread;
    the page view itself is already audited. Questions of replies by someone else are
    left alone. Returns how many were marked."""
    unread = [q.pk for q in questions if q.is_answered and q.answer_read_at is None]
    if not unread:
        return 0
    return AskedQuestion.objects.filter(
        pk__in=unread, reply__author=reader, answered_at__isnull=False, answer_read_at__isnull=True
    ).update(answer_read_at=timezone.now())


@transaction.atomic
def asked_question_defer(
    *, question: AskedQuestion, author: User, deferred: bool = True
) -> AskedQuestion:
    """She would rather talk about this question in supervision than write an answer
    (deferred=True), or changes her mind (deferred=False). Her supervisor sees the
    choice on the log page and in reflections.selectors.questions_for_supervision."""
    log = _own_question(question, author, "choose how to take up its questions")
    wanted = timezone.now() if deferred else None
    changed = (
        AskedQuestion.objects.filter(pk=question.pk, answered_at__isnull=True)
        .filter(deferred_at__isnull=deferred)
        .update(deferred_at=wanted)
    )
    if not changed:
        if AskedQuestion.objects.filter(pk=question.pk, answered_at__isnull=False).exists():
            raise WorkflowError("This question is already answered; add further thoughts below.")
        return question  # already as she wants it
    audit.record(actor=author, action=AuditAction.UPDATE, obj=question, owner=log.author_id)
    question.refresh_from_db()
    return question


@transaction.atomic
def comment_add(*, log: SessionLog, author: User, text: str) -> Comment:
    if not access.may_see_supervisee_work(author, log.author):
        raise WorkflowError("You cannot comment on this log.")
    if log.status == LogStatus.DRAFT:
        raise WorkflowError("The conversation opens once the log is submitted.")
    comment = Comment.objects.create(log=log, author=author, text=text)
    audit.record(actor=author, action=AuditAction.CREATE, obj=comment, owner=log.author_id)
    case_services.notify_log_participants(
        log=log, actor=author, message=f"{author} added a comment on a session log"
    )
    return comment


@transaction.atomic
def private_reflection_save(*, reflection: PrivateReflection, author: User) -> PrivateReflection:
    if reflection.pk and reflection.author_id != author.pk:
        raise WorkflowError("Only the author can change a private reflection.")
    action = AuditAction.UPDATE if reflection.pk else AuditAction.CREATE
    reflection.author = author
    reflection.save()
    audit.record(actor=author, action=action, obj=reflection, owner=author)
    return reflection


@transaction.atomic
def private_reflection_share(
    *, reflection: PrivateReflection, author: User, supervisor: User | None
) -> PrivateReflection:
    """Share one entry with one current supervisor, or take it back (supervisor=None)."""
    if reflection.author_id != author.pk:
        raise WorkflowError("Only the author can share a private reflection.")
    if supervisor is not None and not access.supervises(supervisor, author):
        raise WorkflowError("You can share only with a current supervisor.")
    reflection.shared_with = supervisor
    reflection.shared_at = timezone.now() if supervisor else None
    reflection.save(update_fields=["shared_with", "shared_at", "updated_at"])
    action = AuditAction.SHARE if supervisor is not None else AuditAction.UNSHARE
    audit.record(actor=author, action=action, obj=reflection, owner=author)
    if supervisor is not None:
        notification_send(
            recipients=[supervisor],
            message=f"{author} shared a private reflection with you.",
            url=reflection.get_absolute_url(),
        )
    return reflection
