"""The reflections side of erasure, purge_expired_records and the operator's export."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Addendum, LogStatus, Pattern, PatternTag, SessionLog
from groups.models import GroupComment, LogShare
from reflections import erasure
from reflections.models import AskedQuestion, Comment, PrivateReflection, Reply
from supervision.erasure import person_erase
from supervision.models import AuditAction, AuditEvent
from tests.factories import (
    AskedQuestionFactory,
    PatternTagFactory,
    ReplyFactory,
    SessionLogFactory,
    SubmittedLogFactory,
)
from tests.sql import longest_value_list

pytestmark = pytest.mark.usefixtures("catalog")

LONG_AGO = datetime.timedelta(days=365 * 7 + 30)


def signed_with_everything(author, supervisor, group, *, ago):
    log = SubmittedLogFactory(
        author=author,
        status=LogStatus.SIGNED,
        signed_by=supervisor,
        signed_at=timezone.now() - ago,
        signed_sha256="0" * 64,
    )
    PatternTagFactory(log=log, pattern=Pattern.objects.get(slug="technique-focus"))
    reply = ReplyFactory(log=log, author=supervisor)
    AskedQuestionFactory(reply=reply, answer="An answer.", answered_at=timezone.now())
    Comment.objects.create(log=log, author=author, text="A comment.")
    Addendum.objects.create(log=log, author=author, text="An addendum.")
    share = LogShare.objects.create(log=log, group=group)
    GroupComment.objects.create(share=share, author=supervisor, text="In the group.")
    return log


def purge() -> str:
    out = io.StringIO()
    call_command("purge_expired_records", stdout=out)
    return out.getvalue()


def test_the_eraser_deletes_her_journal_and_what_hangs_off_unsigned_logs(
    supervisee, supervisor, other_supervisee
):
    submitted = SubmittedLogFactory(author=supervisee)
    AskedQuestionFactory(reply=ReplyFactory(log=submitted, author=supervisor))
    Comment.objects.create(log=submitted, author=supervisor, text="Hi.")
    PrivateReflection.objects.create(author=supervisee, text="Mine.")
    theirs = PrivateReflection.objects.create(author=other_supervisee, text="Theirs.")
    erasure.erase(supervisee)
    assert not Reply.objects.exists()
    assert not AskedQuestion.objects.exists()
    assert not Comment.objects.exists()
    assert list(PrivateReflection.objects.all()) == [theirs]
    assert SessionLog.objects.filter(pk=submitted.pk).exists()  # cases deletes the log


def test_purge_deletes_only_expired_records_of_erased_people(
    supervisee, supervisor, other_supervisee, group, admin_user
):
    expired = signed_with_everything(supervisee, supervisor, group, ago=LONG_AGO)
    recent = signed_with_everything(
        supervisee, supervisor, group, ago=datetime.timedelta(days=365 * 6)
    )
    not_erased = signed_with_everything(other_supervisee, supervisor, group, ago=LONG_AGO)
    person_erase(person=supervisee, by=admin_user)

    assert purge() == "Removed 1 signed logs past the 7-year retention period.\n"

    assert set(SessionLog.objects.all()) == {recent, not_erased}
    for model, path in (
        (PatternTag, "log"),
        (Reply, "log"),
        (AskedQuestion, "reply__log"),
        (Comment, "log"),
        (Addendum, "log"),
        (LogShare, "log"),
        (GroupComment, "share__log"),
    ):
        assert not model.objects.filter(**{path: expired.pk}).exists(), model
        assert model.objects.filter(**{path: recent.pk}).exists(), model
        assert model.objects.filter(**{path: not_erased.pk}).exists(), model
    row = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert (row.actor, row.owner, row.object_type, row.object_id) == (
        None,
        supervisee,
        "cases.sessionlog",
        expired.pk,
    )


def test_purge_is_idempotent(supervisee, supervisor, group, admin_user):
    signed_with_everything(supervisee, supervisor, group, ago=LONG_AGO)
    person_erase(person=supervisee, by=admin_user)
    assert purge().startswith("Removed 1 ")
    assert purge().startswith("Removed 0 ")
    assert AuditEvent.objects.filter(action=AuditAction.DELETE).count() == 1


def test_purge_follows_the_setting(settings, supervisee, supervisor, group, admin_user):
    log = signed_with_everything(
        supervisee, supervisor, group, ago=datetime.timedelta(days=365 * 3)
    )
    person_erase(person=supervisee, by=admin_user)
    assert erasure.expired_records_purge() == 0
    settings.RECORD_RETENTION_YEARS = 2
    assert erasure.expired_records_purge() == 1
    assert not SessionLog.objects.filter(pk=log.pk).exists()


def test_purge_with_nothing_to_do_writes_nothing(supervisee, supervisor, group):
    signed_with_everything(supervisee, supervisor, group, ago=LONG_AGO)
    assert purge().startswith("Removed 0 ")
    assert not AuditEvent.objects.exists()


def test_operator_exports_an_erased_persons_retained_records(
    supervisee, supervisor, group, admin_user
):
    log = signed_with_everything(supervisee, supervisor, group, ago=datetime.timedelta(days=9))
    SessionLogFactory(author=supervisee)  # a draft: erased
    person_erase(person=supervisee, by=admin_user)
    out = io.StringIO()
    call_command("export_records", str(supervisee.pk), stdout=out)
    data = json.loads(out.getvalue())
    assert data["person"]["name"] == f"Erased person #{supervisee.pk}"
    assert [entry["id"] for entry in data["session_logs"]] == [log.pk]
    assert [a["answer"] for a in data["answers"]] == ["An answer."]
    row = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (row.actor, row.owner) == (None, supervisee)


def test_operator_export_of_nobody_fails(db):
    with pytest.raises(CommandError, match="no person with id 424242"):
        call_command("export_records", "424242", stdout=io.StringIO())


def test_purge_sends_ids_a_batch_at_a_time(monkeypatch, supervisee, supervisor, group, admin_user):
    """Nothing bounds how many records expire on one day, and on PostgreSQL a query carries
    at most 65,535 values: with batches of two, five expired logs all go, each with its audit
    row, and no query names more than two of them."""
    monkeypatch.setattr("supervision.batches.BATCH", 2)
    logs = [signed_with_everything(supervisee, supervisor, group, ago=LONG_AGO) for _ in range(5)]
    person_erase(person=supervisee, by=admin_user)
    with CaptureQueriesContext(connection) as queries:
        assert erasure.expired_records_purge() == 5
    assert not SessionLog.objects.filter(pk__in=[log.pk for log in logs]).exists()
    assert not Reply.objects.filter(log__in=[log.pk for log in logs]).exists()
    deleted = AuditEvent.objects.filter(action=AuditAction.DELETE, object_type="cases.sessionlog")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(log.pk for log in logs)
    assert longest_value_list(queries.captured_queries) == 2
