"""A supervisor's page of one supervisee, the preparation sheet, and recording a meeting."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import LogStatus
from dashboards import selectors
from reflections.models import Decision
from supervision.models import (
    AuditAction,
    AuditEvent,
    MeetingKind,
    Notification,
    SupervisionMeeting,
)
from supervision.services import supervision_meeting_record
from tests.dashboards.helpers import days_ago, make_log, patterns
from tests.factories import (
    AskedQuestionFactory,
    RelationshipFactory,
    ReplyFactory,
    SupervisorFactory,
    UserFactory,
)


def page_url(person):
    return reverse("dashboards:supervisee_detail", args=[person.pk])


def sheet_url(person):
    return reverse("dashboards:preparation", args=[person.pk])


def meeting(supervisor, supervisee, day, agreed=""):
    return supervision_meeting_record(
        supervisor=supervisor,
        supervisees=[supervisee],
        held_on=day,
        duration_minutes=60,
        kind=MeetingKind.INDIVIDUAL,
        agreed=agreed,
        url="/",
    )


# ----------------------------------------------------------------------- her page


def test_shows_her_submitted_returned_and_signed_logs_never_drafts_or_trash(
    client, supervisee, supervisor
):
    kept = [
        make_log(supervisee, days_ago(3), status=status, client_code=code)
        for status, code in [
            (LogStatus.SUBMITTED, "SUB-1"),
            (LogStatus.RETURNED, "RET-1"),
        ]
    ]
    make_log(supervisee, days_ago(2), status=LogStatus.DRAFT, client_code="DRAFT-1")
    make_log(supervisee, days_ago(2), client_code="BIN-1", deleted_at=timezone.now())
    client.force_login(supervisor)
    response = client.get(page_url(supervisee))
    assert response.status_code == 200
    listed = {log.pk for log in response.context["page"].object_list}
    assert listed == {log.pk for log in kept}
    html = response.content.decode()
    assert "DRAFT-1" not in html
    assert "BIN-1" not in html


def test_filters_as_on_her_own_list_and_drafts_cannot_be_asked_for(client, supervisee, supervisor):
    make_log(supervisee, days_ago(3), client_code="AAA-1")
    make_log(supervisee, days_ago(4), client_code="BBB-1")
    make_log(supervisee, days_ago(4), client_code="AAA-2", status=LogStatus.DRAFT)
    client.force_login(supervisor)
    page = client.get(page_url(supervisee), {"client_code": "aaa-1"}).context["page"]
    assert [log.client_code for log in page.object_list] == ["AAA-1"]
    # Asking for drafts by hand is not a choice; it shows nothing more than the unfiltered list.
    response = client.get(page_url(supervisee), {"status": "draft"})
    assert response.status_code == 200
    assert "AAA-2" not in response.content.decode()
    choices = [c for c, _ in response.context["filters"].fields["status"].choices]
    assert "draft" not in choices


def test_figures_leave_her_drafts_out(client, supervisee, supervisor):
    over, silence = patterns("Over-preparing", "Fear of silence")
    make_log(supervisee, days_ago(3), [over])
    make_log(supervisee, days_ago(3), [silence], status=LogStatus.DRAFT, rumination=10)
    data = selectors.supervisee_overview(supervisee, weeks=4)
    assert data.patterns == [("Over-preparing", 1)]
    assert data.log_count == 1
    assert 10.0 not in data.rumination
    # Her own dashboard still counts her draft: the two are cached under different keys.
    own = selectors.supervisee_dashboard(supervisee, weeks=4)
    assert dict(own.patterns) == {"Over-preparing": 1, "Fear of silence": 1}


def test_answers_she_gave_in_her_words(client, supervisee, supervisor):
    log = make_log(supervisee, days_ago(5), client_code="ANS-1")
    AskedQuestionFactory(
        reply=ReplyFactory(log=log, author=supervisor),
        text="What did the silence ask of you?",
        answer="To wait, and I could.",
        answered_at=timezone.now(),
    )
    client.force_login(supervisor)
    html = client.get(page_url(supervisee)).content.decode()
    assert "What did the silence ask of you?" in html
    assert "To wait, and I could." in html


def test_answers_given_compiled_once_are_the_orms(supervisee, other_supervisee, supervisor):
    """Her answers since a day come from a query compiled once per process (the person and
    the moment its values): for two people, two days and with or without a limit, the same
    answers, in the same order, as the ORM's query, each linked to its log."""
    from reflections.models import AskedQuestion

    now = timezone.now()
    for person in (supervisee, other_supervisee):
        for back in range(6):
            log = make_log(person, days_ago(back * 3 + 1), client_code=f"A-{back}")
            reply = ReplyFactory(log=log, author=supervisor)
            for n in range(2):
                AskedQuestionFactory(
                    reply=reply,
                    position=n,
                    text=f"Q{back}.{n}",
                    answer=f"A{back}.{n}",
                    answered_at=now - datetime.timedelta(days=back * 3, hours=n),
                )
        AskedQuestionFactory(reply=reply, position=3, text="Not answered yet")
    for person in (supervisee, other_supervisee):
        for since, limit in ((days_ago(7), None), (days_ago(30), 4), (days_ago(30), None)):
            orm = (
                AskedQuestion.objects.filter(
                    reply__log__author=person,
                    reply__log__deleted_at__isnull=True,
                    answered_at__gte=selectors.start_of_day(since),
                )
                .order_by("-answered_at", "-pk")
                .select_related("reply__log")
            )
            orm = list(orm[:limit] if limit else orm)
            given = selectors.answers_given(person, since=since, limit=limit)
            assert [(a.question, a.answer, a.log_url, a.log_label) for a in given] == [
                (q.text, q.answer, q.reply.log.get_absolute_url(), str(q.reply.log)) for q in orm
            ]
            assert given
    params = selectors._ANSWERS_GIVEN.params(person=424242, since=now)
    assert 424242 in params


def test_one_audit_row_per_visit(client, supervisee, supervisor):
    client.force_login(supervisor)
    client.get(page_url(supervisee))
    rows = AuditEvent.objects.filter(actor=supervisor, action=AuditAction.VIEW, owner=supervisee)
    assert rows.count() == 1


def test_former_supervisor_gets_404(client, supervisee):
    former = SupervisorFactory()
    RelationshipFactory(
        supervisor=former,
        supervisee=supervisee,
        starts_on=days_ago(200),
        ends_on=days_ago(1),
    )
    client.force_login(former)
    for url in (page_url(supervisee), sheet_url(supervisee)):
        assert client.get(url).status_code == 404


def test_reached_from_the_review_queue(client, supervisee, supervisor):
    client.force_login(supervisor)
    html = client.get(reverse("cases:review_queue")).content.decode()
    assert f'href="{page_url(supervisee)}"' in html


def test_review_queue_says_just_now_not_zero_minutes(client, supervisee, supervisor):
    make_log(supervisee, days_ago(1)).__class__.objects.filter(author=supervisee).update(
        submitted_at=timezone.now()
    )
    client.force_login(supervisor)
    html = client.get(reverse("cases:review_queue")).content.decode()
    assert "submitted just now" in html
    assert "0 minutes" not in html


def test_page_query_count_with_three_years_of_work(
    client, supervisee, supervisor, django_assert_max_num_queries
):
    tags = patterns("Over-preparing", "Fear of silence", "Rescuing")
    for week in range(156):
        log = make_log(supervisee, days_ago(week * 7 + 1), tags[: week % 3 + 1])
        if week % 4 == 0:
            reply = ReplyFactory(log=log, author=supervisor)
            AskedQuestionFactory(reply=reply, answer="Mine.", answered_at=timezone.now())
            AskedQuestionFactory(reply=reply, deferred_at=timezone.now())
    for week in range(0, 156, 2):
        SupervisionMeeting.objects.create(
            supervisor=supervisor,
            held_on=days_ago(week * 7),
            duration_minutes=60,
            kind="individual",
        ).supervisees.add(supervisee)
    client.force_login(supervisor)
    client.get(page_url(supervisee), {"weeks": 52})  # the figures are cached, as in use
    # The bench's count is one more for each page (the supervisor's two-factor device).
    with django_assert_max_num_queries(11):
        response = client.get(page_url(supervisee), {"weeks": 52})
    assert len(response.context["page"].object_list) == 20
    with django_assert_max_num_queries(11):
        response = client.get(sheet_url(supervisee))
    assert response.status_code == 200


# -------------------------------------------------------------- preparation sheet


def test_sheet_covers_the_time_since_the_last_meeting(supervisee, supervisor):
    over, silence = patterns("Over-preparing", "Fear of silence")
    meeting(supervisor, supervisee, days_ago(10), agreed="Try one plan, not three.")
    make_log(supervisee, days_ago(15), [silence, over], client_code="OLD-1")
    make_log(supervisee, days_ago(12), [silence], client_code="OLD-2")
    make_log(supervisee, days_ago(5), [over], client_code="NEW-1", rumination=8)
    make_log(supervisee, days_ago(3), [over], client_code="NEW-2", rumination=2)
    make_log(supervisee, days_ago(2), [over], client_code="DRAFT", status=LogStatus.DRAFT)
    sheet = selectors.preparation_sheet(supervisor, supervisee)
    assert sheet.since == days_ago(10)
    assert sheet.last_meeting.agreed == "Try one plan, not three."
    assert [line.label.split(" · ")[0] for line in sheet.logs] == ["NEW-1", "NEW-2"]
    assert [t.name for t in sheet.rising] == ["Over-preparing"]
    assert [t.name for t in sheet.easing] == ["Fear of silence"]
    assert [line.label.split(" · ")[0] for line in sheet.high_rumination] == ["NEW-1"]


def test_the_sheets_queries_compiled_once_are_the_orms(
    supervisee, other_supervisee, supervisor, other_supervisor
):
    """The sheet and her page read through queries compiled once per process, the people
    and the days their values: for two supervisors, two supervisees and two days each
    gives what the ORM gives for the same values, and each person's rows are her own."""
    from reflections.models import Strength
    from reflections.selectors import _KEPT_FOR_SUPERVISION

    over, silence = patterns("Over-preparing", "Fear of silence")
    pairs = ((supervisor, supervisee), (other_supervisor, other_supervisee))
    for n, (sup, person) in enumerate(pairs):
        warmth = Strength.objects.create(name=f"Warmth {n}", slug=f"warmth-{n}")
        for back in range(8):
            log = make_log(
                person,
                days_ago(back * 4 + n),
                [over, silence][: back % 3],
                client_code=f"S{n}-{back}",
                rumination=back,
                status=LogStatus.DRAFT if back == 3 else LogStatus.SUBMITTED,
            )
            if back % 2 and back != 3:
                reply = ReplyFactory(log=log, author=sup)
                reply.strengths.add(warmth)
                AskedQuestionFactory(
                    reply=reply, text=f"Kept {n}.{back}", deferred_at=timezone.now()
                )
        meeting(sup, person, days_ago(9 + n))
        meeting(sup, person, days_ago(20 + n), agreed=f"Agreed {n}")
    now = timezone.now()
    rows = {}
    for sup, person in pairs:
        for today in (days_ago(0), days_ago(6)):
            since, before = today - datetime.timedelta(days=14), today - datetime.timedelta(28)
            queries = [
                (selectors._SHEET_LOGS, {"person": person.pk, "since": since, "today": today}),
                (
                    selectors._SHEET_TAGS,
                    {"person": person.pk, "previous_start": before, "start": since, "today": today},
                ),
                (
                    selectors._SHEET_STRENGTHS,
                    {"person": person.pk, "since": now - datetime.timedelta(days=30)},
                ),
                (selectors._MEETINGS_WITH, {"supervisee": person.pk}),
                (selectors._MEETINGS_BETWEEN, {"supervisor": sup.pk, "supervisee": person.pk}),
                (
                    _KEPT_FOR_SUPERVISION,
                    {"supervisor": sup.pk, "supervisee": person.pk, "today": today},
                ),
            ]
            for query, values in queries:
                compiled = query.rows(**values)
                assert compiled == list(query.orm(**values)), query
                assert compiled, query  # each query finds something, so the test can fail
                rows[(query, person.pk, today)] = compiled
    # Her rows are hers: the other supervisee's differ, and a supervisor who does not
    # supervise her is given none of her kept questions.
    for query, _ in queries:
        assert (
            rows[(query, supervisee.pk, days_ago(0))]
            != rows[(query, other_supervisee.pk, days_ago(0))]
        )
    assert (
        _KEPT_FOR_SUPERVISION.rows(
            supervisor=other_supervisor.pk, supervisee=supervisee.pk, today=days_ago(0)
        )
        == []
    )


def test_sheet_without_a_meeting_looks_back_four_weeks(supervisee, supervisor):
    sheet = selectors.preparation_sheet(supervisor, supervisee)
    assert sheet.last_meeting is None
    assert sheet.since == days_ago(selectors.PREPARATION_DEFAULT_DAYS)


def test_another_supervisors_meeting_does_not_move_my_sheet(supervisee, supervisor):
    second = SupervisorFactory()
    RelationshipFactory(supervisor=second, supervisee=supervisee)
    meeting(second, supervisee, days_ago(2))
    assert selectors.preparation_sheet(supervisor, supervisee).last_meeting is None


def test_sheet_page_has_words_not_scores_and_prints(client, supervisee, supervisor):
    log = make_log(supervisee, days_ago(3), client_code="RUM-1", anxiety=9, rumination=9)
    reply = ReplyFactory(log=log, author=supervisor, decision=Decision.REPLY)
    from reflections.models import Strength

    strength = Strength.objects.first() or Strength.objects.create(name="Warmth", slug="warmth")
    reply.strengths.add(strength)
    client.force_login(supervisor)
    response = client.get(sheet_url(supervisee))
    html = response.content.decode()
    assert "RUM-1" in html
    assert strength.name in html
    assert "/ 10" not in html and "9/10" not in html
    body = html.split("<main")[1]
    assert ">9<" not in body
    assert "no-print" in html  # the form and buttons are left off the paper copy


# ----------------------------------------------------------------- recording it


def post_meeting(client, person, **data):
    values = {
        "held_on": f"{timezone.localdate():%Y-%m-%d}",
        "duration_minutes": "60",
        "kind": "individual",
        "mode": "in_person",
        "agreed": "Bring one session recording.",
        **data,
    }
    return client.post(reverse("dashboards:meeting_record", args=[person.pk]), values)


def test_recording_a_meeting(client, supervisee, supervisor):
    client.force_login(supervisor)
    response = post_meeting(client, supervisee)
    assert response.status_code == 302
    meeting = SupervisionMeeting.objects.get()
    assert list(meeting.supervisees.all()) == [supervisee]
    assert meeting.agreed == "Bring one session recording."
    assert AuditEvent.objects.filter(
        actor=supervisor, action=AuditAction.CREATE, owner=supervisee
    ).exists()
    notice = Notification.objects.get(recipient=supervisee)
    assert "recorded your supervision meeting" in notice.message
    assert "Bring one" not in notice.message
    # Both see it afterwards: her supervisor's page of her lists it.
    assert "Bring one session recording." in client.get(page_url(supervisee)).content.decode()


def test_a_triadic_meeting_names_both(client, supervisee, supervisor):
    second = UserFactory(display_name="Tia Triad")
    RelationshipFactory(supervisor=supervisor, supervisee=second)
    client.force_login(supervisor)
    response = post_meeting(client, supervisee, kind="triadic", other_supervisee=second.pk)
    assert response.status_code == 302
    assert set(SupervisionMeeting.objects.get().supervisees.all()) == {supervisee, second}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"held_on": "2999-01-01"}, "once it has taken place"),
        ({"duration_minutes": "5"}, "greater than or equal to 10"),
        ({"duration_minutes": "abc"}, "Enter a whole number"),
        ({"kind": "triadic"}, "choose who"),
        ({"kind": "weekly"}, "Select a valid choice"),
        ({"agreed": "x" * 301}, "at most 300"),
    ],
)
def test_bad_input_says_why_and_records_nothing(client, supervisee, supervisor, data, message):
    client.force_login(supervisor)
    response = post_meeting(client, supervisee, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SupervisionMeeting.objects.exists()


def test_the_third_person_must_be_my_supervisee_too(
    client, supervisee, supervisor, other_supervisee
):
    client.force_login(supervisor)
    response = post_meeting(
        client, supervisee, kind="triadic", other_supervisee=other_supervisee.pk
    )
    assert response.status_code == 400
    assert not SupervisionMeeting.objects.exists()


def test_a_day_before_the_relationship_began_is_refused(client, supervisee, supervisor):
    from supervision.models import SupervisionRelationship

    SupervisionRelationship.objects.filter(supervisor=supervisor).update(starts_on=days_ago(3))
    client.force_login(supervisor)
    response = post_meeting(client, supervisee, held_on=f"{days_ago(10):%Y-%m-%d}")
    assert response.status_code == 400
    assert "You were not supervising" in response.content.decode()
    assert not SupervisionMeeting.objects.exists()


def test_recorded_hours_stay_and_the_words_go_when_she_is_erased(
    supervisee, supervisor, admin_user
):
    from supervision.erasure import person_erase

    meeting(supervisor, supervisee, days_ago(1), agreed="Keep the plan short.")
    person_erase(person=supervisee, by=admin_user)
    kept = SupervisionMeeting.objects.get()
    assert kept.agreed == ""
    assert kept.duration_minutes == 60


# ------------------------------------------------------------ the drawn figures


def test_drawing_is_redrawn_when_her_work_changes(client, supervisee, supervisor):
    over, silence = patterns("Over-preparing", "Fear of silence")
    make_log(supervisee, days_ago(3), [over])
    client.force_login(supervisor)

    def drawn():
        html = client.get(page_url(supervisee)).content.decode()
        return html.split('id="patterns-h"')[1].split("</section>")[0]

    assert "Fear of silence" not in drawn()
    from cases import services as case_services

    log = make_log(supervisee, days_ago(2), [silence], status=LogStatus.DRAFT)
    # A draft changes nothing her supervisor sees...
    assert "Fear of silence" not in drawn()
    case_services.session_log_submit(log=log, by=supervisee)
    # ... submitting it does, at once.
    assert "Fear of silence" in drawn()


def test_one_supervisees_drawing_is_never_shown_for_another(client, supervisor, supervisee):
    twin = UserFactory(display_name="Tam Twin")
    RelationshipFactory(supervisor=supervisor, supervisee=twin)
    (over,) = patterns("Over-preparing")
    # The same work on the same days: only whose it is differs.
    for person in (supervisee, twin):
        make_log(person, days_ago(3), [over], client_code="SAME-1")
    client.force_login(supervisor)
    first = client.get(page_url(supervisee)).content.decode()
    second = client.get(page_url(twin)).content.decode()
    assert "Patterns Sam Supervisee noticed" in first
    assert "Patterns Tam Twin noticed" in second
    assert "Sam Supervisee" not in second


def test_questions_she_kept_for_supervision_are_on_the_sheet(client, supervisee, supervisor):
    from reflections import services as reflection_services

    log = make_log(supervisee, days_ago(40), client_code="OLD-9")
    question = AskedQuestionFactory(
        reply=ReplyFactory(log=log, author=supervisor), text="What made the ending so hard?"
    )
    reflection_services.asked_question_defer(question=question, author=supervisee)
    client.force_login(supervisor)
    html = client.get(sheet_url(supervisee)).content.decode()
    talk = html.split('id="prep-talk-h"')[1].split("</section>")[0]
    # Asked long before the last four weeks: kept for supervision, so it is on the sheet.
    assert "What made the ending so hard?" in talk


def test_reached_from_the_dashboard(client, supervisee, supervisor):
    client.force_login(supervisor)
    html = client.get(reverse("dashboards:dashboard")).content.decode()
    assert f'href="{page_url(supervisee)}"' in html


def test_the_sheet_offers_her_fellow_supervisees_as_the_form_would_read_them(
    client, supervisee, supervisor, other_supervisee, other_supervisor
):
    """The page reads the supervisor's supervisees once and draws the choices from them: the
    same options, in the same order, as the form's own queryset gives."""
    from dashboards.forms import MeetingForm

    for name in ("Zoe Zed", "Abe Able"):
        RelationshipFactory(supervisor=supervisor, supervisee=UserFactory(display_name=name))
    RelationshipFactory(supervisor=other_supervisor, supervisee=other_supervisee)
    client.force_login(supervisor)
    html = client.get(sheet_url(supervisee)).content.decode()
    drawn = MeetingForm(supervisor=supervisor, supervisee=supervisee)["other_supervisee"]
    select = re.search(r'<select name="other_supervisee".*?</select>', html, re.S).group(0)
    options = re.compile(r"<option[^>]*>[^<]*</option>")
    assert options.findall(select) == options.findall(str(drawn))
    assert [label for _, label in drawn.field.choices] == ["Nobody else", "Abe Able", "Zoe Zed"]


# ---------------------------------------- the empty filter form on her page, drawn once


def _logs_section(html: str) -> str:
    return html[html.index('id="logs-h"') :]


def test_her_page_draws_the_supervisors_filters_never_hers(client, catalog, supervisee, supervisor):
    """The blank filters are drawn once per catalog and form: her own list's (with her
    drafts) and her supervisor's (without) are two drawings, and neither shows the other."""
    from cases.views import blank_filters

    blank_filters.cache_clear()
    client.force_login(supervisee)
    mine = client.get(reverse("cases:log_list")).content.decode()
    assert '<option value="draft">' in mine
    client.force_login(supervisor)
    theirs = _logs_section(client.get(page_url(supervisee)).content.decode())
    assert '<select name="status"' in theirs and '<option value="draft">' not in theirs
    again = _logs_section(client.get(page_url(supervisee), {"page": 1}).content.decode())
    assert '<option value="draft">' not in again
    blank_filters.cache_clear()


def test_her_page_filters_follow_a_catalog_change_and_never_keep_values(
    client, catalog, supervisee, supervisor
):
    from cases.models import Pattern
    from cases.views import blank_filters

    blank_filters.cache_clear()
    client.force_login(supervisor)
    client.get(page_url(supervisee))
    renamed = Pattern.objects.filter(is_background=False).first()
    renamed.name = "Renamed for her page"
    renamed.save()
    html = client.get(page_url(supervisee)).content.decode()
    assert f'<option value="{renamed.pk}">Renamed for her page</option>' in html
    filtered = client.get(page_url(supervisee), {"client_code": "zq-9"}).content.decode()
    assert 'value="ZQ-9"' in filtered or 'value="zq-9"' in filtered
    assert "zq-9" not in client.get(page_url(supervisee)).content.decode().lower()
    blank_filters.cache_clear()


# ------------------------------------------ the blank meeting form on the sheet, drawn once


def _fellow_options(client, person) -> list[str]:
    html = client.get(sheet_url(person)).content.decode()
    select = re.search(r'<select name="other_supervisee".*?</select>', html, re.S).group(0)
    return re.findall(r">([^<]*)</option>", select)


def test_the_sheets_blank_form_follows_her_supervisees_and_is_each_supervisors_own(
    client, supervisee, supervisor, other_supervisee, other_supervisor
):
    """Drawn once per process, day and choices: a new or renamed fellow supervisee shows at
    once, and one supervisor's supervisees are never offered on another's sheet."""
    from dashboards.forms import blank_meeting_fields

    blank_meeting_fields.cache_clear()
    RelationshipFactory(supervisor=other_supervisor, supervisee=other_supervisee)
    RelationshipFactory(supervisor=other_supervisor, supervisee=supervisee)
    client.force_login(supervisor)
    assert _fellow_options(client, supervisee) == ["Nobody else"]
    zoe = UserFactory(display_name="Zoe Zed")
    RelationshipFactory(supervisor=supervisor, supervisee=zoe)
    assert _fellow_options(client, supervisee) == ["Nobody else", "Zoe Zed"]
    zoe.display_name = "Zoe Renamed"
    zoe.save()
    assert _fellow_options(client, supervisee) == ["Nobody else", "Zoe Renamed"]
    client.force_login(other_supervisor)
    assert _fellow_options(client, supervisee) == [
        "Nobody else",
        other_supervisee.display_name,
    ]
    blank_meeting_fields.cache_clear()


def test_the_blank_form_is_drawn_for_its_day():
    from dashboards.forms import blank_meeting_fields

    first = blank_meeting_fields(datetime.date(2026, 3, 2), ())
    second = blank_meeting_fields(datetime.date(2026, 3, 3), ())
    assert 'value="2026-03-02"' in first and 'value="2026-03-03"' in second


def test_a_form_sent_back_keeps_what_she_typed(client, supervisee, supervisor):
    client.force_login(supervisor)
    response = post_meeting(client, supervisee, duration_minutes="5", agreed="Keep this line")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="5"' in html and 'value="Keep this line"' in html
