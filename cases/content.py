"""What a session log's content is: everything its author writes, named once.

The form asks for these fields, the services save them, the signature's SHA-256
covers them and the export hands them back. `tests/cases/test_content.py` fails
when SessionLog or PatternTag gains a field that is neither listed here nor
declared not to be content, so nothing the author writes can fall outside a
signature unnoticed.

Names only, no models: `cases.models` reads TEXT_FIELDS from here.
"""

# Everything the author writes on the log itself, in the order the form asks for it.
LOG_FIELDS = (
    "client_code",
    "session_date",
    "duration_minutes",
    "modality",
    "client_unit",
    "simulated",
    "presentations",
    "what_happened",
    "what_i_felt",
    "what_i_did",
    "what_it_teaches",
    "pre_session_anxiety",
    "post_session_rumination",
)
# What the quick log (a note on the phone, completed later) asks for; the patterns come
# as tags. The rest, the duration included, waits for the full form.
QUICK_FIELDS = ("client_code", "session_date", "what_happened")
# Those that are many-to-many links to catalog items. The signature records the items'
# slugs, which survive a rewording of the catalog.
CATALOG_FIELDS = ("presentations",)
# The rest are columns of the log's own row, copied from the form as they are.
SCALAR_FIELDS = tuple(name for name in LOG_FIELDS if name not in CATALOG_FIELDS)
# Fields added after logs were first signed, with the value every older log holds. The
# signature names one only when it differs from that value, so a digest stored before the
# field existed still matches its unchanged log, and a log signed since still covers it.
LATER_FIELDS = {"client_unit": "individual", "simulated": False}
# The free text among them: scanned for identifiers, searched, and left unread by lists.
TEXT_FIELDS = ("what_happened", "what_i_felt", "what_i_did", "what_it_teaches")

# The patterns the author tagged the log with: PatternTag rows, reached from the log by
# this name, each holding the pattern (signed by its slug) and her note on it.
TAGS = "tags"
TAG_FIELDS = ("pattern", "note")
