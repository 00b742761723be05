"""Walk the URL resolver so tests cover every route, including new ones."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC_PREFIXES = (
    "accounts/login/",
    "accounts/password_reset/",
    "accounts/reset/",
    "accounts/logout/",
    "accounts/invitation/",
    # A calendar app cannot log in: the secret in the link is the key (groups:calendar_feed,
    # tested in tests/groups/test_meetings.py).
    "calendar/",
)


def all_routes():
    """Yield (route, name) for every URL pattern, with converters filled by 1 / 'x'."""

    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else p.name
                yield prefix + str(p.pattern), name

    for route, name in walk(get_resolver().url_patterns):
        yield _fill(route), name


# The project's own path converters, each with a value it accepts: a page of a period is
# reached only through a real kind and a real date (hours/urls.py).
CONVERTER_SAMPLES = {"period": "month", "isodate": "2026-01-01"}
SAMPLED = re.compile(r"<(" + "|".join(CONVERTER_SAMPLES) + r"):\w+>")


def _fill(route: str) -> str:
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\/", "/")
    route = re.sub(r"<int:\w+>", "1", route)
    route = SAMPLED.sub(lambda m: CONVERTER_SAMPLES[m.group(1)], route)
    route = re.sub(r"<(?:str|slug|path|uuid:)?:?\w+>", "x", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "x", route)
    return "/" + route


PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def route_patterns():
    """Yield (route, name) for every URL pattern, with its parameters left as written
    (`logs/<int:pk>/submit/`), so a test can fill each with the object it names."""

    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else p.name
                yield "/" + prefix + str(p.pattern), name

    yield from walk(get_resolver().url_patterns)


def route_parameters(route: str) -> list[tuple[str, str, str]]:
    """(the path segment before it, converter, name) for each parameter of a route:
    `groups/<int:pk>/members/<int:user_pk>/` → [("groups", "int", "pk"), ("members", "int",
    "user_pk")]. The segment says what the parameter names."""
    found = []
    for match in PARAMETER.finditer(route):
        before = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        found.append((before, match.group(1) or "str", match.group(2)))
    return found
