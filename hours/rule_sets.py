"""The shipped rule sets: one TOML file per jurisdiction and licence in `seeds/hours/`.

Pure Python (no Django): a management command or a migration loads them into the database
through `load_rule_set_files`, and the tests read the same files.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from hours.rules import RuleSetError, parse_rule_set

SEED_DIRECTORY = Path(__file__).resolve().parents[1] / "seeds" / "hours"


def load_rule_set_files(directory: str | Path = SEED_DIRECTORY) -> list[dict[str, Any]]:
    """Every *.toml in the directory, parsed and normalised, sorted by key. A file that cannot
    be used raises RuleSetError naming the file; so does a file not named after its key
    (ca-lmft.toml holds the rule set "ca-lmft"), so that the file to edit is easy to find."""
    rule_sets: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(directory).glob("*.toml")):
        try:
            with path.open("rb") as file:
                data = tomllib.load(file)
        except tomllib.TOMLDecodeError as exc:
            raise RuleSetError(f"{path.name}: not valid TOML ({exc}).") from exc
        try:
            rule_set = parse_rule_set(data)
        except RuleSetError as exc:
            raise RuleSetError(f"{path.name}: {exc}") from exc
        if rule_set["key"] != path.stem:
            raise RuleSetError(
                f"{path.name}: holds the rule set {rule_set['key']!r}; name the file "
                f"{rule_set['key']}.toml."
            )
        rule_sets[rule_set["key"]] = rule_set
    return [rule_sets[key] for key in sorted(rule_sets)]
