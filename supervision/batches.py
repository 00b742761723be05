"""Long lists sent to the database a batch at a time.

On PostgreSQL the app binds a query's values on the server, so that PostgreSQL can keep the
plans of the queries it runs again and again (`config.settings.env`, docs/performance.md),
and the protocol carries at most 65,535 values in one query. Work over a number of rows
that nothing bounds (the nightly purges and their audit rows) goes through `batches`, so no
query carries more than `BATCH` ids whatever the data. A page never needs this: it reads a
page of rows, one person's or one group's.
"""

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# Ids in one query, and rows in one INSERT (an audit row has seven columns: 35,000 values).
BATCH = 5_000


def batches(items: Sequence[T], size: int | None = None) -> Iterator[Sequence[T]]:
    """`items` in consecutive slices of at most `size` (default BATCH, read at each call so
    that a test can make it small)."""
    size = size or BATCH
    for start in range(0, len(items), size):
        yield items[start : start + size]
