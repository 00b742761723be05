"""Synthetic case work for the demo: logs in every state, replies, answers,
addenda, comments and private reflections, spread over six months.

Every sentence is invented. Logs are built through the same services a
person's clicks go through, so the demo shows what the app really does.
"""

import datetime
import random

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import ClientPresentation, LogStatus, Modality, Pattern, SessionLog
from demo.people import GROUP_NAME
from groups import services as group_services
from groups.models import GroupMeeting, SupervisionGroup
from reflections import services
from reflections.models import (
    AskedQuestion,
    Decision,
    Practice,
    PrivateReflection,
    ReflectiveQuestion,
    Reply,
    Strength,
)
from supervision import access
from supervision.models import (
    MeetingKind,
    MeetingMode,
    SupervisionMeeting,
    SupervisionRelationship,
    User,
)
from supervision.services import supervision_meeting_record

WEEKS = 26

HAPPENED = [
    "The client arrived twenty minutes late and said therapy was not working fast enough.",
    "We planned to review the thought record, but the client wanted to talk about a row at home.",
    "A quiet session; long silences that I found hard to sit with.",
    "The client described a relapse over the weekend and seemed to expect me to be disappointed.",
    "The client questioned whether my approach could help someone like them.",
    "We returned to the same story as last week, with a little more feeling this time.",
    "The client cancelled the exercise we agreed and brought a new crisis instead.",
    "The session ended with more chaos than clarity; we did not finish the plan.",
    "The client laughed at my suggestion, then talked about feeling judged at work.",
    "A first session after a break; the client tested whether I would notice the change in mood.",
]
FELT = [
    "A tight knot in my stomach before the client arrived; I wanted the right intervention ready.",
    "Irritation, then shame about the irritation.",
    "Relief when the client smiled, and worry that I had not earned it.",
    "A wish to fix things quickly so that both of us could feel better.",
    "Curiosity, once I stopped trying to steer.",
    "Exposed, as if a more experienced colleague would have known exactly what to say.",
]
DID = [
    "I set the plan aside and asked what mattered most today.",
    "I gave two pieces of homework; afterwards I wondered who they were for.",
    "I named the silence and asked what it was like for the client.",
    "I explained the model again, at length.",
    "I reflected back the feeling under the story and checked whether I had it right.",
    "I offered an extra call between sessions.",
]
TEACHES = [
    "Not knowing is survivable, and the client stayed with me.",
    "My need to get it right gets loudest when the client is most stuck.",
    "Presence did more than the technique I had prepared.",
    "I can ask instead of assuming what the client means.",
    "A messy session is still a session in which something happened.",
    "",
]
NOTES = [
    "Spent the evening before reading about the diagnosis.",
    "Noticed it in the first ten minutes.",
    "Caught myself afterwards, on the way home.",
    "",
    "This is familiar from last month.",
]
FEEDBACK = [
    "You noticed the pull to prepare more, and you also noticed what happened when you let it go. "
    "That noticing is the work.",
    "The moment you put the plan down is where the session came alive. What helped you do that?",
    "I can hear how much you care about getting this right. Let us look at what the client might "
    "be showing you through the chaos.",
    "This is a good log: honest about the discomfort and curious about it.",
    "Let us think together about the extra contact between sessions before the next one.",
]
RETURN_FEEDBACK = (
    "Thank you. Before I sign this off, could you add a line on what you felt when the client "
    "questioned your approach? It seems important."
)
COMMENTS = [
    "Thank you, that question stayed with me all week.",
    "Happy to bring this to the group if it helps.",
    "Let us pick this up on Thursday.",
]
ANSWERS = [
    "That I can stay with someone's pain without having to make it better straight away.",
    "I am afraid they will leave, and that it will prove I am not good enough.",
    "Perhaps the client feels the same pressure to perform for me.",
    "To ask more and to plan a little less.",
]
JOURNAL = [
    "I keep measuring sessions by whether the client felt better at the end. This week I tried "
    "to notice the connection instead.",
    "Rereading my notes, the pattern is clear: the more anxious I am beforehand, the more I talk.",
    "I compared myself to a colleague again today. Writing it down makes it smaller.",
]


def _pick(rng: random.Random, items, k):
    return rng.sample(list(items), k=min(k, len(items)))


@transaction.atomic
def demo_casework_seed(*, people: dict[str, User], today: datetime.date | None = None) -> int:
    """Create six months of case work for the demo supervisees; skips anyone who has logs."""
    today = today or timezone.localdate()
    rng = random.Random(20261122)  # the same demo every time
    patterns = list(Pattern.objects.in_use().filter(is_background=False))
    presentations = list(ClientPresentation.objects.in_use())
    questions = list(ReflectiveQuestion.objects.in_use())
    practices = list(Practice.objects.in_use())
    strengths = list(Strength.objects.in_use())
    if not patterns or not questions:
        raise RuntimeError("Load the catalog first: python manage.py load_catalog")
    created = 0
    supervisees = [p for p in people.values() if p.is_supervisee]
    for person in supervisees:
        if SessionLog.objects.filter(author=person).exists():
            continue
        supervisors = list(access.current_supervisors(person))
        codes = [f"{person.display_name[0]}-{n:02d}" for n in rng.sample(range(10, 99), 4)]
        # A person's own leanings, so their dashboard has a shape.
        favourites = _pick(rng, patterns, 4)
        for week in range(WEEKS, -1, -1):
            for _ in range(rng.choice([1, 1, 2])):
                session_date = today - datetime.timedelta(days=week * 7 + rng.randint(0, 4))
                log = _demo_log(
                    rng, person, session_date, codes, favourites, patterns, presentations, week
                )
                created += 1
                _advance(rng, log, week, person, supervisors, questions, practices, strengths)
        _journal(rng, person, questions)
    return created


def _demo_log(rng, person, session_date, codes, favourites, patterns, presentations, week):
    # Anxiety eases over the months: progress, not perfection.
    ease = (WEEKS - week) / WEEKS
    tag_count = rng.choice([1, 2, 2, 3])
    chosen = _pick(rng, favourites, tag_count - 1) + _pick(rng, patterns, 1)
    return case_services.session_log_create(
        author=person,
        data={
            "client_code": rng.choice(codes),
            "session_date": session_date,
            "duration_minutes": rng.choice([50, 50, 60, 45]),
            "modality": rng.choice([Modality.IN_PERSON, Modality.IN_PERSON, Modality.VIDEO]),
            "what_happened": rng.choice(HAPPENED),
            "what_i_felt": rng.choice(FELT),
            "what_i_did": rng.choice(DID),
            "what_it_teaches": rng.choice(TEACHES),
            "pre_session_anxiety": max(0, min(10, round(7 - 4 * ease + rng.uniform(-2, 2)))),
            "post_session_rumination": max(0, min(10, round(6 - 3 * ease + rng.uniform(-2, 2)))),
        },
        tags={p: rng.choice(NOTES) for p in chosen},
        presentations=_pick(rng, presentations, rng.choice([0, 0, 1])),
    )


def _advance(rng, log, week, person, supervisors, questions, practices, strengths):
    """Older logs are signed; recent ones are in every state of the lifecycle."""
    if week == 0 and rng.random() < 0.5:
        return  # a draft
    if not supervisors:
        return
    case_services.session_log_submit(log=log, by=person)
    _backdate_submission(log, week)
    if week <= 1 and rng.random() < 0.7:
        return  # waiting in the queue
    supervisor = rng.choice(supervisors)
    if week <= 3 and rng.random() < 0.3:
        services.reply_create(
            log=log, author=supervisor, feedback=RETURN_FEEDBACK, decision=Decision.RETURN
        )
        return
    suggested = [q for q in questions if q.patterns.filter(tags__log=log).exists()] or questions
    reply = services.reply_create(
        log=log,
        author=supervisor,
        feedback=rng.choice(FEEDBACK),
        questions=_pick(rng, suggested, 2),
        practice=rng.choice([None, *practices]),
        strengths=_pick(rng, strengths, rng.choice([1, 1, 2])),
        decision=Decision.SIGN,
    )
    _backdate_reply(reply, log, week)
    if week >= 2:
        for asked in reply.questions.all():
            if rng.random() < 0.8:
                services.answer_save(question=asked, author=person, text=rng.choice(ANSWERS))
                answered = reply.created_at + datetime.timedelta(days=rng.randint(1, 5))
                AskedQuestion.objects.filter(pk=asked.pk).update(answered_at=answered)
    if rng.random() < 0.15:
        services.comment_add(log=log, author=person, text=rng.choice(COMMENTS))
    if rng.random() < 0.08:
        case_services.addendum_add(
            log=log,
            author=person,
            text="Addendum: the client mentioned next session that this one had helped.",
        )


def _backdate_submission(log: SessionLog, week: int) -> None:
    submitted = timezone.now() - datetime.timedelta(days=week * 7, hours=3 + week)
    SessionLog.objects.filter(pk=log.pk).update(submitted_at=submitted)
    log.submitted_at = submitted


def _backdate_reply(reply: Reply, log: SessionLog, week: int) -> None:
    """History reads as history: replies come a few days after submission."""
    when = log.submitted_at + datetime.timedelta(days=2)
    if when > timezone.now():
        return
    Reply.objects.filter(pk=reply.pk).update(created_at=when)
    reply.created_at = when
    if log.signed_at:
        SessionLog.objects.filter(pk=log.pk).update(signed_at=when)


def _journal(rng, person, questions):
    for i, text in enumerate(JOURNAL):
        PrivateReflection.objects.create(
            author=person,
            title=["After a hard week", "Noticing the pattern", "Comparison"][i],
            text=text,
            question=rng.choice([None, *questions]),
        )


GROUP_COMMENTS = [
    "This sounds so familiar. I over-plan most when I feel least sure of the client.",
    "What helped me was naming the not-knowing out loud, gently.",
    "I wonder what the client's lateness was saying.",
]


@transaction.atomic
def demo_groupwork_seed(*, people: dict[str, User]) -> None:
    """Past meetings, an upcoming one, two shared logs with discussion, one named member."""
    group = SupervisionGroup.objects.get(name=GROUP_NAME)
    if group.meetings.exists():
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    past_presenters = ["clara", "eli", "dev"]
    for i, key in enumerate(past_presenters):
        GroupMeeting.objects.create(
            group=group,
            starts_at=now - datetime.timedelta(days=14 * (len(past_presenters) - i)),
            presenter=people[key],
        )
    group_services.group_meeting_schedule(
        group=group, starts_at=now + datetime.timedelta(days=3, hours=2), by=people["moreau"]
    )
    for key, comment_by in [("clara", ["dev", "moreau"]), ("eli", ["fern"])]:
        log = SessionLog.objects.filter(author=people[key], status=LogStatus.SIGNED).first()
        share = group_services.log_share(log=log, group=group, by=people[key])
        for i, who in enumerate(comment_by):
            group_services.group_comment_add(
                share=share, author=people[who], text=GROUP_COMMENTS[i]
            )
    group_services.membership_show_name(group=group, member=people["dev"], show=True)


MEETING_AGREED = [
    "Bring one session where the plan got in the way.",
    "Try one plan, not three, for the Tuesday clients.",
    "Notice the first moment of wanting to fix it.",
]


@transaction.atomic
def demo_supervision_seed(*, people: dict[str, User], today: datetime.date | None = None) -> None:
    """A supervision hour recorded every fortnight for each relationship, the latest ten days
    ago; and one question Clara chose to talk about in supervision rather than answer."""
    if SupervisionMeeting.objects.exists():
        return
    today = today or timezone.localdate()
    rng = random.Random(7)
    for relationship in SupervisionRelationship.objects.current(today).select_related(
        "supervisor", "supervisee"
    ):
        for fortnight in range(6):
            held_on = today - datetime.timedelta(days=10 + 14 * fortnight)
            if held_on < relationship.starts_on:
                break
            supervision_meeting_record(
                supervisor=relationship.supervisor,
                supervisees=[relationship.supervisee],
                held_on=held_on,
                duration_minutes=rng.choice([50, 60, 60, 90]),
                kind=MeetingKind.INDIVIDUAL,
                mode=rng.choice([MeetingMode.IN_PERSON, MeetingMode.VIDEO]),
                agreed=rng.choice(MEETING_AGREED),
                url=reverse("dashboards:dashboard"),
            )
    waiting = (
        AskedQuestion.objects.filter(
            reply__log__author=people["clara"], answered_at__isnull=True, deferred_at__isnull=True
        )
        .order_by("-reply__created_at")
        .first()
    )
    if waiting is not None:
        services.asked_question_defer(question=waiting, author=people["clara"])
