from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cases import log_page
from cases.models import LogStatus, SessionLog
from cases.views import is_valid_keeping_words, own_log_or_403, visible_log_or_404
from supervision import access, audit
from supervision.forms import blank_form, refusal
from supervision.http import AuthenticatedHttpRequest
from supervision.models import AuditAction, Role
from supervision.selectors import audit_events_by_others

from . import selectors, services
from .forms import AnswerForm, CommentForm, PrivateReflectionForm, ReplyForm, ShareForm
from .models import AskedQuestion, PrivateReflection


def log_page_actions(request: HttpRequest, log: SessionLog, is_author: bool) -> dict | None:
    """Beside the author's buttons: her journal and who opened the log; for a current
    supervisor, the way to reply once the log is submitted."""
    can_reply = not is_author and log.status != LogStatus.DRAFT
    return {"can_reply": can_reply} if is_author or can_reply else None


def log_page_supervision(request: HttpRequest, log: SessionLog, is_author: bool) -> dict:
    """Below the log: the supervisors' replies with their questions (the author answers
    them here) and the conversation thread."""
    selectors.log_page_prefetch(log)
    if is_author and log.has_replies:
        for reply in log.replies.all():
            for question in reply.questions.all():
                if not question.is_answered:
                    question.form = AnswerForm(auto_id=f"answer-{question.pk}-%s")
    return {"comment_form": blank_form(CommentForm)}


LOG_PAGE_PANELS = (
    log_page.LogPagePanel(
        name="reflections_actions",
        slot="actions",
        template="reflections/_log_actions.html",
        context=log_page_actions,
    ),
    log_page.LogPagePanel(
        name="reflections_supervision",
        slot="after_log",
        template="reflections/_log_supervision.html",
        context=log_page_supervision,
        annotations=selectors.log_page_annotations,
    ),
)


def reply_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    log = visible_log_or_404(request, pk)
    if log.author_id == request.user.pk:
        raise PermissionDenied("Supervisors reply to logs; authors answer them.")
    if log.status == LogStatus.DRAFT:
        messages.info(request, "This log is still a draft.")
        return redirect(log)
    form = ReplyForm(request.POST or None, log=log)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.reply_create(
                log=log,
                author=request.user,
                feedback=data["feedback"],
                questions=data["questions"],
                own_questions=data["own_questions"],
                practice=data["practice"],
                strengths=data["strengths"],
                decision=data["decision"],
            )
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your reply was sent.")
            return redirect(log)
    tags = log.tags.select_related("pattern")
    # The form page shows the whole log above the form.
    audit.record(actor=request.user, action=AuditAction.VIEW, obj=log, owner=log.author_id)
    return render(request, "reflections/reply_form.html", {"form": form, "log": log, "tags": tags})


@require_POST
def answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(
        AskedQuestion.objects.select_related("reply__log", "reply__author").filter(
            reply__log__in=SessionLog.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    log = question.reply.log
    if log.author_id != request.user.pk:
        raise PermissionDenied("Only the author of the log answers its questions.")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, refusal(form, "An answer needs some text (at most 20,000 characters).")
        )
        return redirect(log)
    try:
        services.answer_save(
            question=question, author=request.user, text=form.cleaned_data["answer"]
        )
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Answer saved.")
    return redirect(f"{log.get_absolute_url()}#question-{question.pk}")


@require_POST
def comment_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    log = visible_log_or_404(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, refusal(form, "A comment needs some text (at most 2,000 characters).")
        )
        return redirect(log)
    services.comment_add(log=log, author=request.user, text=form.cleaned_data["text"])
    messages.success(request, "Comment added.")
    return redirect(f"{log.get_absolute_url()}#thread")


def journal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_role(request.user, Role.SUPERVISEE, Role.SUPERVISOR)
    entries = selectors.journal_for(request.user)
    shared = selectors.shared_with_me(request.user)
    return render(request, "reflections/journal_list.html", {"entries": entries, "shared": shared})


def journal_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_role(request.user, Role.SUPERVISEE)
    initial = {k: request.GET[k] for k in ("question", "log") if request.GET.get(k, "").isdigit()}
    form = PrivateReflectionForm(request.POST or None, author=request.user, initial=initial)
    if request.method == "POST" and is_valid_keeping_words(request, form):
        entry = services.private_reflection_save(reflection=form.instance, author=request.user)
        messages.success(request, "Saved to your private journal.")
        return redirect(entry)
    return render(request, "reflections/journal_form.html", {"form": form})


def journal_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        PrivateReflection.objects.visible_to(request.user).select_related(
            "author", "log", "question", "shared_with"
        ),
        pk=pk,
    )
    audit.record(actor=request.user, action=AuditAction.VIEW, obj=entry, owner=entry.author_id)
    share_form = None
    if entry.author_id == request.user.pk:
        share_form = ShareForm(
            supervisors=access.current_supervisors(request.user),
            initial={"supervisor": entry.shared_with_id},
        )
    return render(
        request, "reflections/journal_detail.html", {"entry": entry, "share_form": share_form}
    )


def own_entry_or_403(request: AuthenticatedHttpRequest, pk: int) -> PrivateReflection:
    entry = get_object_or_404(PrivateReflection.objects.visible_to(request.user), pk=pk)
    if entry.author_id != request.user.pk:
        raise PermissionDenied("Only the author can change a private reflection.")
    return entry


def journal_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = own_entry_or_403(request, pk)
    form = PrivateReflectionForm(request.POST or None, instance=entry, author=request.user)
    if request.method == "POST" and is_valid_keeping_words(request, form):
        services.private_reflection_save(reflection=form.instance, author=request.user)
        messages.success(request, "Saved.")
        return redirect(entry)
    if request.method == "GET":  # the form holds the stored text
        audit.record(actor=request.user, action=AuditAction.VIEW, obj=entry, owner=entry.author_id)
    return render(request, "reflections/journal_form.html", {"form": form, "entry": entry})


@require_POST
def journal_share(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = own_entry_or_403(request, pk)
    form = ShareForm(request.POST, supervisors=access.current_supervisors(request.user))
    if not form.is_valid():
        messages.error(request, "Choose one of your current supervisors, or nobody.")
        return redirect(entry)
    supervisor = form.cleaned_data["supervisor"]
    services.private_reflection_share(reflection=entry, author=request.user, supervisor=supervisor)
    if supervisor:
        messages.success(request, f"Shared with {supervisor}. You can take it back at any time.")
    else:
        messages.success(request, "This reflection is private again.")
    return redirect(entry)


# ------------------------------------------------------ who has seen my work

AUDIT_PAGE_SIZE = 25


def seen_by_others(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everything other people did with my logs and reflections, newest first."""
    access.require_role(request.user, Role.SUPERVISEE)
    return _audit_page(request, audit_events_by_others(request.user), log=None)


def log_seen_by(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Who has opened (or otherwise acted on) this one log: for its author only."""
    log = own_log_or_403(request, pk)
    events = audit_events_by_others(
        request.user, object_type=audit.object_type(SessionLog), object_id=log.pk
    )
    return _audit_page(request, events, log=log)


def _audit_page(
    request: AuthenticatedHttpRequest, events, *, log: SessionLog | None
) -> HttpResponse:
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    if log is None:
        rows = selectors.describe_audit_events(page.object_list)
    else:  # every row is about this log
        rows = [(event, None) for event in page.object_list]
    return render(
        request, "reflections/seen_by_others.html", {"page": page, "rows": rows, "log": log}
    )
