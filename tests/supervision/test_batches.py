"""supervision.batches: long lists reach the database a batch at a time."""

import pytest

from supervision.batches import batches


@pytest.mark.parametrize("size", [1, 2, 3, 5])
@pytest.mark.parametrize("length", [0, 1, 2, 4, 5, 11])
def test_every_item_once_in_order_and_no_batch_too_long(length, size):
    items = list(range(length))
    parts = list(batches(items, size))
    assert [item for part in parts for item in part] == items
    assert all(1 <= len(part) <= size for part in parts)


def test_the_default_size_is_read_at_each_call(monkeypatch):
    monkeypatch.setattr("supervision.batches.BATCH", 2)
    assert [list(part) for part in batches([1, 2, 3])] == [[1, 2], [3]]
