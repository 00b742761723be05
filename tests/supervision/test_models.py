import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction

from supervision.models import Role, SupervisionRelationship, User
from tests.factories import PASSWORD, RelationshipFactory, UserFactory


@pytest.mark.django_db
def test_login_by_email_in_any_case(rf):
    UserFactory(email="casey@example.org")
    assert authenticate(rf.get("/"), username="Casey@Example.ORG", password=PASSWORD)


@pytest.mark.django_db
def test_email_is_unique_whatever_its_case():
    User.objects.create_user("robin@example.org", "x" * 12, display_name="Robin")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="ROBIN@example.org", display_name="Robin 2")


@pytest.mark.django_db
def test_create_user_lowercases_and_hashes():
    user = User.objects.create_user("Kim@Example.org", "long-enough-pass", display_name="Kim")
    assert user.email == "kim@example.org"
    assert user.password.startswith("md5$")  # the test settings' fast hasher
    assert user.check_password("long-enough-pass")


@pytest.mark.django_db
def test_superuser_is_an_admin_not_a_supervisor():
    user = User.objects.create_superuser("root@example.org", "long-enough-pass", display_name="R")
    assert user.role == Role.ADMIN and user.is_staff and user.is_superuser


@pytest.mark.django_db
def test_relationship_cannot_be_with_oneself():
    person = UserFactory()
    # bulk_create goes around save()'s role check, to reach the database's own constraint.
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionRelationship.objects.bulk_create(
            [SupervisionRelationship(supervisor=person, supervisee=person)]
        )


@pytest.mark.django_db
def test_relationship_cannot_end_before_it_starts():
    rel = RelationshipFactory()
    rel.ends_on = rel.starts_on.replace(year=rel.starts_on.year - 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        rel.save()


def test_production_hashing_is_argon2_and_passwords_need_12_characters():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    lengths = [
        v["OPTIONS"]["min_length"]
        for v in base.AUTH_PASSWORD_VALIDATORS
        if v["NAME"].endswith("MinimumLengthValidator")
    ]
    assert lengths == [12]


def test_argon2_is_installed_and_works():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("long-enough-pass", hasher.salt())
    assert encoded.startswith("argon2$")
    assert hasher.verify("long-enough-pass", encoded)
