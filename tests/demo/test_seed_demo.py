import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.people import DEMO_PASSWORD, PEOPLE
from groups.models import GroupMembership
from reflections.models import AskedQuestion
from supervision import access
from supervision.models import Role, SupervisionMeeting, SupervisionRelationship, User


def seed():
    call_command("seed_demo", stdout=io.StringIO())


pytestmark = pytest.mark.usefixtures("catalog")


def test_demo_people_match_the_brief():
    seed()
    supervisors = User.objects.filter(role=Role.SUPERVISOR)
    supervisees = User.objects.filter(role=Role.SUPERVISEE)
    assert supervisors.count() >= 2
    assert supervisees.count() >= 4
    by_supervisor = [set(access.current_supervisees(s)) for s in supervisors]
    assert all(by_supervisor), "every supervisor has supervisees"
    shared = set.intersection(*by_supervisor)
    assert len(shared) == 1, "exactly one supervisee has both supervisors"
    assert any(len(group - shared) for group in by_supervisor), (
        "supervisors have separate supervisees"
    )
    assert GroupMembership.objects.current().values("member").distinct().count() >= 3
    # The tour's supervisor view: hours recorded for every relationship, a question kept for
    # supervision on the sheet, and something waiting on Clara's home page.
    for relationship in SupervisionRelationship.objects.current():
        assert SupervisionMeeting.objects.filter(
            supervisor=relationship.supervisor, supervisees=relationship.supervisee
        ).exists()
    clara = User.objects.get(email="clara@example.org")
    assert AskedQuestion.objects.filter(reply__log__author=clara, deferred_at__isnull=False)


@pytest.mark.django_db
def test_running_twice_is_safe():
    seed()
    counts = (
        User.objects.count(),
        SupervisionRelationship.objects.count(),
        GroupMembership.objects.count(),
        SupervisionMeeting.objects.count(),
    )
    seed()
    assert counts == (
        User.objects.count(),
        SupervisionRelationship.objects.count(),
        GroupMembership.objects.count(),
        SupervisionMeeting.objects.count(),
    )


def test_every_demo_account_logs_in_and_lands_on_its_home(client):
    seed()
    for person in PEOPLE:
        check_login(client, person)


def check_login(client, person):
    response = client.post(
        reverse("login"), {"username": person.email, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.email == person.email
    expected = {
        Role.SUPERVISEE: reverse("cases:log_list"),
        Role.SUPERVISOR: reverse("cases:review_queue"),
        Role.ADMIN: reverse("admin:index"),
    }[person.role]
    assert response.redirect_chain[-1][0] == expected
    client.post(reverse("logout"))
