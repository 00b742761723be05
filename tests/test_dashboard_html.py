"""The five dashboard pages draw the same HTML after their templates are rewritten (Jinja2).

As tests/test_page_html.py: each page is drawn through the test client on a fixed dataset and
compared with the drawing kept in `tests/html/`, taken with the Django templates. The
dashboards show windows ending today, so "now" is frozen at FIXED (a Tuesday in June 2026)
and every date of the dataset is fixed. What still differs from run to run is replaced
before comparing: object ids (by the name of the object), CSRF tokens, the seconds left in
the session, the charts' random ids (by their order on the page) and how long a log has
waited for review (counted from the real clock by Django's `timesince`).

Each page is drawn twice: the second time its figures (kept by `drawn_once`, config.jinja2)
come from the cache, and both drawings must be the kept one. To take the drawings again:

    UPDATE_HTML_SNAPSHOTS=1 pytest tests/test_dashboard_html.py

All names, codes and texts here are synthetic.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import ClientPresentation, LogStatus, Pattern, SessionLog
from groups.models import GroupComment, GroupMembership, LogShare
from reflections.models import Decision, Practice, ReflectiveQuestion, Reply, Strength
from supervision.models import MeetingKind, MeetingMode, SupervisionRelationship
from tests.dashboards.helpers import at, make_log
from tests.factories import (
    AskedQuestionFactory,
    MembershipFactory,
    RelationshipFactory,
    ReplyFactory,
    SupervisionMeetingFactory,
    UserFactory,
)
from tests.test_page_html import KEPT, UPDATE, _spaced

D = datetime.date
# 10:00 in London (BST) on Tuesday 16 June 2026: the dashboards' "today".
FIXED = datetime.datetime(2026, 6, 16, 9, 0, tzinfo=datetime.UTC)
TODAY = D(2026, 6, 16)
LONG_AGO = D(2025, 9, 1)  # when the supervision and the group began

# Catalog patterns by a short name (seeds/catalog.toml).
PATTERNS = {
    "PO": "preparation-obsession",  # Traits
    "TF": "technique-focus",  # Traits
    "PR": "post-session-rumination",  # Warning signs
    "UM": "unplanned-moments",  # Warning signs
    "CC": "comparing-with-colleagues",  # Warning signs
    "OT": "over-preparation-trap",  # Clinical costs
    "OF": "over-functioning",  # Clinical costs
    "SP": "self-preservation",  # Perfectionistic self-preservation
}
TRAUMA, ADDICTION, PSYCHOSIS = "complex-trauma", "addiction-relapse", "psychosis-smi"
S, R, T, DR = LogStatus.SUBMITTED, LogStatus.RETURNED, LogStatus.SIGNED, LogStatus.DRAFT

# Sam's logs: (day, status, anxiety, rumination, patterns, presentations). One a day, so
# every list and week is ordered without ties. The 12-week window of TODAY begins on 25 March;
# the group's closed months are March to May (before: December to February). In each of
# those months she tags PO, TF, PR and SP, which the group's figures below count on.
SAM_LOGS = [
    (D(2025, 12, 3), T, 4, 3, "PO TF SP", [TRAUMA]),
    (D(2025, 12, 17), T, 5, 4, "PR OT", []),
    (D(2026, 1, 7), T, 6, 5, "PO TF SP", []),
    (D(2026, 1, 21), T, 5, 6, "PR OF", [TRAUMA]),
    (D(2026, 2, 4), T, 7, 6, "PO TF SP", []),
    (D(2026, 2, 18), R, 6, 5, "PR OT", []),
    (D(2026, 2, 25), T, 5, 4, "TF", []),
    (D(2026, 3, 4), T, 6, 5, "PO SP PR", [TRAUMA]),
    (D(2026, 3, 18), T, 5, 5, "TF OF", []),
    (D(2026, 3, 26), T, 7, 8, "PO PR CC", [TRAUMA]),
    (D(2026, 4, 2), T, 4, 3, "TF SP", []),
    (D(2026, 4, 9), T, 6, 7, "PR CC OT", [TRAUMA]),
    (D(2026, 4, 16), R, 5, 6, "PO PR", []),
    (D(2026, 4, 30), T, 3, 3, "TF SP OF", [TRAUMA]),
    (D(2026, 5, 6), T, 6, 7, "PO PR CC", [TRAUMA]),
    (D(2026, 5, 13), T, 4, 4, "TF SP", []),
    (D(2026, 5, 20), T, 5, 6, "PR OF CC SP", [TRAUMA]),
    (D(2026, 5, 27), T, 6, 8, "PO TF PR", []),
    (D(2026, 6, 1), S, 7, 7, "PR CC OT", []),
    (D(2026, 6, 4), R, 5, 5, "SP", []),
    (D(2026, 6, 8), S, 6, 4, "PO", []),
    (D(2026, 6, 11), T, 3, 2, "TF", []),
    (D(2026, 6, 12), DR, 8, 9, "PO CC", []),
    (D(2026, 6, 14), DR, None, None, "", []),
    (D(2026, 6, 15), S, 4, None, "PR CC", []),
]
TESS_LOGS = [
    (D(2026, 2, 10), T, 5, 5, "PO", []),
    (D(2026, 4, 8), T, 4, 3, "TF", []),
    (D(2026, 5, 12), S, 5, 6, "PO CC", []),
]
# The group's other members, each with one log a month (the 10th to the 15th) while a
# member, in the months December to May; `before` tags are added in December to February only.
#   PO: Sam, Gio, Hal, Ida, Jo (and Kit in May): more than MIN_PEOPLE, shown.
#   TF: Sam, Gio, Hal, Ida: shown. PR: Sam, Gio, Hal: too few, so its family's patterns
#   show "—", but it is "noticed". SP: four people before, Sam alone since: "—" now.
#   OT: Sam and Fay: "—" in its family too.
GROUP_LOGS = {
    # name: (joined, left, show name, tags, tags before, presentations, day of the month)
    "gio": (D(2025, 9, 2), None, True, "PO TF PR", "SP", [TRAUMA], 10),
    "hal": (D(2025, 9, 3), None, False, "PO TF PR", "SP", [TRAUMA], 11),
    "ida": (D(2025, 9, 4), None, True, "PO TF UM", "SP", [TRAUMA, ADDICTION], 12),
    "jo": (D(2025, 9, 5), None, False, "PO UM", "", [TRAUMA], 13),
    "fay": (D(2025, 9, 6), D(2026, 4, 15), False, "OT", "", [ADDICTION], 14),
    "kit": (D(2026, 5, 1), None, False, "PO", "", [PSYCHOSIS], 15),
}
MONTHS = [D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1), D(2026, 5, 1)]


@pytest.fixture
def frozen(monkeypatch, settings):
    """Today is TODAY, as every view and selector asks (`timezone.now`, `timezone.localdate`).
    The figures are cached and drawn once, as in production."""
    monkeypatch.setattr(timezone, "now", lambda: FIXED)
    settings.DASHBOARD_CACHE_SECONDS = 600
    assert timezone.localdate() == TODAY


class Dataset:
    """What the pages show, built around TODAY, and the names its ids are read back as."""

    def __init__(self, supervisee, supervisor, group, group_member, former_member, facilitator):
        self.sam, self.sol, self.group = supervisee, supervisor, group
        self.facilitator = facilitator
        self.patterns = {short: Pattern.objects.get(slug=slug) for short, slug in PATTERNS.items()}
        self.names: dict[str, dict[int, str]] = {
            "log": {},
            "person": {},
            "question": {},
            "share": {},
            "group": {group.pk: "sounding-board"},
        }
        self.tess = UserFactory(display_name="Tess Trainee", email="tess@example.org")
        # Supervised since long before any of these logs: the factory's default start
        # depends on the day the fixtures are made.
        SupervisionRelationship.objects.filter(supervisor=supervisor).update(starts_on=LONG_AGO)
        RelationshipFactory(supervisor=supervisor, supervisee=self.tess, starts_on=LONG_AGO)
        for person, name in ((self.sam, "sam"), (self.sol, "sol"), (self.tess, "tess")):
            self.names["person"][person.pk] = name
        self.logs: dict[str, SessionLog] = {}
        for author, name, rows in ((self.sam, "sam", SAM_LOGS), (self.tess, "tess", TESS_LOGS)):
            for i, (day, status, anxiety, rumination, tags, shown) in enumerate(rows):
                self.log(author, name, day, status, anxiety, rumination, tags, shown, i)
        self.sam_replies()
        self.meetings()
        self.group_members(group_member, former_member)

    # ---------------------------------------------------------------- logs and replies

    def log(self, author, name, day, status, anxiety, rumination, tags, shown, i=0):
        extra = {}
        if status == T:
            extra = {"signed_by": self.sol, "signed_at": at(day, 20), "signed_sha256": "0" * 64}
        log = make_log(
            author,
            day,
            [self.patterns[short] for short in tags.split()],
            anxiety=anxiety,
            rumination=rumination,
            status=status,
            client_code=f"{name[0].upper()}-{i % 5 + 1:02d}",
            **extra,
        )
        log.presentations.set(ClientPresentation.objects.filter(slug__in=shown))
        key = f"{name}-{day:%Y%m%d}"
        self.names["log"][log.pk] = key
        self.logs[key] = log
        return log

    def reply(
        self,
        log_key,
        when,
        *,
        decision=Decision.REPLY,
        strengths=(),
        practice=None,
        questions=(),
        author=None,
    ):
        """A reply written at `when`; `questions` are (text, answered at, deferred at) or
        catalog questions by slug."""
        log = self.logs[log_key]
        reply = ReplyFactory(
            log=log,
            author=author or self.sol,
            decision=decision,
            feedback="You stayed with the client when the plan fell away.",
            practice=Practice.objects.get(slug=practice) if practice else None,
        )
        reply.strengths.set(Strength.objects.filter(slug__in=strengths))
        Reply.objects.filter(pk=reply.pk).update(created_at=when)
        for position, item in enumerate(questions):
            if isinstance(item, str):
                asked = ReflectiveQuestion.objects.get(slug=item)
                question = AskedQuestionFactory(
                    reply=reply,
                    position=position,
                    catalog_question=asked,
                    theme=asked.name,
                    text=asked.text,
                )
            else:
                text, answered_at, deferred_at = item
                question = AskedQuestionFactory(
                    reply=reply,
                    position=position,
                    theme="",
                    text=text,
                    answer=f"Synthetic answer: {text.lower()}" if answered_at else "",
                    answered_at=answered_at,
                    deferred_at=deferred_at,
                )
            self.names["question"][question.pk] = f"{log_key}-q{position}"
        return reply

    def sam_replies(self):
        """Replies to Sam: strengths named, three answers given, ten questions waiting (her
        dashboard shows eight and links to the rest), two kept for supervision. Every
        returned log has the request that returned it."""
        self.reply(
            "sam-20251203",
            at(D(2025, 12, 5), 9),
            decision=Decision.SIGN,
            strengths=["authentic-presence"],
        )
        self.reply("sam-20260218", at(D(2026, 2, 20), 9), decision=Decision.RETURN)
        self.reply(
            "sam-20260326",
            at(D(2026, 3, 28), 9),
            decision=Decision.SIGN,
            strengths=["authentic-presence", "comfortable-uncertainty"],
            practice="practice-not-knowing",
            questions=["moving-forward"],
        )
        self.reply(
            "sam-20260409",
            at(D(2026, 4, 11), 9),
            decision=Decision.SIGN,
            strengths=["authentic-presence"],
            questions=[("What did the silence ask of you?", at(D(2026, 4, 12), 19), None)],
        )
        self.reply("sam-20260416", at(D(2026, 4, 18), 9), decision=Decision.RETURN)
        self.reply(
            "sam-20260506",
            at(D(2026, 5, 8), 9),
            strengths=["relational-flexibility", "authentic-presence"],
            questions=[
                ("Where did you feel the pull to fix it?", None, None),
                ("What would good enough have looked like here?", None, None),
                ("Who were you performing for?", None, None),
                ("What would you rather talk through together?", None, at(D(2026, 5, 10), 8)),
            ],
        )
        self.reply(
            "sam-20260520",
            at(D(2026, 5, 22), 9),
            decision=Decision.SIGN,
            strengths=["mistake-recovery"],
            questions=[
                ("What did you notice in your body before the session?", None, None),
                ("What did you let go of?", None, None),
            ],
        )
        self.reply(
            "sam-20260527",
            at(D(2026, 5, 29), 9),
            decision=Decision.SIGN,
            strengths=["comfortable-uncertainty", "authentic-presence"],
            questions=[
                ("What stayed with you afterwards?", at(D(2026, 6, 2), 20), None),
                ("What was enough about the hour?", at(D(2026, 6, 3), 21), None),
                ("What would you try differently?", None, None),
            ],
        )
        self.reply(
            "sam-20260601",
            at(D(2026, 6, 9), 9),
            questions=[
                ("What did you want the client to take away?", None, None),
                ("How did you know the session had gone well enough?", None, None),
                ("What was hard to leave unsaid?", None, None),
                ("Shall we look at the ending together?", None, at(D(2026, 6, 10), 8)),
            ],
        )
        self.reply("sam-20260604", at(D(2026, 6, 6), 9), decision=Decision.RETURN)
        self.reply(
            "sam-20260611",
            at(D(2026, 6, 12), 9),
            decision=Decision.SIGN,
            strengths=["relational-flexibility"],
        )
        # Waiting for review since just now: the queue says so instead of a time.
        SessionLog.objects.filter(pk=self.logs["sam-20260615"].pk).update(
            submitted_at=FIXED - datetime.timedelta(seconds=30)
        )

    def meetings(self):
        """Three meetings with Sam, the last one (26 May) the preparation sheet's start."""
        for held_on, kind, mode, agreed, others in (
            (D(2026, 3, 31), MeetingKind.INDIVIDUAL, MeetingMode.VIDEO, "", []),
            (D(2026, 4, 28), MeetingKind.TRIADIC, MeetingMode.IN_PERSON, "", [self.tess]),
            (
                D(2026, 5, 26),
                MeetingKind.INDIVIDUAL,
                MeetingMode.IN_PERSON,
                "Bring one session where the plan fell away.",
                [],
            ),
        ):
            SupervisionMeetingFactory(
                supervisor=self.sol,
                supervisees=[self.sam, *others],
                held_on=held_on,
                kind=kind,
                mode=mode,
                agreed=agreed,
            )

    # ------------------------------------------------------------------------- group

    def group_members(self, gio, fay):
        """The group (facilitated by Dr Oren Other): Sam and six others, each joined on a day
        of their own (the dashboard lists memberships by that day). Replies to them ask
        catalog questions and suggest practices, counted by month; three logs are shared."""
        GroupMembership.objects.filter(group=self.group, member=self.sam).update(joined_on=LONG_AGO)
        people = {"gio": gio, "fay": fay}
        names = {"hal": "Hal Member", "ida": "Ida Member", "jo": "Jo Member", "kit": "Kit Newer"}
        for key, (joined, left, show_name, *_rest) in GROUP_LOGS.items():
            if key in people:
                GroupMembership.objects.filter(group=self.group, member=people[key]).update(
                    joined_on=joined, left_on=left, show_name=show_name
                )
            else:
                people[key] = UserFactory(display_name=names[key], email=f"{key}@example.org")
                MembershipFactory(
                    group=self.group,
                    member=people[key],
                    joined_on=joined,
                    left_on=left,
                    show_name=show_name,
                )
            self.names["person"][people[key].pk] = key
        self.names["person"][self.facilitator.pk] = "oren"
        for key, (joined, left, _show, tags, before, shown, day) in GROUP_LOGS.items():
            for i, month in enumerate(MONTHS):
                session = month.replace(day=day)
                if session < joined or (left and session > left):
                    continue
                both = f"{tags} {before}" if i < 3 else tags
                self.log(people[key], key, session, S, 5, 5, both, shown, i)
        # Fay's log after she left: never counted.
        self.log(people["fay"], "fay", D(2026, 4, 20), S, 5, 5, "OT", [ADDICTION], 9)
        # Replies in March to May: "Moving forward" asked of Gio, Hal, Ida and Jo every month
        # (and of Sam in March), "Process over outcome" of Hal alone; the practice "not
        # knowing" suggested to four members a month, "messiness" to two.
        for month in MONTHS[3:]:
            for key in ("gio", "hal", "ida", "jo"):
                session = month.replace(day=GROUP_LOGS[key][6])
                questions = ["moving-forward"]
                if key == "hal":
                    questions.append("process-over-outcome")
                practice = "embrace-messiness" if key in ("ida", "jo") else "practice-not-knowing"
                self.reply(
                    f"{key}-{session:%Y%m%d}",
                    at(session + datetime.timedelta(days=2), 10),
                    author=self.facilitator,
                    practice=practice,
                    questions=questions,
                )
                if key in ("ida", "jo"):
                    self.reply(
                        f"{key}-{session:%Y%m%d}",
                        at(session + datetime.timedelta(days=3), 10),
                        author=self.facilitator,
                        practice="practice-not-knowing",
                    )
        shares = (
            (
                "sam-20260409",
                at(D(2026, 4, 20), 9),
                True,
                [("gio", "The silence sounded familiar."), ("ida", "Thank you for bringing it.")],
            ),
            ("gio-20260510", at(D(2026, 5, 18), 9), False, [("sam", "I would have filled it.")]),
            ("ida-20260512", at(D(2026, 6, 1), 9), False, []),
        )
        by_key = people | {"sam": self.sam}
        for log_key, shared_at, show_ratings, comments in shares:
            share = LogShare.objects.create(
                log=self.logs[log_key], group=self.group, show_ratings=show_ratings
            )
            LogShare.objects.filter(pk=share.pk).update(shared_at=shared_at)
            for n, (author, text) in enumerate(comments):
                comment = GroupComment.objects.create(share=share, author=by_key[author], text=text)
                GroupComment.objects.filter(pk=comment.pk).update(
                    created_at=shared_at + datetime.timedelta(hours=n + 1)
                )
            self.names["share"][share.pk] = f"share-{log_key}"


@pytest.fixture
def dataset(
    frozen, catalog, supervisee, supervisor, group, group_member, former_member, other_supervisor
):
    return Dataset(supervisee, supervisor, group, group_member, former_member, other_supervisor)


def _named(kind: str, dataset: Dataset):
    def name(match: re.Match) -> str:
        pk = int(match.group(2))
        assert pk in dataset.names[kind], f"a {kind} the dataset did not make: {pk}"
        return match.group(1) + dataset.names[kind][pk]

    return name


def normalised(html: str, dataset: Dataset) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)
    html = re.sub(r'data-session-remaining="\d+"', 'data-session-remaining="N"', html)
    # How long a log has waited, from the real clock (Django's timesince).
    html = re.sub(r'(<span class="small text-body-secondary">waiting )[^<]+', r"\1(a while)", html)
    # Each chart's random id, by the order the charts come in on the page.
    charts: dict[str, int] = {}
    html = re.sub(
        r"chart-([0-9a-f]{32})",
        lambda m: f"chart-{charts.setdefault(m.group(1), len(charts) + 1)}",
        html,
    )
    html = re.sub(r"(/logs/)(\d+)(?=/)", _named("log", dataset), html)
    html = re.sub(r"(/shared/)(\d+)(?=/)", _named("share", dataset), html)
    html = re.sub(r"(/groups/)(\d+)(?=/)", _named("group", dataset), html)
    html = re.sub(r"(/supervisees/|person-)(\d+)\b", _named("person", dataset), html)
    html = re.sub(r"(#question-)(\d+)\b", _named("question", dataset), html)
    # Catalog rows and people in a form's choices are numbered differently on each database.
    return re.sub(r'<option value="\d+"', '<option value="N"', html)


def _dashboard(weeks=None):
    def path(d: Dataset) -> str:
        return reverse("dashboards:dashboard") + (f"?weeks={weeks}" if weeks else "")

    return path


def _group(weeks=None):
    def path(d: Dataset) -> str:
        url = reverse("groups:group_dashboard", args=[d.group.pk])
        return url + (f"?weeks={weeks}" if weeks else "")

    return path


PAGES = {
    # name: (who, how to find the path, whether its figures are charts drawn once)
    "dashboard_supervisee": ("sam", _dashboard(), True),
    "dashboard_supervisee_4_weeks": ("sam", _dashboard(4), True),
    "dashboard_supervisor": ("sol", _dashboard(), True),
    "dashboard_supervisor_52_weeks": ("sol", _dashboard(52), True),
    "dashboard_her_page": (
        "sol",
        lambda d: reverse("dashboards:supervisee_detail", args=[d.sam.pk]),
        True,
    ),
    "dashboard_preparation": (
        "sol",
        lambda d: reverse("dashboards:preparation", args=[d.sam.pk]),
        False,
    ),
    "dashboard_group": ("sam", _group(), True),
    "dashboard_group_4_weeks": ("sam", _group(4), True),
    "dashboard_group_52_weeks": ("sam", _group(52), True),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_dashboard_draws_as_before(name, dataset, client, drawn):
    who, path_of, has_charts = PAGES[name]
    client.force_login(dataset.sam if who == "sam" else dataset.sol)
    path = path_of(dataset)
    drawings, charts_made = [], []
    for _ in range(2):
        before = sum(drawn.values())
        response = client.get(path)
        assert response.status_code == 200
        drawings.append(normalised(response.content.decode(), dataset))
        charts_made.append(sum(drawn.values()) - before)
    # The first drawing made its charts; the second made none: its figures came from the cache.
    assert charts_made[0] > 0 if has_charts else charts_made == [0, 0]
    assert charts_made[1] == 0
    kept = KEPT / f"{name}.html"
    if UPDATE or not kept.exists():
        KEPT.mkdir(exist_ok=True)
        kept.write_text(drawings[0])
        if not UPDATE:
            pytest.fail(f"No drawing kept for {name}: one was taken; run the test again.")
    for when, html in zip(("fresh", "from the cache"), drawings, strict=True):
        assert _spaced(html) == _spaced(kept.read_text()), (
            f"{name} ({when}) draws differently from tests/html/{name}.html"
        )
