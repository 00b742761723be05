"""The identifier scanner: recall on synthetic identifiers, quiet on clinical text."""

from collections import Counter

import pytest

from cases.identifiers import Finding, looks_like_name, scan, scan_fields
from tests.cases.identifier_corpus import CLEAN, NAME_CODES, OK_CODES, POSITIVE

# Kinds with a distinctive shape or an explicit label: missing one is a bug.
MUST_CATCH = {"email", "phone", "record_number", "date_of_birth", "web_address", "social_handle"}
MINIMUM_EXAMPLES = {
    "email": 15,
    "phone": 20,
    "record_number": 15,
    "date_of_birth": 15,
    "title_name": 10,
    "street_address": 10,
    "age_over_89": 8,
    "web_address": 8,
    "social_handle": 8,
    "named_place": 10,
}
MAX_FALSE_POSITIVE_RATE = 0.05


def kinds(text: str) -> set[str]:
    return {finding.kind for finding in scan(text)}


def describe(text: str) -> str:
    return "; ".join(f"{f.kind}={f.excerpt(text)!r}" for f in scan(text))


def test_corpus_is_big_enough():
    counts = Counter(kind for _, kind in POSITIVE)
    assert set(counts) == set(MINIMUM_EXAMPLES)
    short = {k: counts[k] for k, n in MINIMUM_EXAMPLES.items() if counts[k] < n}
    assert not short, short
    assert len(CLEAN) >= 200
    assert len(set(CLEAN)) == len(CLEAN), "duplicate clean sentences inflate the denominator"


@pytest.mark.parametrize(
    ("sentence", "kind"),
    POSITIVE,
    ids=[f"{kind}-{i}" for i, (_, kind) in enumerate(POSITIVE)],
)
def test_positive_example_is_caught(sentence, kind):
    assert kind in kinds(sentence), describe(sentence) or "nothing found"


@pytest.mark.parametrize("kind", sorted(MUST_CATCH))
def test_full_recall_for_shaped_and_labelled_kinds(kind):
    examples = [sentence for sentence, expected in POSITIVE if expected == kind]
    missed = [sentence for sentence in examples if kind not in kinds(sentence)]
    recall = 1 - len(missed) / len(examples)
    assert recall == 1.0, f"recall {recall:.0%} for {kind}; missed: {missed}"


def test_false_positive_rate_on_clean_notes():
    flagged = [f"{sentence} -> {describe(sentence)}" for sentence in CLEAN if scan(sentence)]
    rate = len(flagged) / len(CLEAN)
    assert rate <= MAX_FALSE_POSITIVE_RATE, (
        f"{rate:.1%} of {len(CLEAN)} clean sentences flagged:\n" + "\n".join(flagged)
    )


@pytest.mark.parametrize(
    "text",
    [
        "PHQ-9 = 14",
        "F43.10",
        "20 mg sertraline",
        "GAD-7 of 12",
        "50mg",
        "session 12 of 20",
        "2024",
        "14:30",
        "120/80",
        "27/30",
        "50 minutes",
        "0.5 mg",
        "ICD-10 F32.1",
        "aged 89",
        "she is 90 minutes late",
        "session on 3 April 1987",
        "Dr",
        "the Dr said",
        "Mr said",
    ],
)
def test_brief_examples_are_clean(text):
    assert scan(text) == [], describe(text)


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Mr Jones", "Mr Jones"),
        ("seen by Dr. Amara Okoye today", "Dr. Amara Okoye"),
        ("Mrs O'Neill", "Mrs O'Neill"),
        ("Ms Smith-Jones", "Ms Smith-Jones"),
        ("call 07700 900123 later", "07700 900123"),
        ("+44 7700 900123", "+44 7700 900123"),
        ("020 7946 0018", "020 7946 0018"),
        ("(555) 555-0123", "(555) 555-0123"),
        ("555-555-0123", "555-555-0123"),
        ("+1 202 555 0143", "+1 202 555 0143"),
        ("0161 496 0000", "0161 496 0000"),
        ("write to jo@example.org.", "jo@example.org"),
        ("DOB 03/04/1987", "DOB 03/04/1987"),
        ("D.O.B.: 1987-04-03", "D.O.B.: 1987-04-03"),
        ("date of birth 3 April 1987", "date of birth 3 April 1987"),
        ("born on 12 March 1990", "born on 12 March 1990"),
        ("born 12/03/1990", "born 12/03/1990"),
        ("14 Elm Grove", "14 Elm Grove"),
        ("221B Baker Street", "221B Baker Street"),
        ("1600 Pennsylvania Avenue", "1600 Pennsylvania Avenue"),
        ("SW1A 1AA", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("EH8 9YL", "EH8 9YL"),
        ("Springfield, IL 62704", "Springfield, IL 62704"),
        ("NHS number 943 476 5919", "NHS number 943 476 5919"),
        ("NHS no. 9434765919", "NHS no. 9434765919"),
        ("MRN 00123456", "MRN 00123456"),
        ("MRN: A1234567", "MRN: A1234567"),
        ("record number 55-1234", "record number 55-1234"),
        ("patient ID 12345", "patient ID 12345"),
        ("hospital number H123456", "hospital number H123456"),
        ("case no. 2023/1145", "case no. 2023/1145"),
        ("SSN 123-45-6789", "SSN 123-45-6789"),
        ("read out 123-45-6789", "123-45-6789"),
        ("aged 92", "aged 92"),
        ("a 93-year-old", "93-year-old"),
        ("a 95 year old", "95 year old"),
        ("age: 101", "age: 101"),
        ("she is 90", "she is 90"),
    ],
)
def test_brief_examples_are_flagged_exactly(text, excerpt):
    assert [f.excerpt(text) for f in scan(text)] == [excerpt]


def test_offsets_match_excerpts():
    for sentence, _ in POSITIVE:
        for finding in scan(sentence):
            assert sentence[finding.start : finding.end] == finding.excerpt(sentence)
            assert finding.excerpt(sentence).strip() == finding.excerpt(sentence)


def test_findings_are_sorted_and_do_not_overlap():
    text = " ".join(sentence for sentence, _ in POSITIVE)
    findings = scan(text)
    assert len(findings) >= len(POSITIVE)
    assert findings == sorted(findings, key=lambda f: f.start)
    for before, after in zip(findings, findings[1:], strict=False):
        assert before.end <= after.start


def test_longer_labelled_match_wins_over_the_bare_number():
    text = "NHS number 943 476 5919"
    assert [(f.kind, f.start, f.end) for f in scan(text)] == [("record_number", 0, len(text))]


def test_scan_fields_tags_each_finding_with_its_field():
    findings = scan_fields(
        {
            "summary": "C-17 gave her mobile, 07700 900123.",
            "reflection": "Nothing identifying here; PHQ-9 = 14.",
            "plan": "Letter to Dr Okoye; DOB 03/04/1987 on file.",
        }
    )
    assert [(f.field, f.kind) for f in findings] == [
        ("summary", "phone"),
        ("plan", "title_name"),
        ("plan", "date_of_birth"),
    ]
    assert all(isinstance(f, Finding) and f.label for f in findings)
    plan = "Letter to Dr Okoye; DOB 03/04/1987 on file."
    assert findings[1].excerpt(plan) == "Dr Okoye"


def test_scan_fields_of_nothing():
    assert scan_fields({}) == []
    assert scan_fields({"summary": ""}) == []


@pytest.mark.parametrize("code", NAME_CODES)
def test_name_like_codes_are_refused(code):
    assert looks_like_name(code)


@pytest.mark.parametrize("code", OK_CODES)
def test_code_like_codes_are_accepted(code):
    assert not looks_like_name(code)


@pytest.mark.parametrize(
    "text",
    [
        "a" * 100_000,
        "1" * 100_000,
        "1 " * 50_000,
        "1-" * 50_000,
        "a." * 50_000,
        "a@" * 50_000,
        "x@" + "a." * 49_999,
        "Dr " * 33_333,
        "Mr Aa" * 20_000,
        "born " * 20_000,
        "NHS number " * 9_000,
        "9" * 50_000 + " years" * 8_000,
        "14 " + "Elm " * 25_000,
        "+" + "1 " * 50_000,
    ],
    ids=lambda text: repr(text[:12]),
)
def test_huge_pathological_input_is_scanned(text):
    # Catastrophic backtracking would hang here; linear patterns finish instantly.
    findings = scan(text)
    assert all(0 <= f.start < f.end <= len(text) for f in findings)


def test_huge_realistic_note_is_scanned():
    note = " ".join([*CLEAN, *(s for s, _ in POSITIVE)])
    text = (note * (100_000 // len(note) + 1))[:100_000]
    assert len(scan(text)) > len(POSITIVE)
