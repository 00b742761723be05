"""The name list behind the client-code check, read from cases/data/common_names.txt."""

from cases.identifiers import COMMON_NAMES, looks_like_name


def test_every_listed_name_is_refused_as_a_code_in_capitals():
    # All-caps codes are refused only when listed, so this catches an entry that can never
    # match: capitalised in the file, shorter than three letters, or holding a space, a
    # digit or a stray "#".
    assert COMMON_NAMES
    assert [name for name in COMMON_NAMES if not looks_like_name(name.upper())] == []
