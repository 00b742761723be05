"""`manage.py seed_scale` with tiny options: counts, relations, determinism."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cases import selectors
from cases.models import TEXT_FIELDS, LogStatus, PatternTag, SessionLog
from cases.signing import signature_matches
from demo.scale import DOMAIN
from groups.models import GroupMembership, SupervisionGroup
from reflections.models import AskedQuestion, Decision, Reply
from supervision import access
from supervision.models import AuditAction, AuditEvent, Role, User
from tests.factories import SessionLogFactory

TINY = ["--supervisees", "6", "--supervisors", "2", "--groups", "2", "--weeks", "10"]

pytestmark = pytest.mark.usefixtures("catalog")


def seed(*extra: str) -> str:
    out = io.StringIO()
    call_command("seed_scale", *TINY, "--no-progress", *extra, stdout=out)
    return out.getvalue()


def test_people_groups_and_volumes_follow_the_options():
    output = seed()
    people = User.objects.filter(email__endswith=f"@{DOMAIN}")
    assert people.filter(role=Role.SUPERVISEE).count() == 6
    assert people.filter(role=Role.SUPERVISOR).count() == 2
    assert SupervisionGroup.objects.count() == 2
    logs = SessionLog.objects.all()
    # About one log a week each: between none and two a week.
    assert 6 * 10 * 0.5 <= logs.count() <= 6 * 10 * 2
    assert PatternTag.objects.count() >= 2 * logs.count()
    reviewed = logs.filter(status__in=[LogStatus.SIGNED, LogStatus.RETURNED]).count()
    assert reviewed > 0
    assert Reply.objects.count() == reviewed
    assert AskedQuestion.objects.exclude(answered_at=None).exists()
    assert AuditEvent.objects.filter(action=AuditAction.VIEW).exists()
    assert "cases.SessionLog" in output and "Seeded" in output


def test_every_row_respects_who_may_see_what():
    seed()
    today = timezone.localdate()
    for person in User.objects.filter(role=Role.SUPERVISEE):
        assert access.current_supervisors(person).exists()
    for log in SessionLog.objects.prefetch_related("tags__pattern", "presentations"):
        assert log.session_date <= today
        assert log.author.role == Role.SUPERVISEE
        if log.status == LogStatus.DRAFT:
            assert log.submitted_at is None and not log.replies.exists()
        else:
            assert log.submitted_at is not None
        if log.status == LogStatus.SIGNED:
            # The stored digest is the real one: the log page shows the content matches.
            assert signature_matches(log)
            assert access.supervises(log.signed_by, log.author)
            assert log.replies.get().decision == Decision.SIGN
    for reply in Reply.objects.select_related("log__author", "author"):
        assert access.supervises(reply.author, reply.log.author)
        assert reply.created_at >= reply.log.submitted_at
    for question in AskedQuestion.objects.all():
        assert bool(question.answer) == (question.answered_at is not None)
    views = AuditEvent.objects.filter(action=AuditAction.VIEW).select_related("actor", "owner")
    for event in views:
        assert event.object_type == "cases.sessionlog"
        assert SessionLog.objects.filter(pk=event.object_id, author=event.owner).exists()
        assert access.supervises(event.actor, event.owner)
    for membership in GroupMembership.objects.select_related("group__facilitator", "member"):
        assert membership.member.role == Role.SUPERVISEE
        assert membership.group.facilitator.role == Role.SUPERVISOR


def fingerprint(seed_value: int) -> list:
    """What a run writes, without ids; the run is rolled back afterwards."""
    with transaction.atomic():
        seed("--seed", str(seed_value))
        logs = list(
            SessionLog.objects.order_by("author__email", "pk").values_list(
                "author__email",
                "session_date",
                "client_code",
                "status",
                "what_happened",
                "pre_session_anxiety",
            )
        )
        tags = list(
            PatternTag.objects.order_by("log__author__email", "log", "pattern__slug").values_list(
                "log__author__email", "pattern__slug", "note"
            )
        )
        transaction.set_rollback(True)
    return logs + tags


def test_the_same_seed_gives_the_same_data():
    first = fingerprint(7)
    assert first
    assert fingerprint(7) == first
    assert fingerprint(8) != first


def test_refuses_a_database_that_already_has_scale_data():
    seed()
    with pytest.raises(CommandError, match="already holds scale data"):
        seed()


def test_rows_written_afterwards_get_fresh_ids():
    seed()
    person = User.objects.filter(role=Role.SUPERVISEE).first()
    newest = SessionLog.objects.order_by("-pk").values_list("pk", flat=True).first()
    log = SessionLogFactory(author=person)
    assert log.pk > newest
    event = AuditEvent.objects.create(action=AuditAction.VIEW, object_type="x", object_id=1)
    assert event.pk > 1


def test_seeded_logs_can_be_searched():
    seed()
    if connection.vendor == "postgresql":
        assert not SessionLog.objects.filter(search_vector__isnull=True).exists()
    # The synthetic sentences say "silence" and "silences": one stem, one substring.
    word = "silence"
    mentions = Q(tags__note__icontains=word)
    for field in TEXT_FIELDS:
        mentions |= Q(**{f"{field}__icontains": word})
    hits = 0
    for person in User.objects.filter(role=Role.SUPERVISEE):
        expected = set(SessionLog.objects.live().filter(mentions, author=person))
        found = set(selectors.logs_for_author(person, {"q": word}))
        assert found == expected
        hits += len(found)
    assert hits


def test_bad_options_are_refused():
    with pytest.raises(CommandError, match="at least 1"):
        seed("--weeks", "0")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="VACUUM and visibility maps are PostgreSQL's"
)
@pytest.mark.django_db(transaction=True)
def test_a_seeded_postgresql_database_is_vacuumed_so_index_only_scans_skip_the_tables():
    # A bulk-loaded table has no visibility map until it is vacuumed; where autovacuum is off
    # (or late) the benchmark would otherwise read every table row behind its index entries.
    seed()
    tables = [
        model._meta.db_table for model in (PatternTag, AuditEvent, AskedQuestion, Reply, SessionLog)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relpages, relallvisible FROM pg_class WHERE relname = ANY(%s)",
            [tables],
        )
        pages = {name: (total, visible) for name, total, visible in cursor.fetchall()}
    assert set(pages) == set(tables)
    for name, (total, visible) in pages.items():
        assert total > 0 and visible == total, name
