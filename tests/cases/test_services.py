"""Session log services: edits, tags, trash, sign-off, addenda."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services
from cases.models import Addendum, ClientPresentation, LogStatus, Pattern, PatternTag, SessionLog
from cases.signing import log_digest, signature_matches
from supervision.models import AuditAction, AuditEvent, Notification
from tests.factories import PatternTagFactory, SessionLogFactory, SubmittedLogFactory
from tests.sql import longest_value_list

pytestmark = pytest.mark.usefixtures("catalog")


def pattern(slug: str) -> Pattern:
    return Pattern.objects.get(slug=slug)


def snapshot(log: SessionLog) -> dict:
    row = SessionLog.objects.filter(pk=log.pk).values().get()
    row["tags"] = sorted(PatternTag.objects.filter(log=log).values_list("pattern_id", "note"))
    return row


def update(log, editor, *, version=None, tags=None, **data):
    return services.session_log_update(
        log=log,
        editor=editor,
        data=data or {"what_happened": "Rewritten synthetic text."},
        tags=tags if tags is not None else {},
        presentations=[],
        expected_version=log.version if version is None else version,
    )


@pytest.fixture
def draft(supervisee, supervisor):
    log = SessionLogFactory(author=supervisee)
    PatternTagFactory(log=log, pattern=pattern("technique-focus"), note="First note.")
    return log


@pytest.fixture
def submitted(supervisee, supervisor):
    return SubmittedLogFactory(author=supervisee)


# ------------------------------------------------------------------ updates


def test_update_saves_and_bumps_the_version(draft, supervisee):
    log = update(draft, supervisee, what_happened="New synthetic account.", duration_minutes=45)
    assert log.version == 2
    fresh = SessionLog.objects.get(pk=draft.pk)
    assert (fresh.what_happened, fresh.duration_minutes, fresh.version) == (
        "New synthetic account.",
        45,
        2,
    )


def test_stale_version_is_refused_and_the_row_untouched(draft, supervisee):
    stale = draft.version
    update(draft, supervisee, what_happened="Saved in the other tab.")
    before = snapshot(draft)
    with pytest.raises(services.ConcurrentEditError):
        update(
            draft,
            supervisee,
            version=stale,
            what_happened="Stale tab text.",
            tags={pattern("over-functioning"): "Stale note."},
        )
    assert snapshot(draft) == before


def test_only_the_author_edits(draft, supervisor, other_supervisee):
    before = snapshot(draft)
    for person in (supervisor, other_supervisee):
        with pytest.raises(services.WorkflowError, match="Only the author"):
            update(draft, person, what_happened="Not mine.")
    assert snapshot(draft) == before


@pytest.mark.parametrize("status", [LogStatus.SUBMITTED, LogStatus.SIGNED])
def test_submitted_and_signed_logs_are_not_edited(supervisee, supervisor, status):
    extra = {}
    if status == LogStatus.SIGNED:
        extra = {"signed_by": supervisor, "signed_at": timezone.now(), "signed_sha256": "c" * 64}
    log = SubmittedLogFactory(author=supervisee, status=status, **extra)
    before = snapshot(log)
    with pytest.raises(services.WorkflowError, match="can no longer be edited") as raised:
        update(log, supervisee, what_happened="Changed after submission.")
    assert not isinstance(raised.value, services.ConcurrentEditError)
    assert snapshot(log) == before


def test_returned_log_is_editable(supervisee):
    log = SubmittedLogFactory(author=supervisee, status=LogStatus.RETURNED)
    update(log, supervisee, what_happened="Revised.")
    assert SessionLog.objects.get(pk=log.pk).what_happened == "Revised."


def test_trashed_draft_is_not_edited(draft, supervisee):
    services.session_log_trash(log=draft, by=supervisee)
    with pytest.raises(services.WorkflowError):
        update(draft, supervisee, what_happened="From the bin.")


def test_tags_are_added_removed_and_renoted(draft, supervisee):
    kept = PatternTagFactory(log=draft, pattern=pattern("over-functioning"), note="Keep me.")
    first = PatternTag.objects.get(log=draft, pattern=pattern("technique-focus"))
    update(
        draft,
        supervisee,
        tags={
            pattern("over-functioning"): "Keep me.",  # unchanged
            pattern("technique-focus"): "Changed note.",  # note changes
            pattern("error-intolerance"): "",  # added
        },
    )
    tags = {t.pattern.slug: t for t in PatternTag.objects.filter(log=draft)}
    assert {slug: t.note for slug, t in tags.items()} == {
        "over-functioning": "Keep me.",
        "technique-focus": "Changed note.",
        "error-intolerance": "",
    }
    # Existing rows are updated in place, not replaced.
    assert tags["over-functioning"].pk == kept.pk
    assert tags["technique-focus"].pk == first.pk

    draft.refresh_from_db()
    update(draft, supervisee, tags={pattern("error-intolerance"): "Now with a note."})
    assert list(PatternTag.objects.filter(log=draft).values_list("pattern__slug", "note")) == [
        ("error-intolerance", "Now with a note.")
    ]

    draft.refresh_from_db()
    update(draft, supervisee, tags={})
    assert not PatternTag.objects.filter(log=draft).exists()


def test_update_sets_presentations(draft, supervisee):
    chosen = list(ClientPresentation.objects.all()[:2])
    services.session_log_update(
        log=draft,
        editor=supervisee,
        data={},
        tags={},
        presentations=chosen,
        expected_version=draft.version,
    )
    assert set(draft.presentations.all()) == set(chosen)


# -------------------------------------------------------------- trash/restore


def test_trash_only_drafts(submitted, supervisee):
    with pytest.raises(services.WorkflowError, match="Only drafts"):
        services.session_log_trash(log=submitted, by=supervisee)
    submitted.refresh_from_db()
    assert submitted.deleted_at is None


def test_trash_only_by_the_author(draft, supervisor):
    with pytest.raises(services.WorkflowError):
        services.session_log_trash(log=draft, by=supervisor)
    assert SessionLog.objects.live().filter(pk=draft.pk).exists()


def test_trash_and_restore(draft, supervisee, other_supervisee):
    services.session_log_trash(log=draft, by=supervisee)
    assert draft.deleted_at is not None
    assert not SessionLog.objects.live().filter(pk=draft.pk).exists()
    with pytest.raises(services.WorkflowError):
        services.session_log_restore(log=draft, by=other_supervisee)
    services.session_log_restore(log=draft, by=supervisee)
    assert draft.deleted_at is None
    assert SessionLog.objects.live().filter(pk=draft.pk).exists()
    with pytest.raises(services.WorkflowError, match="not in your trash"):
        services.session_log_restore(log=draft, by=supervisee)


# ------------------------------------------------------------------- sign-off


def test_sign_stores_a_digest_of_the_content(submitted, supervisor):
    PatternTagFactory(log=submitted, pattern=pattern("technique-focus"), note="Synthetic note.")
    submitted.presentations.set(ClientPresentation.objects.all()[:1])
    services.session_log_sign(log=submitted, by=supervisor)
    fresh = SessionLog.objects.get(pk=submitted.pk)
    assert fresh.status == LogStatus.SIGNED
    assert fresh.signed_by == supervisor and fresh.signed_at is not None
    assert fresh.signed_sha256 == log_digest(fresh)
    assert signature_matches(fresh)
    PatternTag.objects.filter(log=fresh).update(note="Edited behind the app's back.")
    assert not signature_matches(fresh)


@pytest.mark.parametrize("status", [LogStatus.DRAFT, LogStatus.RETURNED, LogStatus.SIGNED], ids=str)
def test_sign_only_from_submitted(supervisee, supervisor, status):
    extra = {}
    if status == LogStatus.SIGNED:
        extra = {"signed_by": supervisor, "signed_at": timezone.now(), "signed_sha256": "d" * 64}
    log = SessionLogFactory(author=supervisee, status=status, **extra)
    before = snapshot(log)
    with pytest.raises(services.WorkflowError):
        services.session_log_sign(log=log, by=supervisor)
    assert snapshot(log) == before


@pytest.mark.parametrize("who", ["supervisee", "other_supervisor", "outsider"])
def test_sign_only_by_a_current_supervisor(request, submitted, who):
    person = request.getfixturevalue(who)
    with pytest.raises(services.WorkflowError):
        services.session_log_sign(log=submitted, by=person)
    submitted.refresh_from_db()
    assert submitted.status == LogStatus.SUBMITTED and submitted.signed_sha256 == ""


def test_former_supervisor_cannot_sign(submitted, supervisor):
    relationship = supervisor.supervising.get()
    relationship.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    relationship.save()
    with pytest.raises(services.WorkflowError):
        services.session_log_sign(log=submitted, by=supervisor)
    submitted.refresh_from_db()
    assert submitted.status == LogStatus.SUBMITTED


# -------------------------------------------------------------------- addenda


@pytest.fixture
def signed(submitted, supervisor):
    services.session_log_sign(log=submitted, by=supervisor)
    Notification.objects.all().delete()
    return submitted


@pytest.mark.parametrize(
    ("who", "told"), [("supervisee", "supervisor"), ("supervisor", "supervisee")]
)
def test_addendum_on_a_signed_log(request, signed, who, told):
    author = request.getfixturevalue(who)
    digest = signed.signed_sha256
    addendum = services.addendum_add(log=signed, author=author, text="A later synthetic note.")
    assert (addendum.log, addendum.author) == (signed, author)
    fresh = SessionLog.objects.get(pk=signed.pk)
    assert fresh.signed_sha256 == digest and signature_matches(fresh)
    notice = Notification.objects.get()
    assert notice.recipient == request.getfixturevalue(told)


@pytest.mark.parametrize("status", [LogStatus.DRAFT, LogStatus.SUBMITTED, LogStatus.RETURNED])
def test_addendum_refused_on_an_unsigned_log(supervisee, supervisor, status):
    log = SessionLogFactory(author=supervisee, status=status)
    for author in (supervisee, supervisor):
        with pytest.raises(services.WorkflowError, match="Addenda are for signed logs"):
            services.addendum_add(log=log, author=author, text="Too early.")
    assert not Addendum.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_supervisor", "group_member"])
def test_addendum_refused_for_outsiders(request, signed, who):
    with pytest.raises(services.WorkflowError, match="cannot add"):
        services.addendum_add(log=signed, author=request.getfixturevalue(who), text="Not my place.")
    assert not Addendum.objects.exists()
    assert not Notification.objects.exists()


# ---------------------------------------------------------------------- purge


def test_drafts_take_no_comments_so_purge_never_meets_one(draft, supervisee):
    """Drafts are private to the author: no thread until submitted, nothing to orphan."""
    from reflections.services import comment_add

    with pytest.raises(services.WorkflowError, match="once the log is submitted"):
        comment_add(log=draft, author=supervisee, text="A note to myself on the draft.")
    services.session_log_trash(log=draft, by=supervisee)
    SessionLog.objects.filter(pk=draft.pk).update(
        deleted_at=timezone.now() - datetime.timedelta(days=services.TRASH_DAYS + 1)
    )
    assert services.session_log_purge_trash() >= 1
    assert not SessionLog.objects.filter(pk=draft.pk).exists()


def test_purge_sends_ids_a_batch_at_a_time(monkeypatch, supervisee):
    """However many drafts expire at once, no query names more than a batch of them
    (supervision.batches): with batches of two, all five go, each with its audit row."""
    monkeypatch.setattr("supervision.batches.BATCH", 2)
    long_ago = timezone.now() - datetime.timedelta(days=services.TRASH_DAYS + 1)
    drafts = SessionLogFactory.create_batch(5, author=supervisee, deleted_at=long_ago)
    with CaptureQueriesContext(connection) as queries:
        assert services.session_log_purge_trash() == 5
    assert not SessionLog.objects.filter(pk__in=[d.pk for d in drafts]).exists()
    purged = AuditEvent.objects.filter(action=AuditAction.DELETE, actor=None)
    assert sorted(purged.values_list("object_id", flat=True)) == sorted(d.pk for d in drafts)
    assert longest_value_list(queries.captured_queries) == 2
