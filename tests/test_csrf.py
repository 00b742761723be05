"""CSRF is enforced on every state-changing endpoint, and no GET changes data."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import world_from_shared_world
from tests.snapshot import snapshot
from tests.test_authorization import CASES, PERSONAS, url_args

POSTS = [case for case in CASES if case[2] == "post"]


world = world_from_shared_world()


def _url(world, name, key):
    return reverse(name, args=url_args(world, key))


# Endpoints the matrix only probes with empty data: who may use them, and with what.
WORKING_POSTS = {
    "groups:meeting_absence": (
        "other_supervisor",
        lambda world: {"member": world["member"].pk, "absent": "1"},
    ),
    "groups:meeting_schedule": (
        "other_supervisor",
        lambda world: {
            "starts_at": (timezone.localtime() + datetime.timedelta(days=9)).strftime(
                "%Y-%m-%dT%H:%M"
            )
        },
    ),
    "groups:member_invite": (
        "other_supervisor",
        # Fay left the group and has no invitation waiting.
        lambda world: {"member": world["people"]["former_member"].pk},
    ),
    "groups:log_share": ("author", lambda world: {"group": world["group"].pk}),
    "groups:calendar_feed_revoke": ("author", lambda world: _feed(world)),
    "groups:member_remove": ("other_supervisor", lambda world: {}),
    "groups:group_leave": ("group_member", lambda world: {}),
    "kept_draft_discard": ("author", lambda world: _kept(world, "journal_new")),
    "dashboards:meeting_record": (
        "supervisor",
        lambda world: {
            "held_on": f"{timezone.localdate():%Y-%m-%d}",
            "duration_minutes": "60",
            "kind": "individual",
            "mode": "in_person",
        },
    ),
    "hours:sign_periods": ("supervisor", lambda world: _unsigned_period(world)),
    "hours:supervisee_period": ("supervisor", lambda world: _unsigned_period(world)),
}


def _unsigned_period(world) -> dict:
    """The month of Sam's that her supervisor has not signed, as the page offers it."""
    from hours.forms import period_choice
    from hours.selectors import period_of

    row = period_of(world["supervisee"], world["period"], world["unsigned_month"])
    return {"periods": period_choice(row.period, row.starts_on, row.sha256)}


def _kept(world, form: str) -> dict:
    """Something kept at the idle limit, for the discard button to forget."""
    from accounts.models import KeptDraft

    KeptDraft.objects.create(owner=world["people"]["author"], form=form, fields={"text": ["x"]})
    return {"_keep_form": form}


def _feed(world) -> dict:
    """A feed link for the revoke button to end."""
    from groups.services import calendar_feed_new

    calendar_feed_new(person=world["people"]["author"])
    return {}


# Endpoints whose GET is the page that asks before the POST (a confirmation or a
# preview): the GET may answer, and must still change nothing.
ASKS_FIRST = {
    "groups:member_remove",
    "groups:group_leave",
    "groups:log_share",
    "hours:entry_delete",
    "hours:supervision_end",
    # The period's page, with its sign button; a supervisee's periods to sign, with theirs.
    "hours:supervisee_period",
    "hours:sign_periods",
    # The forms' own pages.
    "hours:settings",
    "hours:entry_create",
    "hours:licence",
}
# Endpoints that touch only the session, which the snapshot does not hold.
SESSION_ONLY = {"keep_alive"}
# Endpoints the page's script calls, answering JSON rather than a redirect.
ANSWER_JSON = {"keep_alive", "keep_and_sign_out"}
# Endpoints answering with a page that shows a secret once (a redirect would have to keep it).
ANSWER_PAGE = {"groups:calendar_feed_new"}


def _allowed(world, name, expected, data):
    """Who this endpoint lets through (a redirect after the change), and what they post."""
    if name in WORKING_POSTS:
        persona, make_data = WORKING_POSTS[name]
        return world["people"][persona], make_data(world)
    persona = next(
        p
        for p, status in zip(PERSONAS, expected, strict=True)
        if status in (200, 302) and p != "anonymous"
    )
    return world["people"][persona], data or {}


@pytest.mark.parametrize(("name", "key", "method", "data", "expected"), POSTS, ids=lambda v: v)
def test_post_without_a_token_is_refused_and_changes_nothing(
    world, name, key, method, data, expected
):
    url = _url(world, name, key)
    person, data = _allowed(world, name, expected, data)
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(("name", "key", "method", "data", "expected"), POSTS, ids=lambda v: v)
def test_the_same_post_with_the_token_goes_through(world, name, key, method, data, expected):
    """The control for the test above: with the token the endpoint does its work."""
    url = _url(world, name, key)
    person, data = _allowed(world, name, expected, data)
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    client.get(reverse("notifications"))  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    before = snapshot()
    response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == (200 if name in ANSWER_JSON | ANSWER_PAGE else 302)
    if name not in SESSION_ONLY:
        assert snapshot() != before


@pytest.mark.parametrize(
    "path",
    ["/accounts/logout/", "/accounts/password_change/", "/accounts/login/"],
)
def test_account_forms_need_the_token(world, path):
    supervisee = world["supervisee"]
    client = Client(enforce_csrf_checks=True)
    if path != "/accounts/login/":
        client.force_login(supervisee)
    response = client.post(path, {"username": supervisee.email, "password": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "key", "method", "data", "expected"), CASES, ids=lambda v: v)
def test_no_get_changes_data(client, world, name, key, method, data, expected):
    url = _url(world, name, key)
    before = snapshot()
    for persona in PERSONAS[1:]:
        client.force_login(world["people"][persona])
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404, 405), f"{name} as {persona}"
        if method == "post" and name not in ASKS_FIRST:
            assert response.status_code in (403, 404, 405), f"GET {name} as {persona}"
    assert snapshot() == before


def test_each_page_masks_its_token_once_and_each_form_of_it_posts(world):
    """The layout's forms (log out, stay signed in) carry one masked token per page
    (config.context_processors), a new mask on the next page, and either one is accepted."""
    import re

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["supervisee"])
    masked = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    first = masked.findall(client.get(reverse("cases:log_list")).content.decode())
    # A Django page's layout: the same, and a new mask.
    second = masked.findall(client.get(reverse("layout")).content.decode())
    assert len(first) == 2 and len(set(first)) == 1
    assert len(second) == 2 and len(set(second)) == 1 and second[0] != first[0]
    response = client.post(reverse("keep_alive"), {"csrfmiddlewaretoken": first[0]})
    assert response.status_code in (200, 204, 302)
    response = client.post(reverse("keep_alive"), {"csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
