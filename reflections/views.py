from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import drafts
from accounts.selectors import kept_draft_for
from accounts.services import kept_draft_discard
from cases import log_page
from cases import selectors as case_selectors
from cases import services as case_services
from cases.models import LogStatus, SessionLog
from cases.services import StaleReviewError
from cases.views import is_valid_keeping_words, own_log_or_403, visible_log_or_404
from supervision import access, audit
from supervision.formats import date_written
from supervision.forms import blank_form, blank_form_for, filled_form_for, refusal
from supervision.http import AuthenticatedHttpRequest
from supervision.models import AuditAction, Role, User
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
    if not log.has_replies:
        return {"comment_form": blank_form(CommentForm)}
    if is_author:
        for reply in log.replies.all():
            for question in reply.questions.all():
                if question.is_answered and not question.is_answer_read:
                    # Drawn once per process; the ids and her answer put in (escaped).
                    question.edit_form = filled_form_for(
                        AnswerForm, "edit", question.pk, field="answer", value=question.answer
                    )
                elif not question.is_answered and not question.is_deferred:
                    # Blank, drawn once per process; only the ids carry the question's.
                    question.form = blank_form_for(AnswerForm, "answer", question.pk)
    else:
        # The reply's author now sees the answers to her questions: they stay as they are.
        # One UPDATE when there is something unread, none otherwise.
        services.answers_mark_read(
            reader=request.user,  # type: ignore[arg-type]  # the log page needs a log-in
            questions=[
                question
                for reply in log.replies.all()
                if reply.author_id == request.user.pk
                for question in reply.questions.all()
            ],
        )
    return {"comment_form": blank_form(CommentForm)}


def log_page_request(request: HttpRequest, log: SessionLog, is_author: bool) -> dict | None:
    """On a returned log, above everything: what the supervisor asked for. Drawn on the
    log page and inside the edit form, where the revision is written."""
    if log.status != LogStatus.RETURNED:
        return None
    reply = selectors.return_request(log)
    if reply is None:
        return None
    # Written out here: both engines draw the panel (config.jinja2.SHARED), and a filter with
    # an argument is not in what they share.
    return {
        "request_reply": reply,
        "returned_on": date_written(reply.created_at, "j F Y"),
    }


LOG_PAGE_PANELS = (
    log_page.LogPagePanel(
        name="reflections_return_request",
        slot="top",
        template="reflections/_return_request.html",
        context=log_page_request,
    ),
    log_page.LogPagePanel(
        name="reflections_actions",
        slot="actions",
        template="reflections/_log_actions.jinja",
        context=log_page_actions,
    ),
    log_page.LogPagePanel(
        name="reflections_supervision",
        slot="after_log",
        template="reflections/_log_supervision.jinja",
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
                version=data["version"],
            )
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
            if isinstance(exc, StaleReviewError):
                form.show_version(log.version)
        else:
            messages.success(request, "Your reply was sent.")
            return redirect(log)
    if request.method == "GET":
        # Her co-supervisors see that she is writing a reply, for a while (a soft claim).
        case_services.review_writing_start(log=log, by=request.user)
    others = case_selectors.co_supervisor_activity([log.pk], request.user).get(log.pk, [])
    tags = log.tags.select_related("pattern")
    # The form page shows the whole log above the form.
    audit.record(actor=request.user, action=AuditAction.VIEW, obj=log, owner=log.author_id)
    return render(
        request,
        "reflections/reply_form.html",
        {"form": form, "log": log, "tags": tags, "co_supervisors": others},
    )


def _own_question_or_403(request: AuthenticatedHttpRequest, pk: int) -> AskedQuestion:
    """A question on a log this person may see (else 404) that she wrote (else 403)."""
    question = get_object_or_404(
        AskedQuestion.objects.select_related("reply__log", "reply__author").filter(
            reply__log__in=SessionLog.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    if question.reply.log.author_id != request.user.pk:
        raise PermissionDenied("Only the author of the log answers its questions.")
    return question


def _to_question(question: AskedQuestion) -> HttpResponse:
    return redirect(f"{question.reply.log.get_absolute_url()}#question-{question.pk}")


@require_POST
def answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = _own_question_or_403(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, refusal(form, "An answer needs some text (at most 20,000 characters).")
        )
        return redirect(question.reply.log)
    try:
        services.answer_save(
            question=question, author=request.user, text=form.cleaned_data["answer"]
        )
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Answer saved. You can change it until your supervisor reads it.")
    return _to_question(question)


@require_POST
def answer_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = _own_question_or_403(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, refusal(form, "An answer needs some text (at most 20,000 characters).")
        )
        return _to_question(question)
    try:
        changed = services.asked_question_answer_edit(
            question=question, author=request.user, text=form.cleaned_data["answer"]
        )
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Answer changed." if changed else "Your answer is unchanged.")
    return _to_question(question)


@require_POST
def question_defer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """ "I'd rather talk about this in supervision", or (undo=1) taking that back."""
    question = _own_question_or_403(request, pk)
    deferred = request.POST.get("undo") != "1"
    try:
        services.asked_question_defer(question=question, author=request.user, deferred=deferred)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        if deferred:
            messages.success(request, "Noted: you can talk about this one in supervision.")
        else:
            messages.success(request, "You can answer this question here again.")
    return _to_question(question)


@require_POST
def comment_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    log = visible_log_or_404(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, refusal(form, "A comment needs some text (at most 2,000 characters).")
        )
        return redirect(log)
    try:
        services.comment_add(log=log, author=request.user, text=form.cleaned_data["text"])
    except services.WorkflowError as exc:
        # A draft has no conversation yet: say so and change nothing.
        messages.error(request, str(exc))
        return redirect(log)
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
    # What the idle limit kept goes back in as bound data: checked before it can be saved.
    kept = kept_draft_for(request.user, form=KEPT_NEW) if request.method == "GET" else None
    form = PrivateReflectionForm(
        request.POST or (kept.data if kept else None), author=request.user, initial=initial
    )
    if request.method == "POST" and is_valid_keeping_words(request, form):
        entry = services.private_reflection_save(reflection=form.instance, author=request.user)
        kept_draft_discard(owner=request.user, form=KEPT_NEW)
        messages.success(request, "Saved to your private journal.")
        return redirect(entry)
    return render(request, "reflections/journal_form.html", {"form": form, "kept": kept})


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
    kept = (
        kept_draft_for(request.user, form=KEPT_EDIT, object_id=entry.pk)
        if request.method == "GET"
        else None
    )
    form = PrivateReflectionForm(
        request.POST or (kept.data if kept else None), instance=entry, author=request.user
    )
    if request.method == "POST" and is_valid_keeping_words(request, form):
        services.private_reflection_save(reflection=form.instance, author=request.user)
        kept_draft_discard(owner=request.user, form=KEPT_EDIT, object_id=entry.pk)
        messages.success(request, "Saved.")
        return redirect(entry)
    if request.method == "GET":  # the form holds the stored text
        audit.record(actor=request.user, action=AuditAction.VIEW, obj=entry, owner=entry.author_id)
    return render(
        request, "reflections/journal_form.html", {"form": form, "entry": entry, "kept": kept}
    )


# --- the forms the idle limit keeps (accounts.drafts) -----------------------------------------

KEPT_NEW, KEPT_EDIT = "journal_new", "journal_edit"


def _new_entry_fields(user: User, object_id: int) -> list[str]:
    access.require_role(user, Role.SUPERVISEE)
    if object_id:
        raise Http404("A new reflection has no id.")
    return list(PrivateReflectionForm(author=user).fields)


def _entry_edit_fields(user: User, object_id: int) -> list[str]:
    # Her own entry only: one shared with her as a supervisor is "not found" here.
    entry = get_object_or_404(PrivateReflection.objects.filter(author=user), pk=object_id)
    return list(PrivateReflectionForm(instance=entry, author=user).fields)


KEPT_FORMS = (
    drafts.KeptForm(
        key=KEPT_NEW,
        label="A new reflection in your journal",
        url=lambda object_id: reverse("reflections:journal_create"),
        field_names=_new_entry_fields,
    ),
    drafts.KeptForm(
        key=KEPT_EDIT,
        label="Changes to a reflection in your journal",
        url=lambda object_id: reverse("reflections:journal_edit", args=[object_id]),
        field_names=_entry_edit_fields,
    ),
)


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


# ------------------------------------------------------ questions waiting

QUESTIONS_PAGE_SIZE = 20


def questions_waiting(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every question put to her that she has not answered, newest first: where the home
    page's strip and the dashboard send her when they show only the first few."""
    access.require_role(request.user, Role.SUPERVISEE)
    page = Paginator(selectors.questions_waiting(request.user), QUESTIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "reflections/questions_waiting.html", {"page": page})


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
