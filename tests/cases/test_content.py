"""The one definition of a session log's content (cases.content), and the signature over it."""

import datetime

import pytest
from django.db import models

from cases.content import LATER_FIELDS, LOG_FIELDS, TAG_FIELDS, TAGS, TEXT_FIELDS
from cases.models import (
    ClientPresentation,
    Modality,
    Pattern,
    PatternFamily,
    PatternTag,
    SessionLog,
)
from cases.signing import log_digest, log_signed_content
from tests.factories import UserFactory

# What the signing code produced for `pinned_log` before the content had one definition.
# Databases store this kind of digest in `signed_sha256` at sign-off: if the rendering of
# unchanged content moves by one byte, every log signed before shows as tampered with.
# Never update this value to make the test pass. A new content field changes it too (one
# more key): that change needs a way to keep checking logs signed before it, such as
# leaving the new key out of the rendering while its value is empty.
PINNED_DIGEST = "7abbdf263217132c3e774643e6c40d070f7b6d28b0f07f33a27d4247346e72ee"


@pytest.fixture
def pinned_log(db) -> SessionLog:
    """A synthetic log with fixed ids, non-ASCII text, an empty field, a missing score, and
    presentations and tags stored in an order other than their slugs' (the signature sorts)."""
    author = UserFactory(pk=7, display_name="Synthetic Author")
    family = PatternFamily.objects.create(slug="pin-family", name="Pinned family")
    later = Pattern.objects.create(slug="pin-a-pattern", name="A", family=family, position=2)
    earlier = Pattern.objects.create(slug="pin-b-pattern", name="B", family=family, position=1)
    log = SessionLog.objects.create(
        pk=41,
        author=author,
        client_code="C-17",
        session_date=datetime.date(2024, 3, 5),
        duration_minutes=50,
        modality=Modality.VIDEO,
        what_happened="We talked about the café – she said “good enough” twice.",
        what_i_felt="",
        what_i_did="Stayed with the silence.",
        what_it_teaches="A plan is a guess, not a promise.",
        pre_session_anxiety=6,
        post_session_rumination=None,
    )
    log.presentations.set(
        [
            ClientPresentation.objects.create(slug="pin-a-presentation", name="A", position=2),
            ClientPresentation.objects.create(slug="pin-b-presentation", name="B", position=1),
        ]
    )
    PatternTag.objects.create(log=log, pattern=earlier, note="Noticed it late; named it.")
    PatternTag.objects.create(log=log, pattern=later, note="")
    return SessionLog.objects.get(pk=log.pk)


def test_the_digest_of_a_signed_log_never_changes(pinned_log):
    # The content first, so that a change shows which value moved; then the digest, which
    # also pins the JSON rendering (sorted keys, unescaped non-ASCII, UTF-8).
    assert log_signed_content(pinned_log) == {
        "log": 41,
        "author": 7,
        "client_code": "C-17",
        "session_date": "2024-03-05",
        "duration_minutes": 50,
        "modality": "video",
        "presentations": ["pin-a-presentation", "pin-b-presentation"],
        "what_happened": "We talked about the café – she said “good enough” twice.",
        "what_i_felt": "",
        "what_i_did": "Stayed with the silence.",
        "what_it_teaches": "A plan is a guess, not a promise.",
        "pre_session_anxiety": 6,
        "post_session_rumination": None,
        "tags": [["pin-a-pattern", ""], ["pin-b-pattern", "Noticed it late; named it."]],
    }
    assert log_digest(pinned_log) == PINNED_DIGEST


# Every field of SessionLog that the author does not write, and why it is left out of the
# signed content. A new field goes either into cases.content (and so into the form, the
# services, the signature and the export) or here, with its reason.
NOT_LOG_CONTENT = {
    "id": "the log's identity, signed under the key 'log'",
    "author": "who wrote it, signed under the key 'author'",
    "status": "where the log is in review; signing moves it",
    "version": "counts saves, to catch two editors at once",
    "created_at": "bookkeeping",
    "updated_at": "bookkeeping",
    "submitted_at": "bookkeeping of the review",
    "deleted_at": "the trash, which only drafts reach",
    "identifiers_confirmed_at": "when she vouched for flagged text: about the content, not in it",
    "signed_by": "the signature itself",
    "signed_at": "the signature itself",
    "signed_sha256": "the signature itself",
    "signed_version": "the signature itself: which version was read and signed",
    "search_vector": "derived from the text and the tag notes",
}
# The same for a tag.
NOT_TAG_CONTENT = {
    "id": "a row id; a tag is known by its pattern",
    "log": "the log it belongs to",
}


def forward_field_names(model: type[models.Model]) -> set[str]:
    # Editable or not: a field that the services fill in for the author would slip past
    # an `editable` filter.
    meta = model._meta
    return {field.name for field in (*meta.concrete_fields, *meta.many_to_many)}


def test_every_field_of_a_log_is_content_or_declared_not_to_be():
    content = set(LOG_FIELDS)
    assert not content & set(NOT_LOG_CONTENT)
    assert forward_field_names(SessionLog) == content | set(NOT_LOG_CONTENT)


def test_every_field_of_a_tag_is_content_or_declared_not_to_be():
    assert SessionLog._meta.get_field(TAGS).related_model is PatternTag
    content = set(TAG_FIELDS)
    assert not content & set(NOT_TAG_CONTENT)
    assert forward_field_names(PatternTag) == content | set(NOT_TAG_CONTENT)


def test_the_signature_covers_the_whole_definition(pinned_log):
    # Fields added later are named only away from their old value (LATER_FIELDS), so the
    # pinned log, which holds those values, keeps the digest it was signed with.
    assert set(log_signed_content(pinned_log)) == {
        "log",
        "author",
        *(name for name in LOG_FIELDS if name not in LATER_FIELDS),
        TAGS,
    }
    pinned_log.client_unit = "couple"
    pinned_log.simulated = True
    assert set(log_signed_content(pinned_log)) == {"log", "author", *LOG_FIELDS, TAGS}


@pytest.mark.parametrize(
    ("name", "values"), [("client_unit", ["couple", "child"]), ("simulated", [True])]
)
def test_a_later_field_is_signed_once_it_differs_from_its_old_value(pinned_log, name, values):
    digests = {log_digest(pinned_log)}
    for value in values:
        setattr(pinned_log, name, value)
        digests.add(log_digest(pinned_log))
    # Every value gives its own digest: a change away from the default, or between two
    # other values, would no longer match a signature.
    assert len(digests) == len(values) + 1


def test_every_free_text_field_is_scanned_and_searched():
    # TEXT_FIELDS is what the identifier check scans: free text left out of it could
    # carry a client's name into the database unchallenged.
    text_fields = {
        name
        for name in LOG_FIELDS
        if isinstance(SessionLog._meta.get_field(name), models.TextField)
    }
    assert text_fields == set(TEXT_FIELDS)
