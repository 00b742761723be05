"""What the idle limit keeps: the endpoint, the middleware's part, the form pages, erasure."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import KEPT_DAYS, KeptDraft
from accounts.selectors import KeptDraftLink, kept_drafts_for
from accounts.sessions import KEEP_GRACE, KEPT_MESSAGE, LAST_SEEN
from cases.models import LogStatus, SessionLog
from reflections.models import PrivateReflection
from supervision.erasure import erasure_plan, person_erase
from supervision.models import AuditEvent
from tests.factories import SessionLogFactory, SubmittedLogFactory
from tests.test_core_loop import log_post

pytestmark = pytest.mark.usefixtures("catalog")

KEEP = reverse("keep_and_sign_out")
DISCARD = reverse("kept_draft_discard")
TEXT = "She said the week had been hard and I lost the thread of my plan."


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def move_back(client, seconds: int) -> int:
    session = client.session
    session[LAST_SEEN] -= seconds
    session.save()
    return session[LAST_SEEN]


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def keep(client, form="log_new", object_id=0, **fields):
    data = {"_keep_form": form, "_keep_object": str(object_id), **fields}
    return client.post(KEEP, data)


def kept_log_fields(**overrides):
    data = log_post(**{"what_happened": TEXT, **overrides})
    data.update(csrfmiddlewaretoken="token", identifiers_digest="abc", confirm_not_identifying="on")
    return data


# --- the endpoint -------------------------------------------------------------------------------


def test_keeping_stores_the_form_fields_and_signs_out(supervisee):
    client = signed_in(supervisee)
    response = keep(client, **kept_log_fields())
    assert response.status_code == 200
    assert response.json() == {
        "kept": True,
        "login": f"{reverse('login')}?next=%2Flogs%2Fnew%2F",
    }
    assert not is_signed_in(client)
    draft = KeptDraft.objects.get(owner=supervisee)
    assert (draft.form, draft.object_id) == ("log_new", 0)
    assert draft.fields["what_happened"] == [TEXT]
    assert draft.fields["client_code"] == ["c-17"]
    # Not the token, not the identifier check's state, not the button, nothing foreign.
    for name in ("csrfmiddlewaretoken", "identifiers_digest", "confirm_not_identifying", "then"):
        assert name not in draft.fields
    event = AuditEvent.objects.get(object_type="accounts.keptdraft")
    assert (event.actor, event.action, event.object_id) == (supervisee, "create", draft.pk)
    page = client.get(response.json()["login"]).content.decode()
    assert KEPT_MESSAGE in page
    assert TEXT not in page


def test_a_newer_keep_replaces_the_older_one(supervisee):
    keep(signed_in(supervisee), what_happened="First words.")
    keep(signed_in(supervisee), what_happened="Second words.")
    assert list(KeptDraft.objects.values_list("fields__what_happened", flat=True)) == [
        ["Second words."]
    ]


def test_an_empty_form_keeps_nothing_but_still_signs_out(supervisee):
    client = signed_in(supervisee)
    assert keep(client, what_happened="  ").status_code == 200
    assert not KeptDraft.objects.exists()
    assert not is_signed_in(client)


def test_too_much_text_keeps_nothing_and_leaves_the_session(supervisee):
    client = signed_in(supervisee)
    response = keep(client, what_happened="x" * (services.MAX_VALUE_CHARS + 1))
    assert response.status_code == 413
    assert not KeptDraft.objects.exists()
    assert is_signed_in(client)


def test_keeping_an_edit_of_someone_elses_log_stores_nothing(supervisee, other_supervisee):
    theirs = SessionLogFactory(author=other_supervisee)
    client = signed_in(supervisee)
    before = move_back(client, 5 * 60)
    response = keep(client, "log_edit", theirs.pk, **kept_log_fields())
    assert response.status_code == 404
    assert not KeptDraft.objects.exists()
    assert not AuditEvent.objects.filter(object_type="accounts.keptdraft").exists()
    # Still signed in, and the refused request was not activity either.
    assert is_signed_in(client)
    assert client.session[LAST_SEEN] == before


def test_a_supervisor_cannot_keep_an_edit_of_her_supervisees_log(supervisee, supervisor):
    submitted = SubmittedLogFactory(author=supervisee)
    response = keep(signed_in(supervisor), "log_edit", submitted.pk, what_happened=TEXT)
    assert response.status_code == 404
    assert not KeptDraft.objects.exists()


def test_a_log_no_longer_open_for_editing_is_not_kept(supervisee):
    submitted = SubmittedLogFactory(author=supervisee)
    assert (
        keep(signed_in(supervisee), "log_edit", submitted.pk, what_happened=TEXT).status_code == 404
    )
    assert not KeptDraft.objects.exists()


@pytest.mark.parametrize(
    ("form", "object_id", "status"),
    [("no_such_form", 0, 404), ("log_new", 7, 404), ("log_edit", 0, 404), ("log_new", "x", 404)],
)
def test_unknown_forms_and_ids_are_refused(supervisee, form, object_id, status):
    assert keep(signed_in(supervisee), form, object_id, what_happened=TEXT).status_code == status
    assert not KeptDraft.objects.exists()


def test_the_wrong_role_is_refused(supervisor):
    assert keep(signed_in(supervisor), "journal_new", text=TEXT).status_code == 403
    assert not KeptDraft.objects.exists()


def test_anonymous_keeps_nothing(client):
    response = keep(client, what_happened=TEXT)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not KeptDraft.objects.exists()


def test_keeping_needs_a_post_and_the_csrf_token(supervisee):
    assert signed_in(supervisee).get(KEEP).status_code == 405
    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisee)
    assert keep(client, what_happened=TEXT).status_code == 403
    assert not KeptDraft.objects.exists()


# --- the middleware: not activity, a short grace after the limit ---------------------------------


def test_keeping_is_accepted_a_little_after_the_idle_limit(supervisee):
    client = signed_in(supervisee)
    move_back(client, 15 * 60 + KEEP_GRACE - 30)
    assert keep(client, what_happened=TEXT).status_code == 200
    assert KeptDraft.objects.filter(owner=supervisee).exists()


def test_any_other_page_that_late_signs_out(supervisee):
    client = signed_in(supervisee)
    move_back(client, 15 * 60 + 30)
    response = client.post(reverse("keep_alive"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_past_the_grace_nothing_is_kept(supervisee):
    client = signed_in(supervisee)
    move_back(client, 15 * 60 + KEEP_GRACE + 5)
    response = keep(client, what_happened=TEXT)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not KeptDraft.objects.exists()
    assert not is_signed_in(client)


def test_a_session_ended_everywhere_keeps_nothing(supervisee):
    laptop, phone = signed_in(supervisee), signed_in(supervisee)
    phone.post(reverse("logout"))
    response = keep(laptop, what_happened=TEXT)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not KeptDraft.objects.exists()


def test_a_refused_keep_does_not_restart_the_idle_clock(supervisee):
    client = signed_in(supervisee)
    before = move_back(client, 3 * 60)
    keep(client, "no_such_form")
    assert client.session[LAST_SEEN] == before
    # Whereas any page does.
    client.get(reverse("notifications"))
    assert client.session[LAST_SEEN] > before


# --- finding it again -----------------------------------------------------------------------------


def test_the_new_log_form_comes_back_with_the_kept_text(supervisee):
    keep(signed_in(supervisee), **kept_log_fields())
    client = signed_in(supervisee)
    response = client.get(reverse("cases:log_create"))
    html = response.content.decode()
    assert "We kept what you were writing" in html and "Nothing is saved until you save it" in html
    form = response.context["form"]
    assert form.is_bound and form.data["what_happened"] == TEXT
    assert TEXT in html
    assert 'data-keep-on-timeout="log_new"' in html
    # Saving it (a draft) makes the log and forgets what was kept.
    response = client.post(reverse("cases:log_create"), log_post(what_happened=TEXT))
    log = SessionLog.objects.get(author=supervisee)
    assert response.url == log.get_absolute_url()
    assert log.status == LogStatus.DRAFT and log.what_happened == TEXT
    assert not KeptDraft.objects.exists()


def test_kept_text_is_checked_for_identifiers_before_it_can_be_saved(supervisee):
    # She had ticked the confirmation in the page: a kept draft comes back unchecked all the same.
    text = "Her number is 07700 900123."
    keep(signed_in(supervisee), **kept_log_fields(what_happened=text))
    form = signed_in(supervisee).get(reverse("cases:log_create")).context["form"]
    assert not form.is_valid()
    assert form.identifier_findings[0]["excerpt"] == "07700 900123"
    assert not SessionLog.objects.exists()


def test_a_failed_save_leaves_the_kept_draft(supervisee):
    keep(signed_in(supervisee), **kept_log_fields())
    client = signed_in(supervisee)
    response = client.post(reverse("cases:log_create"), log_post(client_code=""))
    assert response.status_code == 200
    assert KeptDraft.objects.count() == 1


def test_an_edit_comes_back_without_touching_the_stored_log(supervisee):
    log = SessionLogFactory(author=supervisee, what_happened="Stored words.")
    keep(
        signed_in(supervisee),
        "log_edit",
        log.pk,
        **kept_log_fields(what_happened="Kept words.", version=log.version),
    )
    client = signed_in(supervisee)
    response = client.get(reverse("cases:log_edit", args=[log.pk]))
    assert response.context["form"].data["what_happened"] == "Kept words."
    assert "We kept what you were writing" in response.content.decode()
    log.refresh_from_db()
    assert log.what_happened == "Stored words."
    # The stored log changed since (another device): saving the kept text meets the version check.
    SessionLog.objects.filter(pk=log.pk).update(
        what_happened="Saved in the other tab.", version=log.version + 1
    )
    response = client.post(
        reverse("cases:log_edit", args=[log.pk]),
        log_post(what_happened="Kept words.", version=log.version),
    )
    assert response.status_code == 200 and response.context["newer"] is not None
    log.refresh_from_db()
    assert log.what_happened == "Saved in the other tab."
    assert KeptDraft.objects.count() == 1
    # Saved against the current version, the kept draft goes.
    client.post(
        reverse("cases:log_edit", args=[log.pk]),
        log_post(what_happened="Kept words.", version=log.version),
    )
    log.refresh_from_db()
    assert log.what_happened == "Kept words."
    assert not KeptDraft.objects.exists()


def test_discarding_forgets_the_kept_text(supervisee):
    log = SessionLogFactory(author=supervisee, what_happened="Stored words.")
    keep(signed_in(supervisee), "log_edit", log.pk, what_happened="Kept words.")
    client = signed_in(supervisee)
    response = client.post(DISCARD, {"_keep_form": "log_edit", "_keep_object": log.pk})
    assert response.url == reverse("cases:log_edit", args=[log.pk])
    assert not KeptDraft.objects.exists()
    html = client.get(response.url).content.decode()
    assert "What was kept is discarded." in html and "Stored words." in html
    assert "We kept what you were writing" not in html


def test_discarding_someone_elses_is_not_found(supervisee, other_supervisee):
    theirs = SessionLogFactory(author=other_supervisee)
    keep(signed_in(other_supervisee), "log_edit", theirs.pk, what_happened="Theirs.")
    response = signed_in(supervisee).post(
        DISCARD, {"_keep_form": "log_edit", "_keep_object": theirs.pk}
    )
    assert response.status_code == 404
    assert KeptDraft.objects.count() == 1


def test_the_journal_form_comes_back_with_the_kept_text(supervisee):
    keep(signed_in(supervisee), "journal_new", title="Tuesday", text=TEXT)
    client = signed_in(supervisee)
    response = client.get(reverse("reflections:journal_create"))
    assert response.context["form"].data["text"] == TEXT
    assert "We kept what you were writing" in response.content.decode()
    client.post(reverse("reflections:journal_create"), {"title": "Tuesday", "text": TEXT})
    assert PrivateReflection.objects.get(author=supervisee).text == TEXT
    assert not KeptDraft.objects.exists()


def test_a_journal_edit_is_kept_for_its_author_only(supervisee, supervisor):
    entry = PrivateReflection.objects.create(
        author=supervisee, text="Stored.", shared_with=supervisor
    )
    assert keep(signed_in(supervisor), "journal_edit", entry.pk, text="Mine?").status_code == 404
    assert keep(signed_in(supervisee), "journal_edit", entry.pk, text="Kept.").status_code == 200
    client = signed_in(supervisee)
    response = client.get(reverse("reflections:journal_edit", args=[entry.pk]))
    assert response.context["form"].data["text"] == "Kept."
    client.post(reverse("reflections:journal_edit", args=[entry.pk]), {"text": "Kept."})
    entry.refresh_from_db()
    assert entry.text == "Kept." and not KeptDraft.objects.exists()


def test_kept_drafts_for_lists_labels_and_pages_without_text(supervisee, other_supervisee):
    log = SessionLogFactory(author=supervisee)
    keep(signed_in(supervisee), what_happened=TEXT)
    keep(signed_in(supervisee), "log_edit", log.pk, what_happened=TEXT)
    keep(signed_in(other_supervisee), "journal_new", text=TEXT)
    links = kept_drafts_for(supervisee)
    assert [(link.label, link.url) for link in links] == [
        ("Changes to a session log", reverse("cases:log_edit", args=[log.pk])),
        ("A new session log", reverse("cases:log_create")),
    ]
    assert all(isinstance(link, KeptDraftLink) for link in links)
    assert TEXT not in repr(links)


# --- erasure and expiry -----------------------------------------------------------------------------


def test_erasing_a_person_deletes_her_kept_drafts(supervisee, other_supervisee, admin_user):
    keep(signed_in(supervisee), what_happened=TEXT)
    keep(signed_in(other_supervisee), what_happened=TEXT)
    assert (
        "1 form kept when the idle limit signed her out, not yet saved"
        in erasure_plan(supervisee).goes
    )
    person_erase(person=supervisee, by=admin_user)
    assert list(KeptDraft.objects.values_list("owner", flat=True)) == [other_supervisee.pk]


def test_old_kept_drafts_are_purged_and_not_offered(supervisee):
    keep(signed_in(supervisee), what_happened=TEXT)
    KeptDraft.objects.update(created_at=timezone.now() - datetime.timedelta(days=KEPT_DAYS + 1))
    assert kept_drafts_for(supervisee) == []
    assert signed_in(supervisee).get(reverse("cases:log_create")).context["kept"] is None
    out = io.StringIO()
    call_command("purge_kept_drafts", stdout=out)
    assert "Removed 1 kept drafts." in out.getvalue()
    assert not KeptDraft.objects.exists()


def test_the_quick_note_on_the_phone_is_kept_too(supervisee):
    from cases.models import Pattern

    pattern = Pattern.objects.filter(is_background=False).first()
    fields = {
        "client_code": "Q-1",
        "session_date": "2026-11-01",
        "patterns": str(pattern.pk),
        "what_happened": TEXT,
    }
    response = keep(signed_in(supervisee), form="log_quick", **fields)
    assert response.json()["kept"] is True
    client = signed_in(supervisee)
    html = client.get(reverse("cases:log_quick")).content.decode()
    assert "We kept what you were writing" in html and TEXT in html
    assert 'data-keep-on-timeout="log_quick"' in html
    client.post(reverse("cases:log_quick"), {**fields, "session_date": "2026-11-01"})
    assert SessionLog.objects.filter(author=supervisee, what_happened=TEXT).exists()
    assert not KeptDraft.objects.exists()
