"""`make bench`: the app at clinic-network scale, on PostgreSQL, under gunicorn and wrk.

1. (Re)creates the database `goodenough_bench` on 127.0.0.1:5432 (user postgres) and fills
   it with `manage.py seed_scale` (defaults: 500 supervisees, ~78,000 logs); never touches
   any other database. `--reuse` keeps an existing, already seeded one.
2. Serves the app with production settings under gunicorn, 2 workers, on 127.0.0.1 only.
3. Signs people in programmatically (Django sessions, one per wrk connection; the supervisor's
   session is verified with a two-factor device, as production requires), and for each page
   runs wrk (2 threads, 8 connections, a warm-up, then 10 s) with the session cookie as a
   header. The ceiling is /ping/: session, user, a tiny template, measured at the start, at
   the end, and either side of each page (`--unpaired`: not beside each page) for the same
   person: a page's ratio is to the ceiling measured beside it.
4. Counts the queries of each page in this process, with Django's test client and
   CaptureQueriesContext against the same database and settings.
5. Prints a table, checks the targets, writes the figures to bench/results.json, reads the
   gunicorn workers' resident memory, stops gunicorn and (unless --keep) drops the database.

Every loop here is bounded in count and time; the only address it sends traffic to is
127.0.0.1.
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DB_NAME = "goodenough_bench"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
HOST = "127.0.0.1"

# Targets from the performance issues. Ratios are to the ceiling of the same person.
P95_MS = 50
MAX_QUERIES = 12
MAX_RSS_MB = 150
RATIO = {"list": 0.40, "dashboard": 0.25}
# CPU instructions per request, at most this many times the ceiling's
# (scripts/bench_instructions.py counts them).
INSTRUCTIONS_RATIO = {"list": 2.5, "dashboard": 4.0}
CEILING = {"supervisee": "ceiling /ping/", "supervisor": "ceiling /ping/ as supervisor"}
INSTRUCTIONS_JSON = ROOT / "bench" / "instructions.json"

LUA = r"""
local cookies = {}
local n = 0
init = function(args)
  for _, c in ipairs(args) do cookies[#cookies + 1] = c end
end
request = function()
  n = n + 1
  return wrk.format(nil, nil, {["Cookie"] = cookies[(n % #cookies) + 1]})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "errors": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def main() -> int:
    args = parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: `make bench` installs it (apt-get install wrk).", file=sys.stderr)
        return 2
    env = bench_env(args)
    os.environ.update(env)
    load_before = [round(x, 2) for x in os.getloadavg()]
    if load_before[0] > 1.0:
        print(f"Warning: load average {load_before} before the run; others are using the CPUs.")
    started = time.monotonic()
    if not (args.reuse and database_is_seeded()):
        recreate_database()
        manage(env, "migrate", "--no-input", "-v0")
        seed_started = time.monotonic()
        manage(env, "seed_scale", *args.seed_args)
        print(f"seed_scale took {time.monotonic() - seed_started:.0f} s")
    else:
        # A database kept from an earlier run gets the migrations written since, and the
        # hours settings seed_scale now writes (skipped for people who have them).
        manage(env, "migrate", "--no-input", "-v0")
        manage(
            env,
            "shell",
            "-c",
            "from demo.scale import scale_hours_settings; scale_hours_settings()",
        )
    manage(env, "collectstatic", "--no-input", "-v0")

    import django

    django.setup()
    people = choose_people()
    pages = bench_pages(people)
    sessions = {key: make_sessions(user, args.connections) for key, user in people.users.items()}
    queries = count_queries(pages, sessions)

    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    try:
        wait_until_up(port)
        results = []
        ceiling_paths = {p["as"]: p["path"] for p in pages if p["kind"] == "ceiling"}
        for page in pages:
            cookies = sessions[page["as"]]
            url = f"http://{HOST}:{port}{page['path']}"
            # The same person's ceiling just before and just after the page, half the
            # page's time each: the machine's speed drifts over minutes (a fifth to a third
            # between the start and the end of a run), so a page is compared with the mean
            # of the two ceilings measured either side of it.
            paired = page["kind"] != "ceiling" and not args.unpaired
            ceiling_url = f"http://{HOST}:{port}{ceiling_paths[page['as']]}"
            half = max(args.duration // 2, 1)
            run_wrk(url, cookies, args, duration=args.warmup)  # warm-up, not recorded
            before = run_wrk(ceiling_url, cookies, args, duration=half) if paired else None
            figures = run_wrk(url, cookies, args, duration=args.duration)
            if before is not None:
                after = run_wrk(ceiling_url, cookies, args, duration=half)
                figures["ceiling_beside_rps"] = round((before["rps"] + after["rps"]) / 2, 1)
            figures |= queries[page["name"]]
            results.append(page | figures)
            print(f"  {page['name']:<24} {figures['rps']:>7.1f} req/s  p95 {figures['p95_ms']} ms")
        # The ceilings again at the end: the ratios use the mean of both, so a machine whose
        # load changed during the run shows up as two different ceilings.
        again = {
            page["as"]: run_wrk(
                f"http://{HOST}:{port}{page['path']}", sessions[page["as"]], args, args.duration
            )
            for page in pages
            if page["kind"] == "ceiling"
        }
        rss = worker_rss_mb(server.pid)
    finally:
        stop(server)
    # The report counts rows in the database, so it comes before the database goes.
    report = build_report(args, results, again, rss, people, time.monotonic() - started)
    if not args.keep:
        from django.db import connection

        connection.close()
        drop_database()
    report["machine"]["load_average_before"] = load_before
    print_table(report)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nWritten to {out}")
    missed = [t for t in report["targets"] if not t["met"]]
    return 1 if args.strict and missed else 0


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=int, default=10, help="Seconds of load per page.")
    p.add_argument("--warmup", type=int, default=2, help="Seconds of warm-up per page.")
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    p.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    p.add_argument("--reuse", action="store_true", help="Keep an already seeded database.")
    p.add_argument("--keep", action="store_true", help="Do not drop the database afterwards.")
    p.add_argument("--strict", action="store_true", help="Exit 1 when a target is missed.")
    p.add_argument(
        "--unpaired",
        action="store_true",
        help="Measure the ceilings at the start and the end only (quicker; ratios to their "
        "mean), not also either side of each page.",
    )
    p.add_argument(
        "--seed-args",
        default="",
        help='Options for seed_scale, e.g. "--supervisees 50" for a quick run.',
    )
    args = p.parse_args()
    args.seed_args = args.seed_args.split()
    if not 1 <= args.duration <= 120 or not 0 <= args.warmup <= 30:
        p.error("--duration must be 1-120 s and --warmup 0-30 s")
    if not 1 <= args.connections <= 64 or not 1 <= args.threads <= args.connections:
        p.error("--connections must be 1-64 and --threads at most that")
    return args


# ------------------------------------------------------------------ environment


def bench_env(args) -> dict[str, str]:
    """Production settings on plain HTTP on the loopback (a TLS proxy is not part of it)."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DB_NAME}",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict, *argv: str) -> None:
    subprocess.run(
        [str(BIN / "python"), "manage.py", *argv],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        timeout=900,
    )


def admin_connection():
    import psycopg

    return psycopg.connect(dbname="postgres", autocommit=True, **PG)


def recreate_database() -> None:
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database() -> None:
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def database_is_seeded() -> bool:
    import psycopg

    try:
        with psycopg.connect(dbname=DB_NAME, **PG) as conn:
            row = conn.execute(
                "SELECT count(*) FROM supervision_user WHERE email LIKE %s",
                ["%@scale.example.org"],
            ).fetchone()
    except psycopg.Error:
        return False
    return bool(row and row[0])


# ------------------------------------------------------------------ people and pages


class People:
    def __init__(self, supervisee, supervisor, group, log):
        self.users = {"supervisee": supervisee, "supervisor": supervisor}
        self.group, self.log = group, log


def choose_people() -> People:
    """A supervisee with one supervisor, in a group, with a signed log that asked questions."""
    from cases.models import LogStatus
    from demo.scale import DOMAIN
    from groups import access as group_access
    from reflections.models import AskedQuestion
    from supervision import access
    from supervision.models import Role, User

    candidates = User.objects.filter(role=Role.SUPERVISEE, email__endswith=f"@{DOMAIN}")
    for person in candidates.order_by("email")[:50]:
        supervisors = list(access.current_supervisors(person))
        group = group_access.member_groups(person).first()
        question = (
            AskedQuestion.objects.filter(
                reply__log__author=person, reply__log__status=LogStatus.SIGNED
            )
            .select_related("reply__log")
            .order_by("-reply__log__session_date")
            .first()
        )
        if len(supervisors) == 1 and group and question:
            return People(person, supervisors[0], group, question.reply.log)
    raise SystemExit("No suitable supervisee in the bench database: was seed_scale run?")


def bench_pages(people: People) -> list[dict]:
    """The pages measured, each as one person. A page is compared with the ceiling of the same
    person ("ceiling as supervisor" for a supervisor's page): a supervisor's request also reads
    her two-factor device, which is no part of any page."""
    from django.urls import reverse

    supervisee, ping = people.users["supervisee"], reverse("ping")
    return [
        {"name": CEILING["supervisee"], "kind": "ceiling", "as": "supervisee", "path": ping},
        {"name": CEILING["supervisor"], "kind": "ceiling", "as": "supervisor", "path": ping},
        # The base layout around an empty main: what every page pays before its own work.
        {"name": "empty layout", "kind": "layout", "as": "supervisee", "path": reverse("layout")},
        {
            "name": "log list (her home page)",
            "kind": "list",
            "as": "supervisee",
            "path": reverse("cases:log_list"),
        },
        {
            "name": "log page",
            "kind": "list",
            "as": "supervisee",
            "path": reverse("cases:log_detail", args=[people.log.pk]),
        },
        {
            "name": "review queue",
            "kind": "list",
            "as": "supervisor",
            "path": reverse("cases:review_queue"),
        },
        {
            "name": "supervisee dashboard",
            "kind": "dashboard",
            "as": "supervisee",
            "path": reverse("dashboards:dashboard"),
        },
        {
            "name": "supervisor dashboard",
            "kind": "dashboard",
            "as": "supervisor",
            "path": reverse("dashboards:dashboard"),
        },
        {
            "name": "her page (supervisor's)",
            "kind": "dashboard",
            "as": "supervisor",
            "path": reverse("dashboards:supervisee_detail", args=[supervisee.pk]),
        },
        {
            "name": "preparation sheet",
            "kind": "dashboard",
            "as": "supervisor",
            "path": reverse("dashboards:preparation", args=[supervisee.pk]),
        },
        {
            "name": "group dashboard",
            "kind": "dashboard",
            "as": "supervisee",
            "path": reverse("groups:group_dashboard", args=[people.group.pk]),
        },
        {
            "name": "search",
            "kind": "dashboard",
            "as": "supervisee",
            "path": reverse("cases:log_list") + "?q=silence",
        },
        # Hours toward a licence: her three years of sessions read under her board's rules,
        # and her supervisor's periods to sign across all her supervisees.
        {
            "name": "hours (hers)",
            "kind": "dashboard",
            "as": "supervisee",
            "path": reverse("hours:overview"),
        },
        {
            "name": "hours to sign",
            "kind": "dashboard",
            "as": "supervisor",
            "path": reverse("hours:to_sign"),
        },
    ]


def make_sessions(user, count: int) -> list[str]:
    """`count` signed-in sessions for `user`, as Cookie header values."""
    from importlib import import_module

    from django.apps import apps
    from django.conf import settings
    from django.contrib.auth import login
    from django.http import HttpRequest

    engine = import_module(settings.SESSION_ENGINE)
    device = verified_device(user) if apps.is_installed("django_otp") else None
    cookies = []
    for _ in range(count):
        request = HttpRequest()
        request.META = {"REMOTE_ADDR": HOST}
        request.session = engine.SessionStore()
        request.user = user
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if device is not None:
            from django_otp import login as otp_login

            otp_login(request, device)
        request.session.save()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={request.session.session_key}")
    return cookies


def verified_device(user):
    """Supervisors must use two-factor in production: give the bench one a confirmed device."""
    from supervision.models import Role

    if user.role != Role.SUPERVISOR:
        return None
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Authenticator app", defaults={"confirmed": True}
    )
    return device


def count_queries(pages: list[dict], sessions: dict) -> dict[str, dict]:
    """Per page, in this process with Django's test client on the same database: the
    queries of one request (after a warm-up request), and the median time of five
    requests, in all and waiting for the database."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    figures = {}
    for page in pages:
        client = Client(HTTP_HOST=HOST)
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[page["as"]][0].split("=", 1)[1]
        first = client.get(page["path"])
        if first.status_code != 200:
            where = first.get("Location", "")
            raise SystemExit(f"{page['path']} answered {first.status_code} {where}, not 200")
        with CaptureQueriesContext(connection) as captured:
            client.get(page["path"])
        # Read now: the next request's request_started signal empties the query log.
        count = len(captured.captured_queries)
        totals, db_times = [], []
        for _ in range(5):
            waited = [0.0]

            def timed(execute, sql, params, many, context, waited=waited):
                started = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    waited[0] += time.perf_counter() - started

            started = time.perf_counter()
            with connection.execute_wrapper(timed):
                client.get(page["path"])
            totals.append(time.perf_counter() - started)
            db_times.append(waited[0])
        figures[page["name"]] = {
            "queries": count,
            "server_ms": round(statistics.median(totals) * 1000, 1),
            "db_ms": round(statistics.median(db_times) * 1000, 1),
        }
    connection.close()
    return figures


# ------------------------------------------------------------------ gunicorn and wrk


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )


def wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/ping/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within 60 s")


def run_wrk(url: str, cookies: list[str], args, duration: int) -> dict:
    if duration <= 0:
        return {}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    try:
        completed = subprocess.run(
            [
                shutil.which("wrk") or "wrk",
                f"-t{args.threads}",
                f"-c{args.connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                url,
                "--",
                *cookies,
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=True,
        )
    finally:
        os.unlink(script.name)
    line = next(x for x in completed.stdout.splitlines() if x.startswith("JSON "))
    raw = json.loads(line[5:])
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "errors": raw["errors"],
        "non_2xx": raw["non_2xx"],
    }


def worker_rss_mb(master: int) -> list[float]:
    """Resident memory of each gunicorn worker (children of the master we started)."""
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip() or 0) == master and "VmRSS" in fields:
            sizes.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
    return sorted(sizes)


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


# ------------------------------------------------------------------ report


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def build_report(args, results, ceiling_end, rss, people: People, elapsed: float) -> dict:
    from django.conf import settings
    from django.db import connection

    from cases.models import PatternTag, SessionLog
    from supervision.models import AuditEvent

    ceiling_rps = {
        r["as"]: (r["rps"] + ceiling_end[r["as"]]["rps"]) / 2
        for r in results
        if r["kind"] == "ceiling"
    }
    instructions = read_instructions()
    targets = []
    for r in results:
        r["ratio"] = page_ratio(r, ceiling_rps)
        r |= instructions.get(r["name"], {})
        checks = [("p95", r["p95_ms"] <= P95_MS, f"p95 {r['p95_ms']} ms <= {P95_MS} ms")]
        checks.append(
            ("queries", r["queries"] <= MAX_QUERIES, f"{r['queries']} queries <= {MAX_QUERIES}")
        )
        if r["kind"] in RATIO:
            need = RATIO[r["kind"]]
            checks.append(
                ("ratio", r["ratio"] >= need, f"{r['ratio']:.0%} of ceiling >= {need:.0%}")
            )
        checks += instruction_checks(r)
        checks.append(("errors", r["errors"] == 0 and r["non_2xx"] == 0, "no errors, all 200"))
        for what, met, text in checks:
            targets.append({"page": r["name"], "target": what, "met": met, "detail": text})
    targets.append(
        {
            "page": "gunicorn workers",
            "target": "rss",
            "met": bool(rss) and max(rss) <= MAX_RSS_MB,
            "detail": f"RSS {rss} MB, each <= {MAX_RSS_MB} MB",
        }
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    data = {
        "logs": SessionLog.objects.count(),
        "pattern_tags": PatternTag.objects.count(),
        "audit_rows": AuditEvent.objects.count(),
        "supervisee_logs": SessionLog.objects.filter(author=people.users["supervisee"]).count(),
    }
    connection.close()
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine() | {"postgresql": pg_version},
        "settings": {
            "django_settings": os.environ["DJANGO_SETTINGS_MODULE"],
            "cache": settings.CACHES["default"]["BACKEND"],
            "gunicorn_workers": args.workers,
            "wrk": f"{args.threads} threads, {args.connections} connections, "
            f"{args.warmup} s warm-up, {args.duration} s",
        },
        "data": data,
        "pages": results,
        "ceiling_rps": {who: round(rps, 1) for who, rps in ceiling_rps.items()},
        "ceiling_rps_start_end": {
            r["as"]: [r["rps"], ceiling_end[r["as"]]["rps"]]
            for r in results
            if r["kind"] == "ceiling"
        },
        "instructions_from": str(INSTRUCTIONS_JSON) if instructions else None,
        "worker_rss_mb": rss,
        "targets": targets,
        "elapsed_s": round(elapsed),
        "median_ratio": statistics.median(
            r["ratio"] for r in results if r["kind"] not in ("ceiling", "layout")
        ),
    }


def page_ratio(page: dict, ceiling_means: dict[str, float]) -> float:
    """A page's requests a second against its person's ceiling: the one measured either side
    of it where there is one, else the mean of that person's ceilings at the start and the
    end of the run."""
    ceiling = page.get("ceiling_beside_rps") or ceiling_means[page["as"]]
    return round(page["rps"] / ceiling, 2) if ceiling else 0.0


def read_instructions() -> dict[str, dict]:
    """Per page, the instruction counts `make bench-instructions` wrote (its last run on this
    database), so that both kinds of figure and their targets are in one table."""
    try:
        pages = json.loads(INSTRUCTIONS_JSON.read_text()).get("pages", {})
    except (OSError, ValueError):
        return {}
    return {
        name: {"m_instructions": p["m_instructions"], "instructions_ratio": p["ratio"]}
        for name, p in pages.items()
    }


def instruction_checks(page: dict) -> list[tuple[str, bool, str]]:
    """The instruction target of a page: at most so many times the same person's ceiling."""
    limit = INSTRUCTIONS_RATIO.get(page["kind"])
    ratio = page.get("instructions_ratio")
    if limit is None or ratio is None:
        return []
    return [
        ("instructions", ratio <= limit, f"{ratio:.1f}x the ceiling's instructions <= {limit}x")
    ]


def print_table(report: dict) -> None:
    print()
    header = (
        f"{'page':<30} {'req/s':>7} {'ceil':>6} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7}"
        f" {'ratio':>6} {'1 req ms':>8} {'of it db':>8} {'M instr':>8} {'x ceil':>6}"
    )
    print(header)
    print("-" * len(header))
    for r in report["pages"]:
        m, x = r.get("m_instructions"), r.get("instructions_ratio")
        beside = r.get("ceiling_beside_rps")
        print(
            f"{r['name']:<30} {r['rps']:>7.1f} {'' if beside is None else round(beside):>6} "
            f"{r['p50_ms']:>7.1f} {r['p95_ms']:>7.1f} "
            f"{r['queries']:>7} {r['ratio']:>6.0%} {r['server_ms']:>8} {r['db_ms']:>8}"
            f" {'' if m is None else m:>8} {'' if x is None else x:>6}"
        )
    for who, (start, end) in report["ceiling_rps_start_end"].items():
        print(
            f"\nceiling as {who}: {start} req/s at the start, {end} at the end; a page's ratio "
            "is to the ceiling measured either side of it (column ceil), else to their mean"
        )
    if report["instructions_from"] is None:
        print("No instruction counts: run `make bench-instructions` and then this again.")
    print(f"gunicorn worker RSS after the run: {report['worker_rss_mb']} MB")
    machine = report["machine"]
    print(
        f"load average: {machine['load_average_before']} before, "
        f"{machine['load_average']} after, on {machine['cpus']} CPUs"
    )
    missed = [t for t in report["targets"] if not t["met"]]
    if missed:
        print("\nTargets missed:")
        for t in missed:
            print(f"  {t['page']}: {t['detail']}")
    else:
        print("\nAll targets met.")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
