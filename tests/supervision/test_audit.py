"""The audit trail: one row per read or write of clinical material, never its text."""

import datetime
from unittest import mock

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import LogStatus, Pattern, SessionLog
from groups.models import GroupComment, LogShare
from reflections.models import AskedQuestion, Comment, PrivateReflection, Reply
from supervision import audit
from supervision.models import AuditAction, AuditEvent
from tests.factories import (
    AskedQuestionFactory,
    PatternTagFactory,
    ReplyFactory,
    SessionLogFactory,
    SubmittedLogFactory,
)
from tests.test_core_loop import log_post

pytestmark = pytest.mark.usefixtures("catalog")

IP = "203.0.113.9"
FORWARDED = "198.51.100.23"


def last_pk() -> int:
    return AuditEvent.objects.aggregate(m=Max("pk"))["m"] or 0


def rows_since(since: int) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(pk__gt=since)
        .order_by("pk")
        .values_list("actor", "action", "object_type", "object_id", "owner", "client_ip")
    )


def row(actor, action, obj, owner, ip=IP) -> tuple:
    return (
        actor.pk if actor else None,
        action,
        obj._meta.label_lower,
        obj.pk,
        owner.pk,
        ip,
    )


def as_(client, person):
    client.force_login(person)
    return client


def get(client, url, **extra):
    return client.get(url, REMOTE_ADDR=IP, **extra)


def post(client, url, data=None, **extra):
    return client.post(url, data or {}, REMOTE_ADDR=IP, **extra)


@pytest.fixture
def submitted(supervisee, supervisor):
    log = SubmittedLogFactory(author=supervisee)
    PatternTagFactory(log=log, pattern=Pattern.objects.get(slug="technique-focus"))
    return log


@pytest.fixture
def signed(submitted, supervisor):
    case_services.session_log_sign(log=submitted, by=supervisor)
    return submitted


# ------------------------------------------------------------- session logs


def test_create_writes_one_create_row(client, supervisee, supervisor):
    since = last_pk()
    response = post(as_(client, supervisee), reverse("cases:log_create"), log_post())
    assert response.status_code == 302
    log = SessionLog.objects.get()
    assert rows_since(since) == [row(supervisee, AuditAction.CREATE, log, supervisee)]


def test_create_and_submit_writes_a_row_for_each(client, supervisee, supervisor):
    since = last_pk()
    post(as_(client, supervisee), reverse("cases:log_create"), log_post(then="submit"))
    log = SessionLog.objects.get()
    assert log.status == LogStatus.SUBMITTED
    assert rows_since(since) == [
        row(supervisee, AuditAction.CREATE, log, supervisee),
        row(supervisee, AuditAction.SUBMIT, log, supervisee),
    ]


def test_update_and_submit(client, supervisee, supervisor):
    log = SessionLogFactory(author=supervisee)
    client = as_(client, supervisee)
    since = last_pk()
    url = reverse("cases:log_edit", args=[log.pk])
    assert post(client, url, log_post(version=log.version)).status_code == 302
    assert rows_since(since) == [row(supervisee, AuditAction.UPDATE, log, supervisee)]
    since = last_pk()
    post(client, reverse("cases:log_submit", args=[log.pk]))
    assert rows_since(since) == [row(supervisee, AuditAction.SUBMIT, log, supervisee)]


def test_opening_the_edit_form_is_a_view_but_a_refused_save_writes_nothing(
    client, supervisee, supervisor
):
    log = SessionLogFactory(author=supervisee)
    client = as_(client, supervisee)
    url = reverse("cases:log_edit", args=[log.pk])
    since = last_pk()
    assert get(client, url).status_code == 200
    assert rows_since(since) == [row(supervisee, AuditAction.VIEW, log, supervisee)]
    since = last_pk()
    response = post(client, url, log_post(version=log.version, duration_minutes="0"))
    assert response.status_code == 200 and response.context["form"].errors
    assert rows_since(since) == []


def test_a_concurrent_edit_shows_the_newer_text_and_records_that_view(
    client, supervisee, supervisor
):
    log = SessionLogFactory(author=supervisee)
    client = as_(client, supervisee)
    opened_at = log.version
    SessionLog.objects.filter(pk=log.pk).update(version=opened_at + 1)  # saved elsewhere
    since = last_pk()
    response = post(client, reverse("cases:log_edit", args=[log.pk]), log_post(version=opened_at))
    assert response.context["newer"] is not None
    assert rows_since(since) == [row(supervisee, AuditAction.VIEW, log, supervisee)]


def test_the_log_page_is_one_view_row_however_many_replies(
    client, supervisee, supervisor, submitted
):
    for _ in range(3):
        AskedQuestionFactory.create_batch(2, reply=ReplyFactory(log=submitted, author=supervisor))
    since = last_pk()
    assert get(as_(client, supervisor), submitted.get_absolute_url()).status_code == 200
    assert rows_since(since) == [row(supervisor, AuditAction.VIEW, submitted, supervisee)]


def test_someone_who_may_not_see_the_log_leaves_no_view_row(
    client, submitted, other_supervisor, outsider
):
    since = last_pk()
    for person in (other_supervisor, outsider):
        assert get(as_(client, person), submitted.get_absolute_url()).status_code == 404
    assert rows_since(since) == []


def test_the_reply_form_shows_the_log_so_it_is_a_view(client, supervisee, supervisor, submitted):
    since = last_pk()
    url = reverse("reflections:reply_create", args=[submitted.pk])
    assert get(as_(client, supervisor), url).status_code == 200
    assert rows_since(since) == [row(supervisor, AuditAction.VIEW, submitted, supervisee)]


@pytest.mark.parametrize(
    ("decision", "log_action"),
    [("reply", None), ("return", AuditAction.RETURN), ("sign", AuditAction.SIGN)],
)
def test_reply_return_and_sign(client, supervisee, supervisor, submitted, decision, log_action):
    since = last_pk()
    response = post(
        as_(client, supervisor),
        reverse("reflections:reply_create", args=[submitted.pk]),
        {"feedback": "Stayed with it.", "decision": decision, "version": submitted.version},
    )
    assert response.status_code == 302
    reply = Reply.objects.get()
    expected = [row(supervisor, AuditAction.CREATE, reply, supervisee)]
    if log_action:
        expected.append(row(supervisor, log_action, submitted, supervisee))
    assert rows_since(since) == expected


def test_answer_comment_and_addendum(client, supervisee, supervisor, signed):
    question = AskedQuestionFactory(reply=ReplyFactory(log=signed, author=supervisor))
    client = as_(client, supervisee)
    since = last_pk()
    post(client, reverse("reflections:answer", args=[question.pk]), {"answer": "Perhaps."})
    assert rows_since(since) == [row(supervisee, AuditAction.CREATE, question, supervisee)]
    assert AskedQuestion.objects.get().is_answered

    client = as_(client, supervisor)
    since = last_pk()
    post(client, reverse("reflections:comment_create", args=[signed.pk]), {"text": "Yes."})
    comment = Comment.objects.get()
    assert rows_since(since) == [row(supervisor, AuditAction.CREATE, comment, supervisee)]

    since = last_pk()
    post(client, reverse("cases:addendum_create", args=[signed.pk]), {"text": "Later."})
    assert signed.addenda.count() == 1
    assert rows_since(since) == [row(supervisor, AuditAction.ADDENDUM, signed, supervisee)]


def test_trash_restore_and_purge(client, supervisee, supervisor):
    log = SessionLogFactory(author=supervisee)
    client = as_(client, supervisee)
    since = last_pk()
    post(client, reverse("cases:log_trash", args=[log.pk]))
    assert rows_since(since) == [row(supervisee, AuditAction.DELETE, log, supervisee)]
    since = last_pk()
    post(client, reverse("cases:log_restore", args=[log.pk]))
    assert rows_since(since) == [row(supervisee, AuditAction.RESTORE, log, supervisee)]

    old = timezone.now() - datetime.timedelta(days=case_services.TRASH_DAYS + 1)
    SessionLog.objects.filter(pk=log.pk).update(deleted_at=old)
    kept = SessionLogFactory(author=supervisee, deleted_at=timezone.now())
    since = last_pk()
    assert case_services.session_log_purge_trash() == 1
    assert list(SessionLog.objects.values_list("pk", flat=True)) == [kept.pk]
    # The system did it: no actor, and no client address outside a request.
    assert rows_since(since) == [row(None, AuditAction.DELETE, log, supervisee, ip=None)]


def test_a_refused_action_writes_nothing(client, supervisee, supervisor, submitted):
    since = last_pk()
    post(as_(client, supervisee), reverse("cases:log_trash", args=[submitted.pk]))
    post(client, reverse("cases:log_submit", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.deleted_at is None
    assert rows_since(since) == []


def test_lists_and_dashboards_write_nothing(
    client, supervisee, supervisor, submitted, group, group_member
):
    LogShare.objects.create(log=submitted, group=group)
    PrivateReflection.objects.create(author=supervisee, text="Mine.")
    since = last_pk()
    for person, names in [
        (supervisee, ["cases:log_list", "cases:trash", "reflections:journal_list"]),
        (supervisor, ["cases:review_queue", "reflections:journal_list"]),
        (supervisee, ["dashboards:dashboard", "groups:group_list"]),
        (supervisee, ["reflections:seen_by_others"]),
    ]:
        for name in names:
            assert get(as_(client, person), reverse(name)).status_code == 200, name
    for name in ("groups:group_detail", "groups:group_dashboard"):
        assert get(as_(client, group_member), reverse(name, args=[group.pk])).status_code == 200
    assert rows_since(since) == []


# ------------------------------------------------------------ groups


def test_share_view_discuss_and_withdraw(client, supervisee, submitted, group, group_member):
    client = as_(client, supervisee)
    since = last_pk()
    post(client, reverse("groups:log_share", args=[submitted.pk]), {"group": group.pk})
    share = LogShare.objects.get()
    assert rows_since(since) == [row(supervisee, AuditAction.SHARE, submitted, supervisee)]

    client = as_(client, group_member)
    url = reverse("groups:shared_log", args=[group.pk, share.pk])
    since = last_pk()
    assert get(client, url).status_code == 200
    assert rows_since(since) == [row(group_member, AuditAction.VIEW, submitted, supervisee)]
    since = last_pk()
    post(client, reverse("groups:shared_log_comment", args=[group.pk, share.pk]), {"text": "Hm"})
    comment = GroupComment.objects.get()
    assert rows_since(since) == [row(group_member, AuditAction.CREATE, comment, supervisee)]

    client = as_(client, supervisee)
    since = last_pk()
    post(client, reverse("groups:share_withdraw", args=[share.pk]))
    assert rows_since(since) == [row(supervisee, AuditAction.UNSHARE, submitted, supervisee)]
    since = last_pk()
    assert get(as_(client, group_member), url).status_code == 404
    assert rows_since(since) == []


# ------------------------------------------------------------ private reflections


def test_journal_entry_create_view_edit_share(client, supervisee, supervisor, other_supervisor):
    client = as_(client, supervisee)
    since = last_pk()
    data = {"title": "Tuesday", "question": "", "log": "", "text": "I wanted to fix it."}
    post(client, reverse("reflections:journal_create"), data)
    entry = PrivateReflection.objects.get()
    assert rows_since(since) == [row(supervisee, AuditAction.CREATE, entry, supervisee)]

    edit = reverse("reflections:journal_edit", args=[entry.pk])
    detail = reverse("reflections:journal_detail", args=[entry.pk])
    since = last_pk()
    get(client, detail)
    get(client, edit)
    post(client, edit, {**data, "text": "Still thinking."})
    assert rows_since(since) == [
        row(supervisee, AuditAction.VIEW, entry, supervisee),
        row(supervisee, AuditAction.VIEW, entry, supervisee),
        row(supervisee, AuditAction.UPDATE, entry, supervisee),
    ]

    share = reverse("reflections:journal_share", args=[entry.pk])
    since = last_pk()
    post(client, share, {"supervisor": supervisor.pk})
    assert rows_since(since) == [row(supervisee, AuditAction.SHARE, entry, supervisee)]
    since = last_pk()
    assert get(as_(client, supervisor), detail).status_code == 200
    assert get(as_(client, other_supervisor), detail).status_code == 404
    assert rows_since(since) == [row(supervisor, AuditAction.VIEW, entry, supervisee)]
    since = last_pk()
    post(as_(client, supervisee), share, {"supervisor": ""})
    assert rows_since(since) == [row(supervisee, AuditAction.UNSHARE, entry, supervisee)]


# ------------------------------------------------------------ the client address


def test_forwarded_for_is_ignored_without_trusted_proxies(client, settings, supervisee, submitted):
    settings.TRUSTED_PROXY_COUNT = 0
    get(as_(client, supervisee), submitted.get_absolute_url(), HTTP_X_FORWARDED_FOR=FORWARDED)
    assert AuditEvent.objects.get().client_ip == IP


@pytest.mark.parametrize(
    ("proxies", "header", "expected"),
    [
        (1, FORWARDED, FORWARDED),
        # Two trusted proxies: the client is the address the outer one added; whatever
        # the client itself sent (the leftmost) is not believed.
        (2, f"192.0.2.1, {FORWARDED}, 10.0.0.5", FORWARDED),
        # Fewer addresses than proxies: the header is not believed.
        (2, FORWARDED, IP),
    ],
)
def test_forwarded_for_with_trusted_proxies(
    client, settings, supervisee, submitted, proxies, header, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    get(as_(client, supervisee), submitted.get_absolute_url(), HTTP_X_FORWARDED_FOR=header)
    assert AuditEvent.objects.get().client_ip == expected


# ------------------------------------------------------------ never the text

MARKER = "Quillfeather7731"


def test_no_note_text_reaches_the_audit_table(
    client, supervisee, supervisor, group, group_member, django_capture_on_commit_callbacks
):
    tag = Pattern.objects.get(slug="technique-focus")
    client = as_(client, supervisee)
    text = f"Synthetic {MARKER} words."
    response = post(
        client,
        reverse("cases:log_create"),
        log_post(
            what_happened=text,
            what_i_felt=text,
            what_i_did=text,
            what_it_teaches=text,
            then="submit",
            **{f"tag_{tag.pk}": "on", f"note_{tag.pk}": text},
        ),
    )
    assert response.status_code == 302
    log = SessionLog.objects.get()
    assert MARKER in log.what_happened
    log_url = reverse("cases:log_detail", args=[log.pk])
    get(client, log_url)
    get(client, reverse("cases:log_edit", args=[log.pk]))

    client = as_(client, supervisor)
    get(client, reverse("reflections:reply_create", args=[log.pk]))
    post(
        client,
        reverse("reflections:reply_create", args=[log.pk]),
        {
            "feedback": text,
            "own_questions": f"Why {MARKER}?",
            "decision": "sign",
            "version": type(log).objects.get(pk=log.pk).version,
        },
    )
    assert Reply.objects.get().feedback == text
    post(client, reverse("reflections:comment_create", args=[log.pk]), {"text": text})
    post(client, reverse("cases:addendum_create", args=[log.pk]), {"text": text})
    get(client, log_url)

    client = as_(client, supervisee)
    question = AskedQuestion.objects.get()
    post(client, reverse("reflections:answer", args=[question.pk]), {"answer": text})
    post(client, reverse("groups:log_share", args=[log.pk]), {"group": group.pk})
    share = LogShare.objects.get()
    entry_data = {"title": f"On {MARKER}", "question": "", "log": log.pk, "text": text}
    post(client, reverse("reflections:journal_create"), entry_data)
    entry = PrivateReflection.objects.get()
    post(client, reverse("reflections:journal_edit", args=[entry.pk]), entry_data)
    post(
        client,
        reverse("reflections:journal_share", args=[entry.pk]),
        {"supervisor": supervisor.pk},
    )

    client = as_(client, group_member)
    get(client, reverse("groups:shared_log", args=[group.pk, share.pk]))
    post(
        client,
        reverse("groups:shared_log_comment", args=[group.pk, share.pk]),
        {"text": text},
    )
    assert GroupComment.objects.get().text == text

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert actions >= {"create", "update", "submit", "sign", "view", "addendum", "share"}
    values = [str(v) for r in AuditEvent.objects.values_list() for v in r]
    assert not [v for v in values if MARKER.lower() in v.lower()]


# ------------------------------------------------------------ all or nothing


def create_log(author):
    return case_services.session_log_create(
        author=author,
        data={
            "client_code": "C-1",
            "session_date": timezone.localdate(),
            "duration_minutes": 50,
            "what_happened": "Synthetic.",
        },
        tags={Pattern.objects.get(slug="technique-focus"): "A note."},
        presentations=[],
    )


def test_a_failing_audit_row_leaves_no_new_log(supervisee):
    with (
        mock.patch.object(audit, "record", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        create_log(supervisee)
    assert not SessionLog.objects.exists()
    assert not AuditEvent.objects.exists()


def rewrite(log, editor):
    """An edit of the log's text that drops its tags."""
    return case_services.session_log_update(
        log=log,
        editor=editor,
        data={"what_happened": "Rewritten."},
        tags={},
        presentations=[],
        expected_version=log.version,
    )


def test_a_failing_audit_row_leaves_the_log_unchanged(supervisee):
    log = create_log(supervisee)
    before = SessionLog.objects.filter(pk=log.pk).values().get()
    since = last_pk()
    with (
        mock.patch.object(audit, "record", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        rewrite(log, supervisee)
    assert SessionLog.objects.filter(pk=log.pk).values().get() == before
    assert log.tags.count() == 1
    assert rows_since(since) == []


def test_a_failing_audit_row_leaves_the_log_unsigned(supervisor, submitted):
    with (
        mock.patch.object(audit, "record", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        case_services.session_log_sign(log=submitted, by=supervisor)
    fresh = SessionLog.objects.get(pk=submitted.pk)
    assert (fresh.status, fresh.signed_by, fresh.signed_sha256) == (LogStatus.SUBMITTED, None, "")
    assert not AuditEvent.objects.exists()


def test_a_save_failing_after_the_audit_row_takes_the_row_with_it(supervisee):
    """The row is written right after the log itself; the tags come next. If they fail,
    the row written before them must go too."""
    with (
        mock.patch.object(case_services, "_set_tags", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        create_log(supervisee)
    assert not SessionLog.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_update_failing_after_the_audit_row_takes_the_row_with_it(supervisee):
    log = create_log(supervisee)
    since = last_pk()
    with (
        mock.patch.object(case_services, "_set_tags", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        rewrite(log, supervisee)
    assert SessionLog.objects.get(pk=log.pk).what_happened == "Synthetic."
    assert rows_since(since) == []


def test_a_failing_log_save_writes_no_audit_row(supervisee):
    with (
        mock.patch.object(SessionLog.objects, "create", side_effect=DatabaseError("refused")),
        pytest.raises(DatabaseError),
    ):
        create_log(supervisee)
    assert not AuditEvent.objects.exists()


def test_a_failing_reply_takes_its_audit_row_with_it(supervisor, submitted):
    from reflections import services as reflection_services

    with (
        mock.patch.object(
            AskedQuestion.objects, "bulk_create", side_effect=DatabaseError("refused")
        ),
        pytest.raises(DatabaseError),
    ):
        reflection_services.reply_create(log=submitted, author=supervisor, feedback="Hm.")
    assert not Reply.objects.exists()
    assert not AuditEvent.objects.exists()


# ------------------------------------------------------------ append-only


def _recorded(**row) -> AuditEvent:
    """audit.record() writes a row and returns nothing: the row it wrote."""
    audit.record(**row)
    return AuditEvent.objects.order_by("-pk").first()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)
def test_postgresql_refuses_to_change_or_delete_a_row(supervisee, submitted):
    event = _recorded(actor=supervisee, action=AuditAction.VIEW, obj=submitted, owner=supervisee)
    with pytest.raises(DatabaseError, match="cannot be changed or deleted"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.SIGN)
    with pytest.raises(DatabaseError, match="cannot be changed or deleted"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with (
        pytest.raises(DatabaseError, match="cannot be changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE supervision_auditevent SET client_ip = NULL")
    assert AuditEvent.objects.values_list("pk", "action").get() == (event.pk, AuditAction.VIEW)


# ------------------------------------------------------------ the admin


@pytest.fixture
def event(supervisee, submitted):
    return _recorded(actor=supervisee, action=AuditAction.VIEW, obj=submitted, owner=supervisee)


def admin_url(name, *args):
    return reverse(f"admin:supervision_auditevent_{name}", args=args)


def test_admin_lists_filters_and_searches(client, admin_user, event, supervisor, submitted):
    sign = _recorded(actor=supervisor, action=AuditAction.SIGN, obj=submitted, owner=event.owner)
    other = _recorded(
        actor=supervisor, action=AuditAction.VIEW, obj=SubmittedLogFactory(), owner=supervisor
    )
    client = as_(client, admin_user)

    def listed(**query):
        response = client.get(admin_url("changelist"), query)
        assert response.status_code == 200
        return {e.pk for e in response.context["cl"].result_list}

    assert len(listed()) == 3
    assert listed(action__exact="sign") == {sign.pk}
    assert listed(object_type__exact="cases.sessionlog") == listed()
    assert listed(q=str(other.object_id)) == {other.pk}
    assert listed(q="not-a-number") == set()
    assert listed(at__year=str(event.at.year)) == listed()


def test_admin_changelist_has_no_links_or_actions(client, admin_user, event):
    response = as_(client, admin_user).get(admin_url("changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert admin_url("change", event.pk) not in page
    assert admin_url("add") not in page
    assert 'name="action"' not in page
    model_admin = admin.site._registry[AuditEvent]
    assert "delete_selected" not in model_admin.get_actions(response.wsgi_request)


@pytest.mark.parametrize(
    ("method", "name", "with_pk"),
    [
        ("get", "add", False),
        ("post", "add", False),
        ("get", "change", True),
        ("post", "change", True),
        ("get", "delete", True),
        ("post", "delete", True),
    ],
)
def test_admin_refuses_add_change_and_delete_even_to_a_superuser(
    client, admin_user, event, method, name, with_pk
):
    assert admin_user.is_superuser
    url = admin_url(name, event.pk) if with_pk else admin_url(name)
    data = {"action": "sign", "object_type": "x", "post": "yes"}
    response = getattr(as_(client, admin_user), method)(url, data if method == "post" else None)
    assert response.status_code == 403
    assert AuditEvent.objects.values_list("pk", "action").get() == (event.pk, AuditAction.VIEW)


def test_admin_bulk_delete_action_is_refused(client, admin_user, event):
    response = as_(client, admin_user).post(
        admin_url("changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_people_without_the_admin_see_no_audit_rows(client, supervisee, event):
    response = as_(client, supervisee).get(admin_url("changelist"))
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.django_db
def test_no_audit_index_is_the_leading_part_of_another():
    # A row is written on every view of a log: an index that a longer one already serves (the
    # owner alone, under owner, action and time) is paid for on each and read by nothing.
    # A partial index serves only its own rows, so it covers nothing else.
    partial = {index.name for index in AuditEvent._meta.indexes if index.condition is not None}
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, AuditEvent._meta.db_table)
    indexes = {
        name: tuple(found["columns"])
        for name, found in constraints.items()
        if found["index"] and not found["primary_key"] and not found["unique"]
    }
    assert ("owner_id", "action", "at") in indexes.values()
    covered = [
        (name, columns, longer)
        for name, columns in indexes.items()
        for other, longer in indexes.items()
        if other != name
        and other not in partial
        and len(columns) < len(longer)
        and longer[: len(columns)] == columns
    ]
    assert covered == []
