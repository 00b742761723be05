"""Strict readers for settings that come from the environment.

A typo in a deployment variable must stop the process at start-up, not
silently fall back to a default, so every reader raises ImproperlyConfigured
on a value it does not understand.
"""

import os
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = _raw(name)
    if value:
        return value
    if required:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    if default is None:
        return ""
    return default


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of {sorted(_TRUE | _FALSE - {''})}, not {value!r}."
    )


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name: str, default: str) -> dj_database_url.DBConfig:
    url = _raw(name) or default
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} is not a database URL Django understands: {exc}"
        ) from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"{name} names no database engine.")
    if config["ENGINE"].endswith("postgresql"):
        # Choice lists (a form's groups, the patterns to filter by) are read with
        # `.iterator()`, which on PostgreSQL opens a server-side cursor: DECLARE, FETCH and
        # CLOSE, three round trips for a handful of rows. Nothing here streams a large result,
        # and a transaction-mode connection pooler needs this setting anyway.
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
        # The query and its parameters go to the server apart, so that a query the app runs
        # again and again (every page's session, user and list) is parsed and planned once per
        # connection (psycopg prepares it from its fifth run) instead of at every request:
        # planning was a third to a half of the database's time on the hot pages
        # (docs/performance.md, ninth round). A connection pooler in transaction mode that
        # cannot keep prepared statements needs DATABASE_PREPARED_STATEMENTS=0.
        config["OPTIONS"] = {
            **config.get("OPTIONS", {}),
            "server_side_binding": True,
            "prepare_threshold": 5 if env_bool("DATABASE_PREPARED_STATEMENTS", True) else None,
        }
    return config


def env_time_zone(name: str, default: str) -> str:
    value = _raw(name) or default
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name}={value!r} is not a known time zone.") from None
    return value


_RATE = re.compile(r"^\d+/\d*[smhd]$")


def env_rate(name: str, default: str) -> str:
    """A django-ratelimit rate: a count per period, e.g. `20/10m`, `5/h`."""
    value = _raw(name) or default
    if not _RATE.match(value) or value.startswith("0/"):
        raise ImproperlyConfigured(
            f"{name} must be a number of requests per period such as 20/10m or 5/h, not {value!r}."
        )
    return value


def env_positive_int(name: str, default: int) -> int:
    value = env_int(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be at least 1, not {value}.")
    return value


def env_cache(name: str, default: str = "locmem://") -> dict:
    """The `default` cache from a URL: `locmem://` (one per process) or `redis://host:port/db`."""
    url = _raw(name) or default
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": url.split("://", 1)[1] or "goodenough",
        }
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(f"{name} must start with locmem:// or redis:// (or rediss://).")
