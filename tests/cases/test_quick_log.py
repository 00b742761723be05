"""The shorter log form and the quick note: today's date, words for the scales, note boxes that
open when a pattern is ticked (the server's rules unchanged), and a quick note saved as a
draft without a duration that must be completed before it is submitted."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.content import LOG_FIELDS, QUICK_FIELDS
from cases.models import LogStatus, Pattern, SessionLog
from tests.factories import SessionLogFactory
from tests.test_core_loop import log_post

pytestmark = pytest.mark.usefixtures("catalog")

QUICK_URL = reverse("cases:log_quick")


@pytest.fixture
def author_client(client, supervisee, supervisor):
    client.force_login(supervisee)
    return client


def patterns(n: int) -> list[Pattern]:
    return list(Pattern.objects.filter(is_background=False).order_by("pk")[:n])


def quick_post(n_patterns: int = 2, **overrides) -> dict:
    data = {
        "client_code": "c-21",
        "session_date": timezone.localdate().isoformat(),
        "what_happened": "I had a plan for every minute and the client wanted to talk about the dog.",
        "patterns": [str(p.pk) for p in patterns(n_patterns)],
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------ the full form


def test_a_new_log_starts_on_today(author_client):
    response = author_client.get(reverse("cases:log_create"))
    assert response.context["form"]["session_date"].value() == timezone.localdate()
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in response.content.decode()


def test_editing_keeps_the_logs_own_date(author_client, supervisee):
    earlier = timezone.localdate() - datetime.timedelta(days=9)
    log = SessionLogFactory(author=supervisee, session_date=earlier)
    form = author_client.get(reverse("cases:log_edit", args=[log.pk])).context["form"]
    assert form["session_date"].value() == earlier


def test_the_scales_say_what_0_and_10_mean(author_client):
    page = author_client.get(reverse("cases:log_create")).content.decode()
    assert "0 means calm; 10, the most anxious I get." in page
    assert "0 means I let it go; 10, I could not stop going over it." in page
    # Tied to the inputs, so a screen reader reads the words with the field.
    assert 'aria-describedby="id_pre_session_anxiety_helptext"' in page
    assert 'aria-describedby="id_post_session_rumination_helptext"' in page


def test_each_note_box_sits_in_its_patterns_row_for_the_script(author_client):
    response = author_client.get(reverse("cases:log_create"))
    page = response.content.decode()
    form = response.context["form"]
    assert len(form.patterns) > 3
    assert page.count("data-pattern-row") == len(form.patterns)
    for pattern in form.patterns:
        box = f'<div class="ms-4" id="note-box-{pattern.pk}" data-pattern-note>'
        assert box in page
        # Box and input both present without the script: nothing is hidden on the server.
        after = page[page.index(box) :]
        assert f'id="id_note_{pattern.pk}"' in after[: after.index("</div>\n")]
    assert "hidden" not in page[page.index("data-pattern-row") : page.index("Client presentations")]
    assert "/static/js/log-form.js" in page
    assert "<script>" not in page  # no inline script under the CSP


def test_a_note_on_an_unticked_pattern_is_still_refused(author_client):
    pattern = patterns(1)[0]
    response = author_client.post(
        reverse("cases:log_create"), log_post(**{f"note_{pattern.pk}": "A note."})
    )
    assert "Tick this pattern to keep the note" in response.content.decode()
    assert not SessionLog.objects.exists()


def test_the_full_form_still_asks_for_the_duration(author_client):
    response = author_client.post(reverse("cases:log_create"), log_post(duration_minutes=""))
    assert "This field is required." in response.context["form"].errors["duration_minutes"][0]
    assert not SessionLog.objects.exists()


# ------------------------------------------------------------------ the quick note


def test_the_quick_note_asks_only_its_own_fields(author_client):
    form = author_client.get(QUICK_URL).context["form"]
    assert set(QUICK_FIELDS) <= set(LOG_FIELDS)
    asked = set(form.fields) - {"identifiers_digest", "confirm_not_identifying", "patterns"}
    assert asked == set(QUICK_FIELDS)
    assert form["session_date"].value() == timezone.localdate()


def test_a_quick_note_is_saved_as_a_draft_without_a_duration(author_client, supervisee):
    chosen = patterns(3)
    response = author_client.post(QUICK_URL, quick_post(3))
    log = SessionLog.objects.get()
    assert response.status_code == 302 and response.url == log.get_absolute_url()
    assert log.author == supervisee
    assert log.status == LogStatus.DRAFT
    assert log.client_code == "C-21"
    assert log.session_date == timezone.localdate()
    assert log.what_happened.startswith("I had a plan for every minute")
    assert log.duration_minutes is None and log.is_quick_note
    assert log.what_i_felt == "" and log.pre_session_anxiety is None
    assert {t.pattern for t in log.tags.all()} == set(chosen)
    assert all(t.note == "" for t in log.tags.all())


@pytest.mark.parametrize(
    ("count", "message"),
    [(0, "Tick at least one pattern"), (4, "Tick at most 3 patterns (you ticked 4)")],
)
def test_none_or_more_than_three_patterns_are_refused(author_client, count, message):
    response = author_client.post(QUICK_URL, quick_post(count))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["patterns"])
    assert message in response.content.decode()
    assert not SessionLog.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("client_code", "Maria", "looks like a person's name"),
        ("client_code", "C 17", "Use 2 to 12 letters"),
        ("client_code", "", "This field is required."),
        ("session_date", "2999-01-01", "pick today or earlier"),
        ("what_happened", "", "This field is required."),
        ("what_happened", "x" * 501, "at most 500 characters"),
        ("patterns", ["99999999999999999999999"], "Select a valid choice"),
    ],
)
def test_the_quick_note_keeps_the_logs_rules(author_client, field, value, message):
    response = author_client.post(QUICK_URL, quick_post(**{field: value}))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not SessionLog.objects.exists()


def test_background_patterns_are_not_offered_on_the_quick_note(author_client):
    background = Pattern.objects.filter(is_background=True).first()
    assert background is not None
    response = author_client.post(QUICK_URL, quick_post(patterns=[str(background.pk)]))
    assert "Select a valid choice" in " ".join(response.context["form"].errors["patterns"])
    assert not SessionLog.objects.exists()


def test_the_identifier_check_applies_to_the_quick_note(author_client):
    text = "Call her back on 07700 900123 about the dog."
    response = author_client.post(QUICK_URL, quick_post(what_happened=text))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.identifier_findings[0]["excerpt"] == "07700 900123"
    assert "Possible identifiers" in response.content.decode()
    assert not SessionLog.objects.exists()
    digest = form.data["identifiers_digest"]
    response = author_client.post(
        QUICK_URL,
        quick_post(what_happened=text, identifiers_digest=digest, confirm_not_identifying="on"),
    )
    assert response.status_code == 302
    log = SessionLog.objects.get()
    assert log.what_happened == text and log.identifiers_confirmed_at is not None


def test_a_quick_note_cannot_be_submitted_until_completed(author_client):
    author_client.post(QUICK_URL, quick_post())
    log = SessionLog.objects.get()
    response = author_client.post(reverse("cases:log_submit", args=[log.pk]), follow=True)
    assert "Add how long the session was before submitting." in response.content.decode()
    log.refresh_from_db()
    assert log.status == LogStatus.DRAFT and log.submitted_at is None


def test_the_service_refuses_to_submit_a_quick_note(supervisee, supervisor):
    log = SessionLogFactory(author=supervisee, duration_minutes=None)
    with pytest.raises(services.WorkflowError, match="Add how long the session was"):
        services.session_log_submit(log=log, by=supervisee)
    assert SessionLog.objects.get(pk=log.pk).status == LogStatus.DRAFT


@pytest.mark.parametrize("status", [LogStatus.SUBMITTED, LogStatus.RETURNED, LogStatus.SIGNED])
def test_the_database_keeps_a_duration_on_every_log_past_the_draft(supervisee, status):
    log = SessionLogFactory(author=supervisee, duration_minutes=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionLog.objects.filter(pk=log.pk).update(status=status)


def test_completing_a_quick_note_with_the_full_form(author_client, supervisor):
    author_client.post(QUICK_URL, quick_post(2))
    log = SessionLog.objects.get()
    ticked = patterns(2)
    edit = reverse("cases:log_edit", args=[log.pk])
    form = author_client.get(edit).context["form"]
    assert form["duration_minutes"].value() is None  # she says how long it was; no guess
    assert all(form[f"tag_{p.pk}"].value() for p in ticked)
    data = log_post(
        version=str(log.version),
        client_code=log.client_code,
        what_happened=log.what_happened,
        then="submit",
        **{f"tag_{p.pk}": "on" for p in ticked},
    )
    data["duration_minutes"] = ""
    refused = author_client.post(edit, data)
    assert refused.status_code == 200
    assert "duration_minutes" in refused.context["form"].errors
    data["duration_minutes"] = "45"
    response = author_client.post(edit, data, follow=True)
    assert "Saved and submitted for review." in response.content.decode()
    log.refresh_from_db()
    assert (log.duration_minutes, log.status, log.is_quick_note) == (45, LogStatus.SUBMITTED, False)
    assert {t.pattern for t in log.tags.all()} == set(ticked)


def test_the_log_page_and_list_show_a_quick_note_with_a_link_to_complete_it(
    author_client, supervisee
):
    quick = SessionLogFactory(author=supervisee, duration_minutes=None, client_code="C-5")
    full = SessionLogFactory(author=supervisee, client_code="C-6")
    edit = reverse("cases:log_edit", args=[quick.pk])
    page = author_client.get(quick.get_absolute_url()).content.decode()
    assert "Quick note — complete it when you have a moment." in page
    assert f'href="{edit}"' in page
    assert "Duration not given yet" in page and "None" not in page
    listed = author_client.get(reverse("cases:log_list")).content.decode()
    assert listed.count("Quick note — complete it when you have a moment.") == 1
    assert f'href="{edit}"' in listed
    assert f'href="{reverse("cases:log_edit", args=[full.pk])}"' not in listed
    assert (
        "Quick note — complete" not in author_client.get(full.get_absolute_url()).content.decode()
    )


def test_the_quick_note_is_offered_where_she_starts_a_log(author_client, supervisee):
    SessionLogFactory(author=supervisee)
    assert f'href="{QUICK_URL}"' in author_client.get(reverse("cases:log_list")).content.decode()
    assert f'href="{QUICK_URL}"' in author_client.get(reverse("cases:log_create")).content.decode()


def test_her_records_say_a_quick_note_has_no_duration_yet(author_client, supervisee):
    SessionLogFactory(author=supervisee, duration_minutes=None)
    page = author_client.get(reverse("reflections:export_print")).content.decode()
    assert "not given (a quick note)" in page and "None minutes" not in page
    data = author_client.get(reverse("reflections:export_json")).json()
    assert data["session_logs"][0]["duration_minutes"] is None
