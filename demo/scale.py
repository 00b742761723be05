"""Synthetic case work at clinic-network scale, for the benchmark (`manage.py seed_scale`).

By default: 500 supervisees, 50 supervisors, 40 groups and three years of weekly
sessions: about 78,000 logs, 240,000 pattern tags, 77,000 replies (every signed log
has the reply that signed it), 100,000 reflective questions of which 60,000 are
answered, comments, addenda, shared logs, journal entries, the notifications of the
last 12 weeks and 200,000 audit rows (supervisors viewing, returning and signing
their supervisees' logs). Every row is built in Python and written with
`bulk_create` in batches, one transaction per chunk of supervisees, with ids chosen
here so that rows can point at each other (and signed logs carry the real SHA-256 of
their content) without reading anything back; at the end the logs' search vectors are
filled in one UPDATE (PostgreSQL) and sequences are reset. It is meant for an empty,
dedicated database: the benchmark's.

The same seed and the same day give the same people, logs, tags and texts; every
sentence comes from the demo's synthetic lists.
"""

import datetime
import io
import random
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from cases.models import (
    Addendum,
    ClientPresentation,
    LogStatus,
    Modality,
    Pattern,
    PatternTag,
    SessionLog,
)
from cases.search import search_vector_refresh
from cases.signing import log_digest
from groups.models import GroupComment, GroupMeeting, GroupMembership, LogShare, SupervisionGroup
from reflections.models import (
    AskedQuestion,
    Comment,
    Decision,
    Practice,
    PrivateReflection,
    ReflectiveQuestion,
    Reply,
    Strength,
)
from supervision.audit import object_type
from supervision.models import (
    AuditAction,
    AuditEvent,
    Notification,
    Role,
    SupervisionRelationship,
    User,
)

from .casework import (
    ANSWERS,
    COMMENTS,
    DID,
    FEEDBACK,
    FELT,
    GROUP_COMMENTS,
    HAPPENED,
    JOURNAL,
    NOTES,
    RETURN_FEEDBACK,
    TEACHES,
)

DOMAIN = "scale.example.org"
DEFAULT_SEED = 20261123
# Supervisees written per chunk: each chunk is one round of bulk inserts.
CHUNK = 25
# Notifications are written for the most recent weeks only.
NOTICE_WEEKS = 12
# Documentation range (RFC 5737): never a real client address.
IP_PREFIX = "192.0.2."

# Models whose timestamps the seed sets itself (history reads as history).
TIMESTAMPED = (
    SupervisionRelationship,
    SupervisionGroup,
    GroupMeeting,
    Notification,
    SessionLog,
    Addendum,
    LogShare,
    Reply,
    Comment,
    GroupComment,
    PrivateReflection,
)


@dataclass(frozen=True)
class ScaleOptions:
    supervisees: int = 500
    supervisors: int = 50
    groups: int = 40
    weeks: int = 156
    seed: int = DEFAULT_SEED
    batch_size: int = 2000


class ScaleError(Exception):
    """The database is not in a state the seed can fill."""


def scale_emails_exist() -> bool:
    return User.objects.filter(email__endswith=f"@{DOMAIN}").exists()


@contextmanager
def _own_timestamps(model_classes: Iterable[type[models.Model]]):
    """Let bulk_create keep the timestamps set here instead of stamping "now"."""
    saved = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class _Ids:
    """Hands out primary keys above the table's current maximum."""

    def __init__(self, model: type[models.Model]):
        self.next = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def __call__(self) -> int:
        value = self.next
        self.next += 1
        return value


class _Writer:
    """Collects rows per model and writes them in insertion order."""

    ORDER = (
        SessionLog,
        PatternTag,
        SessionLog.presentations.through,
        Reply,
        Reply.strengths.through,
        AskedQuestion,
        Comment,
        Addendum,
        LogShare,
        GroupComment,
        PrivateReflection,
        Notification,
        AuditEvent,
    )

    def __init__(self, batch_size: int):
        self.batch_size = batch_size
        self.rows: dict[type, list] = {model: [] for model in self.ORDER}
        self.counts: dict[str, int] = {}

    def add(self, obj: models.Model) -> models.Model:
        self.rows[type(obj)].append(obj)
        return obj

    def flush(self) -> None:
        for model in self.ORDER:
            rows = self.rows[model]
            if rows:
                model.objects.bulk_create(rows, batch_size=self.batch_size)
                label = model._meta.label
                self.counts[label] = self.counts.get(label, 0) + len(rows)
                self.rows[model] = []


@dataclass
class _Catalog:
    patterns: list[Pattern]
    presentations: list[ClientPresentation]
    questions: list[ReflectiveQuestion]
    question_patterns: dict[int, set[int]]
    practices: list[Practice]
    strengths: list[Strength]

    @classmethod
    def load(cls) -> "_Catalog":
        questions = list(ReflectiveQuestion.objects.in_use().prefetch_related("patterns"))
        catalog = cls(
            patterns=list(Pattern.objects.in_use().filter(is_background=False)),
            presentations=list(ClientPresentation.objects.in_use()),
            questions=questions,
            question_patterns={q.pk: {p.pk for p in q.patterns.all()} for q in questions},
            practices=list(Practice.objects.in_use()),
            strengths=list(Strength.objects.in_use()),
        )
        if not catalog.patterns or not catalog.questions:
            raise ScaleError("Load the catalog first: python manage.py load_catalog")
        return catalog


def scale_seed(
    *,
    options: ScaleOptions,
    today: datetime.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Fill an empty database; returns the number of rows written per model."""
    if min(options.supervisees, options.supervisors, options.weeks) < 1 or options.groups < 0:
        raise ScaleError("Supervisees, supervisors and weeks must be at least 1.")
    if scale_emails_exist():
        raise ScaleError(f"This database already holds scale data (@{DOMAIN}); use a fresh one.")
    today = today or timezone.localdate()
    with _own_timestamps(TIMESTAMPED):
        counts = _Seeder(options, today, progress).run()
    _reset_sequences()
    return counts


def _reset_sequences() -> None:
    models_with_ids = [User, *_Writer.ORDER, SupervisionRelationship, SupervisionGroup]
    models_with_ids += [GroupMembership, GroupMeeting]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models_with_ids):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            if connection.in_atomic_block:  # VACUUM refuses to run in a transaction
                # Fresh statistics at least: without them the planner guesses after a bulk load.
                cursor.execute("ANALYZE")
            else:
                # Every table, not only the logs (whose search-vector refresh left an old
                # version of each row behind): a bulk-loaded table has no visibility map until
                # it is vacuumed, so an index-only scan still reads the table for every row.
                # Autovacuum gets there in its own time, or never where it is off (as on the
                # bench machines here), so without this the benchmark would measure a state no
                # production table stays in, and one that changes when autovacuum happens to run.
                cursor.execute("VACUUM (ANALYZE)")


class _Seeder:
    def __init__(self, options: ScaleOptions, today: datetime.date, progress):
        self.o = options
        self.today = today
        self.now = timezone.now()
        self.progress = progress or (lambda n: None)
        self.rng = random.Random(options.seed)  # noqa: S311 - synthetic data, not secrets
        self.catalog = _Catalog.load()
        self.first_day = today - datetime.timedelta(weeks=options.weeks)
        self.writer = _Writer(options.batch_size)
        self.ids = {model: _Ids(model) for model in (User, *_Writer.ORDER)}
        self.first_log_id = self.ids[SessionLog].next
        self.tz = timezone.get_current_timezone()
        self.notices_from = self.now - datetime.timedelta(weeks=NOTICE_WEEKS)
        marker = 987654321
        self.log_url = SessionLog(pk=marker).get_absolute_url().replace(str(marker), "{}")

    # ------------------------------------------------------------------ helpers

    def at(self, day: datetime.date, hour: int = 12) -> datetime.datetime:
        moment = datetime.datetime.combine(
            day, datetime.time(hour, self.rng.randint(0, 59)), tzinfo=self.tz
        )
        return min(moment, self.now - datetime.timedelta(minutes=5))

    def later(self, moment: datetime.datetime, days: tuple[int, int]) -> datetime.datetime:
        shifted = moment + datetime.timedelta(
            days=self.rng.randint(*days), hours=self.rng.randint(0, 8)
        )
        return min(shifted, self.now - datetime.timedelta(minutes=1))

    def new(self, model, **fields):
        return self.writer.add(model(pk=self.ids[model](), **fields))

    def ip(self) -> str:
        return f"{IP_PREFIX}{self.rng.randint(1, 254)}"

    def audit(self, actor_id: int, action: AuditAction, obj, owner_id: int, at) -> None:
        self.new(
            AuditEvent,
            actor_id=actor_id,
            action=action,
            object_type=object_type(obj),
            object_id=obj.pk,
            owner_id=owner_id,
            client_ip=self.ip(),
            at=at,
        )

    def notify(self, recipient_id: int, message: str, url: str, at) -> None:
        if at < self.notices_from:
            return  # older notices were read long ago; only the unread count shows
        recent = at > self.now - datetime.timedelta(days=3)
        self.new(
            Notification,
            recipient_id=recipient_id,
            message=message,
            url=url,
            created_at=at,
            read_at=None if recent else self.later(at, (0, 2)),
        )

    # ------------------------------------------------------------------ people

    def run(self) -> dict[str, int]:
        with transaction.atomic():
            self.people()
            self.groupwork()
        # One transaction per chunk: PostgreSQL checks the (deferred) foreign keys at
        # each commit, so the queue of pending checks stays small.
        for start in range(0, len(self.supervisees), CHUNK):
            chunk = self.supervisees[start : start + CHUNK]
            with transaction.atomic():
                for person in chunk:
                    self.casework(person)
                self.writer.flush()
            self.progress(len(chunk))
        # Once, over every log written above: one statement, not one per chunk or log.
        search_vector_refresh(
            log_ids=SessionLog.objects.filter(pk__gte=self.first_log_id).values("pk")
        )
        counts = {
            User._meta.label: len(self.supervisees) + len(self.supervisors),
            **self.counts_before,
        }
        for label, n in self.writer.counts.items():
            counts[label] = counts.get(label, 0) + n
        return counts

    def people(self) -> None:
        o, ids = self.o, self.ids[User]
        password = make_password(None)  # nobody logs in with a password; sessions are made
        joined = self.at(self.first_day - datetime.timedelta(days=30))
        self.supervisors = [
            User(
                pk=ids(),
                email=f"supervisor-{i:03d}@{DOMAIN}",
                display_name=f"Dr Supervisor {i:03d}",
                role=Role.SUPERVISOR,
                password=password,
                date_joined=joined,
            )
            for i in range(1, o.supervisors + 1)
        ]
        self.supervisees = [
            User(
                pk=ids(),
                email=f"supervisee-{i:04d}@{DOMAIN}",
                display_name=f"Supervisee {i:04d}",
                role=Role.SUPERVISEE,
                password=password,
                date_joined=joined,
            )
            for i in range(1, o.supervisees + 1)
        ]
        User.objects.bulk_create(self.supervisors + self.supervisees, batch_size=o.batch_size)

        starts = self.first_day - datetime.timedelta(days=7)
        middle = self.today - datetime.timedelta(weeks=o.weeks // 2)
        relationships = []
        # {supervisee pk: [current supervisors]}; the first one signs her logs.
        self.supervisors_of: dict[int, list[User]] = {}
        for i, person in enumerate(self.supervisees):
            current = [self.supervisors[i % o.supervisors]]
            if i % 10 == 0 and o.supervisors > 1:  # one in ten has a second supervisor
                current.append(self.supervisors[(i + 1) % o.supervisors])
            self.supervisors_of[person.pk] = current
            relationships += [
                SupervisionRelationship(
                    supervisor=s, supervisee=person, starts_on=starts, created_at=self.at(starts)
                )
                for s in current
            ]
            former = self.supervisors[(i + 7) % o.supervisors]
            if i % 20 == 5 and former not in current:  # and some had one who has moved on
                relationships.append(
                    SupervisionRelationship(
                        supervisor=former,
                        supervisee=person,
                        starts_on=starts,
                        ends_on=middle,
                        created_at=self.at(starts),
                    )
                )
        SupervisionRelationship.objects.bulk_create(relationships, batch_size=o.batch_size)
        self.counts_before = {SupervisionRelationship._meta.label: len(relationships)}

    def groupwork(self) -> None:
        o = self.o
        self.group_of: dict[int, SupervisionGroup] = {}
        if not o.groups:
            return
        groups = [
            SupervisionGroup(
                name=f"Sounding board {g:02d}",
                facilitator=self.supervisors[(g - 1) % o.supervisors],
                description="Fortnightly group supervision (synthetic).",
                created_at=self.at(self.first_day - datetime.timedelta(days=14)),
            )
            for g in range(1, o.groups + 1)
        ]
        SupervisionGroup.objects.bulk_create(groups, batch_size=o.batch_size)
        if groups[0].pk is None:  # a backend that does not return ids
            groups = list(SupervisionGroup.objects.filter(name__startswith="Sounding board "))
        memberships, members_of = [], {g.pk: [] for g in groups}
        left = self.today - datetime.timedelta(days=30)
        for i, person in enumerate(self.supervisees):
            group = groups[i % len(groups)]
            has_left = i % 20 == 19
            memberships.append(
                GroupMembership(
                    group=group,
                    member=person,
                    joined_on=self.first_day,
                    left_on=left if has_left else None,
                    show_name=i % 5 == 0,
                )
            )
            if not has_left:
                self.group_of[person.pk] = group
                members_of[group.pk].append(person)
        GroupMembership.objects.bulk_create(memberships, batch_size=o.batch_size)
        meetings = []
        for group in groups:
            members = members_of[group.pk]
            day, turn = self.first_day + datetime.timedelta(days=3), 0
            while day <= self.today + datetime.timedelta(days=14):
                presenter = members[turn % len(members)] if members else None
                meetings.append(
                    GroupMeeting(
                        group=group,
                        starts_at=timezone.make_aware(
                            datetime.datetime.combine(day, datetime.time(17, 0))
                        ),
                        presenter=presenter,
                        created_at=self.at(day - datetime.timedelta(days=10)),
                    )
                )
                day += datetime.timedelta(days=14)
                turn += 1
        GroupMeeting.objects.bulk_create(meetings, batch_size=o.batch_size)
        self.counts_before |= {
            SupervisionGroup._meta.label: len(groups),
            GroupMembership._meta.label: len(memberships),
            GroupMeeting._meta.label: len(meetings),
        }

    # --------------------------------------------------------------- case work

    def casework(self, person: User) -> None:
        rng, cat = self.rng, self.catalog
        codes = [f"{chr(65 + rng.randint(0, 25))}-{n:02d}" for n in rng.sample(range(10, 99), 8)]
        favourites = rng.sample(cat.patterns, k=min(5, len(cat.patterns)))
        for week in range(self.o.weeks - 1, -1, -1):
            for _ in range(rng.choice((0, 1, 1, 1, 1, 2))):
                self.log(person, week, codes, favourites)
        for n in range(0, self.o.weeks, 6):
            self.journal(person, n)

    def log(self, person: User, week: int, codes: list[str], favourites: list[Pattern]) -> None:
        rng, cat = self.rng, self.catalog
        session_date = self.today - datetime.timedelta(days=week * 7 + rng.randint(0, 4))
        ease = 1 - week / self.o.weeks  # anxiety eases over the years: progress, not perfection
        roll = rng.random()
        if week == 0:
            status = LogStatus.DRAFT if roll < 0.5 else LogStatus.SUBMITTED
        elif week == 1:
            status = (
                LogStatus.SUBMITTED
                if roll < 0.4
                else LogStatus.RETURNED
                if roll < 0.5
                else LogStatus.SIGNED
            )
        else:
            status = LogStatus.DRAFT if roll < 0.01 else LogStatus.SIGNED
        created = self.at(session_date, hour=18)
        log = SessionLog(
            pk=self.ids[SessionLog](),
            author=person,
            client_code=rng.choice(codes),
            session_date=session_date,
            duration_minutes=rng.choice((50, 50, 60, 45)),
            modality=rng.choice((Modality.IN_PERSON, Modality.IN_PERSON, Modality.VIDEO)),
            what_happened=" ".join(rng.sample(HAPPENED, 2)),
            what_i_felt=" ".join(rng.sample(FELT, 2)),
            what_i_did=rng.choice(DID),
            what_it_teaches=rng.choice(TEACHES),
            pre_session_anxiety=max(0, min(10, round(7 - 4 * ease + rng.uniform(-2, 2)))),
            post_session_rumination=max(0, min(10, round(6 - 3 * ease + rng.uniform(-2, 2)))),
            status=status,
            created_at=created,
            updated_at=created,
        )
        chosen = rng.sample(favourites, k=min(len(favourites), rng.choice((1, 2, 2, 3, 3))))
        chosen = list(dict.fromkeys([*chosen, rng.choice(cat.patterns)]))
        tags = [
            PatternTag(log=log, pattern=p, note=rng.choice(NOTES) if rng.random() < 0.3 else "")
            for p in chosen
        ]
        presentations = (
            [rng.choice(cat.presentations)] if cat.presentations and rng.random() < 0.3 else []
        )
        self.writer.add(log)
        for tag in tags:
            self.writer.add(tag)
        through = SessionLog.presentations.through
        for p in presentations:
            self.writer.add(through(sessionlog_id=log.pk, clientpresentation_id=p.pk))
        if status == LogStatus.DRAFT:
            return
        self.review(person, log, week, tags, presentations)

    def review(
        self,
        person: User,
        log: SessionLog,
        week: int,
        tags: list[PatternTag],
        presentations: list[ClientPresentation],
    ) -> None:
        rng, cat = self.rng, self.catalog
        supervisors = self.supervisors_of[person.pk]
        signer = supervisors[0]
        url = self.log_url.format(log.pk)
        log.submitted_at = self.later(log.created_at, (0, 1))
        log.updated_at = log.submitted_at
        for s in supervisors:
            self.notify(
                s.pk, f"{person} submitted a session log for review.", url, log.submitted_at
            )
        if log.status == LogStatus.SUBMITTED:
            if rng.random() < 0.5:
                self.view(signer.pk, log, person.pk, log.submitted_at)
            return
        replied = self.later(log.submitted_at, (1, 4))
        self.view(signer.pk, log, person.pk, replied)
        if log.status == LogStatus.RETURNED:
            self.new(
                Reply,
                log=log,
                author=signer,
                feedback=RETURN_FEEDBACK,
                decision=Decision.RETURN,
                created_at=replied,
            )
            self.audit(signer.pk, AuditAction.RETURN, log, person.pk, replied)
            self.notify(
                person.pk, f"{signer} returned your session log for revision.", url, replied
            )
            return
        log.signed_by, log.signed_at = signer, replied
        # The tags and presentations are not saved yet: the digest takes them as they are.
        log.signed_sha256 = log_digest(log, related={"tags": tags, "presentations": presentations})
        log.updated_at = replied
        reply = self.new(
            Reply,
            log=log,
            author=signer,
            feedback=rng.choice(FEEDBACK),
            practice=rng.choice(cat.practices) if cat.practices and rng.random() < 0.5 else None,
            decision=Decision.SIGN,
            created_at=replied,
        )
        through = Reply.strengths.through
        for s in rng.sample(cat.strengths, k=min(len(cat.strengths), rng.choice((0, 1, 1, 2)))):
            self.writer.add(through(reply_id=reply.pk, strength_id=s.pk))
        self.audit(signer.pk, AuditAction.SIGN, log, person.pk, replied)
        self.notify(person.pk, f"{signer} signed off your session log.", url, replied)
        tagged = {t.pattern_id for t in tags}
        suggested = [q for q in cat.questions if cat.question_patterns[q.pk] & tagged]
        asked = sorted(
            rng.sample(suggested or cat.questions, k=min(2, len(suggested or cat.questions))),
            key=lambda q: (q.position, q.pk),
        )[: rng.choice((1, 1, 2))]
        for position, q in enumerate(asked):
            answered = week >= 1 and rng.random() < 0.6
            answered_at = self.later(replied, (1, 5)) if answered else None
            self.new(
                AskedQuestion,
                reply=reply,
                catalog_question=q,
                theme=q.name,
                text=q.text,
                position=position,
                answer=rng.choice(ANSWERS) if answered else "",
                answered_at=answered_at,
            )
            if answered and rng.random() < 0.3:  # the supervisor reads the answer
                self.view(signer.pk, log, person.pk, answered_at)
        if rng.random() < 0.08:
            for who, text in zip((person, signer), COMMENTS, strict=False):
                at = self.later(replied, (0, 3))
                comment = self.new(Comment, log=log, author=who, text=text, created_at=at)
                self.audit(who.pk, AuditAction.CREATE, comment, person.pk, at)
        if rng.random() < 0.02:
            at = self.later(replied, (2, 20))
            self.new(
                Addendum,
                log=log,
                author=person,
                text="Addendum: the client mentioned next session that this one had helped.",
                created_at=at,
            )
            self.audit(person.pk, AuditAction.ADDENDUM, log, person.pk, at)
        group = self.group_of.get(person.pk)
        if group is not None and rng.random() < 0.02:
            self.share(person, log, group, replied)

    def view(self, actor_id: int, log: SessionLog, owner_id: int, at) -> None:
        self.audit(actor_id, AuditAction.VIEW, log, owner_id, at)

    def share(self, person: User, log: SessionLog, group: SupervisionGroup, after) -> None:
        rng = self.rng
        shared_at = self.later(after, (1, 6))
        withdrawn = self.later(shared_at, (3, 30)) if rng.random() < 0.1 else None
        share = self.new(
            LogShare, log=log, group=group, shared_at=shared_at, withdrawn_at=withdrawn
        )
        self.audit(person.pk, AuditAction.SHARE, log, person.pk, shared_at)
        for i in range(rng.randint(0, 3)):
            who = group.facilitator if i == 0 else person
            at = self.later(shared_at, (0, 10))
            self.new(GroupComment, share=share, author=who, text=GROUP_COMMENTS[i], created_at=at)

    def journal(self, person: User, weeks_in: int) -> None:
        rng, cat = self.rng, self.catalog
        day = self.first_day + datetime.timedelta(weeks=weeks_in, days=rng.randint(0, 6))
        at = self.at(min(day, self.today), hour=21)
        shared = rng.random() < 0.05
        entry = self.new(
            PrivateReflection,
            author=person,
            title=rng.choice(("After a hard week", "Noticing the pattern", "Comparison")),
            text=rng.choice(JOURNAL),
            question=rng.choice(cat.questions) if rng.random() < 0.5 else None,
            shared_with=self.supervisors_of[person.pk][0] if shared else None,
            shared_at=at if shared else None,
            created_at=at,
            updated_at=at,
        )
        self.audit(person.pk, AuditAction.CREATE, entry, person.pk, at)


def scale_hours_settings(*, seed: int = 1) -> int:
    """Hours settings at scale: each supervisee on one of the shipped rule sets in turn, each
    supervisor with an invented licence; their hours come from the logs already seeded."""
    from django.core.management import call_command

    from hours.models import HoursProfile, RuleSet

    call_command("load_rule_sets", stdout=io.StringIO())
    rule_sets = list(RuleSet.objects.order_by("key"))
    rng = random.Random(seed)
    done = set(HoursProfile.objects.values_list("person_id", flat=True))
    rows = []
    for person in User.objects.exclude(pk__in=done).filter(is_staff=False).order_by("pk"):
        if person.role == Role.SUPERVISOR:
            rows.append(
                HoursProfile(
                    person=person,
                    licence_number=f"SCALE-{person.pk:05d}",
                    licence_jurisdiction="Scale board (synthetic)",
                )
            )
        elif person.role == Role.SUPERVISEE and rule_sets:
            rows.append(
                HoursProfile(
                    person=person,
                    rule_set=rule_sets[person.pk % len(rule_sets)],
                    degree_on=datetime.date(2022, 6, 1)
                    + datetime.timedelta(days=rng.randint(0, 400)),
                )
            )
    HoursProfile.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
