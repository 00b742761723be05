"""The `drawn` cache (settings.CACHES): parts of pages drawn once, kept in the process."""

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache


class DrawnCache(LocMemCache):
    """Django's local-memory cache, keeping the drawn HTML itself rather than a pickle of it.

    Local memory pickles every value so that no caller can change what another one reads
    later. A drawn part is a string, which nobody can change, so it is kept as it is, and
    only strings are accepted. Unpickling the supervisor's cards (about 370 KB of HTML)
    cost 2.5 M instructions on each visit of her dashboard, a tenth of the page
    (docs/performance.md, seventh round). Expiry, culling and keys are LocMemCache's own.
    """

    # LocMemCache's own state and helpers, which django-stubs does not declare.
    _lock: Lock
    _cache: OrderedDict[str, Any]
    _has_expired: Callable[[str], bool]
    _delete: Callable[[str], bool]
    _set: Callable[..., None]

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._set(key, _drawn(value), timeout)
                return True
            return False

    def get(self, key: str, default: Any = None, version=None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            value = self._cache[key]
            self._cache.move_to_end(key, last=False)
        return value

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._set(key, _drawn(value), timeout)

    def incr(self, key: str, delta: int = 1, version=None) -> int:
        raise TypeError("The drawn cache keeps drawn HTML, not counters.")


def _drawn(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"The drawn cache keeps drawn HTML (a string), not {type(value).__name__}.")
    return value
