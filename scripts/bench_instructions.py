"""`make bench-instructions`: what each benchmarked page costs the app server in CPU
instructions, counted by valgrind (callgrind), not timed.

Throughput and latency from `make bench` move with whatever else the machine is doing (on
a shared 2-core machine the ceiling alone varied from 550 to 830 requests a second within
one hour). An instruction count does not: the same code, data and request give the same
count, so it shows what a change to the code did, to within a fraction of a percent.

For each page it runs the app twice under callgrind in this process's settings (production,
the `goodenough_bench` database that `make bench BENCH_ARGS=--keep` leaves behind): once
with three warm-up requests only, once with the warm-up and then N requests, both through
Django's test client (middleware, session, view, templates; not gunicorn, not PostgreSQL's
own work), with one fixed hash seed. The difference divided by N is the page's cost per
request, and its ratio to the ceiling (/ping/) of the same person is checked against the
targets in `bench.py` (`--strict` exits 1 when one is missed; `make bench` shows these
figures beside its own).

    python scripts/bench_instructions.py [--requests 20] [--strict] [page names...]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import bench  # noqa: E402  (the same people, pages and settings as `make bench`)

WARM_UP = 3
COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def main() -> int:
    args = parse_args()
    if args.child:
        return child(args)
    if shutil.which("valgrind") is None:
        print("valgrind is missing: `make bench-instructions` installs it.", file=sys.stderr)
        return 2
    if not bench.database_is_seeded():
        print("No seeded goodenough_bench: run `make bench BENCH_ARGS=--keep` first.")
        return 2
    # One key for this run: the sessions made here are signed with it, and every child
    # reads them with the same one.
    env = bench.bench_env(args)
    os.environ.update(env)
    bench.manage(env, "migrate", "--no-input", "-v0")
    bench.manage(env, "collectstatic", "--no-input", "-v0")
    import django

    django.setup()
    people = bench.choose_people()
    pages = bench.bench_pages(people)
    wanted = set(args.pages) or {p["name"] for p in pages}
    unknown = wanted - {p["name"] for p in pages}
    if unknown:
        print(f"Unknown pages: {sorted(unknown)}; known: {[p['name'] for p in pages]}")
        return 2
    # A page's ratio needs the ceiling of the person it is measured as.
    wanted |= {bench.CEILING[p["as"]] for p in pages if p["name"] in wanted}
    results: dict[str, dict] = {}
    print(f"{'page':<30} {'M instructions / request':>26} {'x ceiling':>10} {'target':>8}")
    for page in pages:
        if page["name"] not in wanted:
            continue
        # A fresh session for each run: under valgrind a run over many pages outlives the
        # idle limit (SESSION_IDLE_MINUTES) of a session made at the start.
        user = people.users[page["as"]]
        base = counted(env, page["path"], bench.make_sessions(user, 1)[0], 0)
        total = counted(env, page["path"], bench.make_sessions(user, 1)[0], args.requests)
        m = round((total - base) / args.requests / 1e6, 1)
        ceiling = (
            results[bench.CEILING[page["as"]]]["m_instructions"] if page["kind"] != "ceiling" else m
        )
        limit = bench.INSTRUCTIONS_RATIO.get(page["kind"])
        results[page["name"]] = {
            "as": page["as"],
            "kind": page["kind"],
            "path": page["path"],
            "m_instructions": m,
            "ratio": round(m / ceiling, 2),
            "target_ratio": limit,
            "met": None if limit is None else m / ceiling <= limit,
        }
        shown = "" if limit is None else f"<= {limit}"
        print(f"{page['name']:<30} {m:>26.1f} {m / ceiling:>10.2f} {shown:>8}")
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "requests": args.requests,
                "pages": results,
                "million_instructions_per_request": {
                    name: r["m_instructions"] for name, r in results.items()
                },
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nWritten to {out}")
    missed = [name for name, r in results.items() if r["met"] is False]
    if missed:
        print("Instruction targets missed: " + ", ".join(missed))
    return 1 if args.strict and missed else 0


def counted(env: dict, path: str, cookie: str, requests: int) -> int:
    """Instructions of one whole run of the child: start-up, warm-up and `requests`."""
    with tempfile.TemporaryDirectory() as tmp:
        run = subprocess.run(
            [
                shutil.which("valgrind"),
                "--tool=callgrind",
                f"--callgrind-out-file={tmp}/out",
                sys.executable,
                __file__,
                "--child",
                path,
                cookie,
                str(requests),
            ],
            cwd=ROOT,
            # One hash seed for every run: a set's or dict's order and its collisions otherwise
            # move the count by a few per cent between runs of the same code.
            env={**os.environ, **env, "PYTHONHASHSEED": "0"},
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    found = COLLECTED.search(run.stderr)
    if run.returncode != 0 or found is None:
        raise SystemExit(f"The run for {path} failed:\n{run.stderr[-2000:]}")
    return int(found.group(1))


def child(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    path, cookie, requests = args.child
    client = Client(HTTP_HOST=bench.HOST)
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie.split("=", 1)[1]
    for _ in range(WARM_UP + int(requests)):
        response = client.get(path)
        if response.status_code != 200:
            # A redirect to the log-in page would be cheap and count as a fast page.
            raise SystemExit(f"{path} answered {response.status_code}, not 200")
    return 0


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("pages", nargs="*", help="Page names as `make bench` prints them.")
    p.add_argument("--requests", type=int, default=20, help="Counted requests per page.")
    p.add_argument("--output", default=str(bench.INSTRUCTIONS_JSON))
    p.add_argument("--strict", action="store_true", help="Exit 1 when a target is missed.")
    p.add_argument("--child", nargs=3, metavar=("PATH", "COOKIE", "N"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if not 1 <= args.requests <= 100:
        p.error("--requests must be 1-100")
    return args


if __name__ == "__main__":
    sys.exit(main())
