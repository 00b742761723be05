"""A backup round-trips every session log byte for byte (SHA-256 of its signed content)."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from cases.models import LogStatus, SessionLog
from cases.signing import log_digest
from tests.factories import PatternTagFactory, SessionLogFactory


def digests() -> dict[int, str]:
    return {log.pk: log_digest(log) for log in SessionLog.objects.all()}


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(tmp_path, supervisee, supervisor, catalog):
    logs = SessionLogFactory.create_batch(5, author=supervisee)
    for log in logs:
        PatternTagFactory(log=log)
    signed = logs[0]
    SessionLog.objects.filter(pk=signed.pk).update(
        status=LogStatus.SIGNED,
        signed_by=supervisor,
        signed_at=timezone.now(),
        signed_sha256=log_digest(signed),
    )
    before = digests()
    assert len(before) == 5
    target = tmp_path / "backup.bin"
    call_command("backup", "--output", str(target), stdout=io.StringIO())
    assert target.stat().st_size > 0

    # Damage after the backup: an edit, a deletion and a new row.
    SessionLog.objects.filter(pk=logs[1].pk).update(what_happened="changed after the backup")
    SessionLog.objects.filter(pk=logs[2].pk).delete()
    SessionLogFactory(author=supervisee)

    cache.set("kept-before-the-restore", 1)
    call_command("restore", str(target), "--yes", stdout=io.StringIO())
    # Cached figures are keyed by audit ids, which the restored database hands out again.
    assert cache.get("kept-before-the-restore") is None
    assert digests() == before
    restored = SessionLog.objects.get(pk=signed.pk)
    assert restored.signed_sha256 == before[signed.pk]


@pytest.mark.django_db
def test_restore_refuses_a_missing_file(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nope"), "--yes")
