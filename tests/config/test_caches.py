"""The drawn cache keeps drawn HTML as it is, under Django's local-memory rules."""

import time

import pytest
from django.core.cache import caches
from markupsafe import Markup

from config.caches import DrawnCache


@pytest.fixture
def drawn_cache():
    fragments = caches["drawn"]
    assert isinstance(fragments, DrawnCache)
    fragments.clear()
    yield fragments
    fragments.clear()


def test_a_drawn_part_comes_back_as_it_was_kept(drawn_cache):
    part = Markup("<p>Drawn once · 3→5</p>")
    drawn_cache.set("part", part, 60)
    kept = drawn_cache.get("part")
    # The very string, not a copy through pickle: nothing to decode on each visit.
    assert kept is part and isinstance(kept, Markup)
    assert drawn_cache.add("part", "<p>other</p>", 60) is False
    assert drawn_cache.get("part") is part


def test_only_strings_are_kept(drawn_cache):
    # A list could be changed by whoever read it, and the next reader would see the change.
    with pytest.raises(TypeError):
        drawn_cache.set("rows", ["<p>a</p>"], 60)
    with pytest.raises(TypeError):
        drawn_cache.add("rows", {"a": 1}, 60)
    with pytest.raises(TypeError):
        drawn_cache.incr("part")
    assert drawn_cache.get("rows") is None


def test_expiry_and_turning_off_are_locmems(drawn_cache, monkeypatch):
    drawn_cache.set("now", "<p>now</p>", 0)  # 0 seconds: kept for no time at all
    assert drawn_cache.get("now") is None
    drawn_cache.set("soon", "<p>soon</p>", 10)
    assert drawn_cache.get("soon") == "<p>soon</p>"
    later = time.time() + 11
    monkeypatch.setattr(time, "time", lambda: later)
    assert drawn_cache.get("soon") is None
    assert drawn_cache.add("soon", "<p>again</p>", 10) is True
