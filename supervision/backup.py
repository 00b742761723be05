"""Consistent backups of the database this process is configured for.

SQLite is copied with its online-backup API (safe while the app runs);
PostgreSQL goes through pg_dump / pg_restore in the custom format. Secrets
reach the PostgreSQL tools through the environment, never the command line.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(RuntimeError):
    pass


def _pg_env(settings: dict) -> dict:
    env = dict(os.environ)
    for key, var in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")]:
        if settings.get(key):
            env[var] = str(settings[key])
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client).")
    return path


def database_backup(*, output: Path, alias: str = "default") -> Path:
    connection = connections[alias]
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(output) as target:
            connection.connection.backup(target)
        target.close()
        return output
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        subprocess.run(  # noqa: S603 - fixed tool, arguments from our own settings
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(output),
                settings["NAME"],
            ],
            env=_pg_env(settings),
            check=True,
        )
        return output
    raise BackupError(f"No backup method for {connection.vendor}.")


def database_restore(*, source: Path, alias: str = "default") -> None:
    """Replace the database's contents with the backup's."""
    connection = connections[alias]
    source = Path(source)
    if not source.exists():
        raise BackupError(f"{source} does not exist.")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as backup:
            backup.backup(connection.connection)
        backup.close()
        return
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        connection.close()  # pg_restore --clean needs the tables unlocked
        subprocess.run(  # noqa: S603 - fixed tool, arguments from our own settings
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                settings["NAME"],
                str(source),
            ],
            env=_pg_env(settings),
            check=True,
        )
        return
    raise BackupError(f"No restore method for {connection.vendor}.")
