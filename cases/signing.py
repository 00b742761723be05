"""The content a signature covers, and its SHA-256.

The digest is taken over a canonical JSON rendering of everything the
supervisee wrote, so the log page can show whether the stored content still
matches what was signed.
"""

import hashlib
import json

from .models import SessionLog


def log_signed_content(log: SessionLog) -> dict:
    tags = sorted((tag.pattern.slug, tag.note) for tag in log.tags.all())
    return {
        "log": log.pk,
        "author": log.author_id,
        "client_code": log.client_code,
        "session_date": log.session_date.isoformat(),
        "duration_minutes": log.duration_minutes,
        "modality": log.modality,
        "presentations": sorted(p.slug for p in log.presentations.all()),
        "what_happened": log.what_happened,
        "what_i_felt": log.what_i_felt,
        "what_i_did": log.what_i_did,
        "what_it_teaches": log.what_it_teaches,
        "pre_session_anxiety": log.pre_session_anxiety,
        "post_session_rumination": log.post_session_rumination,
        "tags": [list(t) for t in tags],
    }


def log_digest(log: SessionLog) -> str:
    canonical = json.dumps(log_signed_content(log), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def signature_matches(log: SessionLog) -> bool:
    return bool(log.signed_sha256) and log_digest(log) == log.signed_sha256
