"""Her own words: a name she marks as fine is not flagged again, for her alone (issue 19)."""

import json

import pytest
from django.urls import reverse

from cases import services
from cases.models import AllowedWord, SessionLog
from reflections.models import PrivateReflection
from supervision.erasure import erasure_plan, person_erase
from supervision.models import AuditAction, AuditEvent
from tests.test_core_loop import log_post

pytestmark = pytest.mark.usefixtures("catalog")

TEXT = "Her husband Michael drinks every night."


def create(client, **overrides):
    return client.post(reverse("cases:log_create"), log_post(**overrides))


@pytest.fixture
def author_client(client, supervisee):
    client.force_login(supervisee)
    return client


def test_a_flagged_name_has_a_box_to_mark_it_as_fine(author_client):
    response = create(author_client, what_happened=TEXT)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="allow_word" value="Michael"' in html
    assert "Fine for my notes" in html
    assert SessionLog.objects.count() == 0


def test_marking_the_name_saves_the_log_and_keeps_the_word(author_client, supervisee):
    response = create(author_client, what_happened=TEXT, allow_word="Michael")
    assert response.status_code == 302
    assert SessionLog.objects.get().what_happened == TEXT
    allowed = AllowedWord.objects.get()
    assert (allowed.owner, allowed.word, allowed.normalized) == (supervisee, "Michael", "michael")
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="cases.allowedword", object_id=allowed.pk
    ).exists()
    # From now on the same text passes without a word from the check.
    assert create(author_client, what_happened=TEXT).status_code == 302


def test_marking_a_name_keeps_it_even_when_other_findings_remain(author_client):
    text = TEXT + " He gave 07700 900123."
    response = create(author_client, what_happened=text, allow_word="Michael")
    assert response.status_code == 200
    assert [f["excerpt"] for f in response.context["form"].identifier_findings] == ["07700 900123"]
    assert list(AllowedWord.objects.values_list("word", flat=True)) == ["Michael"]
    assert SessionLog.objects.count() == 0


def test_the_confirmation_still_covers_what_was_shown(author_client):
    text = TEXT + " He gave 07700 900123."
    digest = create(author_client, what_happened=text).context["form"].data["identifiers_digest"]
    response = create(
        author_client,
        what_happened=text,
        identifiers_digest=digest,
        confirm_not_identifying="on",
        allow_word="Michael",
    )
    assert response.status_code == 302
    assert AllowedWord.objects.count() == 1


def test_a_word_she_was_not_shown_cannot_be_added(author_client):
    response = create(author_client, what_happened=TEXT, allow_word=["Aster", "07700 900123"])
    assert response.status_code == 200
    assert AllowedWord.objects.count() == 0


def test_her_words_do_not_change_the_check_for_anyone_else(
    author_client, client, supervisee, other_supervisee
):
    services.allowed_words_add(owner=supervisee, words=["Michael"])
    client.force_login(other_supervisee)
    response = create(client, what_happened=TEXT)
    assert response.status_code == 200
    assert response.context["form"].identifier_findings


def test_the_journal_offers_the_same_box(author_client, supervisee):
    url = reverse("reflections:journal_create")
    response = author_client.post(url, {"title": "Week", "text": TEXT})
    assert 'name="allow_word" value="Michael"' in response.content.decode()
    response = author_client.post(url, {"title": "Week", "text": TEXT, "allow_word": "Michael"})
    assert response.status_code == 302
    assert PrivateReflection.objects.get().text == TEXT
    assert AllowedWord.objects.of(supervisee).count() == 1


def test_adding_twice_keeps_one_row_per_spelling(supervisee):
    services.allowed_words_add(owner=supervisee, words=["Zoë", "zoe", "  Zoe "])
    services.allowed_words_add(owner=supervisee, words=["ZOE", ""])
    assert list(AllowedWord.objects.values_list("word", "normalized")) == [("Zoë", "zoe")]


def test_her_page_lists_only_her_words(author_client, supervisee, other_supervisee):
    services.allowed_words_add(owner=supervisee, words=["Aster"])
    services.allowed_words_add(owner=other_supervisee, words=["Birch"])
    html = author_client.get(reverse("cases:allowed_words")).content.decode()
    assert "Aster" in html
    assert "Birch" not in html


def test_the_account_menu_links_to_her_words(author_client):
    html = author_client.get(reverse("cases:log_list")).content.decode()
    assert reverse("cases:allowed_words") in html


def test_removing_a_word_flags_it_again(author_client, supervisee):
    (allowed,) = services.allowed_words_add(owner=supervisee, words=["Michael"])
    response = author_client.post(reverse("cases:allowed_word_remove", args=[allowed.pk]))
    assert response.status_code == 302
    assert not AllowedWord.objects.exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.DELETE, object_type="cases.allowedword", object_id=allowed.pk
    ).exists()
    assert create(author_client, what_happened=TEXT).status_code == 200


def test_nobody_else_can_remove_her_word(client, supervisee, other_supervisee):
    (allowed,) = services.allowed_words_add(owner=supervisee, words=["Michael"])
    client.force_login(other_supervisee)
    response = client.post(reverse("cases:allowed_word_remove", args=[allowed.pk]))
    assert response.status_code == 404
    assert AllowedWord.objects.count() == 1


def test_erasure_removes_her_words(supervisee, other_supervisee, admin_user):
    services.allowed_words_add(owner=supervisee, words=["Michael"])
    services.allowed_words_add(owner=other_supervisee, words=["Aster"])
    assert any("1 word she marked" in line for line in erasure_plan(supervisee).goes)
    person_erase(person=supervisee, by=admin_user)
    assert list(AllowedWord.objects.values_list("word", flat=True)) == ["Aster"]


def test_her_words_are_in_her_export(author_client, supervisee):
    services.allowed_words_add(owner=supervisee, words=["Aster"])
    data = author_client.get(reverse("reflections:export_json"))
    assert data.status_code == 200
    assert [w["word"] for w in json.loads(data.content)["allowed_words"]] == ["Aster"]
    printable = author_client.get(reverse("reflections:export_print"))
    assert "Aster" in printable.content.decode()


def test_her_page_costs_the_same_queries_however_many_words(author_client, supervisee):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("cases:allowed_words")
    services.allowed_words_add(owner=supervisee, words=["Aster"])
    author_client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as one:
        author_client.get(url)
    services.allowed_words_add(owner=supervisee, words=[f"Word{n}" for n in range(60)])
    with CaptureQueriesContext(connection) as many:
        response = author_client.get(url)
    assert response.content.decode().count("Remove</button>") == 61
    assert len(many) == len(one) <= 8
