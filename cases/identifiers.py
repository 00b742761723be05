"""Spot likely client identifiers in free text before a case note is stored.

This is a warning aid, not a guarantee of de-identification: it looks for the
identifier shapes that most often slip into session notes (people's names, with or
without a title, phone numbers, e-mails, web addresses and handles, dates of birth,
addresses, named schools, hospitals and employers, record numbers, ages over 89)
while staying quiet on the numbers clinical writing is full of (PHQ-9 scores,
ICD codes, doses, times, blood pressures) and on the capitalised words that are not
people (months, holidays, faiths, theorists, places).

Names are found with word lists (cases/data/, sources in cases/data/SOURCES.md) and
a few rules about the words around them; see `_names`. An operator may add a
stronger detector (a locally installed NER model) with `set_extra_detectors`.

Every pattern below is linear: quantifiers are bounded or never nested, and any
pattern that could start inside a long run of characters is anchored with a
lookbehind, so a huge paste cannot cause catastrophic backtracking.

Offline and dependency-free on purpose: note text must never leave the server
to be checked.
"""

import bisect
import dataclasses
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
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
    # Something every match contains, found much faster than the pattern itself: a
    # note without it skips the pattern (the scan of a long note stays within a few ms).
    hint: re.Pattern[str] | None = None
    # With a hint, how far before and after each hint the pattern can reach: the
    # pattern then runs only there instead of over the whole text.
    reach: tuple[int, int] | None = None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.hint is None:
            yield from self.pattern.finditer(text)
            return
        hints = list(self.hint.finditer(text))
        if not hints:
            return
        if self.reach is None:
            yield from self.pattern.finditer(text)
            return
        before, after = self.reach
        done = 0  # matches end in order; a window never yields one already given
        for hint in hints:
            lo, hi = max(done, hint.start() - before), min(len(text), hint.end() + after)
            for m in self.pattern.finditer(text, lo, hi):
                if m.start() >= done:
                    done = m.end()
                    yield m


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
    _PHONE_BEFORE + r"(?=[+(\d])(?:"
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
    r"\b(?=[db])(?:DOB|D\.O\.B\.?|date[ \t]+of[ \t]+birth|birth[ \t]?date|birthday"
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
    # The lookahead only speeds the scan: every label starts with one of these letters.
    r"\b(?=[nmschrpfi])" + _RECORD_LABEL + r"[ \t]*(?:[:#=.][ \t]*)?(?:(?:is|was)[ \t]+)?"
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

# --- Web addresses and social media handles ----------------------------------

# Bare domains count only with a common top-level domain, so "e.g." and "i.e." stay
# clean; a trailing full stop or bracket belongs to the sentence, not the address.
_TLD = (
    r"com|org|net|io|co|uk|info|me|app|ly|tv|gg|biz|us|ca|au|ie|de|fr|nz|edu|gov|online"
    r"|site|blog"
)
_URL_TAIL = r"(?:/[^\s<>\"']{0,300}[^\s<>\"'.,;:!?)\]])?"
WEB_ADDRESS = re.compile(
    r"(?<![\w@.\-/])(?:"
    r"(?:https?://|www\.)[^\s<>\"'/]{1,253}"
    + _URL_TAIL
    + r"|[A-Za-z0-9][A-Za-z0-9\-]{0,62}(?:\.[A-Za-z0-9\-]{1,63}){0,4}"
    r"\.(?:" + _TLD + r")(?![\w\-@])" + _URL_TAIL + r")"
)
# "@name" not glued to a word (that would be an e-mail address).
SOCIAL_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])")

# --- Named schools, hospitals, employers and streets -------------------------

# The keyword names the kind of place; the capitalised words before it make it one
# place. Generic phrases ("the Primary School", "Royal College") are left alone: their
# first word is one of the generic ones.
_PLACE_KEYWORD = (
    r"(?:Primary|Infants?|Juniors?|Secondary|Academy|School|College|University|Nursery"
    r"|Hospital|Infirmary|Hospice|Clinic|Surgery|Health[ \t]+Centre|Medical[ \t]+Centre"
    r"|Ltd|Limited|PLC|plc|LLP|Inc"
    r"|Road|Street|Lane|Avenue|Drive|Close|Crescent|Terrace|Grove|Gardens|Estate)"
)
_NOT_A_PLACE_WORD = (
    r"(?!(?:The|A|An|This|That|Her|His|Their|My|Our|Your|Its|Royal|National|Open|Local|New"
    r"|Old|Primary|Secondary|High|Junior|Infant|Medical|Health|General|Private|State|Sixth"
    r"|Form|Grammar|Community|Mental|Family|Crown|County|Magistrates|Youth|NHS|Children"
    r"|Special|Boarding|Catholic|Faith|Church|Sunday|Summer|Holiday)\b)"
)
NAMED_PLACE = re.compile(
    r"(?<![\w'’\-])(?:(?:St|Saint)\.?[ \t]+)?"
    + _NOT_A_PLACE_WORD
    + r"[A-Z][A-Za-z'’\-]{1,30}[ \t]+(?:[A-Z][A-Za-z'’\-]{1,30}[ \t]+){0,2}"
    + _PLACE_KEYWORD
    + r"(?![\w'’\-])"
)

_AT = re.compile("@")
_TWO_DIGITS = re.compile(r"\d\d")
# Every age the pattern takes is a whole number from 90 to 119.
_AGE_HINT = re.compile(r"(?<!\d)(?:9\d|1[01]\d)(?!\d)|enarian", re.IGNORECASE)
_WEB_HINT = re.compile(r"://|www\.|\.(?:" + _TLD + r")(?![\w\-@])")
_PLACE_HINT = re.compile(_PLACE_KEYWORD + r"(?![\w'’\-])")

_DETECTORS: tuple[_Detector, ...] = (
    _Detector("title_name", "a title followed by a name", TITLE_NAME),
    _Detector("phone", "a phone number", PHONE, _phone_digits_ok),
    _Detector("email", "an e-mail address", EMAIL, hint=_AT),
    _Detector("date_of_birth", "a date of birth", DATE_OF_BIRTH),
    _Detector("street_address", "a street address", STREET_ADDRESS),
    _Detector("street_address", "a postcode", UK_POSTCODE),
    _Detector("street_address", "a US ZIP code", US_ZIP),
    _Detector(
        "record_number", "a record or ID number", RECORD_NUMBER, _enough_record_digits, _TWO_DIGITS
    ),
    _Detector("record_number", "a US social security number", SSN),
    _Detector("age_over_89", "an age over 89", AGE_OVER_89, hint=_AGE_HINT, reach=(64, 48)),
    _Detector("web_address", "a web address", WEB_ADDRESS, hint=_WEB_HINT),
    _Detector("social_handle", "a social media handle", SOCIAL_HANDLE, hint=_AT),
    _Detector(
        "named_place", "a named school, hospital, employer or street", NAMED_PLACE, hint=_PLACE_HINT
    ),
)


ExtraDetector = Callable[[str], Iterable[Finding]]

# Further detectors an operator installs (settings.IDENTIFIER_EXTRA_DETECTORS, loaded
# by CasesConfig.ready); empty by default, so the check needs nothing but this file.
_extra_detectors: tuple[ExtraDetector, ...] = ()


def set_extra_detectors(detectors: Iterable[ExtraDetector]) -> None:
    """Use these callables too: each takes the text and yields Findings within it."""
    global _extra_detectors
    _extra_detectors = tuple(detectors)


def scan(text: str, allowed: Collection[str] = frozenset()) -> list[Finding]:
    """Likely identifiers in text, sorted by start and never overlapping.

    `allowed` holds the writer's own words (folded with `fold`): a name finding made
    only of them is dropped, whichever detector made it.
    """
    candidates = [
        Finding(detector.kind, detector.label, m.start(), m.end())
        for detector in _DETECTORS
        for m in detector.finditer(text)
        if detector.accept(m.group())
    ]
    candidates += _names(text, allowed)
    for detector in _extra_detectors:
        candidates += [
            f
            for f in detector(text)
            if 0 <= f.start < f.end <= len(text)
            and not (f.kind in NAME_KINDS and _is_allowed(f.excerpt(text), allowed))
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


def scan_fields(fields: Mapping[str, str], allowed: Collection[str] = frozenset()) -> list[Finding]:
    """Findings for each field in turn, each tagged with the field it came from."""
    return [
        dataclasses.replace(finding, field=name)
        for name, text in fields.items()
        for finding in scan(text or "", allowed)
    ]


# --- People's names without a title -------------------------------------------

# Findings of these kinds are names: the writer may mark one as her own word.
NAME_KINDS = frozenset({"name", "title_name"})


def fold(word: str) -> str:
    """A word as the lists hold it: lower case, no accents, straight apostrophes."""
    decomposed = unicodedata.normalize("NFKD", word.strip().lower())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(folded.replace("’", "'").split())


def _is_allowed(excerpt: str, allowed: Collection[str]) -> bool:
    if not allowed:
        return False
    key = fold(excerpt)
    return key in allowed or all(w in allowed for w in key.split())


def _data_words(name: str) -> frozenset[str]:
    """The words of a data file: several a line allowed; blank lines and "#" comments skipped."""
    path = Path(__file__).parent / "data" / name
    with path.open(encoding="utf-8") as lines:
        return frozenset(
            word for line in lines if not line.startswith("#") for word in line.split()
        )


_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
# A capitalised word: "Priya", "O'Neill", "McDonald", "Okonkwo-Adeyemi", "Zoë", "Tom's";
# not the start of an acronym ("MoCA").
_CAP_WORD = re.compile(
    rf"(?<![\w'’\-])(?:[{_UPPER}]['’])?[{_UPPER}][{_LOWER}]+(?:[{_UPPER}][{_LOWER}]+)?"
    rf"(?:['’\-][{_UPPER}]?[{_LOWER}]+){{0,3}}(?![\w\-]|['’]\w)"
)
_POSSESSIVE = re.compile(r"['’]s$")

# Someone's relation to the client or the writer, right before a word, says the word is
# a person ("her husband Michael", "my client, Margaret Hughes,", "a friend called Jo").
_RELATIONS = frozenset(
    [
        "husband",
        "wife",
        "partner",
        "boyfriend",
        "girlfriend",
        "fiance",
        "fiancee",
        "fiancé",
        "fiancée",
        "spouse",
        "ex",
        "son",
        "daughter",
        "child",
        "kid",
        "baby",
        "mother",
        "mum",
        "mom",
        "father",
        "dad",
        "parent",
        "brother",
        "sister",
        "sibling",
        "twin",
        "aunt",
        "auntie",
        "uncle",
        "cousin",
        "nephew",
        "niece",
        "grandmother",
        "grandfather",
        "grandson",
        "granddaughter",
        "gran",
        "granny",
        "grandma",
        "grandpa",
        "grandad",
        "nan",
        "nana",
        "stepmother",
        "stepfather",
        "stepson",
        "stepdaughter",
        "stepmum",
        "stepdad",
        "friend",
        "colleague",
        "boss",
        "manager",
        "supervisor",
        "neighbour",
        "neighbor",
        "flatmate",
        "roommate",
        "housemate",
        "client",
        "patient",
        "pt",
        "teacher",
        "carer",
        "caregiver",
        "worker",
        "therapist",
        "counsellor",
        "counselor",
        "lodger",
        "landlord",
        "landlady",
        "tenant",
        "ex-husband",
        "ex-wife",
        "ex-partner",
        "ex-boyfriend",
        "ex-girlfriend",
        "in-law",
        "mother-in-law",
        "father-in-law",
        "sister-in-law",
        "brother-in-law",
        "lover",
        "abuser",
        "attacker",
        "bully",
        "coach",
        "pastor",
        "imam",
        "rabbi",
        "vicar",
        "priest",
    ]
)
_NAMING = frozenset({"named", "called", "nicknamed"})
_NAMING_PAIRS = frozenset({("known", "as"), ("name", "is"), ("name", "was"), ("goes", "by")})
# A speaking, wanting or doing verb after a listed word says it is a person ("Priya said").
_CUE_AFTER = re.compile(
    r",?[ \t]+(?:(?:had|has|then|also|just|later|finally|never|always|often)[ \t]+)?"
    r"(?:said|says|told|tells|asked|asks|replied|explained|reported|mentioned|admitted"
    r"|texted|rang|phoned|shouted|screamed|cried|insisted|agreed|refused|promised|wants"
    r"|wanted|thinks|thought|feels|felt|believes|believed|blames|blamed|hit|hits|left"
    r"|drinks|drank|arrived|died|moved|works|lives|lived|came|visited|called)\b"
)
_POSSESSIVE_RELATION = re.compile(
    r"['’]s[ \t]+(?:" + "|".join(sorted(_RELATIONS, key=len, reverse=True)) + r")s?\b",
    re.IGNORECASE,
)
# Where a capitalised word starts a sentence, a line, a quotation or a list item, its
# capital says nothing.
_STARTERS = frozenset('.!?:;\n"“‘(•*-–—)')
_LOCATIVES = frozenset(["in", "to", "from", "at", "near", "around", "outside", "via", "towards"])
_GAP = re.compile(r"[ \t]+")
_FUNCTION_WORDS = frozenset(
    [
        "the",
        "this",
        "that",
        "these",
        "those",
        "then",
        "there",
        "she",
        "he",
        "they",
        "we",
        "it",
        "i",
        "a",
        "an",
        "in",
        "on",
        "at",
        "and",
        "but",
        "so",
        "her",
        "his",
        "their",
        "our",
        "my",
        "your",
        "its",
        "client",
        "session",
        "today",
        "tomorrow",
        "yesterday",
        "next",
        "also",
        "everyone",
        "everybody",
        "someone",
        "somebody",
        "nobody",
        "noone",
        "anyone",
        "anybody",
        "mum",
        "mom",
        "dad",
        "mother",
        "father",
        "nan",
        "gran",
        "grandma",
        "grandpa",
        "sister",
        "brother",
        "son",
        "daughter",
        "husband",
        "wife",
        "partner",
        "doctor",
        "nurse",
        "teacher",
        "police",
        "staff",
        "school",
        "work",
        "home",
        "god",
    ]
)
_LOOK_BEHIND = 40

FIRST_NAMES = _data_words("first_names.txt")
SURNAMES = _data_words("surnames.txt")
# Names that are also common words: a name only when a cue or a surname says so, or when
# capitalised alone in the middle of a sentence.
AMBIGUOUS_NAMES = _data_words("ambiguous_names.txt")
# Names that are far more often ordinary words even capitalised ("Grace", "Will", "May").
ORDINARY_WORDS = _data_words("ordinary_words.txt")
# Never names unless a relationship comes first ("my client Rogers").
THEORISTS = _data_words("theorists.txt")
NOT_PEOPLE = _data_words("not_people.txt") | THEORISTS


def _key(word: str) -> str:
    word = _POSSESSIVE.sub("", word)
    if word.isascii():
        return word.lower()
    return fold(word)


def _listed(key: str, names: frozenset[str]) -> bool:
    return key in names or ("-" in key and any(p in names for p in key.split("-")))


def _is_compound(word: str) -> bool:
    """ "Rose-tinted", "Sky-high": a hyphen before a small letter makes an ordinary word."""
    return "-" in word and any(part[:1].islower() for part in word.split("-")[1:])


def _is_ambiguous(key: str) -> bool:
    parts = [p for p in key.split("-") if p in FIRST_NAMES or p in SURNAMES] or [key]
    return all(p in AMBIGUOUS_NAMES or p in ORDINARY_WORDS for p in parts)


@dataclass(frozen=True)
class _Context:
    """What the words just before a capitalised word say about it."""

    related: bool  # "her husband", "my client,", "called"
    initial: bool  # starts a sentence, line, quotation or list item
    saint: bool  # "St Mary's" is a church or a school, not Mary
    locative: bool  # "moved to", "lives in"
    article: bool  # "the Major", "the Boss": a role, not a name


def _context(text: str, start: int) -> _Context:
    before = text[max(0, start - _LOOK_BEHIND) : start].rstrip(" \t")
    if not before:
        return _Context(False, start - _LOOK_BEHIND < 0, False, False, False)
    bare = before.rstrip(",:")
    words = bare.lower().rsplit(None, 3)[-3:] if bare else []
    last = words[-1] if words else ""
    prev = words[-2] if len(words) > 1 else ""
    singular = last[:-1] if last.endswith("s") else last
    related = (
        last in _RELATIONS
        or singular in _RELATIONS
        or last in _NAMING
        or (prev, last) in _NAMING_PAIRS
        or (last in ("is", "was") and (prev in _RELATIONS or prev[:-1] in _RELATIONS))
    )
    initial = before[-1] in _STARTERS
    if before[-1] in "-)" and len(before) > 1:
        # A dash or a closing bracket starts something ("Mum - Bernadette", "1) Grace")
        # only after a space or a list number, not glued to a word ("see above) Grace").
        initial = before[-2] in " \t\n" or before[-2].isdigit()
    return _Context(
        related=related,
        initial=initial,
        saint=last in ("st", "st.", "saint"),
        locative=last in _LOCATIVES,
        article=last == "the",
    )


def _span_end(token: re.Match[str]) -> int:
    return token.start() + len(_POSSESSIVE.sub("", token.group()))


def _adjacent(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
    """Two capitalised words with only a space between: one name, or one title."""
    return left.group() == text[left.start() : _span_end(left)] and bool(
        _GAP.fullmatch(text, left.end(), right.start())
    )


def _names(text: str, allowed: Collection[str]) -> list[Finding]:
    """People's names found by the word lists and the words around them."""
    tokens = list(_CAP_WORD.finditer(text))
    found: list[Finding] = []

    def add(start: int, end: int) -> None:
        if not _is_allowed(text[start:end], allowed):
            found.append(Finding("name", "a person's name", start, end))

    i = 0
    while i < len(tokens):
        token = tokens[i]
        word, start, end = token.group(), token.start(), _span_end(token)
        key = _key(word)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        prv = tokens[i - 1] if i > 0 else None
        i += 1
        if key in allowed or key in _FUNCTION_WORDS:
            continue
        ctx = _context(text, start)
        if ctx.saint or (_is_compound(word) and not ctx.related):
            continue
        first = _listed(key, FIRST_NAMES)
        listed = first or _listed(key, SURNAMES)
        next_key = _key(nxt.group()) if nxt is not None else ""
        paired = (
            nxt is not None
            and _adjacent(text, token, nxt)
            and next_key not in allowed
            and next_key not in _FUNCTION_WORDS
            and not _is_compound(nxt.group())
        )
        if first and paired and nxt is not None:
            if next_key in THEORISTS and not ctx.related:
                i += 1  # "Aaron Beck", "Carl Rogers": a citation, not a client
                continue
            next_listed = _listed(next_key, SURNAMES) or _listed(next_key, FIRST_NAMES)
            # A surname follows: "John Peterson", "Will Smith", "Ngozi Okafor".
            if (
                next_key not in NOT_PEOPLE
                and (next_listed or not _is_ambiguous(key))
                and not NAMED_PLACE.match(text, start)
            ):
                i += 1
                add(start, _span_end(nxt))
                continue
        if ctx.related:
            is_name = listed or key not in NOT_PEOPLE
        elif key in NOT_PEOPLE:
            is_name = False
        elif not listed:
            # An unlisted given name before a listed surname: "Chidi Okonkwo". Before a
            # first name ("Told John Peterson") the name starts at the next word.
            if (
                paired
                and nxt is not None
                and next_key in SURNAMES
                and next_key not in FIRST_NAMES
                and next_key not in NOT_PEOPLE
                and not _is_ambiguous(next_key)
            ):
                i += 1
                add(start, _span_end(nxt))
            continue
        elif _CUE_AFTER.match(text, end) or _POSSESSIVE_RELATION.match(text, end):
            is_name = True  # "Grace said", "Will's mum"
        elif not _is_ambiguous(key):
            # "moved to Preston": a surname that is no first name, after "to", is a place.
            is_name = first or not ctx.locative
        elif key in ORDINARY_WORDS or ctx.initial or ctx.article:
            is_name = False
        else:
            # A common word capitalised alone mid-sentence ("asked Jack to") is a name;
            # in a run of capitals ("Family Court", "Higher Power") it is a title.
            after_capital = prv is not None and bool(_GAP.fullmatch(text, prv.end(), start))
            is_name = not after_capital and not paired
        if is_name:
            add(start, end)
    return found


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
