"""Upgrade check: a database made at an older commit migrates to this code with nothing lost.

1. Makes a throw-away database: a SQLite file in a temporary folder, or (--database postgres)
   a uniquely named database on 127.0.0.1:5432, user postgres.
2. Checks out --base (default b7dd849, main's head before the apps were reorganised) into a
   temporary git worktree and there, with this Python, runs `manage.py migrate`,
   `load_catalog` and `seed_demo`, then takes a snapshot through `manage.py shell`, with that
   tree's code.
3. Runs `manage.py migrate` of this tree (the folder above scripts/, uncommitted changes
   included) on the same database, takes the same snapshot with this code, and runs
   `makemigrations --check --dry-run` here: no model change lacks its migration.
4. Compares the snapshots and prints a short report; exits 1 on any difference.

A snapshot reads the list of tables from the database's catalog (sqlite_master or
information_schema), not from the models, whose apps change. For every table it holds the
row count and a fingerprint of every column's content (paired with the row's primary key);
for every signed session log (cases_sessionlog, status 'signed'), the stored signed_sha256
and the digest that tree's `cases.signing.log_digest` computes. Only Django's bookkeeping
(django_migrations, django_content_type, auth_permission: EXEMPT below) may change; a column
that points at a content type or a permission is compared through the model name or codename
it points at, which a model's move to another app keeps.

Neither tree is told a settings module: each one's manage.py picks its own default. Both
run with DEBUG=1 (the development secret key, as `make run`) and DATABASE_URL set to the
throw-away database, and each tree is first asked which database it would use, so that a
settings module that reads another variable stops the check before anything is migrated.
The worktree, the temporary folder and the PostgreSQL database are removed at the end, also
after a failure or an interrupt.

    python scripts/upgrade_check.py                          # SQLite, base b7dd849
    python scripts/upgrade_check.py --database postgres --base main --verbose
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE = "b7dd849"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
STEP_TIMEOUT = 1800  # seconds for any one manage.py command

# Tables that hold only Django's bookkeeping about the code, not anyone's data. Their row
# counts and content may change in an upgrade; the report shows how. They must still exist.
EXEMPT = {
    # One row per applied migration: the new code's migrations add theirs.
    "django_migrations": "one row per applied migration; new migrations add rows",
    # One row per model, keyed by app label: a model moved to another app gets a renamed row,
    # or a new one beside the stale old one (Django adds it after migrating).
    "django_content_type": "one row per (app, model); moved models change app label",
    # Django makes four per content type after migrating: a new content type gets new ones.
    "auth_permission": "made by Django per content type; new content types get new rows",
}

# Run in each tree through `manage.py shell -c`, with that tree's code and settings; writes
# its JSON to the file named by UPGRADE_CHECK_OUT. With UPGRADE_CHECK_PROBE set it only says
# which database and settings the tree uses.
SNAPSHOT = r"""
import hashlib
import json
import os

from django.apps import apps
from django.conf import settings
from django.db import connection

# A column that points at a content type or a permission is compared through what the
# target names (the model; the codename), which survives a model's move to another app
# whether its content type is renamed or a new one is made and pointed at.
NAMED_BY = {"django_content_type": "model", "auth_permission": "codename"}


def table_names(cursor):
    if connection.vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite^_%' ESCAPE '^'"
        )
    elif connection.vendor == "postgresql":
        cursor.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    else:
        raise SystemExit(f"upgrade_check: no catalog query for {connection.vendor}")
    return sorted(row[0] for row in cursor.fetchall())


def fingerprint(cursor, table, column, pk, target):
    qn = connection.ops.quote_name
    value = f"t.{qn(column)}"
    if target is not None and target[1] in NAMED_BY:
        ref_column, ref_table = target
        value = (
            f"(SELECT r.{qn(NAMED_BY[ref_table])} FROM {qn(ref_table)} r"
            f" WHERE r.{qn(ref_column)} = t.{qn(column)})"
        )
    key = f"CAST(t.{qn(pk)} AS TEXT)" if pk and pk != column else "''"
    cursor.execute(f"SELECT {key}, CAST({value} AS TEXT) FROM {qn(table)} t")
    pairs = sorted(("" if k is None else k, "\x00" if v is None else "\x01" + v) for k, v in cursor)
    digest = hashlib.sha256()
    for pair in pairs:
        for part in pair:
            data = part.encode("utf-8", "surrogatepass")
            digest.update(b"%d:" % len(data))
            digest.update(data)
    return digest.hexdigest()


def snapshot():
    tables = {}
    with connection.cursor() as cursor:
        for table in table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            rows = cursor.fetchone()[0]
            description = connection.introspection.get_table_description(cursor, table)
            relations = connection.introspection.get_relations(cursor, table)
            pk = connection.introspection.get_primary_key_column(cursor, table)
            tables[table] = {
                "rows": rows,
                "columns": {
                    c.name: fingerprint(cursor, table, c.name, pk, relations.get(c.name))
                    for c in description
                },
            }
    return tables


def signed_logs():
    from cases.signing import log_digest

    models = [m for m in apps.get_models() if m._meta.db_table == "cases_sessionlog"]
    if len(models) != 1:
        raise SystemExit(f"upgrade_check: {len(models)} models use the table cases_sessionlog")
    logs = {}
    # The base manager: signed logs in the trash count too.
    for log in models[0]._base_manager.filter(status="signed").order_by("pk"):
        logs[str(log.pk)] = {"stored": log.signed_sha256, "recomputed": log_digest(log)}
    return logs


result = {
    "settings": settings.SETTINGS_MODULE,
    "vendor": connection.vendor,
    "database": str(connection.settings_dict["NAME"]),
}
if not os.environ.get("UPGRADE_CHECK_PROBE"):
    result["tables"] = snapshot()
    result["signed_logs"] = signed_logs()
with open(os.environ["UPGRADE_CHECK_OUT"], "w", encoding="utf-8") as out:
    json.dump(result, out)
"""


class CheckFailed(Exception):
    """A step failed or the snapshots differ; the message says which and why."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def main() -> int:
    args = parse_args()
    # A terminated run still removes its worktree and database (the `finally` blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    try:
        result = run(args)
    except CheckFailed as exc:
        print(f"upgrade_check: FAILED after {elapsed(started)}\n{exc}", file=sys.stderr)
        return exc.code
    except subprocess.TimeoutExpired as exc:
        print(f"upgrade_check: FAILED, {' '.join(exc.cmd[1:3])} timed out", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("upgrade_check: interrupted", file=sys.stderr)
        return 130
    print_report(args, result, elapsed(started))
    return 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--base", default=DEFAULT_BASE, help=f"commit to upgrade from (default {DEFAULT_BASE})"
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--verbose", action="store_true", help="show the commands and output")
    return parser.parse_args()


def run(args) -> dict:
    base = resolve(args.base)
    current = git("describe", "--always", "--abbrev=7").strip()
    if git("status", "--porcelain").strip():  # uncommitted changes, untracked files included
        current += "-dirty"
    with tempfile.TemporaryDirectory(prefix="upgrade-check-") as tmp:
        tmp = Path(tmp)
        with throwaway_database(args.database, tmp, args.verbose) as (url, expected):
            env = child_env(url)
            here = f"the current tree ({current})"
            # First, as it costs a second: a tree that would not use the throw-away database.
            after_probe = probe(ROOT, env, tmp, here, expected, args.verbose)
            with worktree(base, tmp / "base", args.verbose) as old_tree:
                where = f"the base tree ({base[:7]})"
                before_probe = probe(old_tree, env, tmp, where, expected, args.verbose)
                for command in (["migrate", "--no-input"], ["load_catalog"], ["seed_demo"]):
                    manage(old_tree, env, command, where, args.verbose)
                before = take_snapshot(old_tree, env, tmp, where, args.verbose)
            manage(ROOT, env, ["migrate", "--no-input"], here, args.verbose)
            after = take_snapshot(ROOT, env, tmp, here, args.verbose)
            manage(
                ROOT,
                env,
                ["makemigrations", "--check", "--dry-run"],
                here,
                args.verbose,
                failure="a model change has no migration in the current tree",
            )
    problems, summary = compare(before, after)
    if problems:
        shown = problems[:40]
        more = (
            f"\n  ... and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        )
        raise CheckFailed(
            f"Upgrading a {args.database} database from {base[:7]} to {current} "
            f"lost or changed data ({len(problems)} differences):\n"
            + "\n".join(f"  - {p}" for p in shown)
            + more
        )
    summary.update(
        base=base[:7],
        current=current,
        settings=(before_probe["settings"], after_probe["settings"]),
    )
    return summary


# --- the database, the worktree and the commands ---


@contextlib.contextmanager
def throwaway_database(kind: str, tmp: Path, verbose: bool):
    """Yields (DATABASE_URL, the NAME Django must report for it)."""
    if kind == "sqlite":
        path = tmp / "upgrade.sqlite3"
        yield f"sqlite:///{path}", str(path)
        return
    import psycopg
    from psycopg import sql

    name = f"goodenough_upgrade_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=10, **PG) as c:
            c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        raise CheckFailed(
            f"Could not create a PostgreSQL database on {PG['host']}:{PG['port']} "
            f"as {PG['user']}: {exc}",
            code=2,
        ) from None
    if verbose:
        print(f"== created database {name}", flush=True)
    try:
        yield f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}", name
    finally:
        try:
            with psycopg.connect(dbname="postgres", autocommit=True, **PG) as c:
                c.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
            if verbose:
                print(f"== dropped database {name}", flush=True)
        except psycopg.Error as exc:
            print(f"upgrade_check: could not drop the database {name}: {exc}", file=sys.stderr)


@contextlib.contextmanager
def worktree(rev: str, path: Path, verbose: bool):
    git("worktree", "add", "--detach", str(path), rev, verbose=verbose)
    try:
        yield path
    finally:
        try:
            git("worktree", "remove", "--force", str(path), verbose=verbose)
        except CheckFailed as exc:
            print(
                f"upgrade_check: could not remove the worktree {path} ({exc}); "
                "`git worktree prune` clears what is left of it",
                file=sys.stderr,
            )


def git(*argv: str, verbose: bool = False) -> str:
    if verbose:
        print(f"$ git {' '.join(argv)}", flush=True)
    executable = shutil.which("git")
    if executable is None:
        raise CheckFailed("git is not on the PATH", code=2)
    done = subprocess.run(
        [executable, *argv], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0:
        raise CheckFailed(f"git {' '.join(argv)} failed: {done.stderr.strip()}", code=2)
    return done.stdout


def resolve(rev: str) -> str:
    try:
        return git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
    except CheckFailed:
        raise CheckFailed(f"--base {rev!r} is not a commit of this repository", code=2) from None


def child_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    # Each tree's manage.py chooses its own settings module (they moved between the trees).
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(DEBUG="1", DATABASE_URL=database_url, PYTHONUNBUFFERED="1")
    return env


def manage(
    tree: Path, env: dict, argv: list[str], where: str, verbose: bool, failure: str | None = None
) -> None:
    command = [sys.executable, "manage.py", *argv]
    if verbose:
        print(f"$ {' '.join(argv)}  (in {tree})", flush=True)
        done = subprocess.run(command, cwd=tree, env=env, timeout=STEP_TIMEOUT, check=False)
        output = ""
    else:
        done = subprocess.run(
            command,
            cwd=tree,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=STEP_TIMEOUT,
            check=False,
        )
        output = done.stdout.strip()
    if done.returncode != 0:
        message = failure or f"manage.py {' '.join(argv)} failed in {where}"
        raise CheckFailed(
            f"{message} (exit {done.returncode}; `manage.py {' '.join(argv)}` in {tree})"
            + (f":\n{indent(output)}" if output else "")
        )


def shell(tree: Path, env: dict, tmp: Path, where: str, verbose: bool, probe: bool) -> dict:
    out = tmp / f"snapshot-{secrets.token_hex(4)}.json"
    extra = {"UPGRADE_CHECK_OUT": str(out), "UPGRADE_CHECK_PROBE": "1" if probe else ""}
    argv = ["shell", "--no-startup", "--no-imports", "-c", SNAPSHOT]
    command = [sys.executable, "manage.py", *argv]
    if verbose:
        print(f"$ shell -c <{'probe' if probe else 'snapshot'}>  (in {tree})", flush=True)
    done = subprocess.run(
        command,
        cwd=tree,
        env={**env, **extra},
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    if verbose and (done.stdout or done.stderr):
        print(done.stdout + done.stderr, end="", flush=True)
    if done.returncode != 0 or not out.exists():
        what = "asking which database it uses" if probe else "taking the snapshot"
        raise CheckFailed(
            f"{what} failed in {where} (exit {done.returncode}):\n"
            + indent((done.stdout + done.stderr).strip())
        )
    return json.loads(out.read_text(encoding="utf-8"))


def probe(tree: Path, env: dict, tmp: Path, where: str, expected: str, verbose: bool) -> dict:
    found = shell(tree, env, tmp, where, verbose, probe=True)
    if found["database"] != expected:
        raise CheckFailed(
            f"{where} ({found['settings']}) would use the database {found['database']!r}, "
            f"not the throw-away {expected!r}: its settings do not read DATABASE_URL. "
            "Nothing was migrated there.",
            code=2,
        )
    return found


def take_snapshot(tree: Path, env: dict, tmp: Path, where: str, verbose: bool) -> dict:
    return shell(tree, env, tmp, where, verbose, probe=False)


# --- comparing ---


def compare(before: dict, after: dict) -> tuple[list[str], dict]:
    problems = []
    old, new = before["tables"], after["tables"]
    compared = rows = columns = 0
    exempt = {}
    for table, was in old.items():
        now = new.get(table)
        if now is None:
            problems.append(f"table {table} ({was['rows']} rows) is gone after the upgrade")
            continue
        if table in EXEMPT:
            exempt[table] = (was["rows"], now["rows"])
            continue
        compared += 1
        rows += was["rows"]
        columns += len(was["columns"])
        gone = [c for c in was["columns"] if c not in now["columns"]]
        if gone:
            problems.append(f"table {table}: columns gone after the upgrade: {', '.join(gone)}")
        if now["rows"] != was["rows"]:
            change = now["rows"] - was["rows"]
            problems.append(
                f"table {table}: {was['rows']} rows before, {now['rows']} after "
                f"({'lost' if change < 0 else 'gained'} {abs(change)})"
            )
            continue  # its columns' content differs too; the count says enough
        changed = [
            c
            for c, fingerprint in was["columns"].items()
            if now["columns"].get(c, fingerprint) != fingerprint
        ]
        if changed:
            problems.append(
                f"table {table}: same {was['rows']} rows, content changed in {', '.join(changed)}"
            )

    signed_before, signed_after = before["signed_logs"], after["signed_logs"]
    if not signed_before:
        problems.append("the base's demo data has no signed session log: nothing to check")
    for pk, was in signed_before.items():
        if was["recomputed"] != was["stored"]:
            problems.append(
                f"signed log {pk}: already at the base its code computes {short(was['recomputed'])}, "
                f"the stored digest is {short(was['stored'])} (the base data is inconsistent)"
            )
        now = signed_after.get(pk)
        if now is None:
            problems.append(f"signed log {pk} is no longer a signed log after the upgrade")
            continue
        if now["stored"] != was["stored"]:
            problems.append(
                f"signed log {pk}: the stored signed_sha256 changed from {short(was['stored'])} "
                f"to {short(now['stored'])}"
            )
        if now["recomputed"] != now["stored"]:
            problems.append(
                f"signed log {pk}: the current code computes {short(now['recomputed'])}, "
                f"the stored digest is {short(now['stored'])}"
            )
    for pk in sorted(set(signed_after) - set(signed_before), key=int):
        problems.append(f"log {pk} was not signed before the upgrade and is signed after it")

    summary = {
        "vendor": before["vendor"],
        "compared": compared,
        "rows": rows,
        "columns": columns,
        "exempt": exempt,
        "new_tables": {t: new[t]["rows"] for t in sorted(set(new) - set(old))},
        "signed": len(signed_before),
    }
    return problems, summary


def print_report(args, s: dict, took: str) -> None:
    old_settings, new_settings = s["settings"]
    print(f"Upgrade check passed: {s['base']} -> {s['current']} on {args.database}, {took}")
    print(f"  settings: {old_settings} -> {new_settings}")
    print(
        f"  tables compared: {s['compared']} ({s['rows']:,} rows; row counts and the content "
        f"of {s['columns']} columns unchanged)"
    )
    exempt = ", ".join(f"{t} {a}->{b}" for t, (a, b) in sorted(s["exempt"].items()))
    print(f"  exempt (Django's bookkeeping, may change): {exempt or 'none present'}")
    if s["new_tables"]:
        print("  new tables: " + ", ".join(f"{t} ({n} rows)" for t, n in s["new_tables"].items()))
    print(
        f"  signed logs checked: {s['signed']} (stored digest unchanged, "
        "the current code's digest equals it)"
    )
    print("  migrations: none missing (makemigrations --check --dry-run)")


def short(digest: str) -> str:
    return f"{digest[:12]}..." if digest else "(empty)"


def indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


def elapsed(started: float) -> str:
    seconds = round(time.monotonic() - started)
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


if __name__ == "__main__":
    sys.exit(main())
