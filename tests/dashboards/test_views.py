"""Dashboard pages: fixed query counts, windows, CSV, accessible charts. The tables that
cover every dashboard (PAGES, the windows) take in the group dashboard and group page too."""

import csv
import datetime
import io
import re

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import NOTE_FIELDS, ClientPresentation, LogStatus, PatternTag, SessionLog
from groups.models import GroupComment, GroupMeeting, GroupMembership, LogShare
from reflections.models import AskedQuestion, Practice, ReflectiveQuestion, Reply, Strength
from tests.dashboards.helpers import (
    catalog_items,
    days_ago,
    group_url,
    make_log,
    make_reply,
    parse,
    patterns,
    read_csv,
)
from tests.factories import (
    MembershipFactory,
    RelationshipFactory,
    UserFactory,
)

DASHBOARD = reverse("dashboards:dashboard")


def forget_figures():
    for alias in settings.CACHES:
        caches[alias].clear()


# ------------------------------------------------------------------ query counts


def bulk_catalog():
    return {
        "patterns": patterns("Over-preparing", "Fear of silence", "Self-criticism", "Rescuing"),
        "presentations": catalog_items(ClientPresentation, "Trauma", "Grief"),
        "practices": catalog_items(Practice, "Practise not-knowing", "Beginner's mind"),
        "strengths": catalog_items(Strength, "Authentic presence", "Mistake recovery"),
        "questions": [
            ReflectiveQuestion.objects.create(slug=f"q{i}", name=n, text=f"{n}?")
            for i, n in enumerate(("Moving forward", "Self-compassion"))
        ],
    }


def bulk_logs(person, count, *, supervisor, cat):
    """`count` submitted logs with three tags, a presentation and a reply (with a practice, a
    strength and an open catalog question) each: a few INSERTs whatever the count."""
    today, now = timezone.localdate(), timezone.now()
    logs = SessionLog.objects.bulk_create(
        SessionLog(
            author=person,
            client_code=f"B-{i:03d}",
            session_date=today - datetime.timedelta(days=(5 * i) % 150),
            duration_minutes=50,
            what_happened="Synthetic session.",
            status=LogStatus.SUBMITTED,
            submitted_at=now,
            pre_session_anxiety=i % 11,
            post_session_rumination=(3 * i) % 11,
        )
        for i in range(count)
    )
    kinds = cat["patterns"]
    PatternTag.objects.bulk_create(
        PatternTag(log=log, pattern=kinds[(i + j) % len(kinds)])
        for i, log in enumerate(logs)
        for j in range(3)
    )
    through = SessionLog.presentations.through
    through.objects.bulk_create(
        through(sessionlog=log, clientpresentation=cat["presentations"][i % 2])
        for i, log in enumerate(logs)
    )
    replies = Reply.objects.bulk_create(
        Reply(log=log, author=supervisor, feedback="Synthetic.", practice=cat["practices"][i % 2])
        for i, log in enumerate(logs)
    )
    Reply.strengths.through.objects.bulk_create(
        Reply.strengths.through(reply=reply, strength=cat["strengths"][i % 2])
        for i, reply in enumerate(replies)
    )
    AskedQuestion.objects.bulk_create(
        AskedQuestion(reply=reply, catalog_question=q, theme=q.name, text=q.text)
        for i, reply in enumerate(replies)
        for q in [cat["questions"][i % 2]]
    )
    return logs


def bulk_people(count, logs_each, *, group, supervisor, cat):
    """People supervised by `supervisor`, in `group` (every third shown by name), each with
    `logs_each` logs, one of them shared with the group and commented on."""
    for i in range(count):
        person = UserFactory()
        RelationshipFactory(supervisor=supervisor, supervisee=person)
        MembershipFactory(group=group, member=person, joined_on=days_ago(400), show_name=i % 3 == 0)
        logs = bulk_logs(person, logs_each, supervisor=supervisor, cat=cat)
        share = LogShare.objects.create(log=logs[0], group=group)
        GroupComment.objects.create(share=share, author=person, text="Synthetic comment.")


@pytest.fixture
def crowd(supervisee, supervisor, group):
    """Sam and two others, 10 logs each; `grow()` makes it 30 people and Sam 100 logs."""
    cat = bulk_catalog()
    bulk_logs(supervisee, 10, supervisor=supervisor, cat=cat)
    bulk_people(2, 10, group=group, supervisor=supervisor, cat=cat)
    members = list(GroupMembership.objects.filter(group=group).order_by("pk"))
    GroupMeeting.objects.create(
        group=group, starts_at=timezone.now() - datetime.timedelta(days=7), presenter=supervisee
    )
    upcoming = GroupMeeting.objects.create(
        group=group,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        presenter=members[1].member,
    )
    upcoming.absent.add(members[2].member)

    def grow():
        bulk_logs(supervisee, 90, supervisor=supervisor, cat=cat)
        bulk_people(27, 10, group=group, supervisor=supervisor, cat=cat)

    return grow


# Ceilings as measured at the large size, on SQLite and PostgreSQL alike. Supervisee: session,
# user, unread count + 5 figures. Supervisor: 3 + supervisees, logs, questions, tags and the
# queue. Group dashboard: 3 + group, members, 5 figures, shares with their comment counts.
# Group page: 3 + group, meeting and absences, members, rota (2), shares, the invite choices,
# the invitations waiting, the meetings to come and held, and her calendar feed link.
PAGES = {
    "supervisee dashboard": ("supervisee", lambda group: DASHBOARD, 8),
    "supervisor dashboard": ("supervisor", lambda group: DASHBOARD, 8),
    "group dashboard": ("supervisee", lambda group: group_url("group_dashboard", group), 12),
    "group page": ("other_supervisor", lambda group: group_url("group_detail", group), 15),
}


@pytest.mark.parametrize("page", PAGES)
def test_dashboards_never_read_note_text(request, client, crowd, group, page):
    # Counts, dates, names and the supervisor's questions: the free text of logs, replies
    # and answers is not fetched at all.
    viewer, url_of, _ = PAGES[page]
    client.force_login(request.getfixturevalue(viewer))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url_of(group)).status_code == 200
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    for column in (*NOTE_FIELDS, "note", "feedback", "answer"):
        assert f'"{column}"' not in sql, column


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_the_data(
    request, client, crowd, group, page, django_assert_max_num_queries
):
    viewer, url_of, ceiling = PAGES[page]
    url = url_of(group)
    client.force_login(request.getfixturevalue(viewer))
    client.get(url)  # warm caches (content types, sessions)
    # Both counts are of figures worked out afresh (a miss in the figures cache, which is on
    # as in production): a cache hit must not hide queries that grow with the data.
    forget_figures()
    small = count_queries(client, url)
    crowd()  # ten times the people, ten times Sam's logs
    forget_figures()
    large = count_queries(client, url)
    assert large == small, f"{page}: {small} queries with little data, {large} with ten times more"
    with django_assert_max_num_queries(ceiling):
        assert client.get(url).status_code == 200


def test_supervisor_dashboard_draws_every_supervisee_in_a_fixed_number_of_queries(
    client, crowd, supervisor
):
    # Thirty supervisees, Sam with a hundred logs: two charts each, and the figures worked
    # out afresh in 10 queries (session, user, supervisees, the change stamp, logs, questions,
    # tags by day, ratings by day, the queue, unread notices), none a supervisee. 9 before
    # the charts: their weekly series add the ratings query only.
    crowd()
    client.force_login(supervisor)
    client.get(DASHBOARD)
    forget_figures()
    with CaptureQueriesContext(connection) as captured:
        html = client.get(DASHBOARD).content.decode()
    assert len(captured.captured_queries) == 10
    assert html.count('<svg role="img"') == 2 * 30
    assert html.count("<details><summary") == 30


# ------------------------------------------------------------- small, hand-counted data


@pytest.fixture
def sam_page(supervisee, supervisor):
    """Sam's logs: 2 days ago OP+FS (anxiety 6, rumination 3), 3 days ago OP (3, -),
    35 days ago OP (9, 9); one reply today with a strength and an open question."""
    op, fs = patterns("Over-preparing", "Fear of silence")
    (presence,) = catalog_items(Strength, "Authentic presence")
    recent = make_log(supervisee, days_ago(2), [op, fs], anxiety=6, rumination=3)
    make_log(supervisee, days_ago(3), [op], anxiety=3, rumination=None)
    make_log(supervisee, days_ago(35), [op], anxiety=9, rumination=9)
    make_reply(
        recent,
        timezone.now(),
        author=supervisor,
        strengths=[presence],
        questions=[("Synthetic: what did the pause give you?", 0, False)],
    )
    return supervisee


# ---------------------------------------------------------------------- windows


def dashboard_urls(group):
    return {
        "supervisee": DASHBOARD,
        "supervisor": DASHBOARD,
        "other_supervisor": group_url("group_dashboard", group),
    }


@pytest.mark.parametrize("viewer", ["supervisee", "supervisor", "other_supervisor"])
@pytest.mark.parametrize("weeks", [4, 12, 52])
def test_weeks_choose_the_window(request, client, sam_page, board_page, viewer, weeks):
    client.force_login(request.getfixturevalue(viewer))
    response = client.get(dashboard_urls(board_page)[viewer], {"weeks": weeks})
    assert response.status_code == 200
    assert response.context["d"].weeks == weeks
    assert f'href="?weeks={weeks}" aria-current="page"' in response.content.decode()


def test_the_window_changes_the_figures(client, sam_page, supervisor, other_supervisor, group):
    # Sam's OP log of 35 days ago is outside 4 weeks and inside 12.
    client.force_login(sam_page)
    assert client.get(DASHBOARD, {"weeks": 4}).context["d"].patterns[0] == ("Over-preparing", 2)
    assert client.get(DASHBOARD, {"weeks": 12}).context["d"].patterns[0] == ("Over-preparing", 3)
    client.force_login(supervisor)
    rising = client.get(DASHBOARD, {"weeks": 4}).context["d"].rows[0].rising
    assert [(t.name, t.previous, t.current) for t in rising] == [
        ("Over-preparing", 1, 2),
        ("Fear of silence", 0, 1),
    ]
    rising = client.get(DASHBOARD, {"weeks": 12}).context["d"].rows[0].rising
    assert [(t.name, t.previous, t.current) for t in rising] == [
        ("Over-preparing", 0, 3),
        ("Fear of silence", 0, 1),
    ]


def test_many_waiting_questions_show_the_newest_and_link_to_all_without_a_count(
    client, supervisee, supervisor
):
    log = make_log(supervisee, days_ago(2), [])
    questions = [(f"Synthetic question {i:02}?", i, False) for i in range(11)]
    make_reply(log, timezone.now(), author=supervisor, questions=questions)
    client.force_login(supervisee)
    page = client.get(DASHBOARD).content.decode()
    assert "Synthetic question 07?" in page
    assert "Synthetic question 08?" not in page
    assert reverse("reflections:questions_waiting") in page
    assert "more" not in page.split("Questions from my supervisors")[1].split("</section>")[0]
    # No backlog count anywhere she sees, the download included.
    rows = list(csv.reader(io.StringIO(client.get(DASHBOARD, {"format": "csv"}).content.decode())))
    assert not any("questions waiting" in row[0] for row in rows)


@pytest.mark.parametrize("viewer", ["supervisee", "supervisor", "other_supervisor"])
@pytest.mark.parametrize("bad", ["7", "abc", "", "-4", "4.0", "12abc", "1e9"])
def test_a_bad_window_falls_back_to_twelve_weeks(request, client, group, viewer, bad):
    client.force_login(request.getfixturevalue(viewer))
    for extra in ({}, {"format": "csv"}):
        response = client.get(dashboard_urls(group)[viewer], {"weeks": bad, **extra})
        assert response.status_code == 200
        if not extra:
            assert response.context["d"].weeks == 12


# -------------------------------------------------------------------------- CSV


def test_supervisee_csv_matches_the_page(client, sam_page):
    client.force_login(sam_page)
    rows = read_csv(client.get(DASHBOARD, {"weeks": 4, "format": "csv"}))
    # Weeks start 27, 20, 13 and 6 days ago; both recent logs fall in the last week:
    # anxiety (6 + 3) / 2 = 4.5, rumination 3 / 1 = 3.0. The log of 35 days ago is outside.
    weeks = [f"week of {days_ago(n):%Y-%m-%d}" for n in (27, 20, 13, 6)]
    assert rows == [
        ["figure", "item", "period", "value"],
        ["pattern", "Over-preparing", "last 4 weeks", "2"],
        ["pattern", "Fear of silence", "last 4 weeks", "1"],
        *[
            ["anxiety before (mean)", w, "", v]
            for w, v in zip(weeks, ["", "", "", "4.5"], strict=True)
        ],
        *[
            ["rumination after (mean)", w, "", v]
            for w, v in zip(weeks, ["", "", "", "3.0"], strict=True)
        ],
        ["strength acknowledged", "Authentic presence", "last 4 weeks", "1"],
    ]
    page = parse(client.get(DASHBOARD, {"weeks": 4}))
    assert ["Over-preparing", "2"] in page.rows
    assert ["Fear of silence", "1"] in page.rows
    week_rows = [r for r in page.rows if len(r) == 3 and r[0] != "Week of"]
    assert week_rows == [
        [f"{days_ago(27):%d %b}", "—", "—"],
        [f"{days_ago(20):%d %b}", "—", "—"],
        [f"{days_ago(13):%d %b}", "—", "—"],
        [f"{days_ago(6):%d %b}", "4.5", "3.0"],
    ]


def test_supervisor_csv_matches_the_page(client, sam_page, supervisor):
    client.force_login(supervisor)
    response = client.get(DASHBOARD, {"weeks": 4, "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="supervision-dashboard.csv"'
    # Last log 2 days ago; 3 submitted logs; 1 open question; OP 1 -> 2 and FS 0 -> 1.
    assert read_csv(response) == [
        ["supervisee", "last log", "awaiting review", "unanswered questions", "patterns rising"],
        [
            "Sam Supervisee",
            days_ago(2).isoformat(),
            "3",
            "1",
            "Over-preparing (1→2); Fear of silence (0→1)",
        ],
    ]
    html = client.get(DASHBOARD, {"weeks": 4}).content.decode()
    last = days_ago(2)
    assert card_text(html, "Sam Supervisee").startswith(
        f"Sam Supervisee Last log {last.day} {last:%b %Y} Awaiting review 3 "
        "Questions still open 1 Patterns rising Over-preparing 1→2 Fear of silence 0→1 "
    )


def card_text(html: str, name: str) -> str:
    """The words of a supervisee's card on the supervisor dashboard, tags left out."""
    start = html.index(f">{name}</a></h3>")
    card = html[html.rindex("<article", 0, start) : html.index("</article>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", card).split())


# ------------------------------------------------------------------------ charts


def test_supervisee_chart_and_table_carry_the_same_numbers(client, sam_page):
    client.force_login(sam_page)
    response = client.get(DASHBOARD, {"weeks": 4})
    html = response.content.decode()
    assert html.count('<svg role="img"') == 2
    assert "<table" in html
    page = parse(response)
    bars, lines = page.descs
    assert "Over-preparing: 2; Fear of silence: 1." in bars
    assert ["Over-preparing", "2"] in page.rows
    assert ["Fear of silence", "1"] in page.rows
    label = f"{days_ago(6):%d %b}"
    assert f"Anxiety before: latest 4.5 ({label})" in lines
    assert f"Rumination after: latest 3 ({label})" in lines
    assert [label, "4.5", "3.0"] in page.rows


def test_supervisor_cards_draw_each_supervisee_with_her_numbers(client, sam_page, supervisor):
    # Sam's last week (from 6 days ago) holds both recent logs: OP twice, FS once; anxiety
    # (6 + 3) / 2 = 4.5, rumination 3. Her log of 35 days ago is outside the 4 weeks.
    other = UserFactory(display_name="Zoe Quiet")
    RelationshipFactory(supervisor=supervisor, supervisee=other)
    client.force_login(supervisor)
    response = client.get(DASHBOARD, {"weeks": 4})
    html = response.content.decode()
    # A chart of patterns and one of the ratings for Sam, each named for her; Zoe, with no
    # logs, gets a plain "No data yet" for both, never an empty frame.
    assert html.count('<svg role="img"') == 2
    assert "<title" in html and "Sam Supervisee: patterns by week</title>" in html
    assert "Sam Supervisee: anxiety and rumination (weekly average, 0–10)</title>" in html
    assert card_text(html, "Zoe Quiet").count("No data yet") == 2
    page = parse(response)
    columns, lines = page.descs
    assert "Totals by series: Over-preparing 2; Fear of silence 1." in columns
    label = f"{days_ago(6):%d %b}"
    assert f"Anxiety before: latest 4.5 ({label})" in lines
    assert f"Rumination after: latest 3 ({label})" in lines
    # The same numbers as text, week by week (weeks without a log left out).
    assert card_text(html, "Sam Supervisee").endswith(
        f"Numbers, week by week Week of {label} : anxiety before 4.5, rumination after 3.0. "
        "Patterns: Over-preparing 2, Fear of silence 1."
    )
    assert card_text(html, "Zoe Quiet").endswith("Numbers, week by week No logs in these weeks.")
    # No wide table left to scroll sideways: each supervisee is a card.
    assert "table-responsive" not in html
