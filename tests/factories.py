"""factory-boy factories. Every name and text they make is synthetic."""

import datetime

import factory
from django.utils import timezone

from cases.models import Pattern
from cases.search import search_vector_refresh
from groups.models import GroupMembership, SupervisionGroup
from hours.models import EntryKind, HourEntry, HoursProfile, RuleSet
from hours.rule_sets import load_rule_set_files
from supervision.models import (
    MeetingKind,
    MeetingMode,
    Role,
    SupervisionMeeting,
    SupervisionRelationship,
    User,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.SUPERVISEE
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SupervisorFactory(UserFactory):
    role = Role.SUPERVISOR


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True
    is_superuser = True


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionRelationship

    supervisor = factory.SubFactory(SupervisorFactory)
    supervisee = factory.SubFactory(UserFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=90))
    ends_on = None


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionGroup

    name = factory.Sequence(lambda n: f"Group {n}")
    facilitator = factory.SubFactory(SupervisorFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    member = factory.SubFactory(UserFactory)
    joined_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    left_on = None


class SessionLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.SessionLog"
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    client_code = factory.Sequence(lambda n: f"C-{n % 1000:03d}")
    session_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    duration_minutes = 50
    what_happened = "The client arrived late and we spent the hour on the week's events."
    what_i_felt = "Anxious that I had not prepared the right exercise."
    what_i_did = "Followed the client's lead after a while."
    what_it_teaches = "Being present mattered more than the plan."
    pre_session_anxiety = 6
    post_session_rumination = 4

    @factory.post_generation
    def _search_vector(obj, create, extracted, **kwargs):
        # What the services do after writing a log: a log made here can be searched for.
        if create:
            search_vector_refresh(log_ids=[obj.pk])


class SubmittedLogFactory(SessionLogFactory):
    status = "submitted"
    submitted_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))


def _taggable_pattern(n: int) -> Pattern:
    patterns = list(Pattern.objects.filter(is_background=False).order_by("pk"))
    return patterns[n % len(patterns)]


class PatternTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.PatternTag"
        skip_postgeneration_save = True

    log = factory.SubFactory(SessionLogFactory)
    # Looked up afresh each time: a cached Iterator would hand out rows of a catalog that an
    # earlier test's database no longer has (PostgreSQL does not reuse ids).
    pattern = factory.Sequence(lambda n: _taggable_pattern(n))
    note = "Noticed it halfway through."

    @factory.post_generation
    def _search_vector(obj, create, extracted, **kwargs):
        if create:
            search_vector_refresh(log_ids=[obj.log_id])


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reflections.Reply"

    log = factory.SubFactory(SubmittedLogFactory)
    author = factory.SubFactory(SupervisorFactory)
    feedback = "You stayed with the client when the plan fell away."


class AskedQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reflections.AskedQuestion"

    reply = factory.SubFactory(ReplyFactory)
    theme = "Moving forward"
    text = "What is this teaching me?"


class SupervisionMeetingFactory(factory.django.DjangoModelFactory):
    """A supervision hour as her supervisor records it; `supervisees=[...]` names who was there
    (one for an individual meeting, two for a triadic one)."""

    class Meta:
        model = SupervisionMeeting
        skip_postgeneration_save = True

    supervisor = factory.SubFactory(SupervisorFactory)
    held_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    duration_minutes = 60
    kind = MeetingKind.INDIVIDUAL
    mode = MeetingMode.IN_PERSON
    observed_session = False

    @factory.post_generation
    def supervisees(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.supervisees.set(extracted)


def seeded_rule_set(key: str = "ny-lmhc") -> RuleSet:
    """One of the shipped rule sets (seeds/hours/<key>.toml), saved as `load_rule_sets` saves
    it: the tests work with the rules the app ships, not with made-up ones."""
    existing = RuleSet.objects.filter(key=key).first()
    if existing:
        return existing
    definition = next(d for d in load_rule_set_files() if d["key"] == key)
    rule_set = RuleSet()
    rule_set.copy_from(definition)
    rule_set.save()
    return rule_set


class HoursProfileFactory(factory.django.DjangoModelFactory):
    """Hours settings: a supervisee's rule set, or (with licence_number) a supervisor's
    licence."""

    class Meta:
        model = HoursProfile
        django_get_or_create = ("person",)

    person = factory.SubFactory(UserFactory)
    rule_set = None


class SupervisorLicenceFactory(HoursProfileFactory):
    person = factory.SubFactory(SupervisorFactory)
    licence_number = factory.Sequence(lambda n: f"LMHC {n:06d}")
    licence_jurisdiction = "New York"


class HourEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HourEntry

    person = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    minutes = 60
    kind = EntryKind.INDIRECT
    supervision_format = ""
    group_size = None
    mode = ""


def month_start(months_ago: int, today: datetime.date | None = None) -> datetime.date:
    """The first day of the month `months_ago` months before this one."""
    day = (today or timezone.localdate()).replace(day=1)
    for _ in range(months_ago):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return day


def period_signature(
    *,
    supervisee: User,
    supervisor: User,
    starts_on: datetime.date,
    period: str = "month",
    **fields,
):
    """A standing signature of one of her periods, as the service would store it (the
    period's SHA-256 as it is now), without the notice and audit row the service writes."""
    from hours.models import PeriodSignature
    from hours.selectors import period_of

    row = period_of(supervisee, period, starts_on)
    assert row is not None, f"{starts_on} does not begin a {period}"
    values = {
        "supervisee": supervisee,
        "supervisor": supervisor,
        "period": period,
        "starts_on": row.starts_on,
        "ends_on": row.ends_on,
        "supervisor_name": supervisor.display_name,
        "licence_number": "LMHC 000042",
        "licence_jurisdiction": "New York",
        "sha256": row.sha256,
        "entry_count": len(row.entries),
        "minutes": row.total_minutes,
        "signed_at": timezone.now(),
        **fields,
    }
    return PeriodSignature.objects.create(**values)
