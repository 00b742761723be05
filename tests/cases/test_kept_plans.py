"""The plans PostgreSQL keeps for the review queue's queries find her supervisees' submitted
logs by an index that holds the status.

The app lets PostgreSQL keep the plan of a query it runs often (prepared statements,
config.settings.env). A kept plan is made without the values, the status among them, so the
log index on the author alone made it read every log each supervisee ever wrote and keep the
few submitted ones: 2.7 ms for the queue of twenty supervisees on the benchmark's data,
against 0.9 with the index on author and status (docs/performance.md, tenth round). Since the
thirteenth round the status is written into the SQL, so the kept plan is made knowing it.
"""

import pytest
from django.db import connection
from django.utils import timezone

from cases.selectors import _AWAITING_REVIEW, _QUEUE_TAG_NAMES
from tests.factories import SubmittedLogFactory
from tests.sql import kept_plan

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="kept plans are PostgreSQL's (prepared statements)"
)

# The index led by the status (`Meta.indexes`), dropped inside the test's transaction.
DROPPED = "%(status, submitted_at)%"


@pytest.mark.parametrize("query", [_AWAITING_REVIEW, _QUEUE_TAG_NAMES], ids=["logs", "tags"])
def test_the_queue_finds_submitted_logs_by_author_and_status(query, supervisor, supervisee):
    SubmittedLogFactory(author=supervisee)
    values = {"person": supervisor.pk, "today": timezone.localdate()}
    # The index led by the status is the one a plan made for few rows would choose; without
    # it, what is left is what a kept plan on a large table chooses between.
    plan = kept_plan(
        query.sql(),
        query.params(**values),
        drop_indexes_on="cases_sessionlog",
        drop_like=DROPPED,
    )
    reads = plan.split("on cases_sessionlog")[1:]
    assert reads, plan
    for read in reads:
        # The status is looked up in an index (an index scan's condition, or a bitmap scan's
        # recheck of its indexes' conditions), not checked on every row read by author.
        condition = read.split("\n")[1]
        assert "Cond: " in condition and "(status)::text = 'submitted'" in condition, plan


@pytest.mark.parametrize("query", [_AWAITING_REVIEW, _QUEUE_TAG_NAMES], ids=["logs", "tags"])
def test_the_kept_plan_is_made_knowing_the_status(query, supervisor):
    """The status is written into the SQL (supervision.compiled), not sent as a value: the
    plan PostgreSQL keeps is made for submitted logs, so it has no reason to plan the query
    again at every run, as it did while the status was a value."""
    assert "'submitted'" in query.sql()
    assert "submitted" not in query.params(person=supervisor.pk, today=timezone.localdate())
