"""Lower layers never depend on higher ones, by import or by naming a higher layer's page.

The order is written down in docs/architecture.md. A template belongs to the app whose
folder it is in (templates/<app>/); the project-wide layout (templates/*.html) and
config/ sit on top and may name any page. A URL name belongs to the app whose view
serves it, found through the URL resolver, so a renamed or moved page is followed.
"""

import ast
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[1]
# Lowest first. An app may depend on its own layer and those before it.
LAYERS = (
    "supervision",
    "accounts",
    "cases",
    "reflections",
    "dashboards",
    "groups",
    "hours",
    "demo",
    "config",
)
RANK = {app: i for i, app in enumerate(LAYERS)}
# Template folders not named after an app: Django's log-in pages (accounts), the admin's and
# crispy's overrides (supervision).
TEMPLATE_OWNERS = {
    "registration": "accounts",
    "admin": "supervision",
    "bootstrap5": "supervision",
}
URL_CALLS = {"reverse", "reverse_lazy", "redirect", "resolve_url"}
# Django's {% url "name" %} and Jinja2's {{ url("name") }} (config.jinja2).
TEMPLATE_URL = re.compile(r"""(?:{%\s*url\s+|\burl\(\s*)["']([\w:]+)["']""")
# The site's root: every page may lead back to it.
SITE_WIDE = {"home"}
# Known exceptions, each with what removes it (docs/architecture.md, "Known debts").
# Keep this list short; never add to it without a plan to take the entry off.
ALLOWED: set[tuple[str, str]] = set()


def url_owners() -> dict[str, str]:
    """Every URL name → the top-level package of the view that serves it."""
    owners: dict[str, str] = {}

    def walk(patterns, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                module = getattr(p.callback, "__module__", "") or ""
                owners.setdefault(f"{namespace}{p.name}", module.split(".")[0])

    walk(get_resolver().url_patterns, "")
    return owners


OWNERS = url_owners()


def python_files():
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield app, path


def template_files():
    for path in sorted((ROOT / "templates").rglob("*.*")):
        if path.suffix not in (".html", ".jinja"):
            continue
        parts = path.relative_to(ROOT / "templates").parts
        owner = "config" if len(parts) == 1 else TEMPLATE_OWNERS.get(parts[0], parts[0])
        yield owner, path


def imported_top_level_modules(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def url_names_in_python(tree: ast.AST) -> set[str]:
    """Names passed to reverse()/redirect()…, and any string that is a namespaced URL name."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if ":" in node.value and node.value in OWNERS:
                found.add(node.value)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if name in URL_CALLS and isinstance(first, ast.Constant) and first.value in OWNERS:
                found.add(first.value)
    return found


def higher(app: str, other: str) -> bool:
    return other in RANK and RANK[other] > RANK[app]


def test_every_app_and_template_folder_has_a_layer():
    folders = {p.name for p in (ROOT / "templates").iterdir() if p.is_dir()}
    assert folders <= set(LAYERS) | set(TEMPLATE_OWNERS)
    assert set(OWNERS.values()) - {"django", "django_otp"} <= set(LAYERS)


def test_every_known_exception_is_still_needed():
    # An exception nobody needs any more would hide the next real one.
    used = set()
    for owner, path in [*python_files(), *template_files()]:
        text = path.read_text()
        names = (
            url_names_in_python(ast.parse(text))
            if path.suffix == ".py"
            else set(TEMPLATE_URL.findall(text))
        )
        used |= {(owner, name) for name in names}
    assert used >= ALLOWED


def test_the_url_name_scan_finds_what_it_looks_for():
    # A scan that found nothing would pass everything: check it sees a known use.
    source = (ROOT / "config" / "views.py").read_text()
    assert "cases:log_list" in url_names_in_python(ast.parse(source))
    assert TEMPLATE_URL.findall("<a href=\"{% url 'groups:group_list' %}\">")
    assert TEMPLATE_URL.findall("<a href=\"{{ url('groups:shared_log', g, s) }}\">") == [
        "groups:shared_log"
    ]
    assert any(path.suffix == ".jinja" for _, path in template_files())


@pytest.mark.parametrize("app", LAYERS)
def test_lower_layers_import_no_higher_one(app):
    offenders = []
    for owner, path in python_files():
        if owner != app:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        bad = sorted(m for m in imported_top_level_modules(tree) if higher(app, m))
        if bad:
            offenders.append(f"{path.relative_to(ROOT)} imports {bad}")
    assert not offenders, offenders


@pytest.mark.parametrize("app", LAYERS)
def test_lower_layers_name_no_higher_page(app):
    offenders = []
    files = [(o, p, "py") for o, p in python_files()] + [
        (o, p, "html") for o, p in template_files()
    ]
    for owner, path, kind in files:
        if owner != app:
            continue
        text = path.read_text()
        names = (
            url_names_in_python(ast.parse(text))
            if kind == "py"
            else set(TEMPLATE_URL.findall(text))
        )
        for name in sorted(names):
            if name in SITE_WIDE or (app, name) in ALLOWED:
                continue
            if higher(app, OWNERS.get(name, "")):
                offenders.append(f"{path.relative_to(ROOT)} names {name} ({OWNERS[name]})")
    assert not offenders, offenders
