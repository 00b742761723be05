import datetime

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import escape

from cases.forms import LogFilterForm, SubmittedLogFilterForm
from cases.models import NOTE_FIELDS, LogStatus, Pattern, SessionLog
from cases.selectors import patterns_stamp, with_tag_names
from cases.services import TRASH_DAYS
from cases.views import blank_filters, filters_drawn
from tests.factories import PatternTagFactory, SessionLogFactory, SubmittedLogFactory
from tests.test_core_loop import log_post

pytestmark = pytest.mark.usefixtures("catalog")


@pytest.fixture
def author_client(client, supervisee, supervisor):
    client.force_login(supervisee)
    return client


def create(client, **overrides):
    return client.post(reverse("cases:log_create"), log_post(**overrides))


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("client_code", "", "This field is required."),
        ("client_code", "X", "Use 2 to 12 letters"),
        ("client_code", "C 17", "Use 2 to 12 letters"),
        ("client_code", "ABCDEFGHIJKLMN", "at most 12 characters"),
        ("client_code", "Maria", "looks like a person's name"),
        ("client_code", "JOHN", "looks like a person's name"),
        ("session_date", "yesterday", "Enter a valid date."),
        ("session_date", "2999-01-01", "pick today or earlier"),
        ("duration_minutes", "abc", "Enter a whole number."),
        ("duration_minutes", "0", "greater than or equal to 5"),
        ("duration_minutes", "9999", "less than or equal to 480"),
        ("modality", "telepathy", "Select a valid choice"),
        ("what_happened", "", "This field is required."),
        ("what_happened", "x" * 20_001, "at most 20000 characters"),
        ("pre_session_anxiety", "11", "less than or equal to 10"),
        ("pre_session_anxiety", "-1", "greater than or equal to 0"),
        ("post_session_rumination", "ten", "Enter a whole number."),
        ("presentations", "999999", "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(author_client, field, value, message):
    response = create(author_client, **{field: value})
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].errors.get(field, []))
    assert message in errors
    assert f'id="error_1_id_{field}"' in response.content.decode()  # shown next to the field
    assert SessionLog.objects.count() == 0


def test_note_without_a_tick_is_refused(author_client):
    pattern = Pattern.objects.get(slug="technique-focus")
    response = create(author_client, **{f"note_{pattern.pk}": "Reached for a worksheet."})
    assert "Tick this pattern to keep the note" in response.content.decode()
    assert SessionLog.objects.count() == 0


def test_background_patterns_cannot_be_tagged(author_client):
    pattern = Pattern.objects.get(slug="academic-excellence")
    create(author_client, **{f"tag_{pattern.pk}": "on"})
    assert not SessionLog.objects.get().tags.exists()


def test_retired_pattern_is_not_offered_but_stays_on_old_logs(author_client, supervisee):
    pattern = Pattern.objects.get(slug="technique-focus")
    log = SessionLogFactory(author=supervisee)
    PatternTagFactory(log=log, pattern=pattern)
    Pattern.objects.filter(pk=pattern.pk).update(is_retired=True)
    new_form = author_client.get(reverse("cases:log_create")).context["form"]
    assert f"tag_{pattern.pk}" not in new_form.fields
    edit_form = author_client.get(reverse("cases:log_edit", args=[log.pk])).context["form"]
    assert edit_form[f"tag_{pattern.pk}"].initial is True


# --------------------------------------------------------- identifier warning


def test_identifier_warning_stores_nothing_until_confirmed(author_client):
    text = "Client gave her number, 07700 900123, and asked me to call."
    response = create(author_client, what_happened=text)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.identifier_findings[0]["excerpt"] == "07700 900123"
    assert form.identifier_findings[0]["field"] == "What happened"
    assert SessionLog.objects.count() == 0
    digest = form.data["identifiers_digest"]
    # Confirming the findings that were shown stores the text as written.
    response = create(
        author_client, what_happened=text, identifiers_digest=digest, confirm_not_identifying="on"
    )
    assert response.status_code == 302
    log = SessionLog.objects.get()
    assert log.what_happened == text
    assert log.identifiers_confirmed_at is not None


def test_confirmation_does_not_cover_new_findings(author_client):
    first = "Call on 07700 900123."
    digest = create(author_client, what_happened=first).context["form"].data["identifiers_digest"]
    response = create(
        author_client,
        what_happened=first + " Or e-mail someone@example.com.",
        identifiers_digest=digest,
        confirm_not_identifying="on",
    )
    assert response.status_code == 200
    assert SessionLog.objects.count() == 0


def test_tag_notes_are_scanned_too(author_client):
    pattern = Pattern.objects.get(slug="technique-focus")
    response = create(
        author_client,
        **{f"tag_{pattern.pk}": "on", f"note_{pattern.pk}": "Dr Hartley suggested it"},
    )
    assert response.status_code == 200
    assert response.context["form"].identifier_findings
    assert SessionLog.objects.count() == 0


def test_clean_clinical_text_passes(author_client):
    response = create(author_client, what_happened="PHQ-9 = 14, F43.10, on 20 mg sertraline.")
    assert response.status_code == 302


# ------------------------------------------------------------- lifecycle


def test_save_and_submit_in_one_step(author_client, supervisor):
    response = create(author_client, then="submit")
    log = SessionLog.objects.get()
    assert response.url == log.get_absolute_url()
    assert log.status == LogStatus.SUBMITTED and log.submitted_at


def test_submit_without_a_supervisor_keeps_the_draft(client, outsider):
    client.force_login(outsider)
    client.post(reverse("cases:log_create"), log_post(then="submit"))
    log = SessionLog.objects.get()
    assert log.status == LogStatus.DRAFT


def test_edit_and_the_same_code_groups_sessions(author_client, supervisee):
    create(author_client)
    create(author_client, client_code="C-17")
    assert set(SessionLog.objects.values_list("client_code", flat=True)) == {"C-17"}
    page = author_client.get(reverse("cases:log_list"), {"client_code": "c-17"}).context["page"]
    assert len(page.object_list) == 2


def test_submitted_and_signed_logs_cannot_be_edited(author_client, supervisee):
    log = SubmittedLogFactory(author=supervisee)
    before = log.what_happened
    response = author_client.post(
        reverse("cases:log_edit", args=[log.pk]),
        log_post(what_happened="Changed after submission", version=log.version),
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.what_happened == before


def test_returned_log_can_be_edited_and_resubmitted(author_client, supervisee):
    log = SubmittedLogFactory(author=supervisee, status=LogStatus.RETURNED)
    response = author_client.post(
        reverse("cases:log_edit", args=[log.pk]),
        log_post(what_happened="Added what I felt.", version=log.version, then="submit"),
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.what_happened == "Added what I felt." and log.status == LogStatus.SUBMITTED


def test_concurrent_edit_is_refused_and_newer_text_kept(author_client, supervisee):
    log = SessionLogFactory(author=supervisee)
    opened_at = log.version
    author_client.post(
        reverse("cases:log_edit", args=[log.pk]),
        log_post(what_happened="Saved in the other tab.", version=opened_at),
    )
    response = author_client.post(
        reverse("cases:log_edit", args=[log.pk]),
        log_post(what_happened="Stale tab text.", version=opened_at),
    )
    assert response.status_code == 200
    assert "saved somewhere else after you opened it" in response.content.decode()
    assert response.context["newer"].what_happened == "Saved in the other tab."
    assert "Stale tab text." in response.content.decode()  # the writer's text is not lost
    log.refresh_from_db()
    assert log.what_happened == "Saved in the other tab."


def test_trash_and_restore(author_client, supervisee):
    log = SessionLogFactory(author=supervisee)
    author_client.post(reverse("cases:log_trash", args=[log.pk]))
    assert not SessionLog.objects.live().filter(pk=log.pk).exists()
    assert author_client.get(log.get_absolute_url()).status_code == 404
    assert list(author_client.get(reverse("cases:trash")).context["logs"]) == [log]
    author_client.post(reverse("cases:log_restore", args=[log.pk]))
    assert SessionLog.objects.live().filter(pk=log.pk).exists()


def test_submitted_logs_cannot_be_deleted(author_client, supervisee):
    log = SubmittedLogFactory(author=supervisee)
    author_client.post(reverse("cases:log_trash", args=[log.pk]))
    log.refresh_from_db()
    assert log.deleted_at is None


def test_purge_removes_only_old_trash(supervisee):
    from django.core.management import call_command

    old = SessionLogFactory(
        author=supervisee, deleted_at=timezone.now() - datetime.timedelta(days=TRASH_DAYS + 1)
    )
    recent = SessionLogFactory(author=supervisee, deleted_at=timezone.now())
    call_command("purge_trash", stdout=__import__("io").StringIO())
    assert not SessionLog.objects.filter(pk=old.pk).exists()
    assert SessionLog.objects.filter(pk=recent.pk).exists()


# ----------------------------------------------------------- finding things


def test_filters(author_client, supervisee):
    technique = Pattern.objects.get(slug="technique-focus")
    a = SessionLogFactory(
        author=supervisee, client_code="A-1", session_date=datetime.date(2026, 1, 5)
    )
    b = SessionLogFactory(
        author=supervisee, client_code="B-2", session_date=datetime.date(2026, 3, 5)
    )
    SubmittedLogFactory(
        author=supervisee, client_code="B-2", session_date=datetime.date(2026, 3, 9)
    )
    PatternTagFactory(log=a, pattern=technique)

    def found(**params):
        page = author_client.get(reverse("cases:log_list"), params).context["page"]
        return {log["pk"] for log in page.object_list}

    assert found(pattern=technique.pk) == {a.pk}
    assert found(client_code="a-1") == {a.pk}
    assert len(found(status="submitted")) == 1
    assert found(date_from="2026-03-01", date_to="2026-03-06") == {b.pk}


def test_bad_filter_values_show_everything_with_a_message(author_client, supervisee):
    SessionLogFactory(author=supervisee)
    response = author_client.get(
        reverse("cases:log_list"), {"date_from": "2026-05-01", "date_to": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "end date is before the start date" in response.content.decode()


def test_search(author_client, supervisee):
    hit = SessionLogFactory(
        author=supervisee, what_happened="We talked about the garden allotment."
    )
    SessionLogFactory(author=supervisee, what_happened="A quiet session.")
    page = author_client.get(reverse("cases:log_list"), {"q": "allotment"}).context["page"]
    assert [log["pk"] for log in page.object_list] == [hit.pk]


def test_pagination(author_client, supervisee):
    SessionLogFactory.create_batch(25, author=supervisee)
    first = author_client.get(reverse("cases:log_list")).context["page"]
    second = author_client.get(reverse("cases:log_list"), {"page": 2}).context["page"]
    assert len(first.object_list) == 20 and len(second.object_list) == 5


# ------------------------------------------------------------- query counts


@pytest.fixture
def busy(supervisee, supervisor):
    from tests.factories import AskedQuestionFactory, ReplyFactory

    patterns = list(Pattern.objects.filter(is_background=False)[:4])
    logs = SubmittedLogFactory.create_batch(60, author=supervisee)
    for log in logs:
        for pattern in patterns:
            PatternTagFactory(log=log, pattern=pattern)
        for _ in range(2):
            reply = ReplyFactory(log=log, author=supervisor)
            AskedQuestionFactory.create_batch(2, reply=reply)
    return logs


def test_log_list_query_count(author_client, busy, django_assert_max_num_queries):
    from tests.factories import ReplyFactory

    # Something of every kind waiting, several of each: the strip adds one query per kind.
    for log in busy[:5]:
        SessionLog.objects.filter(pk=log.pk).update(status=LogStatus.RETURNED)
        ReplyFactory(log=log, decision="return")
    SessionLogFactory.create_batch(5, author=busy[0].author)
    # 9 for the list, and one per kind of thing that may wait for her: kept text, returned
    # logs, questions, drafts.
    with django_assert_max_num_queries(13):
        response = author_client.get(reverse("cases:log_list"))
    assert len(response.context["page"].object_list) == 20
    headings = [group.heading for group in response.context["waiting"]]
    assert len(headings) == 3, headings


def test_review_queue_query_count(client, supervisor, busy, django_assert_max_num_queries):
    client.force_login(supervisor)
    # The queue, its tags, her supervisees (links to their pages) and what her
    # co-supervisors are doing with the logs: one query each, however many logs. The hours
    # section (hours.queue) adds one of its own whatever the data
    # (tests/hours/test_selectors.py pins it with hours from every source).
    with django_assert_max_num_queries(8):
        response = client.get(reverse("cases:review_queue"))
    assert len(response.context["logs"]) == 60


def test_the_review_queue_links_each_supervisee_to_her_page(client, supervisor, supervisee):
    from tests.factories import RelationshipFactory, UserFactory

    others = [UserFactory(display_name=f"Supervisee {n}") for n in range(3)]
    for person in others:
        RelationshipFactory(supervisor=supervisor, supervisee=person)
    client.force_login(supervisor)
    html = client.get(reverse("cases:review_queue")).content.decode()
    nav = html.split('aria-label="My supervisees"')[1].split("</nav>")[0]
    for person in (supervisee, *others):
        link = reverse("dashboards:supervisee_detail", args=[person.pk])
        assert f'href="{link}">{person.display_name}</a>' in nav
    assert nav.count("href=") == 4


@pytest.mark.parametrize(
    ("viewer", "url"),
    [
        ("supervisee", reverse_lazy("cases:log_list")),
        ("supervisor", reverse_lazy("cases:review_queue")),
    ],
)
def test_lists_never_read_note_text(request, client, busy, viewer, url):
    # A list shows dates, codes, statuses and pattern names: the free text of the logs and
    # the tag notes are not fetched at all.
    client.force_login(request.getfixturevalue(viewer))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    for column in (*NOTE_FIELDS, "note"):
        assert f'"{column}"' not in sql


def test_log_page_query_count(author_client, busy, django_assert_max_num_queries):
    # session, user, unread count, log, tags, presentations, addenda, replies, strengths,
    # questions, comments, the author's active shares, her groups, and the audit row for
    # this view (one INSERT): none grows with the data.
    with django_assert_max_num_queries(14):
        response = author_client.get(busy[0].get_absolute_url())
    assert response.status_code == 200
    assert "Waiting for an answer" not in response.content.decode()


@pytest.mark.parametrize("viewer", ["supervisee", "supervisor"])
def test_the_log_page_reads_no_ones_password_hash_but_the_signed_in_persons(
    request, client, supervisee, supervisor, viewer
):
    """It names people (the author, who signed, who replied, commented and added): only the
    signed-in person's own row, which signing in checks, is read with its secrets."""
    from cases.models import Addendum
    from reflections.models import Comment
    from tests.factories import ReplyFactory

    log = SubmittedLogFactory(author=supervisee)
    ReplyFactory(log=log, author=supervisor)
    Comment.objects.create(log=log, author=supervisor, text="A thought for next time.")
    SessionLog.objects.filter(pk=log.pk).update(
        status=LogStatus.SIGNED,
        signed_by=supervisor,
        signed_at=timezone.now(),
        signed_sha256="0" * 64,
    )
    Addendum.objects.create(log=log, author=supervisee, text="Added later.")
    person = request.getfixturevalue(viewer)
    client.force_login(person)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(log.get_absolute_url()).content.decode()
    assert supervisor.display_name in html and "Added later." in html
    secret_reads = [q["sql"] for q in captured.captured_queries if '"password"' in q["sql"]]
    assert len(secret_reads) == 1
    assert str(person.pk) in secret_reads[0] and '"email"' in secret_reads[0]


# ------------------------------------------------- the empty filter form, drawn once


@pytest.fixture
def fresh_cache():
    blank_filters.cache_clear()
    yield
    blank_filters.cache_clear()


def test_empty_filter_form_is_drawn_once_per_catalog(author_client, fresh_cache):
    url = reverse("cases:log_list")
    with CaptureQueriesContext(connection) as first:
        author_client.get(url)
    with CaptureQueriesContext(connection) as second:
        response = author_client.get(url, {"page": 1})
    # The second visit, a page number being no filter, reuses the drawn form: the pattern
    # choices are not read again.
    assert len(second) == len(first) - 1
    html = response.content.decode()
    for pattern in Pattern.objects.filter(is_background=False):
        assert f'<option value="{pattern.pk}">{escape(pattern.name)}</option>' in html


def test_a_catalog_change_shows_in_the_filters_at_once(author_client, fresh_cache):
    url = reverse("cases:log_list")
    author_client.get(url)
    renamed, retired = Pattern.objects.filter(is_background=False)[:2]
    renamed.name = "Renamed for this test"
    renamed.save()
    retired.is_background = True
    retired.save()
    html = author_client.get(url).content.decode()
    assert f'<option value="{renamed.pk}">Renamed for this test</option>' in html
    assert f'<option value="{retired.pk}">' not in html


def test_filter_values_are_shown_and_never_drawn_into_the_empty_form(author_client, fresh_cache):
    url = reverse("cases:log_list")
    filtered = author_client.get(url, {"client_code": "zq-9", "q": "garden"}).content.decode()
    assert 'value="zq-9"' in filtered and 'value="garden"' in filtered
    blank = author_client.get(url).content.decode()
    assert "zq-9" not in blank and "garden" not in blank
    assert author_client.get(url, {"client_code": "zq-9"}).content.decode().count("zq-9") >= 1


@pytest.mark.parametrize("form_class", [LogFilterForm, SubmittedLogFilterForm])
def test_only_plain_text_filters_are_drawn_with_a_stand_in(catalog, fresh_cache, form_class):
    """Search and client code take her text into a drawing kept in the process; a date or
    a choice, whose drawing depends on more than the text, is drawn by crispy."""
    from cases.views import _typed_filter

    assert [name for name, _ in form_class.COLUMNS if _typed_filter(form_class, name)] == [
        "q",
        "client_code",
    ]


@pytest.mark.parametrize("form_class", [LogFilterForm, SubmittedLogFilterForm])
@pytest.mark.parametrize(
    "data",
    [
        {"q": "silence"},
        {"q": "silence", "page": "2"},
        {"pattern": "first", "status": "signed"},
        {"status": "draft"},  # not a choice of the supervisor's form: an error there
        {"date_from": "2025-01-01", "date_to": "2025-03-01", "client_code": "ab"},
        {"date_from": "2025-13-01", "q": "x"},
        {"date_from": "2025-03-01", "date_to": "2025-01-01"},
        {"pattern": "999999"},
        {"client_code": "x" * 40},
        # What she typed is put into a drawing with a stand-in: markup, quotes, ampersands,
        # white space, other scripts, and the stand-in itself must come out as crispy draws them.
        {"q": "<b>\"fear\" & 'silence'</b>", "client_code": "ab&<1>"},
        {"q": "  two  spaces  ", "client_code": "zq-9"},
        {"q": "zTYPEDz7q4x", "client_code": "zTYPEDz7q4x"},
        {"q": "Schweigen — صمت — 沈黙", "status": "submitted"},
        {"q": "x" * 201},  # too long: an error, drawn by crispy
    ],
)
def test_filters_she_sent_draw_as_the_whole_form_drawn_anew(catalog, fresh_cache, form_class, data):
    """A field she left empty comes from its blank drawing, kept per catalog and form; the
    page must be what drawing her whole form with crispy gives, errors included."""
    if data.get("pattern") == "first":
        data = {**data, "pattern": str(Pattern.objects.filter(is_background=False).first().pk)}
    form = form_class(data)
    form.is_valid()
    expected = [(css, as_crispy_field(form_class(data)[name])) for name, css in form_class.COLUMNS]
    drawn = filters_drawn(form_class, form)
    assert drawn == render_to_string("cases/_log_filter_fields.html", {"filter_fields": expected})
    # And again, with every blank field now from the kept drawing.
    assert filters_drawn(form_class, form) == drawn
    # What she typed never reaches a blank drawing.
    blank = blank_filters(patterns_stamp_now(), form_class)
    for typed in ("q", "client_code", "date_from"):
        if typed in data:
            assert f'value="{data[typed]}"' not in blank


def patterns_stamp_now() -> str:
    from cases.selectors import filter_patterns_stamp

    return filter_patterns_stamp()


def test_patterns_stamp_follows_ids_names_and_order():
    offered = Pattern.objects.filter(is_background=False)
    stamp = patterns_stamp(offered)
    assert patterns_stamp(offered) == stamp
    first = offered.first()
    first.name = "Another name"
    first.save()
    renamed = patterns_stamp(offered)
    assert renamed != stamp
    assert patterns_stamp(offered.reverse()) != renamed
    first.is_background = True
    first.save()
    assert patterns_stamp(offered) not in {stamp, renamed}


# ------------------------------------------------------------ tag names in lists


def test_lists_show_each_logs_pattern_names_in_catalog_order(client, supervisee, supervisor):
    later, earlier = (
        Pattern.objects.filter(is_background=False)
        .order_by("family__position", "position")
        .reverse()[:2]
    )
    tagged = SubmittedLogFactory(author=supervisee, client_code="TAG-1")
    PatternTagFactory(log=tagged, pattern=later)
    PatternTagFactory(log=tagged, pattern=earlier)
    SubmittedLogFactory(author=supervisee, client_code="BARE-1")
    for person, url in [(supervisee, "cases:log_list"), (supervisor, "cases:review_queue")]:
        client.force_login(person)
        html = client.get(reverse(url)).content.decode()
        row = html[html.index("TAG-1 ·") :]
        row = row[: row.index("</a>")]
        assert row.index(escape(earlier.name)) < row.index(escape(later.name))
        bare = html[html.index("BARE-1 ·") :]
        assert "No patterns tagged" in bare[: bare.index("</a>")]


def test_tag_names_for_many_logs_take_one_query(supervisee, django_assert_num_queries):
    logs = SessionLogFactory.create_batch(5, author=supervisee)
    patterns = list(Pattern.objects.filter(is_background=False)[:3])
    for log in logs[:4]:
        for pattern in patterns:
            PatternTagFactory(log=log, pattern=pattern)
    unnamed = list(SessionLog.objects.filter(author=supervisee).order_by("pk"))
    with django_assert_num_queries(1):
        listed = with_tag_names(unnamed)
    with django_assert_num_queries(0):
        names = [log.tag_names for log in listed]
    assert names == [[p.name for p in patterns]] * 4 + [[]]
    # Without the list's single query, a log still knows its names, from its tags.
    assert SessionLog.objects.get(pk=logs[0].pk).tag_names == names[0]
    with django_assert_num_queries(0):
        assert with_tag_names([]) == []
