"""Dashboard figures against numbers worked out by hand on small, explicit data.

Every expected figure below is a literal, with the sum that gives it in a comment. The data
is built with fixed dates around TODAY (a Tuesday) and passed to the selectors as `today`.

Windows for TODAY = 30 Jun 2026 (a window of w weeks ends today and is w * 7 days long):
-  4 weeks:  3 Jun 2026 .. 30 Jun 2026; the 4 weeks before:  6 May .. 2 Jun 2026
- 12 weeks:  8 Apr 2026 .. 30 Jun 2026; the 12 weeks before: 14 Jan .. 7 Apr 2026
- 52 weeks:  2 Jul 2025 .. 30 Jun 2026
"""

import datetime

import pytest
from django.utils import timezone

from cases.models import LogStatus
from dashboards import selectors
from reflections.models import Strength
from tests.dashboards.helpers import (
    TODAY,
    D,
    at,
    catalog_items,
    make_log,
    make_reply,
    patterns,
    trashed,
)
from tests.factories import (
    AskedQuestionFactory,
    RelationshipFactory,
    ReplyFactory,
    UserFactory,
)

# ------------------------------------------------------------------------ supervisee


@pytest.fixture
def sam_world(supervisee, supervisor, other_supervisee):
    """Sam's logs, tags, ratings and replies.

    log  date        tags       anxiety rumination  note
    L0   2 Jun 2026  OP FS      9       9           one day before the 4-week window
    L1   3 Jun 2026  OP SC      6       2           first day of the 4-week window
    L2   5 Jun 2026  OP         3       -
    L3  18 Jun 2026  SC FS      -       7           her own draft: counts on her dashboard
    L4  20 Jun 2026  OP         8       4
    L5  30 Jun 2026  FS         7       5           today
    L6  26 Jun 2026  OP         8       8           in the trash: never counts
    L7  27 Jun 2026  -          2       6
    L8  25 Jun 2026  -          9       6
    L9   8 Apr 2026  NF         4       4           first day of the 12-week window
    L10  7 Apr 2026  NF         1       1           one day before it
    L11  2 Jul 2025  NF         1       1           first day of the 52-week window
    L12  1 Jul 2025  NF         1       1           one day before it
    L13  1 Jul 2026  OP        10      10           after today
    Olu's log on 10 Jun 2026 with OP FS SC never counts for Sam.
    """
    op, fs, sc, nf = patterns(
        "Over-preparing", "Fear of silence", "Self-criticism", "Needing to fix"
    )
    presence, flexibility, recovery = catalog_items(
        Strength, "Authentic presence", "Relational flexibility", "Mistake recovery"
    )
    sam = supervisee
    logs = {
        "L0": make_log(sam, D(2026, 6, 2), [op, fs], anxiety=9, rumination=9),
        "L1": make_log(sam, D(2026, 6, 3), [op, sc], anxiety=6, rumination=2),
        "L2": make_log(sam, D(2026, 6, 5), [op], anxiety=3, rumination=None),
        "L3": make_log(
            sam, D(2026, 6, 18), [sc, fs], anxiety=None, rumination=7, status=LogStatus.DRAFT
        ),
        "L4": make_log(sam, D(2026, 6, 20), [op], anxiety=8, rumination=4),
        "L5": make_log(sam, D(2026, 6, 30), [fs], anxiety=7, rumination=5),
        "L6": trashed(sam, D(2026, 6, 26), [op], anxiety=8, rumination=8),
        "L7": make_log(sam, D(2026, 6, 27), [], anxiety=2, rumination=6),
        "L8": make_log(sam, D(2026, 6, 25), [], anxiety=9, rumination=6),
        "L9": make_log(sam, D(2026, 4, 8), [nf], anxiety=4, rumination=4),
        "L10": make_log(sam, D(2026, 4, 7), [nf], anxiety=1, rumination=1),
        "L11": make_log(sam, D(2025, 7, 2), [nf], anxiety=1, rumination=1),
        "L12": make_log(sam, D(2025, 7, 1), [nf], anxiety=1, rumination=1),
        "L13": make_log(sam, D(2026, 7, 1), [op], anxiety=10, rumination=10),
    }
    olu_log = make_log(other_supervisee, D(2026, 6, 10), [op, fs, sc], anxiety=0, rumination=0)

    # Replies, by creation time (project time zone):
    # Ra  2 Jun 23:30 on L9   presence                 Q-a0 open
    # Rb  3 Jun 00:30 on L1   presence, flexibility    Q-b1 (pos 1) open, Q-b0 (pos 0) open,
    #                                                  Q-b2 answered
    # Rc 10 Jun       on L2   -
    # Rd 19 Jun       on L4   presence
    # Re 22 Jun       on L4   -                        Q-e0 open
    # Rf 26 Jun       on L8   recovery
    # Rg 30 Jun 10:00 on L5   flexibility, presence
    # Rt 30 Jun 18:00 on L6 (trashed)                  Q-t0 open
    # Ro 30 Jun 19:00 on Olu's log, presence           Q-o0 open
    replies = {
        "Ra": make_reply(
            logs["L9"],
            at(D(2026, 6, 2), 23, 30),
            author=supervisor,
            strengths=[presence],
            questions=[("Q-a0", 0, False)],
        ),
        "Rb": make_reply(
            logs["L1"],
            at(D(2026, 6, 3), 0, 30),
            author=supervisor,
            strengths=[presence, flexibility],
            questions=[("Q-b1", 1, False), ("Q-b0", 0, False), ("Q-b2", 2, True)],
        ),
        "Rc": make_reply(logs["L2"], at(D(2026, 6, 10)), author=supervisor),
        "Rd": make_reply(logs["L4"], at(D(2026, 6, 19)), author=supervisor, strengths=[presence]),
        "Re": make_reply(
            logs["L4"], at(D(2026, 6, 22)), author=supervisor, questions=[("Q-e0", 0, False)]
        ),
        "Rf": make_reply(logs["L8"], at(D(2026, 6, 26)), author=supervisor, strengths=[recovery]),
        "Rg": make_reply(
            logs["L5"],
            at(D(2026, 6, 30), 10),
            author=supervisor,
            strengths=[flexibility, presence],
        ),
        "Rt": make_reply(
            logs["L6"], at(D(2026, 6, 30), 18), author=supervisor, questions=[("Q-t0", 0, False)]
        ),
        "Ro": make_reply(
            olu_log, at(D(2026, 6, 30), 19), strengths=[presence], questions=[("Q-o0", 0, False)]
        ),
    }
    return {"sam": sam, "logs": logs, "replies": replies}


@pytest.mark.parametrize(
    ("weeks", "start", "expected", "log_count"),
    [
        # 3 Jun..30 Jun: OP = L1 L2 L4 = 3 (L0 is 2 Jun, L6 trashed, L13 after today);
        # FS = L3 L5 = 2; SC = L1 L3 = 2; ties by name. Logs L1-L5, L7, L8 = 7.
        (
            4,
            D(2026, 6, 3),
            [("Over-preparing", 3), ("Fear of silence", 2), ("Self-criticism", 2)],
            7,
        ),
        # 8 Apr..30 Jun adds L0 (OP, FS) and L9 (NF; L10 is 7 Apr): OP 4, FS 3, SC 2, NF 1.
        # Logs: the 7 above + L0 + L9 = 9.
        (
            12,
            D(2026, 4, 8),
            [
                ("Over-preparing", 4),
                ("Fear of silence", 3),
                ("Self-criticism", 2),
                ("Needing to fix", 1),
            ],
            9,
        ),
        # 2 Jul 2025..30 Jun 2026 adds L10 and L11 (NF; L12 is 1 Jul 2025): NF 3, tie with FS.
        # Logs: 9 + L10 + L11 = 11.
        (
            52,
            D(2025, 7, 2),
            [
                ("Over-preparing", 4),
                ("Fear of silence", 3),
                ("Needing to fix", 3),
                ("Self-criticism", 2),
            ],
            11,
        ),
    ],
)
def test_supervisee_patterns_count_inside_the_window_only(
    sam_world, weeks, start, expected, log_count
):
    d = selectors.supervisee_dashboard(sam_world["sam"], weeks=weeks, today=TODAY)
    assert d.weeks == weeks
    assert d.start == start
    assert d.patterns == expected
    assert d.log_count == log_count


def test_supervisee_weekly_means_over_four_weeks(sam_world):
    d = selectors.supervisee_dashboard(sam_world["sam"], weeks=4, today=TODAY)
    assert d.week_labels == [D(2026, 6, 3), D(2026, 6, 10), D(2026, 6, 17), D(2026, 6, 24)]
    # week of  3 Jun: L1 (6, 2), L2 (3, -)            -> anxiety 9/2 = 4.5, rumination 2/1 = 2.0
    # week of 10 Jun: no logs                          -> None, None
    # week of 17 Jun: L3 (-, 7), L4 (8, 4)             -> anxiety 8/1 = 8.0, rumination 11/2 = 5.5
    # week of 24 Jun: L8 (9, 6), L7 (2, 6), L5 (7, 5)  -> anxiety 18/3 = 6.0, rumination 17/3 = 5.7
    #                 (L6, trashed, would add 8 and 8)
    assert d.anxiety == [4.5, None, 8.0, 6.0]
    assert d.rumination == [2.0, None, 5.5, 5.7]


def test_supervisee_weekly_means_over_twelve_weeks(sam_world):
    d = selectors.supervisee_dashboard(sam_world["sam"], weeks=12, today=TODAY)
    # Weeks start 8 Apr, 15 Apr, ... 24 Jun. L9 (8 Apr) is alone in the first week (4, 4);
    # L0 (2 Jun) is alone in the week of 27 May (9, 9); the last four weeks are as above.
    assert len(d.week_labels) == 12
    assert d.week_labels[0] == D(2026, 4, 8)
    assert d.week_labels[7] == D(2026, 5, 27)
    assert d.week_labels[-1] == D(2026, 6, 24)
    assert d.anxiety == [4.0, None, None, None, None, None, None, 9.0, 4.5, None, 8.0, 6.0]
    assert d.rumination == [4.0, None, None, None, None, None, None, 9.0, 2.0, None, 5.5, 5.7]


def test_supervisee_waiting_questions(sam_world):
    d = selectors.supervisee_dashboard(sam_world["sam"], weeks=4, today=TODAY)
    # Open questions on her live logs, newest reply first, then by position, whatever the
    # window: Re's Q-e0, Rb's Q-b0 then Q-b1, Ra's Q-a0 (2 Jun). Not Q-b2 (answered), Q-t0
    # (on a trashed log) or Q-o0 (someone else's log).
    assert [q.text for q in d.waiting_questions] == ["Q-e0", "Q-b0", "Q-b1", "Q-a0"]
    assert d.waiting_more is False
    # Each as the page draws it: linked to the question on its log's page, who asked, the log.
    from reflections.models import AskedQuestion

    asked = AskedQuestion.objects.select_related("reply__log", "reply__author").in_bulk(
        [line.pk for line in d.waiting_questions]
    )
    for line in d.waiting_questions:
        question = asked[line.pk]
        assert (line.url, line.by, line.log_label) == (
            f"{question.reply.log.get_absolute_url()}#question-{question.pk}",
            question.reply.author.display_name,
            str(question.reply.log),
        )


def test_supervisee_waiting_questions_show_the_newest_few_and_link_to_the_rest(supervisee):
    reply = ReplyFactory(log__author=supervisee)
    for i in range(selectors.WAITING_SHOWN + 3):
        AskedQuestionFactory(reply=reply, position=i, text=f"Q{i}")
    d = selectors.supervisee_dashboard(supervisee, weeks=4)
    assert [q.text for q in d.waiting_questions] == [
        f"Q{i}" for i in range(selectors.WAITING_SHOWN)
    ]
    # No count of what is left: a link to all of them.
    assert d.waiting_more is True


def test_supervisee_recent_replies_newest_first_at_most_five(sam_world):
    d = selectors.supervisee_dashboard(sam_world["sam"], weeks=4, today=TODAY)
    replies = sam_world["replies"]
    # Seven replies on her live logs; the five newest are Rg, Rf, Re, Rd, Rc. Rt (on the
    # trashed L6) and Ro (Olu's) are newer but are not hers to see here.
    assert [r.pk for r in d.recent_replies] == [
        replies[k].pk for k in ("Rg", "Rf", "Re", "Rd", "Rc")
    ]
    # Each as the page draws it: its log named and linked, who replied, when, what it did.
    from reflections.models import Reply

    stored = Reply.objects.select_related("log", "author").in_bulk([r.pk for r in d.recent_replies])
    for line in d.recent_replies:
        reply = stored[line.pk]
        assert (line.url, line.log_label, line.by, line.created_at, line.result) == (
            reply.log.get_absolute_url(),
            str(reply.log),
            reply.author.display_name,
            reply.created_at,
            reply.result,
        )


def test_recent_replies_compiled_once_are_the_orms(sam_world, other_supervisee):
    """Her newest replies come from a query compiled once per process, her id its only
    parameter: for each person, the same replies as the ORM's query gives."""
    from reflections.models import Reply

    for person in (sam_world["sam"], other_supervisee):
        orm = (
            Reply.objects.filter(log__author=person, log__deleted_at__isnull=True)
            .order_by("-created_at")
            .values_list("pk", flat=True)[:5]
        )
        shown = selectors.supervisee_dashboard(person, weeks=4, today=TODAY).recent_replies
        assert [r.pk for r in shown] == list(orm) and shown
    params = selectors._RECENT_REPLIES.params(person=other_supervisee.pk)
    assert other_supervisee.pk in params and sam_world["sam"].pk not in params


@pytest.mark.parametrize(
    ("weeks", "expected"),
    [
        # From 3 Jun (by the reply's date in the project's time zone):
        # presence Rb Rd Rg = 3; flexibility Rb Rg = 2; recovery Rf = 1.
        # Ra (2 Jun 23:30) is outside; Ro is on Olu's log.
        (4, [("Authentic presence", 3), ("Relational flexibility", 2), ("Mistake recovery", 1)]),
        # From 8 Apr Ra counts too: presence 4.
        (12, [("Authentic presence", 4), ("Relational flexibility", 2), ("Mistake recovery", 1)]),
    ],
)
def test_supervisee_strengths_counted_within_the_window(sam_world, weeks, expected):
    d = selectors.supervisee_dashboard(sam_world["sam"], weeks=weeks, today=TODAY)
    assert d.strengths == expected


def test_supervisee_dashboard_of_someone_with_nothing_yet(outsider):
    d = selectors.supervisee_dashboard(outsider, weeks=4, today=TODAY)
    assert d.patterns == []
    assert d.anxiety == [None, None, None, None]
    assert d.rumination == [None, None, None, None]
    assert d.waiting_questions == []
    assert d.waiting_more is False
    assert d.recent_replies == []
    assert d.strengths == []
    assert d.log_count == 0


# ------------------------------------------------------------------------ supervisor


@pytest.fixture
def sol_world(supervisee, supervisor, other_supervisee, other_supervisor):
    """Sol supervises Sam, Ari and Zed; his supervision of Eve ended yesterday.

    Patterns: OP Over-preparing, FS Fear of silence, SC Self-criticism, RE Rescuing,
    NF Needing to fix, AC Avoiding conflict.

    Sam's logs, 4-week windows (previous 6 May..2 Jun, current 3 Jun..30 Jun):
    P0   5 May  RE AC            submitted  before both windows
    P1   6 May  OP FS SC NF      signed
    P2  20 May  FS SC            returned
    P3   2 Jun  SC               submitted
    C1   3 Jun  OP FS SC RE NF   submitted
    C2  10 Jun  OP FS RE NF      signed
    C3  20 Jun  OP NF AC         returned
    C4  29 Jun  NF               submitted
    T   15 Jun  FS SC AC         submitted, then trashed
    Dr  30 Jun  AC RE            draft (private to Sam)
    """
    op, fs, sc, re_, nf, ac = patterns(
        "Over-preparing",
        "Fear of silence",
        "Self-criticism",
        "Rescuing",
        "Needing to fix",
        "Avoiding conflict",
    )
    ari = UserFactory(display_name="Ari Another")
    zed = UserFactory(display_name="Zed Quiet")
    eve = UserFactory(display_name="Eve Ended")
    real_today = timezone.localdate()
    RelationshipFactory(supervisor=supervisor, supervisee=ari)
    RelationshipFactory(supervisor=supervisor, supervisee=zed)
    RelationshipFactory(
        supervisor=supervisor,
        supervisee=eve,
        starts_on=real_today - datetime.timedelta(days=400),
        ends_on=real_today - datetime.timedelta(days=1),
    )
    signed = {
        "status": LogStatus.SIGNED,
        "signed_by": supervisor,
        "signed_at": timezone.now(),
        "signed_sha256": "0" * 64,
    }
    sam = supervisee
    make_log(sam, D(2026, 5, 5), [re_, ac])
    make_log(sam, D(2026, 5, 6), [op, fs, sc, nf], **signed)
    make_log(sam, D(2026, 5, 20), [fs, sc], status=LogStatus.RETURNED)
    p3 = make_log(sam, D(2026, 6, 2), [sc])
    c1 = make_log(sam, D(2026, 6, 3), [op, fs, sc, re_, nf])
    make_log(sam, D(2026, 6, 10), [op, fs, re_, nf], **signed)
    make_log(sam, D(2026, 6, 20), [op, nf, ac], status=LogStatus.RETURNED)
    make_log(sam, D(2026, 6, 29), [nf])
    t = trashed(sam, D(2026, 6, 15), [fs, sc, ac])
    make_log(sam, D(2026, 6, 30), [ac, re_], status=LogStatus.DRAFT)
    # Questions: 2 open + 1 answered on C1, 1 open on P3, 1 open on the trashed T.
    make_reply(
        c1,
        at(D(2026, 6, 4)),
        author=supervisor,
        questions=[("Q1", 0, False), ("Q2", 1, False), ("Q3", 2, True)],
    )
    make_reply(p3, at(D(2026, 6, 3)), author=supervisor, questions=[("Q4", 0, False)])
    make_reply(t, at(D(2026, 6, 16)), author=supervisor, questions=[("Q5", 0, False)])

    # Ari: one submitted log on 20 Apr, before both 4-week windows.
    make_log(ari, D(2026, 4, 20), [op])
    # Eve (ended) and Olu (someone else's supervisee) have recent logs that must not show.
    make_log(eve, D(2026, 6, 10), [op, fs, sc])
    make_log(other_supervisee, D(2026, 6, 10), [op, fs, sc])
    return {"sol": supervisor, "sam": sam, "ari": ari, "zed": zed, "eve": eve}


def trends(items):
    return [(t.name, t.previous, t.current) for t in items]


def test_supervisor_rows_for_current_supervisees_only(sol_world):
    d = selectors.supervisor_dashboard(sol_world["sol"], weeks=4, today=TODAY)
    # By name; Eve's supervision ended yesterday, Olu is supervised by someone else.
    assert [r.person.pk for r in d.rows] == [sol_world[n].pk for n in ("ari", "sam", "zed")]
    ari, sam, zed = d.rows
    assert (ari.last_log, ari.awaiting_review, ari.unanswered, ari.rising) == (
        D(2026, 4, 20),
        1,
        0,
        [],
    )
    assert (zed.last_log, zed.awaiting_review, zed.unanswered, zed.rising) == (None, 0, 0, [])
    # Sam: last log C4 on 29 Jun (the 30 Jun draft is private to her; T is trashed);
    # awaiting review = submitted P0 P3 C1 C4 = 4 (T trashed);
    # unanswered = Q1 Q2 on C1 + Q4 on P3 = 3 (Q3 answered, Q5 on the trashed T).
    assert sam.last_log == D(2026, 6, 29)
    assert sam.awaiting_review == 4
    assert sam.unanswered == 3


def test_supervisor_patterns_rising(sol_world):
    d = selectors.supervisor_dashboard(sol_world["sol"], weeks=4, today=TODAY)
    sam = d.rows[1]
    # previous (P1 P2 P3) -> current (C1 C2 C3 C4); P0 is before both, T trashed, Dr a draft:
    #   OP  1 -> 3  (+2) rising
    #   FS  2 -> 2       not
    #   SC  3 -> 1       not
    #   RE  0 -> 2  (+2) rising
    #   NF  1 -> 4  (+3) rising
    #   AC  0 -> 1  (+1) rising, but only the top three are shown
    # Biggest rise first; OP before RE on the same rise because it is now more frequent.
    assert trends(sam.rising) == [
        ("Needing to fix", 1, 4),
        ("Over-preparing", 1, 3),
        ("Rescuing", 0, 2),
    ]


def test_supervisor_patterns_rising_over_twelve_weeks(sol_world):
    d = selectors.supervisor_dashboard(sol_world["sol"], weeks=12, today=TODAY)
    ari, sam, _ = d.rows
    # 8 Apr..30 Jun holds every one of Sam's live submitted logs, 14 Jan..7 Apr none, so
    # everything rises from 0: NF 5 (P1 C1 C2 C3 C4); FS 4 (P1 P2 C1 C2); OP 4 (P1 C1 C2 C3);
    # SC 4 (P1 P2 P3 C1); RE 3; AC 2. Ties on the rise and count go by name.
    assert trends(sam.rising) == [
        ("Needing to fix", 0, 5),
        ("Fear of silence", 0, 4),
        ("Over-preparing", 0, 4),
    ]
    # Ari's 20 Apr log is inside the 12-week window.
    assert trends(ari.rising) == [("Over-preparing", 0, 1)]


def test_supervisor_weekly_series_for_the_small_charts(sol_world):
    ari = sol_world["ari"]
    # Ari in the window: a draft (private to her) and a log without a rumination rating.
    make_log(ari, D(2026, 6, 11), [], anxiety=10, rumination=10, status=LogStatus.DRAFT)
    make_log(ari, D(2026, 6, 12), [], anxiety=2, rumination=None)
    d = selectors.supervisor_dashboard(sol_world["sol"], weeks=4, today=TODAY)
    assert d.week_labels == [D(2026, 6, 3), D(2026, 6, 10), D(2026, 6, 17), D(2026, 6, 24)]
    ari_row, sam, zed = d.rows
    # Sam by week (C1 | C2 | C3 | C4; T trashed and Dr a draft left out): NF 4, OP 3, then
    # FS and RE 2 each (FS first by name); the rest (SC 1, RE 2, AC 1) as "Other patterns".
    assert sam.weekly.patterns == (
        ("Needing to fix", (1, 1, 1, 1)),
        ("Over-preparing", (1, 1, 1, 0)),
        ("Fear of silence", (1, 1, 0, 0)),
        ("Other patterns", (2, 1, 1, 0)),
    )
    assert sam.weekly.anxiety == sam.weekly.rumination == (5.0, 5.0, 5.0, 5.0)
    assert ari_row.weekly == selectors.Weekly(
        patterns=(), anxiety=(None, 2.0, None, None), rumination=(None,) * 4
    )
    assert zed.weekly == selectors.Weekly(patterns=(), anxiety=(None,) * 4, rumination=(None,) * 4)


def test_supervisor_dashboard_reads_every_supervisees_weeks_at_once(
    supervisor, django_assert_num_queries
):
    # Ten supervisees with a year of logs each: the same queries as for one (no query a
    # supervisee): supervisees, the change stamp that keys the figures, logs, questions,
    # tags, ratings and the queue.
    (op,) = patterns("Over-preparing")
    for i in range(10):
        person = UserFactory()
        RelationshipFactory(supervisor=supervisor, supervisee=person)
        for week in range(52):
            make_log(person, TODAY - datetime.timedelta(weeks=week), [op], anxiety=i)
    with django_assert_num_queries(7):
        d = selectors.supervisor_dashboard(supervisor, weeks=52, today=TODAY)
    assert len(d.rows) == 11
    assert [sum(r.weekly.patterns[0][1]) for r in d.rows if r.weekly.patterns] == [52] * 10


def test_supervisor_with_no_current_supervisees(other_supervisor, supervisee):
    RelationshipFactory(
        supervisor=other_supervisor,
        supervisee=supervisee,
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    other_supervisor.supervising.exclude(supervisee=supervisee).delete()
    d = selectors.supervisor_dashboard(other_supervisor, weeks=4, today=TODAY)
    assert d.rows == []
    assert d.queue == []


def test_supervisee_figures_are_what_the_dashboard_shows(sam_world):
    sam = sam_world["sam"]
    d = selectors.supervisee_dashboard(sam, weeks=4, today=TODAY)
    figures = selectors.supervisee_figures(
        sam, start=d.start, today=TODAY, starts=selectors.week_starts(TODAY, 4)
    )
    assert figures == selectors.SuperviseeFigures(
        patterns=d.patterns,
        anxiety=d.anxiety,
        rumination=d.rumination,
        strengths=d.strengths,
        log_count=d.log_count,
    )
