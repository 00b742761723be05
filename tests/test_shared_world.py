"""The world shared by a module's tests (tests/conftest.py shared_world) is met as built by
every test: neither the rows nor the objects in memory carry one test's changes into the next.

Both rounds check the world first and then change it, so whichever runs second fails if a
change leaked (run alone or on one worker, the order is the collection's)."""

import pytest

from cases.models import SessionLog
from supervision.models import Notification
from tests.conftest import world_from_shared_world
from tests.factories import SessionLogFactory

AS_BUILT = SessionLogFactory.what_happened


world = world_from_shared_world()


@pytest.mark.parametrize("round_", [1, 2])
def test_each_test_meets_the_world_as_built(world, shared_world, round_):
    draft, sam = world["draft"], world["supervisee"]
    assert draft is not shared_world["draft"]
    assert draft.what_happened == AS_BUILT and sam.display_name == "Sam Supervisee"
    assert SessionLog.objects.get(pk=draft.pk, author=sam).what_happened == AS_BUILT
    assert not Notification.objects.filter(message__startswith="Changed").exists()

    draft.what_happened = f"Changed in round {round_}"
    draft.save()
    Notification.objects.create(recipient=sam, message=f"Changed in round {round_}", url="/")
    world["people"]["author"].display_name = "Changed"
    # One copy per test keeps the world's identities: the author is Sam.
    assert sam.display_name == "Changed"
