"""Names without a title, web addresses, handles and named places (issue 19), measured.

The figures are printed (run with -s to see them) and asserted: recall on names of at
least 95%, at most 5% of clean capitalised sentences flagged, and every example of the
kinds the check found before still found.
"""

from collections import Counter

import pytest

from cases import identifiers
from cases.apps import load_extra_detectors
from cases.identifiers import NAME_KINDS, Finding, fold, scan
from tests.cases.identifier_corpus import CLEAN as CLEAN_NOTES
from tests.cases.identifier_corpus import POSITIVE
from tests.cases.name_corpus import CLEAN, NAMED

MIN_NAME_RECALL = 0.95
MAX_CLEAN_FLAGGED = 0.05


def name_found(sentence: str, name: str, allowed=frozenset()) -> bool:
    start = sentence.index(name)
    end = start + len(name)
    return any(
        f.kind in NAME_KINDS and f.start < end and f.end > start for f in scan(sentence, allowed)
    )


def describe(text: str) -> str:
    return "; ".join(f"{f.kind}={f.excerpt(text)!r}" for f in scan(text)) or "nothing"


def test_corpus_is_big_and_varied():
    assert len(NAMED) + len(CLEAN) >= 300
    assert len(NAMED) >= 150 and len(CLEAN) >= 150
    assert len(set(NAMED)) == len(NAMED) and len(set(CLEAN)) == len(CLEAN)
    assert all(name in sentence for sentence, name in NAMED)


def test_recall_on_names(capsys):
    missed = [(s, n, describe(s)) for s, n in NAMED if not name_found(s, n)]
    recall = 1 - len(missed) / len(NAMED)
    with capsys.disabled():
        print(f"\nname recall: {recall:.1%} of {len(NAMED)} sentences ({len(missed)} missed)")
    assert recall >= MIN_NAME_RECALL, "\n".join(map(str, missed))


def test_clean_capitalised_sentences_are_rarely_flagged(capsys):
    flagged = [f"{s} -> {describe(s)}" for s in CLEAN if scan(s)]
    rate = len(flagged) / len(CLEAN)
    with capsys.disabled():
        print(f"\nclean sentences flagged: {rate:.1%} of {len(CLEAN)}")
    assert rate <= MAX_CLEAN_FLAGGED, "\n".join(flagged)


def test_clean_clinical_notes_stay_quiet_with_names_on(capsys):
    flagged = [f"{s} -> {describe(s)}" for s in CLEAN_NOTES if scan(s)]
    rate = len(flagged) / len(CLEAN_NOTES)
    with capsys.disabled():
        print(f"\nclean clinical notes flagged: {rate:.1%} of {len(CLEAN_NOTES)}")
    assert rate <= MAX_CLEAN_FLAGGED, "\n".join(flagged)


def test_every_earlier_kind_keeps_full_recall(capsys):
    per_kind = Counter(kind for _, kind in POSITIVE)
    missed = Counter(kind for s, kind in POSITIVE if kind not in {f.kind for f in scan(s)})
    with capsys.disabled():
        print()
        for kind in sorted(per_kind):
            n = per_kind[kind]
            print(f"{kind}: {(n - missed[kind]) / n:.0%} of {n}")
    assert not missed


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Her husband Michael drinks every night", "Michael"),
        ("Told John Peterson that we would continue next week", "John Peterson"),
        ("Priya said the panic started on the bus", "Priya"),
        ("The client, Margaret Hughes, arrived late again", "Margaret Hughes"),
        ("Chidi Okonkwo came alone.", "Chidi Okonkwo"),
        ("I noticed Zoë's silence.", "Zoë"),
        ("James' mother rang.", "James"),
        ("Ms Smith-Jones from the school", "Ms Smith-Jones"),
        ("her daughter Hope", "Hope"),
        ("Will said no.", "Will"),
        ("see www.example.org/page.", "www.example.org/page"),
        ("at https://example.com/a?b=1, she said", "https://example.com/a?b=1"),
        ("find her at @rae_1990.", "@rae_1990"),
        ("St Mary's Primary", "St Mary's Primary"),
        ("lives on Hyde Road", "Hyde Road"),
    ],
)
def test_examples_are_flagged_exactly(text, excerpt):
    assert [f.excerpt(text) for f in scan(text)] == [excerpt]


@pytest.mark.parametrize(
    "text",
    [
        "Hope is hard to hold onto.",
        "Grace under pressure.",
        "We meet in May, on a Monday, after Easter.",
        "God is important to her.",
        "Winnicott's holding environment; Aaron Beck's triad; Gibbs' cycle.",
        "Rogers says the core conditions are enough.",
        "She moved to Preston.",
        "The funeral was at St Mary's Church.",
        "e.g. sleep, i.e. rest, 3.5 hours, jo@example.org",
        "The Family Court hearing and the Royal College guidance.",
        "Rose-tinted memories.",
        "MoCA 24/30.",
        "the Boss in the role-play",
    ],
)
def test_clean_examples_stay_clean(text):
    assert [f for f in scan(text) if f.kind != "email"] == [], describe(text)


def test_an_email_is_not_also_a_handle_or_web_address():
    text = "write to jo.bloggs@example.org today"
    assert [f.kind for f in scan(text)] == ["email"]


def test_allowed_words_are_left_out_and_nothing_else():
    text = "Her husband Michael rang from 07700 900123. Aster said she was fine."
    assert {f.excerpt(text) for f in scan(text)} >= {"Michael", "07700 900123"}
    allowed = frozenset({fold("Michael"), fold("Aster")})
    assert [f.excerpt(text) for f in scan(text, allowed)] == ["07700 900123"]


def test_an_allowed_pair_or_each_of_its_words_leaves_the_pair_out():
    text = "Told John Peterson."
    assert scan(text, frozenset({"john peterson"})) == []
    assert scan(text, frozenset({"john", "peterson"})) == []
    assert [f.excerpt(text) for f in scan(text, frozenset({"john"}))] != []


def test_fold_ignores_case_accents_and_curly_apostrophes():
    assert fold(" Zoë ") == "zoe"
    assert fold("O’Neill") == fold("o'neill")
    assert fold("Maya   Ross") == "maya ross"


def test_name_lists_are_loaded_and_modest():
    assert len(identifiers.FIRST_NAMES) > 10_000
    assert len(identifiers.SURNAMES) > 10_000
    assert {"priya", "kwame", "siobhan", "mohammed", "giulia"} <= identifiers.FIRST_NAMES
    assert {"nguyen", "okafor", "kowalski", "patel", "hughes"} <= identifiers.SURNAMES
    assert identifiers.AMBIGUOUS_NAMES <= identifiers.FIRST_NAMES | identifiers.SURNAMES
    assert {"grace", "hope", "will", "may", "mark"} <= (
        identifiers.AMBIGUOUS_NAMES | identifiers.ORDINARY_WORDS
    )
    assert {"rogers", "winnicott", "gibbs", "beck", "freud", "linehan"} <= identifiers.THEORISTS


# --- An operator's extra detector -------------------------------------------------


def fake_ner(text: str):
    """Stands in for a locally installed NER model: it knows one name."""
    start = text.find("Xyzzy")
    if start >= 0:
        yield Finding("name", "a person's name (model)", start, start + 5)


def broken_ner(text: str):
    yield Finding("name", "out of range", 0, len(text) + 10)


@pytest.fixture
def extra_detectors(settings):
    def use(*paths):
        settings.IDENTIFIER_EXTRA_DETECTORS = list(paths)
        load_extra_detectors()

    yield use
    identifiers.set_extra_detectors(())


def test_no_extra_detector_by_default():
    assert identifiers._extra_detectors == ()
    assert scan("Xyzzy came.") == []


def test_an_extra_detector_named_in_settings_adds_findings(extra_detectors):
    extra_detectors("tests.cases.test_name_detection.fake_ner")
    text = "Xyzzy came alone; 07700 900123."
    assert [(f.kind, f.excerpt(text)) for f in scan(text)] == [
        ("name", "Xyzzy"),
        ("phone", "07700 900123"),
    ]
    assert [f.kind for f in scan(text, frozenset({"xyzzy"}))] == ["phone"]


def test_findings_outside_the_text_are_ignored(extra_detectors):
    extra_detectors("tests.cases.test_name_detection.broken_ner")
    assert scan("calm week") == []


def test_an_extra_detector_that_does_not_import_stops_start_up(extra_detectors):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="cannot import"):
        extra_detectors("tests.cases.no_such_module.detect")
    with pytest.raises(ImproperlyConfigured, match="not callable"):
        extra_detectors("tests.cases.test_name_detection.MIN_NAME_RECALL")
