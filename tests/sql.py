"""Reading the SQL the tests capture (CaptureQueriesContext)."""

import re

from django.db import connection
from psycopg.sql import Literal

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


def kept_plan(sql: str, params, *, drop_indexes_on: str = "", drop_like: str = "") -> str:
    """The plan PostgreSQL keeps for a query it runs often (prepared statements: a generic
    plan, made without knowing the values), with table scans discouraged, as EXPLAIN
    prints it. `drop_indexes_on` and `drop_like` drop a table's indexes whose definition
    matches first, to see what the plan falls back on. Inside the test's transaction:
    everything is rolled back with it."""
    numbers = iter(range(1, len(params) + 1))
    with connection.cursor() as cursor:
        if drop_indexes_on:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                [drop_indexes_on, drop_like],
            )
            for (index,) in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{index}"')
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("PREPARE kept AS " + re.sub("%s", lambda _: f"${next(numbers)}", sql))
        try:
            values = ", ".join(Literal(v).as_string(cursor.connection) for v in params)
            cursor.execute(f"EXPLAIN EXECUTE kept({values})")
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("DEALLOCATE kept")
