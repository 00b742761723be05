"""Dashboard and group pages: fixed query counts, windows, CSV, accessible charts, group access."""

import csv
import datetime
import io
from html.parser import HTMLParser

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
from tests.dashboards.test_selectors import catalog_items, make_log, make_reply, patterns
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    RelationshipFactory,
    SessionLogFactory,
    SubmittedLogFactory,
    SupervisorFactory,
    UserFactory,
)

DASHBOARD = reverse("dashboards:dashboard")


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def forget_figures():
    for alias in settings.CACHES:
        caches[alias].clear()


def group_url(name, group, *more):
    return reverse(f"groups:{name}", args=[group.pk, *(x.pk for x in more)])


def post(client, url, data=None) -> list[str]:
    """POST, follow the redirect, and return the messages shown on the page it lands on."""
    response = client.post(url, data or {}, follow=True)
    assert [status for _, status in response.redirect_chain] == [302]
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


class _Tables(HTMLParser):
    """Cell texts of every table row in a page, and the text of every SVG <desc>."""

    def __init__(self):
        super().__init__()
        self.rows, self.descs = [], []
        self._row = self._cell = self._desc = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "desc":
            self._desc = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "desc" and self._desc is not None:
            self.descs.append("".join(self._desc))
            self._desc = None

    def handle_data(self, data):
        for part in (self._cell, self._desc):
            if part is not None:
                part.append(data)


def parse(response) -> _Tables:
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.content.decode())))


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
# Group page: 3 + group, meeting and absences, members, rota (2), shares, the add-member choices.
PAGES = {
    "supervisee dashboard": ("supervisee", lambda group: DASHBOARD, 8),
    "supervisor dashboard": ("supervisor", lambda group: DASHBOARD, 8),
    "group dashboard": ("supervisee", lambda group: group_url("group_dashboard", group), 12),
    "group page": ("other_supervisor", lambda group: group_url("group_detail", group), 11),
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


@pytest.fixture
def board_page(group, group_member, former_member, supervisee):
    """The conftest group (Sam, Gio; Fay left yesterday) plus Hal, and Ida who opted in.

    Today: Sam OP+FS, Gio OP+FS, Hal OP (all Trauma); Ida Rescuing (Grief); Fay FS (Trauma).
    35 days ago: Sam OP.
    """
    op, fs, rescuing = patterns("Over-preparing", "Fear of silence", "Rescuing")
    trauma, grief = catalog_items(ClientPresentation, "Trauma", "Grief")
    hal = UserFactory(display_name="Hal Member")
    ida = UserFactory(display_name="Ida Member")
    MembershipFactory(group=group, member=hal)
    MembershipFactory(group=group, member=ida, show_name=True)
    today = timezone.localdate()
    for person, tags, presentation in (
        (supervisee, [op, fs], trauma),
        (group_member, [op, fs], trauma),
        (hal, [op], trauma),
        (ida, [rescuing], grief),
        (former_member, [fs], trauma),
    ):
        make_log(person, today, tags).presentations.add(presentation)
    make_log(supervisee, days_ago(35), [op])
    return group


NAMES_NOT_SHOWN = ("Sam Supervisee", "Gio Groupmember", "Hal Member", "Fay Former")


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


def test_many_waiting_questions_show_the_oldest_and_say_how_many_more(
    client, supervisee, supervisor
):
    log = make_log(supervisee, days_ago(2), [])
    questions = [(f"Synthetic question {i:02}?", i, False) for i in range(11)]
    make_reply(log, timezone.now(), author=supervisor, questions=questions)
    client.force_login(supervisee)
    page = client.get(DASHBOARD).content.decode()
    assert "Synthetic question 07?" in page
    assert "Synthetic question 08?" not in page
    assert "and 3 more, on older logs" in page
    rows = list(csv.reader(io.StringIO(client.get(DASHBOARD, {"format": "csv"}).content.decode())))
    assert ["questions waiting for my answer", "", "", "11"] in rows


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
        ["questions waiting for my answer", "", "", "1"],
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
    page = parse(client.get(DASHBOARD, {"weeks": 4}))
    (row,) = [r for r in page.rows if r[0] == "Sam Supervisee"]
    last = days_ago(2)
    assert row[1:4] == [f"{last.day} {last:%b %Y}", "3", "1"]
    assert "Over-preparing 1→2" in row[4]
    assert "Fear of silence 0→1" in row[4]


def test_group_csv_matches_the_page_and_names_nobody(client, board_page, other_supervisor):
    client.force_login(other_supervisor)
    url = group_url("group_dashboard", board_page)
    response = client.get(url, {"weeks": 4, "format": "csv"})
    filename = f'attachment; filename="group-{board_page.pk}-dashboard.csv"'
    assert response["Content-Disposition"] == filename
    rows = read_csv(response)
    # OP: Sam, Gio, Hal = 3 people -> 3; before: Sam only -> suppressed (empty).
    # FS: Sam, Gio (Fay has left) -> suppressed; Rescuing: Ida alone -> suppressed.
    assert rows[:4] == [
        ["figure", "item", "period", "value", "previous period"],
        ["pattern", "Over-preparing", "last 4 weeks", "3", ""],
        ["pattern", "Fear of silence", "last 4 weeks", "", "0"],
        ["pattern", "Rescuing", "last 4 weeks", "", "0"],
    ]
    this_month = f"{timezone.localdate():%Y-%m}"
    presentations = {
        (item, period): value
        for figure, item, period, value, _ in rows[4:]
        if figure == "client presentation" and value != "0"
    }
    # Trauma this month: Sam, Gio, Hal -> 3; Grief: Ida alone -> suppressed (empty).
    assert presentations == {("Grief", this_month): "", ("Trauma", this_month): "3"}
    assert {r[0] for r in rows[4:]} == {"client presentation"}
    text = response.content.decode()
    for name in NAMES_NOT_SHOWN:
        assert name not in text

    page = parse(client.get(url, {"weeks": 4}))
    assert ["Over-preparing", "3", "—"] in page.rows
    assert ["Fear of silence", "—", "0"] in page.rows
    assert ["Rescuing", "—", "0"] in page.rows
    (trauma,) = [r for r in page.rows if r[0] == "Trauma"]
    assert set(trauma[1:-1]) == {"0"}
    assert trauma[-1] == "3"
    (grief,) = [r for r in page.rows if r[0] == "Grief"]
    assert grief[-1] == "—"


def test_group_dashboard_names_only_members_who_opted_in(client, board_page, other_supervisor):
    client.force_login(other_supervisor)
    response = client.get(group_url("group_dashboard", board_page), {"weeks": 4})
    html = response.content.decode()
    assert "<strong>Ida Member</strong>: Rescuing (1)" in html
    for name in NAMES_NOT_SHOWN:
        assert name not in html


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


def test_group_chart_and_table_carry_the_same_numbers(client, board_page, other_supervisor):
    client.force_login(other_supervisor)
    response = client.get(group_url("group_dashboard", board_page), {"weeks": 4})
    html = response.content.decode()
    assert html.count('<svg role="img"') == 2
    assert "<table" in html
    page = parse(response)
    bars, columns = page.descs
    assert "Over-preparing: 3; Fear of silence: —; Rescuing: —." in bars
    assert ["Over-preparing", "3", "—"] in page.rows
    assert "Totals by series: Grief 0; Trauma 3." in columns
    assert [r for r in page.rows if r[0] == "Trauma"][0][-1] == "3"


def test_supervisor_table_carries_the_figures(client, sam_page, supervisor):
    # The supervisor dashboard is a table (no chart): its figures are checked against the CSV
    # above; here, that every supervisee row has all five columns.
    client.force_login(supervisor)
    page = parse(client.get(DASHBOARD, {"weeks": 4}))
    assert page.rows[0] == [
        "Supervisee",
        "Last log",
        "Awaiting review",
        "Unanswered questions",
        "Patterns rising",
    ]
    assert [len(r) for r in page.rows[1:]] == [5]


# ------------------------------------------------------------------------- groups


@pytest.fixture
def shared(client, supervisee, group, group_member):
    """Sam shares a submitted log with the group through the page."""
    log = SubmittedLogFactory(
        author=supervisee, what_happened="Synthetic: the client brought a drawing."
    )
    client.force_login(supervisee)
    shown = post(client, reverse("groups:log_share", args=[log.pk]), {"group": group.pk})
    assert shown == ["Shared with Sounding board. You can withdraw it at any time."]
    return LogShare.objects.filter(log=log, group=group).get()


def test_members_see_the_group_its_dashboard_and_shared_logs(client, shared, group, group_member):
    client.force_login(group_member)
    assert client.get(group_url("group_dashboard", group)).status_code == 200
    page = client.get(group_url("group_detail", group))
    assert group_url("shared_log", group, shared) in page.content.decode()
    response = client.get(group_url("shared_log", group, shared))
    assert response.status_code == 200
    assert "Synthetic: the client brought a drawing." in response.content.decode()


def test_an_unshared_log_of_another_member_is_not_found(client, shared, supervisee, group_member):
    unshared = SubmittedLogFactory(author=supervisee)
    client.force_login(group_member)
    assert client.get(reverse("cases:log_detail", args=[unshared.pk])).status_code == 404


def test_a_withdrawn_share_is_gone_for_the_group(
    client, shared, supervisee, group, group_member, other_supervisor
):
    client.force_login(supervisee)
    shown = post(client, reverse("groups:share_withdraw", args=[shared.pk]))
    assert shown == ["Withdrawn from Sounding board; the group no longer sees it."]
    shared.refresh_from_db()
    assert shared.withdrawn_at is not None
    for person in (group_member, other_supervisor):
        client.force_login(person)
        assert client.get(group_url("shared_log", group, shared)).status_code == 404
        assert (
            group_url("shared_log", group, shared)
            not in client.get(group_url("group_detail", group)).content.decode()
        )
        response = client.post(group_url("shared_log_comment", group, shared), {"text": "Late."})
        assert response.status_code == 404
    assert not GroupComment.objects.exists()


def test_a_former_member_sees_nothing_of_the_group(client, shared, group, former_member):
    client.force_login(former_member)
    for url in (
        group_url("group_detail", group),
        group_url("group_dashboard", group),
        group_url("group_dashboard", group) + "?format=csv",
        group_url("shared_log", group, shared),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(group_url("shared_log_comment", group, shared), {"text": "Hello?"})
    assert response.status_code == 404
    assert not GroupComment.objects.exists()


def test_the_facilitator_adds_and_removes_members(
    client, shared, group, group_member, other_supervisor, outsider
):
    client.force_login(other_supervisor)
    shown = post(client, group_url("member_add", group), {"member": outsider.pk})
    assert shown == ["Ola Outsider joined the group."]
    client.force_login(outsider)
    assert client.get(group_url("group_detail", group)).status_code == 200
    assert client.get(group_url("shared_log", group, shared)).status_code == 200

    client.force_login(other_supervisor)
    for person in (outsider, group_member):
        assert post(client, group_url("member_remove", group, person)) == [
            f"{person} has left the group; their access ended today."
        ]
    for person in (outsider, group_member):
        client.force_login(person)
        assert client.get(group_url("group_detail", group)).status_code == 404
        assert client.get(group_url("shared_log", group, shared)).status_code == 404
    # Gio's membership is kept, ending yesterday; Ola's, begun today, is gone.
    assert GroupMembership.objects.filter(member=group_member).get().left_on == days_ago(1)
    assert not GroupMembership.objects.filter(member=outsider).exists()


def test_adding_someone_twice_is_refused_with_a_message(
    client, group, group_member, other_supervisor
):
    client.force_login(other_supervisor)
    shown = post(client, group_url("member_add", group), {"member": group_member.pk})
    assert shown == ["Gio Groupmember is already a member."]
    assert GroupMembership.objects.filter(member=group_member).count() == 1


def test_sharing_a_draft_is_refused(client, supervisee, group):
    draft = SessionLogFactory(author=supervisee)
    client.force_login(supervisee)
    shown = post(client, reverse("groups:log_share", args=[draft.pk]), {"group": group.pk})
    assert shown == ["Submit the log before sharing it; drafts stay private."]
    assert not LogShare.objects.exists()


def test_sharing_with_a_group_i_am_not_in_is_refused(client, supervisee, group, former_member):
    log = SubmittedLogFactory(author=supervisee)
    elsewhere = GroupFactory(facilitator=SupervisorFactory(), name="Not mine")
    MembershipFactory(group=elsewhere, member=former_member)
    client.force_login(supervisee)
    shown = post(client, reverse("groups:log_share", args=[log.pk]), {"group": elsewhere.pk})
    assert shown == ["Choose one of your groups."]
    assert not LogShare.objects.exists()


def test_the_comment_thread_shows_to_members(
    client, shared, group, supervisee, group_member, other_supervisor
):
    text = "Synthetic: what would good enough look like here?"
    client.force_login(group_member)
    url = group_url("shared_log_comment", group, shared)
    assert post(client, url, {"text": text}) == ["Added to the discussion."]
    for person in (supervisee, other_supervisor, group_member):
        client.force_login(person)
        html = client.get(group_url("shared_log", group, shared)).content.decode()
        assert text in html
        assert "Gio Groupmember" in html


@pytest.mark.parametrize("empty", ["", "   ", "\n"])
def test_an_empty_comment_changes_nothing(client, shared, group, group_member, empty):
    client.force_login(group_member)
    shown = post(client, group_url("shared_log_comment", group, shared), {"text": empty})
    assert shown == ["A comment needs some text (at most 2,000 characters)."]
    assert not GroupComment.objects.exists()


def test_a_member_opts_in_and_out_of_being_named(client, board_page, supervisee, other_supervisor):
    membership = GroupMembership.objects.filter(group=board_page, member=supervisee).get()
    dashboard = group_url("group_dashboard", board_page)
    for show, named in (("1", True), ("0", False)):
        client.force_login(supervisee)
        post(client, group_url("show_name", board_page), {"show": show})
        membership.refresh_from_db()
        assert membership.show_name is named
        client.force_login(other_supervisor)
        html = client.get(dashboard, {"weeks": 4}).content.decode()
        assert ("<strong>Sam Supervisee</strong>" in html) is named
        assert ("Sam Supervisee" in html) is named
