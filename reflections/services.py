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
) -> Reply:
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
    if decision == Decision.RETURN:
        case_services.session_log_return(log=log, by=author)
    elif decision == Decision.SIGN:
        case_services.session_log_sign(log=log, by=author)
    case_services.log_notice_send(
        recipients=[log.author],
        log=log,
        message=DECISION_MESSAGES[Decision(decision)].format(who=author),
    )
    return reply


@transaction.atomic
def answer_save(*, question: AskedQuestion, author: User, text: str) -> AskedQuestion:
    """Each answer is saved on its own, once; later thoughts go in the thread."""
    log = question.reply.log
    if author.pk != log.author_id:
        raise WorkflowError("Only the author of the log can answer its questions.")
    updated = AskedQuestion.objects.filter(pk=question.pk, answered_at__isnull=True).update(
        answer=text, answered_at=timezone.now()
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
