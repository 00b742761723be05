"""factory-boy factories. Every name and text they make is synthetic."""

import datetime

import factory
from django.utils import timezone

from supervision.models import (
    GroupMembership,
    Role,
    SupervisionGroup,
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
