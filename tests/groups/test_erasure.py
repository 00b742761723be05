"""Group supervision when a person is erased: memberships end, shares are withdrawn."""

from groups import erasure
from groups.models import GroupMembership, LogShare
from tests.cases.test_erasure import signed_log
from tests.factories import SubmittedLogFactory


def test_the_eraser_withdraws_her_shares_and_ends_her_memberships(supervisee, supervisor, group):
    kept = signed_log(supervisee, supervisor)
    share = LogShare.objects.create(log=kept, group=group)
    erasure.erase(supervisee)
    share.refresh_from_db()
    assert share.withdrawn_at is not None
    assert not GroupMembership.objects.current().filter(member=supervisee).exists()


def test_describe_names_memberships_in_counts(supervisee, group):
    SubmittedLogFactory(author=supervisee)
    plan = erasure.describe(supervisee)
    assert plan.stays[0].startswith("1 group membership, ended")
