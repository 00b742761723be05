"""Search and filters: one author's logs only, each log once, tag notes included."""

import pytest

from cases import selectors
from cases.models import Pattern
from tests.factories import PatternTagFactory, SessionLogFactory

pytestmark = pytest.mark.usefixtures("catalog")


def found(author, **filters):
    return list(selectors.logs_for_author(author, filters))


def test_search_reads_tag_notes_and_only_the_authors_logs(supervisee, other_supervisee):
    pattern = Pattern.objects.filter(is_background=False).first()
    mine = SessionLogFactory(author=supervisee, what_happened="A quiet session.")
    PatternTagFactory(log=mine, pattern=pattern, note="Rehearsed the allotment speech.")
    theirs = SessionLogFactory(author=other_supervisee, what_happened="The allotment again.")
    SessionLogFactory(author=supervisee, what_happened="Nothing about gardens.")
    assert found(supervisee, q="allotment") == [mine]
    assert found(other_supervisee, q="allotment") == [theirs]


def test_a_log_with_several_matching_tags_is_listed_once(supervisee):
    log = SessionLogFactory(author=supervisee, what_happened="The allotment story.")
    for pattern in Pattern.objects.filter(is_background=False)[:3]:
        PatternTagFactory(log=log, pattern=pattern, note="allotment")
    pattern = log.tags.first().pattern
    assert found(supervisee, q="allotment") == [log]
    assert found(supervisee, pattern=pattern) == [log]
    assert (
        selectors.logs_for_author(supervisee, {"pattern": pattern, "q": "allotment"}).count() == 1
    )
