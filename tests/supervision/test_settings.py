"""Settings come from the environment and fail loudly on bad values.

Each case runs in a fresh interpreter so module-level settings are read anew.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "-production-secret-" + "q" * 20


def run_django(settings: str, env: dict, *args: str) -> subprocess.CompletedProcess:
    # A fresh process sees only what a deployment would set; the browser tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE must not leak into it.
    dropped = {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update(env, DJANGO_SETTINGS_MODULE=settings)
    return subprocess.run(
        [sys.executable, "manage.py", *(args or ["check"])],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_django("config.settings.production", {"ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_django(
        "config.settings.production", {"SECRET_KEY": "short", "ALLOWED_HOSTS": "example.org"}
    )
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_django("config.settings.production", {"SECRET_KEY": GOOD_KEY})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_passes_the_deploy_check():
    result = run_django(
        "config.settings.production",
        {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "goodenough.example.org"},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr


def test_base_without_debug_needs_a_secret_key():
    result = run_django("config.settings.base", {})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be one of"),
        ("DATABASE_URL", "nosuchdb://x/y", "DATABASE_URL"),
        ("TIME_ZONE", "Mars/Olympus_Mons", "not a known time zone"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be a whole number"),
        ("EMAIL_USE_TLS", "perhaps", "EMAIL_USE_TLS must be one of"),
        ("SESSION_IDLE_MINUTES", "0", "SESSION_IDLE_MINUTES must be at least 1"),
        ("SESSION_ABSOLUTE_HOURS", "half", "SESSION_ABSOLUTE_HOURS must be a whole number"),
        ("REQUIRE_TWO_FACTOR", "sometimes", "REQUIRE_TWO_FACTOR must be one of"),
        ("CACHE_URL", "memcached://x", "CACHE_URL must start with locmem://"),
        ("LOGIN_RATE_LIMIT", "lots", "LOGIN_RATE_LIMIT must be a number of requests"),
    ],
)
def test_bad_values_stop_start_up(name, value, message):
    result = run_django("config.settings.base", {"SECRET_KEY": GOOD_KEY, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_good_values_are_read():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.TIME_ZONE, s.EMAIL_PORT, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'])"
    )
    result = run_django(
        "config.settings.base",
        {
            "SECRET_KEY": GOOD_KEY,
            "DEBUG": "yes",
            "TIME_ZONE": "America/Toronto",
            "EMAIL_PORT": "2525",
            "ALLOWED_HOSTS": "a.example.org, b.example.org",
            "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/x",
        },
        "shell",
        "--no-imports",
        "-c",
        code,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == (
        "True America/Toronto 2525 ['a.example.org', 'b.example.org'] django.db.backends.postgresql"
    )


def test_postgresql_reads_choice_lists_without_a_server_side_cursor():
    # A form's short choice list read through a server-side cursor costs three round trips.
    from config.settings.env import env_database

    postgres = env_database("NO_SUCH_VARIABLE", "postgres://u@127.0.0.1:5432/db")
    sqlite = env_database("NO_SUCH_VARIABLE", "sqlite:///x.sqlite3")
    assert postgres["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert not sqlite.get("DISABLE_SERVER_SIDE_CURSORS")


def test_postgresql_binds_on_the_server_and_keeps_its_plans(monkeypatch):
    # psycopg prepares a query from its fifth run on a connection, so PostgreSQL plans each
    # of a page's queries once per connection rather than at every request.
    from config.settings.env import env_database

    postgres = env_database("NO_SUCH_VARIABLE", "postgres://u@127.0.0.1:5432/db")
    assert postgres["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}
    assert "OPTIONS" not in env_database("NO_SUCH_VARIABLE", "sqlite:///x.sqlite3")
    # A connection pooler in transaction mode that cannot keep prepared statements.
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "0")
    pooled = env_database("NO_SUCH_VARIABLE", "postgres://u@127.0.0.1:5432/db")
    assert pooled["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": None}
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "sometimes")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_PREPARED_STATEMENTS must be one of"):
        env_database("NO_SUCH_VARIABLE", "postgres://u@127.0.0.1:5432/db")


@pytest.mark.django_db
def test_the_suite_runs_as_production_binds():
    """The tests on PostgreSQL run with the settings production has, so a query that server-side
    binding cannot take fails here first."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        assert type(cursor.cursor).__name__ == "ServerBindingCursor"
    assert connection.connection.prepare_threshold == 5
