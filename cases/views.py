import functools

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accounts import drafts
from accounts.selectors import kept_draft_for
from accounts.services import kept_draft_discard
from supervision import audit, links
from supervision.access import require_role
from supervision.forms import blank_form, refusal
from supervision.http import AuthenticatedHttpRequest
from supervision.models import AuditAction, Role, User
from supervision.paging import Pager
from supervision.selectors import supervisee_names

from . import log_page, selectors, services, waiting
from .forms import AddendumForm, LogFilterForm, QuickLogForm, SessionLogForm
from .models import AllowedWord, LogStatus, SessionLog
from .signing import signature_matches

PAGE_SIZE = selectors.LIST_PAGE_SIZE


def visible_log_or_404(request: AuthenticatedHttpRequest, pk: int) -> SessionLog:
    """Logs the person may read; anyone else is told nothing exists."""
    return get_object_or_404(SessionLog.objects.visible_to(request.user), pk=pk)


def own_log_or_403(request: AuthenticatedHttpRequest, pk: int) -> SessionLog:
    """The author's own log; a supervisor who can read it may still not change it."""
    log = visible_log_or_404(request, pk)
    if log.author_id != request.user.pk:
        raise PermissionDenied("Only the author can change a session log.")
    return log


@functools.lru_cache(maxsize=8)
def blank_filters(catalog_stamp: str, form_class: type[LogFilterForm] = LogFilterForm) -> str:
    """The log filters with nothing asked for (`form_class`: hers, or a supervisor's over
    someone's submitted logs). They draw the same for everyone until the patterns offered
    change (`catalog_stamp`), so each process draws them once per catalog and form: drawing
    them was a third of the log list's time. Kept in the process, not in the shared cache,
    so that a new release never shows the form of an old one; it holds no note text."""
    fields = [
        (css, _blank_filter(catalog_stamp, form_class, name)) for name, css in form_class.COLUMNS
    ]
    return render_to_string("cases/_log_filter_fields.html", {"filter_fields": fields})


@functools.lru_cache(maxsize=32)
def _blank_filter(catalog_stamp: str, form_class: type[LogFilterForm], name: str) -> str:
    """One filter with nothing in it, drawn once per catalog, form and field (as above)."""
    return as_crispy_field(form_class()[name])


def filters_drawn(form_class: type[LogFilterForm], form: LogFilterForm | None) -> str:
    """The filters as the page shows them: all blank (drawn once, `blank_filters`), or the
    form she sent, where only a field she filled in or one with an error is drawn anew;
    the others are the blank drawings, which a field with nothing in it draws the same as,
    and a text field she typed in without error is its drawing with a stand-in, her text
    put in (a test compares all this with the whole form drawn anew). Drawing the whole
    filled form was a third of a search's cost."""
    stamp = selectors.filter_patterns_stamp()
    if form is None:
        return blank_filters(stamp, form_class)
    fields = []
    for name, css in form_class.COLUMNS:
        if not form.data.get(name) and name not in form.errors:
            drawn = _blank_filter(stamp, form_class, name)
        elif name not in form.errors and (typed := _typed_filter(form_class, name)):
            # Escaped as the widget escapes its value; put in last, never read again.
            head, tail = typed
            drawn = mark_safe(f"{head}{escape(str(form[name].value()))}{tail}")  # noqa: S308
        else:
            drawn = as_crispy_field(form[name])
        fields.append((css, drawn))
    return render_to_string("cases/_log_filter_fields.html", {"filter_fields": fields})


# Stands in for what she typed in a text filter; short enough for every text filter's limit.
_TYPED = "zTYPEDz7q4x"


@functools.lru_cache(maxsize=32)
def _typed_filter(form_class: type[LogFilterForm], name: str) -> tuple[str, str] | None:
    """A plain text filter drawn once with a stand-in value, as the HTML before and after
    the value; None for any other kind of field (a date, a choice), or one whose drawing
    does not show the value once. The same for every catalog: a text field has no choices."""
    if type(form_class.base_fields[name].widget) is not forms.TextInput:
        return None
    form = form_class({name: _TYPED})
    if name in form.errors:
        return None
    drawn = str(as_crispy_field(form[name]))
    if drawn.count(_TYPED) != 1:
        return None
    head, tail = drawn.split(_TYPED)
    return head, tail


def log_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, Role.SUPERVISEE)
    blank = LogFilterForm.is_blank(request.GET)
    # Unfiltered (her home page): compiled queries of one shape, and the blank filters drawn
    # once per catalog; filtered, the form and the queries are built each time.
    filters = None if blank else LogFilterForm(request.GET)
    logs = (
        selectors.HerLogs(request.user)
        if filters is None
        else selectors.her_logs_filtered(
            request.user, filters.cleaned_data if filters.is_valid() else {}
        )
    )
    # Her list and her search alone: a page and its total in one compiled query; other
    # filters through the ORM, counted and sliced by the Paginator.
    page = (
        Paginator(logs, PAGE_SIZE).get_page(request.GET.get("page"))
        if isinstance(logs, QuerySet)
        else logs.page(request.GET.get("page"), PAGE_SIZE)
    )
    page.object_list = selectors.list_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/log_list.jinja",
        {
            "filters": filters,
            "filters_drawn": filters_drawn(LogFilterForm, filters),
            "page": page,
            "pager": Pager.of(page),
            "query": query.urlencode(),
            "client_codes": selectors.client_codes_for(request.user),
            # Only on the unfiltered first page: her home page, where she lands.
            "waiting": waiting.waiting_for(request.user) if blank and page.number == 1 else [],
        },
    )


def log_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The log, with what the layers above add to its page (cases.log_page)."""
    log = selectors.log_page_row(request.user, pk)
    if log is None:
        raise Http404("No such log.")
    log = selectors.log_page_prefetch(log)
    # One row for the page, whatever it shows beneath the log (replies, answers, comments).
    audit.record(actor=request.user, action=AuditAction.VIEW, obj=log, owner=log.author_id)
    # visible_to admits only the author and her current supervisors.
    is_author = log.author_id == request.user.pk
    return render(
        request,
        "cases/log_detail.jinja",
        {
            "log": log,
            "is_author": is_author,
            "signature_ok": _signature_ok(log),
            "addendum_form": blank_form(AddendumForm),
            "panels": log_page.panels_for(request, log, is_author=is_author),
            # For a supervisor: what her co-supervisors are doing with it now.
            "co_supervisors": (
                []
                if is_author or log.status != LogStatus.SUBMITTED
                else selectors.co_supervisor_activity([log.pk], request.user).get(log.pk, [])
            ),
        },
    )


def _signature_ok(log: SessionLog) -> bool | None:
    if not log.is_signed:
        return None
    # The page's query says whether the log has presentations (an annotation, so read
    # with getattr): a log with none needs no query to check its signature.
    has_presentations = getattr(log, "has_presentations", True)
    return signature_matches(log, related=None if has_presentations else {"presentations": []})


def is_valid_keeping_words(request: AuthenticatedHttpRequest, form) -> bool:
    """form.is_valid(); names she marked as fine in the identifier warning are kept even
    when the form goes back to her for another reason, as she asked."""
    valid = form.is_valid()
    if form.words_to_allow:
        services.allowed_words_add(owner=request.user, words=form.words_to_allow)
    return valid


def log_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, Role.SUPERVISEE)
    # What the idle limit kept goes back into the form as bound data, so it is validated and
    # checked for identifiers before anything can be saved.
    kept = kept_draft_for(request.user, form=KEPT_NEW) if request.method == "GET" else None
    form = SessionLogForm(request.POST or (kept.data if kept else None), writer=request.user)
    if request.method == "POST" and is_valid_keeping_words(request, form):
        log = services.session_log_create(
            author=request.user,
            data=form.cleaned_data,
            tags=form.tags,
            presentations=form.cleaned_data["presentations"],
            identifiers_confirmed=form.identifiers_confirmed,
        )
        kept_draft_discard(owner=request.user, form=KEPT_NEW)
        return _after_save(request, log)
    return render(request, "cases/log_form.html", {"form": form, "kept": kept})


def log_quick(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A few words on the phone between sessions, saved as a draft to complete later."""
    require_role(request.user, Role.SUPERVISEE)
    # As on the full form: what the idle limit kept comes back, checked before it is saved.
    kept = kept_draft_for(request.user, form=KEPT_QUICK) if request.method == "GET" else None
    form = QuickLogForm(request.POST or (kept.data if kept else None), writer=request.user)
    if request.method == "POST" and is_valid_keeping_words(request, form):
        log = services.session_log_create(
            author=request.user,
            data=form.cleaned_data,
            tags=form.tags,
            presentations=[],
            identifiers_confirmed=form.identifiers_confirmed,
        )
        kept_draft_discard(owner=request.user, form=KEPT_QUICK)
        messages.success(request, "Saved as a quick note. Complete it when you have a moment.")
        return redirect(log)
    return render(request, "cases/log_quick.html", {"form": form, "kept": kept})


def log_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    log = own_log_or_403(request, pk)
    if not log.is_editable:
        messages.info(request, "This log is no longer open for editing.")
        return redirect(log)
    # What was kept never replaces the stored log by itself: it fills the form, and saving it
    # still goes through the version check (the kept `version` is the one she was editing).
    kept = (
        kept_draft_for(request.user, form=KEPT_EDIT, object_id=log.pk)
        if request.method == "GET"
        else None
    )
    form = SessionLogForm(
        request.POST or (kept.data if kept else None), instance=log, writer=request.user
    )
    newer = None
    if request.method == "POST" and is_valid_keeping_words(request, form):
        try:
            log = services.session_log_update(
                log=log,
                editor=request.user,
                data=form.cleaned_data,
                tags=form.tags,
                presentations=form.cleaned_data["presentations"],
                expected_version=form.cleaned_data["version"] or 0,
                identifiers_confirmed=form.identifiers_confirmed,
            )
        except services.ConcurrentEditError as exc:
            form.add_error(None, str(exc))
            newer = SessionLog.objects.with_tags().filter(pk=log.pk).first()
            # The page now shows the newer stored text.
            audit.record(actor=request.user, action=AuditAction.VIEW, obj=log, owner=log.author_id)
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect(log)
        else:
            kept_draft_discard(owner=request.user, form=KEPT_EDIT, object_id=log.pk)
            return _after_save(request, log)
    if request.method == "GET":  # the form holds the stored text
        audit.record(actor=request.user, action=AuditAction.VIEW, obj=log, owner=log.author_id)
    return render(
        request,
        "cases/log_form.html",
        {
            "form": form,
            "log": log,
            "newer": newer,
            "kept": kept,
            # What the apps above show at the top of the log page (a returned log's request).
            "panels": log_page.panels_for(request, log, is_author=True, slots=("top",)),
        },
    )


# --- the forms the idle limit keeps (accounts.drafts) -----------------------------------------

KEPT_NEW, KEPT_EDIT, KEPT_QUICK = "log_new", "log_edit", "log_quick"


def _new_log_fields(user: User, object_id: int) -> list[str]:
    require_role(user, Role.SUPERVISEE)
    if object_id:
        raise Http404("A new log has no id.")
    return list(SessionLogForm().fields)


def _quick_log_fields(user: User, object_id: int) -> list[str]:
    require_role(user, Role.SUPERVISEE)
    if object_id:
        raise Http404("A new log has no id.")
    return list(QuickLogForm().fields)


def _log_edit_fields(user: User, object_id: int) -> list[str]:
    # Her own log, and only while she may still edit it: anyone else's is "not found".
    log = get_object_or_404(SessionLog.objects.visible_to(user).filter(author=user), pk=object_id)
    if not log.is_editable:
        raise Http404("This log is no longer open for editing.")
    return list(SessionLogForm(instance=log).fields)


KEPT_FORMS = (
    drafts.KeptForm(
        key=KEPT_NEW,
        label="A new session log",
        url=lambda object_id: reverse("cases:log_create"),
        field_names=_new_log_fields,
    ),
    drafts.KeptForm(
        key=KEPT_QUICK,
        label="A quick note",
        url=lambda object_id: reverse("cases:log_quick"),
        field_names=_quick_log_fields,
    ),
    drafts.KeptForm(
        key=KEPT_EDIT,
        label="Changes to a session log",
        url=lambda object_id: reverse("cases:log_edit", args=[object_id]),
        field_names=_log_edit_fields,
    ),
)


def _after_save(request: AuthenticatedHttpRequest, log: SessionLog) -> HttpResponse:
    if request.POST.get("then") == "submit":
        try:
            services.session_log_submit(log=log, by=request.user)
        except services.WorkflowError as exc:
            messages.warning(request, f"Saved as a draft. {exc}")
        else:
            messages.success(request, "Saved and submitted for review.")
            return redirect(log)
    else:
        messages.success(request, "Saved as a draft.")
    return redirect(log)


@require_POST
def log_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    log = own_log_or_403(request, pk)
    try:
        services.session_log_submit(log=log, by=request.user)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Submitted for review.")
    return redirect(log)


@require_POST
def log_trash(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    log = own_log_or_403(request, pk)
    try:
        services.session_log_trash(log=log, by=request.user)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(log)
    messages.success(
        request,
        f"Moved to the trash. You can restore it for {services.TRASH_DAYS} days.",
    )
    return redirect("cases:trash")


def trash(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, Role.SUPERVISEE)
    return render(
        request,
        "cases/trash.html",
        {"logs": selectors.trash_for(request.user), "days": services.TRASH_DAYS},
    )


@require_POST
def log_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    log = get_object_or_404(selectors.trash_for(request.user), pk=pk)
    services.session_log_restore(log=log, by=request.user)
    messages.success(request, "Restored from the trash.")
    return redirect(log)


def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, Role.SUPERVISOR)
    page_of = links.supervisee_pages()
    supervisees = [(name, page_of(pk)) for pk, name in supervisee_names(request.user)]
    return render(
        request,
        "cases/review_queue.jinja",
        {
            "logs": selectors.review_queue(request.user),
            "supervisees": supervisees,
            "also_waiting": waiting.queue_sections_for(request.user),
        },
    )


@require_POST
def addendum_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    log = visible_log_or_404(request, pk)
    form = AddendumForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, refusal(form, "An addendum needs some text (at most 20,000 characters).")
        )
        return redirect(log)
    try:
        services.addendum_add(log=log, author=request.user, text=form.cleaned_data["text"])
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Addendum added.")
    return redirect(log)


def allowed_words(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Her words the identifier check leaves alone: listed for her only, each removable."""
    require_role(request.user, Role.SUPERVISEE)
    return render(
        request, "cases/allowed_words.html", {"words": AllowedWord.objects.of(request.user)}
    )


@require_POST
def allowed_word_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, Role.SUPERVISEE)
    allowed = get_object_or_404(AllowedWord.objects.of(request.user), pk=pk)
    services.allowed_word_remove(allowed=allowed, by=request.user)
    # The word itself stays out of the message: messages may travel in a cookie.
    messages.success(request, "Removed: the check will flag that word again.")
    return redirect("cases:allowed_words")
