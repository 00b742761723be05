"""How long each benchmarked page waits for PostgreSQL, with the app's binding or without it.

The app binds a query's values on the server and lets psycopg prepare a query from its fifth
run on a connection, so that PostgreSQL plans it once per connection (config/settings/env.py,
docs/performance.md, "Prepared statements"). This script measures what that is worth: in one
process, on the `goodenough_bench` database that `make bench BENCH_ARGS=--keep` leaves behind
and with production settings, it requests each page through Django's test client (eight
warm-up requests, then N) and prints the medians of the time spent inside `cursor.execute`
and of the whole request. `--client-binding` sets the connection back to Django's default
(values bound on the client, nothing prepared) for a run to compare with. Runs move with
whatever else the machine is doing: alternate the two, several times.

    python scripts/bench_db_time.py [--client-binding] [--requests 200] [page names...]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import bench  # noqa: E402  (the same people, pages and settings as `make bench`)

WARM_UP = 8


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("pages", nargs="*", help="page names as make bench prints them (default: all)")
    p.add_argument("--requests", type=int, default=200)
    p.add_argument("--client-binding", action="store_true")
    args = p.parse_args()
    if not bench.database_is_seeded():
        print("No seeded goodenough_bench: run `make bench BENCH_ARGS=--keep` first.")
        return 2
    os.environ.update(bench.bench_env(args))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections
    from django.test import Client

    if args.client_binding:
        options = connections.databases["default"].setdefault("OPTIONS", {})
        options.update(server_side_binding=False, prepare_threshold=None)
    people = bench.choose_people()
    pages = {page["name"]: page for page in bench.bench_pages(people)}
    unknown = set(args.pages) - set(pages)
    if unknown:
        print(f"Unknown pages: {sorted(unknown)}; known: {list(pages)}")
        return 2
    binding = "client" if args.client_binding else "server, prepared"
    # Seconds inside cursor.execute, one entry per request of the page being measured.
    waited: list[float] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            waited[-1] += time.perf_counter() - started

    print(f"{'page':<30} {'ms in PostgreSQL':>17} {'ms a request':>13}  binding: {binding}")
    for name in args.pages or list(pages):
        page = pages[name]
        client = Client(HTTP_HOST=bench.HOST)
        cookie = bench.make_sessions(people.users[page["as"]], 1)[0]
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie.split("=", 1)[1]
        waited.clear()
        for _ in range(WARM_UP):
            client.get(page["path"])
        whole = []
        with connection.execute_wrapper(timed):
            for _ in range(args.requests):
                waited.append(0.0)
                started = time.perf_counter()
                response = client.get(page["path"])
                whole.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise SystemExit(f"{page['path']} answered {response.status_code}, not 200")
        print(
            f"{name:<30} {statistics.median(waited) * 1000:>17.2f}"
            f" {statistics.median(whole) * 1000:>13.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
