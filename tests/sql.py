"""Reading the SQL the tests capture (CaptureQueriesContext)."""

import re

_ID_LIST = re.compile(r" IN \(([0-9, ]+)\)")


def longest_value_list(queries) -> int:
    """The most values any captured query lists in one IN (...) or in one INSERT's VALUES:
    on PostgreSQL a query carries at most 65,535 (supervision.batches)."""
    longest = 0
    for query in queries:
        sql = query["sql"]
        for listed in _ID_LIST.findall(sql):
            longest = max(longest, listed.count(",") + 1)
        if sql.startswith("INSERT"):
            longest = max(longest, sql.count("), (") + 1)
    return longest
