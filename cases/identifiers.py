"""Spot likely client identifiers in free text before a case note is stored.

This is a warning aid, not a guarantee of de-identification: it looks for the
identifier shapes that most often slip into session notes (names after a title,
phone numbers, e-mails, dates of birth, addresses, record numbers, ages over 89)
while staying quiet on the numbers clinical writing is full of (PHQ-9 scores,
ICD codes, doses, times, blood pressures).

Every pattern below is linear: quantifiers are bounded or never nested, and any
pattern that could start inside a long run of characters is anchored with a
lookbehind, so a huge paste cannot cause catastrophic backtracking.

Offline and dependency-free on purpose: note text must never leave the server
to be checked.
"""

import bisect
import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Finding:
    kind: str
    label: str
    start: int
    end: int
    field: str = ""

    def excerpt(self, text: str) -> str:
        """The matched text, for showing back to the writer only; never log or store it."""
        return text[self.start : self.end]


@dataclass(frozen=True)
class _Detector:
    kind: str
    label: str
    pattern: re.Pattern[str]
    # Some shapes are only identifiers once their digits are counted, which a
    # regex cannot do without becoming unreadable.
    accept: Callable[[str], bool] = lambda _match: True


def _digit_count(s: str) -> int:
    return sum(ch.isdigit() for ch in s)


# --- Title followed by a name -------------------------------------------------

# Case-sensitive: "Mr Jones" is a name, "mr" or "MS" in running text usually is not.
# A bare title ("the Dr said") has no name to leak, so a capitalised word must follow.
# Sentence-starting words after "Dr." ("saw her Dr. Then ...") are not names.
_NAME_WORD = r"[A-Z](?:['’][A-Z])?[a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z](?:['’][A-Z])?[a-z]+)?"
_NOT_A_NAME = (
    r"(?!(?:The|This|That|Then|There|She|He|They|We|It|I|A|An|In|On|At|And|But|So"
    r"|Her|His|Their|Our|My|Client|Session|Today|Next|Also)\b)"
)
TITLE_NAME = re.compile(
    r"\b(?:Mrs|Mr|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Rev)(?:\.[ \t]*|[ \t]+)"
    + _NOT_A_NAME
    + _NAME_WORD
    + r"(?:[ \t]+"
    + _NOT_A_NAME
    + _NAME_WORD
    + r"){0,2}"
)

# --- Phone numbers ------------------------------------------------------------

# Clinical text is full of short numbers glued to codes ("PHQ-9", "F43.10"),
# decimals ("0.5 mg") and ratios ("120/80", "27/30"); refusing to start or end next
# to those characters keeps them out. Times ("14:30") are too short to matter.
_PHONE_BEFORE = r"(?<![\w/.+\-])"
_PHONE_AFTER = (
    r"(?![\w/]|[.,\-]\d)"
    # "300-1200 mg" or "100-1500 words" have phone-like shapes but carry a unit.
    r"(?![ \t]?(?:(?:mg|mcg|ml|kg|g|words|steps|minutes|mins|hours|hrs|days|weeks|months"
    r"|years)\b|%))"
)
PHONE = re.compile(
    _PHONE_BEFORE + r"(?:"
    # International with a leading "+": group sizes vary too much by country to
    # spell out, so accept loose groups and let the digit count decide.
    r"\+\d{1,3}(?:[ .\-]?\(?\d{1,4}\)?){2,5}"
    # UK national numbers always start with a trunk 0: 07700 900123, 020 7946 0018,
    # 0161 496 0000, 01632 960123.
    r"|\(?0\d{2,4}\)?[ .\-]?\d{3,4}[ .\-]?\d{3,4}"
    # North American Numbering Plan: area codes never start with 0 or 1.
    r"|(?:1[ .\-]?)?\(?[2-9]\d{2}\)?[ .\-]?\d{3}[ .\-]?\d{4}"
    # Seven-digit local numbers only count with the usual hyphen ("555-0123");
    # with a space they are too easily two unrelated numbers.
    r"|[2-9]\d{2}-\d{4}"
    r")" + _PHONE_AFTER
)


def _phone_digits_ok(match: str) -> bool:
    digits = _digit_count(match)
    if match.startswith("+"):
        return 8 <= digits <= 15
    if digits == 7:
        return True
    return 10 <= digits <= 11


# --- E-mail addresses ---------------------------------------------------------

# The lookbehind makes the local part start at the beginning of its run, so a
# long run of letters with no "@" is scanned once rather than once per letter.
EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w.%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,8}"
    r"\.[A-Za-z]{2,24}(?![\w\-])"
)

# --- Labelled dates of birth --------------------------------------------------

# Only dates next to a birth label are flagged: session dates are needed in notes,
# and a year on its own is not an identifying date element.
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    r"|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}"
    rf"|\d{{1,2}}{_ORDINAL}(?:[ \t]+of)?[ \t]+{_MONTH}(?:,?[ \t]+\d{{4}})?"
    rf"|{_MONTH}[ \t]+\d{{1,2}}{_ORDINAL}(?:,?[ \t]+\d{{4}})?(?!\d)"
    rf"|{_MONTH},?[ \t]+\d{{4}}"
    r")(?!\d)"
)
DATE_OF_BIRTH = re.compile(
    r"\b(?:DOB|D\.O\.B\.?|date[ \t]+of[ \t]+birth|birth[ \t]?date|birthday"
    r"|born(?:[ \t]+(?:on|in))?)"
    r"[ \t]*[:=\-–)]?[ \t]*(?:(?:is|was|of)[ \t]+)?(?:on[ \t]+)?(?:the[ \t]+)?" + _DATE,
    re.IGNORECASE,
)

# --- Street addresses, postcodes, ZIP codes ----------------------------------

# Suffixes are case-sensitive so that "street drugs" or "a close friend" stay clean;
# a capitalised word must sit between the house number and the suffix.
_STREET_SUFFIX = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Court|Crescent|Place|Way"
    r"|Terrace|Boulevard|Blvd|Grove|Gardens|Hill|Square)"
)
STREET_ADDRESS = re.compile(
    r"(?<![\w/.:\-])\d{1,5}[A-Za-z]?,?[ \t]+"
    # "2 Family Court hearings" counts hearings at a court, it is not an address.
    r"(?!(?:Family|Crown|County|Magistrates['’]?|Youth|High|Supreme|Coroner['’]?s)"
    r"[ \t]+Court\b(?![ \t]+[A-Z]))"
    r"(?:[A-Z][a-z'’]+[ \t]+){1,4}" + _STREET_SUFFIX + r"\b\.?"
)
# UK inward codes never use C, I, K, M, O or V, which keeps tokens like "2MG" out.
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[ABD-HJLNP-UW-Z]{2}\b")
_US_STATE = (
    r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO"
    r"|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY)"
)
# A five-digit number alone is too common; a city and state in front make it a ZIP.
US_ZIP = re.compile(
    r"\b[A-Z][a-z]+(?:[ \t][A-Z][a-z]+){0,2},[ \t]*" + _US_STATE + r"[ \t]+\d{5}(?:-\d{4})?\b"
)

# --- Record numbers -----------------------------------------------------------

# Record numbers have no shape of their own (they look like any other number), so
# only numbers introduced by a record label are flagged. "client ID" is left out
# because in this app it is the pseudonym code, which is allowed.
_RECORD_LABEL = (
    r"(?:NHS[ \t]*(?:number|no\.?|num\.?|\#)"
    r"|MRN|SSN|CHI[ \t]+(?:number|no\.?)"
    r"|social[ \t]+security[ \t]+(?:number|no\.?)"
    r"|national[ \t]+insurance[ \t]+(?:number|no\.?)|NI[ \t]+(?:number|no\.?)"
    r"|(?:medical[ \t]+|health[ \t]+)?records?[ \t]+(?:number|no\.?|\#)"
    r"|(?:patient|hospital|chart|case|file|insurance|policy|member|reference|ref\.?)"
    r"[ \t]*(?:ID|number|no\.?|num\.?|\#)"
    r"|ID[ \t]+(?:number|no\.?))"
)
RECORD_NUMBER = re.compile(
    r"\b" + _RECORD_LABEL + r"[ \t]*(?:[:#=.][ \t]*)?(?:(?:is|was)[ \t]+)?"
    r"(?:[A-Z]{1,3}[ \t\-]?)?\d{2,}(?:[ /\-]\d{2,}){0,3}[A-Z]?(?![\w/])",
    re.IGNORECASE,
)
# The US SSN shape is distinctive enough to flag without a label.
SSN = re.compile(r"(?<![\w/.\-])\d{3}-\d{2}-\d{4}(?![\w/\-]|\.\d)")


def _enough_record_digits(match: str) -> bool:
    # "case no. 12" is a count, not a record; real record numbers are longer.
    return _digit_count(match) >= 4


# --- Ages over 89 -------------------------------------------------------------

# HIPAA Safe Harbor allows ages up to 89; above that, the few people are findable.
_AGE = r"(?:9\d|1[01]\d)"
# "she was 96 minutes late" or "attendance was 95%" is not an age.
_NOT_A_MEASURE = (
    r"(?![\d/]|[.,]\d|[ \t]*(?:%|(?:percent|per|minutes?|mins?|seconds?|secs?|hours?|hrs?"
    r"|days?|weeks?|wks?|months?|mg|mcg|ml|kg|lbs?|pounds|points?|bpm|mmhg|cm|mm|metres?"
    r"|meters?|miles?|km|times|sessions?|pages?|steps|words)\b))"
)
AGE_OVER_89 = re.compile(
    r"\b(?:"
    rf"aged?[ \t]*(?:[:=][ \t]*|(?:of|is|was)[ \t]+)?{_AGE}{_NOT_A_MEASURE}"
    rf"|{_AGE}(?:[ \t\-]*(?:years?|yrs?)[ \t\-]*old|[ \t\-]*(?:y/o|yo|y\.o\.?)(?!\w))"
    r"|(?:she|he|they|client|patient|mother|father|mum|mom|dad|grandmother|grandfather"
    r"|gran|grandma|grandpa|grandad|husband|wife|partner|[A-Z]{1,4}-\d{1,4})"
    rf"[ \t]+(?:is|was|were|turned|turns|will[ \t]+be)[ \t]+(?:now[ \t]+)?{_AGE}{_NOT_A_MEASURE}"
    rf"|(?:turned|turning|turns)[ \t]+{_AGE}{_NOT_A_MEASURE}"
    rf"|{_AGE}(?:st|nd|rd|th)[ \t]+birthday"
    r"|nonagenarian|centenarian|supercentenarian"
    r")",
    re.IGNORECASE,
)

_DETECTORS: tuple[_Detector, ...] = (
    _Detector("title_name", "a title followed by a name", TITLE_NAME),
    _Detector("phone", "a phone number", PHONE, _phone_digits_ok),
    _Detector("email", "an e-mail address", EMAIL),
    _Detector("date_of_birth", "a date of birth", DATE_OF_BIRTH),
    _Detector("street_address", "a street address", STREET_ADDRESS),
    _Detector("street_address", "a postcode", UK_POSTCODE),
    _Detector("street_address", "a US ZIP code", US_ZIP),
    _Detector("record_number", "a record or ID number", RECORD_NUMBER, _enough_record_digits),
    _Detector("record_number", "a US social security number", SSN),
    _Detector("age_over_89", "an age over 89", AGE_OVER_89),
)


def scan(text: str) -> list[Finding]:
    """Likely identifiers in text, sorted by start and never overlapping."""
    candidates = [
        Finding(detector.kind, detector.label, m.start(), m.end())
        for detector in _DETECTORS
        for m in detector.pattern.finditer(text)
        if detector.accept(m.group())
    ]
    # Longer matches carry more context ("NHS number 943 476 5919" beats the bare
    # digits read as a phone number), so they win; ties go to the earlier one.
    candidates.sort(key=lambda f: (f.start - f.end, f.start))
    starts: list[int] = []
    chosen: list[Finding] = []
    for finding in candidates:
        i = bisect.bisect_left(starts, finding.start)
        if i > 0 and chosen[i - 1].end > finding.start:
            continue
        if i < len(chosen) and chosen[i].start < finding.end:
            continue
        starts.insert(i, finding.start)
        chosen.insert(i, finding)
    return chosen


def scan_fields(fields: Mapping[str, str]) -> list[Finding]:
    """Findings for each field in turn, each tagged with the field it came from."""
    return [
        dataclasses.replace(finding, field=name)
        for name, text in fields.items()
        for finding in scan(text or "")
    ]


# --- Pseudonym codes ----------------------------------------------------------


def _word_list(path: Path) -> frozenset[str]:
    """The words of a data file: one a line; blank lines and "#" comments skipped."""
    with path.open(encoding="utf-8") as lines:
        words = (line.strip() for line in lines)
        return frozenset(word for word in words if word and not word.startswith("#"))


# A code that is one of these is a name whatever its case: the list is lower-case and
# the code is lowered to look it up. Read once, at import.
COMMON_NAMES = _word_list(Path(__file__).parent / "data" / "common_names.txt")

_CODE_NOISE = re.compile(r"[\d\-]")


def looks_like_name(code: str) -> bool:
    """True when a client pseudonym code looks like a person's name rather than a code."""
    code = code.strip()
    letters = _CODE_NOISE.sub("", code)
    if not letters.isalpha() or len(letters) < 3:
        return False
    if letters.lower() in COMMON_NAMES:
        return True
    # "Maria1" should not slip through by adding a digit, but for unlisted words
    # only the bare word is judged by its shape: "NORTH-2" is a code, "North" is not.
    if letters != code:
        return False
    # Title-case (and "McDonald"-style) capitalisation is how names are written;
    # all-caps or all-lowercase words read as codes unless they are listed names.
    return code[0].isupper() and any(ch.islower() for ch in code[1:])
