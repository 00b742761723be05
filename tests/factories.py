"""factory-boy factories. Every name and text they make is synthetic."""

import datetime

import factory
from django.utils import timezone

from cases.models import Pattern
from cases.search import search_vector_refresh
from groups.models import GroupMembership, SupervisionGroup
from supervision.models import Role, SupervisionRelationship, User

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
