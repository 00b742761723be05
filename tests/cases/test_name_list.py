"""The name list behind the client-code check, read from cases/data/common_names.txt."""

from pathlib import Path

import pytest

from cases.identifiers import COMMON_NAMES, fold, looks_like_name


def test_every_listed_name_is_refused_as_a_code_in_capitals():
    # All-caps codes are refused only when listed, so this catches an entry that can never
    # match: capitalised in the file, shorter than three letters, or holding a space, a
    # digit or a stray "#".
    assert COMMON_NAMES
    assert [name for name in COMMON_NAMES if not looks_like_name(name.upper())] == []


DATA = Path(__file__).resolve().parents[2] / "cases" / "data"


@pytest.mark.parametrize(
    "name",
    [
        "first_names.txt",
        "surnames.txt",
        "ambiguous_names.txt",
        "ordinary_words.txt",
        "theorists.txt",
        "not_people.txt",
    ],
)
def test_each_word_list_is_folded_recorded_and_modest(name):
    path = DATA / name
    words = [
        w
        for line in path.read_text().splitlines()
        if not line.startswith("#")
        for w in line.split()
    ]
    assert words
    # The check folds every word before looking it up: a capital or an accent never matches.
    assert [w for w in words if fold(w) != w] == []
    assert path.stat().st_size < 1_000_000
    assert f"`{name}`" in (DATA / "SOURCES.md").read_text()
