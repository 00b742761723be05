"""Every URL from the resolver × persona: anonymous → log in, outsider → 404, wrong role → 403."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import world_from_shared_world

LOGIN = "login"
PERSONAS = [
    "anonymous",
    "author",
    "supervisor",
    "other_supervisor",
    "other_supervisee",
    "group_member",
    "former_member",
    "admin",
]


# (url name, object key or None, method, POST data, expected per persona in PERSONAS order)
CASES = [
    ("cases:log_list", None, "get", None, [LOGIN, 200, 403, 403, 200, 200, 200, 403]),
    ("cases:log_create", None, "get", None, [LOGIN, 200, 403, 403, 200, 200, 200, 403]),
    ("cases:log_quick", None, "get", None, [LOGIN, 200, 403, 403, 200, 200, 200, 403]),
    ("cases:trash", None, "get", None, [LOGIN, 200, 403, 403, 200, 200, 200, 403]),
    ("cases:review_queue", None, "get", None, [LOGIN, 403, 200, 200, 403, 403, 403, 403]),
    ("cases:allowed_words", None, "get", None, [LOGIN, 200, 403, 403, 200, 200, 200, 403]),
    (
        "cases:allowed_word_remove",
        "allowed_word",
        "post",
        {},
        [LOGIN, 302, 403, 403, 404, 404, 404, 403],
    ),
    (
        "cases:log_detail",
        "submitted",
        "get",
        None,
        [LOGIN, 200, 200, 404, 404, 404, 404, 404],
    ),
    ("cases:log_detail", "draft", "get", None, [LOGIN, 200, 404, 404, 404, 404, 404, 404]),
    ("cases:log_edit", "returned", "get", None, [LOGIN, 200, 403, 404, 404, 404, 404, 404]),
    ("cases:log_edit", "draft", "get", None, [LOGIN, 200, 404, 404, 404, 404, 404, 404]),
    ("cases:log_submit", "returned", "post", {}, [LOGIN, 302, 403, 404, 404, 404, 404, 404]),
    ("cases:log_trash", "draft", "post", {}, [LOGIN, 302, 404, 404, 404, 404, 404, 404]),
    ("cases:log_restore", "trashed", "post", {}, [LOGIN, 302, 404, 404, 404, 404, 404, 404]),
    (
        "cases:addendum_create",
        "signed",
        "post",
        {"text": "Later."},
        [LOGIN, 302, 302, 404, 404, 404, 404, 404],
    ),
    (
        "reflections:reply_create",
        "submitted",
        "get",
        None,
        [LOGIN, 403, 200, 404, 404, 404, 404, 404],
    ),
    (
        "reflections:comment_create",
        "submitted",
        "post",
        {"text": "Hi"},
        [LOGIN, 302, 302, 404, 404, 404, 404, 404],
    ),
    (
        "reflections:answer",
        "question",
        "post",
        {"answer": "Yes"},
        [LOGIN, 302, 403, 404, 404, 404, 404, 404],
    ),
    (
        "reflections:answer_edit",
        "answered",
        "post",
        {"answer": "Yes, on reflection"},
        [LOGIN, 302, 403, 404, 404, 404, 404, 404],
    ),
    (
        "reflections:question_defer",
        "question",
        "post",
        {},
        [LOGIN, 302, 403, 404, 404, 404, 404, 404],
    ),
    (
        "reflections:log_seen_by",
        "submitted",
        "get",
        None,
        [LOGIN, 200, 403, 404, 404, 404, 404, 404],
    ),
    ("reflections:log_seen_by", "draft", "get", None, [LOGIN, 200, 404, 404, 404, 404, 404, 404]),
    ("reflections:seen_by_others", None, "get", None, [LOGIN, 200, 403, 403, 200, 200, 200, 403]),
    (
        "dashboards:supervisee_detail",
        "supervisee",
        "get",
        None,
        [LOGIN, 403, 200, 404, 403, 403, 403, 403],
    ),
    (
        "dashboards:preparation",
        "supervisee",
        "get",
        None,
        [LOGIN, 403, 200, 404, 403, 403, 403, 403],
    ),
    (
        "dashboards:meeting_record",
        "supervisee",
        "post",
        {},
        [LOGIN, 403, 400, 404, 403, 403, 403, 403],
    ),
    (
        "reflections:questions_waiting",
        None,
        "get",
        None,
        [LOGIN, 200, 403, 403, 200, 200, 200, 403],
    ),
    ("reflections:journal_list", None, "get", None, [LOGIN, 200, 200, 200, 200, 200, 200, 403]),
    ("reflections:journal_create", None, "get", None, [LOGIN, 200, 403, 403, 200, 200, 200, 403]),
    (
        "reflections:journal_detail",
        "entry",
        "get",
        None,
        [LOGIN, 200, 404, 404, 404, 404, 404, 404],
    ),
    ("reflections:journal_edit", "entry", "get", None, [LOGIN, 200, 404, 404, 404, 404, 404, 404]),
    ("reflections:journal_share", "entry", "post", {}, [LOGIN, 302, 404, 404, 404, 404, 404, 404]),
    ("reflections:export", None, "get", None, [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("reflections:export_json", None, "get", None, [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("reflections:export_print", None, "get", None, [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("notifications", None, "get", None, [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("ping", None, "get", None, [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("layout", None, "get", None, [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("dashboards:dashboard", None, "get", None, [LOGIN, 200, 200, 200, 200, 200, 200, 403]),
    ("groups:group_list", None, "get", None, [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("groups:group_detail", "group", "get", None, [LOGIN, 200, 404, 200, 404, 200, 404, 404]),
    (
        "groups:group_dashboard",
        "group",
        "get",
        None,
        [LOGIN, 200, 404, 200, 404, 200, 404, 404],
    ),
    ("groups:member_invite", "group", "post", {}, [LOGIN, 403, 404, 302, 404, 403, 404, 404]),
    (
        "groups:invitation_accept",
        "invitation",
        "post",
        {},
        [LOGIN, 404, 404, 404, 302, 404, 404, 404],
    ),
    (
        "groups:invitation_decline",
        "invitation",
        "post",
        {},
        [LOGIN, 404, 404, 404, 302, 404, 404, 404],
    ),
    (
        "groups:member_remove",
        ("group", "member"),
        "get",
        None,
        [LOGIN, 403, 404, 200, 404, 403, 404, 404],
    ),
    (
        "groups:member_remove",
        ("group", "member"),
        "post",
        {},
        [LOGIN, 403, 404, 302, 404, 403, 404, 404],
    ),
    ("groups:group_leave", "group", "get", None, [LOGIN, 200, 404, 403, 404, 200, 404, 404]),
    ("groups:group_leave", "group", "post", {}, [LOGIN, 302, 404, 403, 404, 302, 404, 404]),
    (
        "groups:show_name",
        "group",
        "post",
        {"show": "1"},
        [LOGIN, 302, 404, 403, 404, 302, 404, 404],
    ),
    (
        "groups:meeting_schedule",
        "group",
        "post",
        {},
        [LOGIN, 403, 404, 302, 404, 403, 404, 404],
    ),
    (
        "groups:meeting_absence",
        ("group", "meeting"),
        "post",
        {},
        [LOGIN, 403, 404, 404, 404, 403, 404, 404],
    ),
    (
        "groups:meeting_detail",
        ("group", "meeting"),
        "get",
        None,
        [LOGIN, 200, 404, 200, 404, 200, 404, 404],
    ),
    (
        "groups:meeting_takeaway",
        ("group", "meeting"),
        "post",
        {"takeaway": "Synthetic: slowing down helped."},
        [LOGIN, 403, 404, 302, 404, 403, 404, 404],
    ),
    (
        "groups:meeting_calendar",
        "group",
        "get",
        None,
        [LOGIN, 200, 404, 200, 404, 200, 404, 404],
    ),
    # Her own feed link, whatever groups she is in (an empty calendar otherwise); an
    # administrator takes part in no meetings.
    ("groups:calendar_feed_new", None, "post", {}, [LOGIN, 200, 200, 200, 200, 200, 200, 403]),
    (
        "groups:calendar_feed_revoke",
        None,
        "post",
        {},
        [LOGIN, 302, 302, 302, 302, 302, 302, 403],
    ),
    (
        "groups:shared_log",
        ("group", "share"),
        "get",
        None,
        [LOGIN, 200, 404, 200, 404, 200, 404, 404],
    ),
    (
        "groups:shared_log_comment",
        ("group", "share"),
        "post",
        {"text": "Hm"},
        [LOGIN, 302, 404, 302, 404, 302, 404, 404],
    ),
    ("groups:log_share", "submitted", "post", {}, [LOGIN, 302, 403, 404, 404, 404, 404, 404]),
    # GET without a group goes back to the log (302); the preview itself is tested in
    # tests/groups/test_membership.py.
    ("groups:log_share", "submitted", "get", None, [LOGIN, 302, 403, 404, 404, 404, 404, 404]),
    ("groups:share_withdraw", "share", "post", {}, [LOGIN, 302, 403, 404, 404, 404, 404, 404]),
    ("home", None, "get", None, [LOGIN, 302, 302, 302, 302, 302, 302, 302]),
    ("notifications_read", None, "post", {}, [LOGIN, 302, 302, 302, 302, 302, 302, 302]),
    ("notification_open", "notification", "post", {}, [LOGIN, 302, 404, 404, 404, 404, 404, 404]),
    # Accounts pages: the public ones answer everybody; the rest need a session.
    ("login", None, "get", None, [200, 302, 302, 302, 302, 302, 302, 302]),
    ("two_factor_verify", None, "get", None, [302, 302, 302, 302, 302, 302, 302, 302]),
    ("logout", None, "post", {}, [302, 302, 302, 302, 302, 302, 302, 302]),
    ("password_reset", None, "get", None, [200, 200, 200, 200, 200, 200, 200, 200]),
    ("password_reset_done", None, "get", None, [200, 200, 200, 200, 200, 200, 200, 200]),
    ("password_reset_complete", None, "get", None, [200, 200, 200, 200, 200, 200, 200, 200]),
    ("password_change", None, "get", None, [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("password_change_done", None, "get", None, [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("two_factor", None, "get", None, [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("two_factor_setup", None, "get", None, [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("two_factor_email_code", None, "post", {}, [LOGIN, 302, 302, 302, 302, 302, 302, 302]),
    # Off by default (SUPERVISORS_MAY_INVITE); tests/accounts/test_invitations.py turns it on.
    ("supervisor_invitations", None, "get", None, [LOGIN, 403, 403, 403, 403, 403, 403, 403]),
    ("two_factor_recovery_codes", None, "get", None, [LOGIN, 302, 302, 302, 302, 302, 302, 302]),
    ("two_factor_disable", None, "get", None, [LOGIN, 302, 302, 302, 302, 302, 302, 302]),
    ("keep_alive", None, "post", {}, [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    # Keeping a form's text at the idle limit: as the form's own page allows (someone else's
    # object: tests/accounts/test_kept_drafts.py, which the object-less matrix cannot name).
    (
        "keep_and_sign_out",
        None,
        "post",
        {"_keep_form": "journal_new", "text": "Kept."},
        [LOGIN, 200, 403, 403, 200, 200, 200, 403],
    ),
    (
        "kept_draft_discard",
        None,
        "post",
        {"_keep_form": "journal_new"},
        [LOGIN, 302, 403, 403, 302, 302, 302, 403],
    ),
    # Hours. Her own pages answer every supervisee with her own hours (an empty month for
    # those who have none); supervisors and the admin keep none.
    ("hours:overview", None, "get", None, [LOGIN, 200, 403, 403, 200, 200, 200, 403]),
    ("hours:settings", None, "get", None, [LOGIN, 200, 403, 403, 200, 200, 200, 403]),
    (
        "hours:settings",
        None,
        "post",
        {"rule_set": "", "degree_on": "2024-06-30"},
        [LOGIN, 302, 403, 403, 302, 302, 302, 403],
    ),
    ("hours:entry_create", None, "get", None, [LOGIN, 200, 403, 403, 200, 200, 200, 403]),
    (
        "hours:entry_create",
        None,
        "post",
        {"date": "2026-01-05", "hours": "1.5", "kind": "training"},
        [LOGIN, 302, 403, 403, 302, 302, 302, 403],
    ),
    ("hours:entry_edit", "hour_entry", "get", None, [LOGIN, 200, 403, 403, 404, 404, 404, 403]),
    (
        "hours:entry_delete",
        "hour_entry",
        "post",
        {},
        [LOGIN, 302, 403, 403, 404, 404, 404, 403],
    ),
    ("hours:entries_csv", None, "get", None, [LOGIN, 200, 403, 403, 200, 200, 200, 403]),
    ("hours:unsigned_statement", None, "get", None, [LOGIN, 200, 403, 403, 200, 200, 200, 403]),
    (
        "hours:my_period",
        ("period", "last_month"),
        "get",
        None,
        [LOGIN, 200, 403, 403, 200, 200, 200, 403],
    ),
    (
        "hours:weekly_log",
        ("period", "last_month"),
        "get",
        None,
        [LOGIN, 200, 403, 403, 200, 200, 200, 403],
    ),
    # A signature of Sam's: hers alone among supervisees; her supervisor's copy is below.
    (
        "hours:verification",
        ("period", "last_month", "hours_signature"),
        "get",
        None,
        [LOGIN, 200, 403, 403, 404, 404, 404, 403],
    ),
    ("hours:to_sign", None, "get", None, [LOGIN, 403, 200, 200, 403, 403, 403, 403]),
    ("hours:licence", None, "get", None, [LOGIN, 403, 200, 200, 403, 403, 403, 403]),
    (
        "hours:licence",
        None,
        "post",
        {"licence_number": "LMHC 000777", "licence_jurisdiction": "New York"},
        [LOGIN, 403, 302, 302, 403, 403, 403, 403],
    ),
    (
        "hours:sign_periods",
        "supervisee",
        "get",
        None,
        [LOGIN, 403, 200, 404, 403, 403, 403, 403],
    ),
    (
        "hours:sign_periods",
        "supervisee",
        "post",
        {},
        [LOGIN, 403, 302, 404, 403, 403, 403, 403],
    ),
    (
        "hours:supervisee_period",
        ("supervisee", "period", "last_month"),
        "get",
        None,
        [LOGIN, 403, 200, 404, 403, 403, 403, 403],
    ),
    (
        "hours:supervisee_period",
        ("supervisee", "period", "unsigned_month"),
        "post",
        {},
        [LOGIN, 403, 302, 404, 403, 403, 403, 403],
    ),
    (
        "hours:supervisee_weekly_log",
        ("supervisee", "period", "last_month"),
        "get",
        None,
        [LOGIN, 403, 200, 404, 403, 403, 403, 403],
    ),
    (
        "hours:supervisee_verification",
        ("supervisee", "period", "last_month", "hours_signature"),
        "get",
        None,
        [LOGIN, 403, 200, 404, 403, 403, 403, 403],
    ),
    ("hours:supervisions", None, "get", None, [LOGIN, 200, 200, 200, 200, 200, 200, 403]),
    (
        "hours:supervision_end",
        "relationship",
        "get",
        None,
        [LOGIN, 200, 200, 404, 404, 404, 404, 404],
    ),
    (
        "hours:supervision_end",
        "relationship",
        "post",
        {},
        [LOGIN, 302, 302, 404, 404, 404, 404, 404],
    ),
]


world = world_from_shared_world()


def url_args(world, key) -> list:
    """The URL's arguments: each key names an object of the world (its pk) or a value (a
    period's kind, its first day)."""
    keys = key if isinstance(key, tuple) else (key,) if key else ()
    return [getattr(world[k], "pk", world[k]) for k in keys]


def matrix():
    return [
        pytest.param(name, key, method, data, persona, status, id=f"{name}-{persona}")
        for name, key, method, data, expected in CASES
        for persona, status in zip(PERSONAS, expected, strict=True)
    ]


@pytest.mark.parametrize(("name", "key", "method", "data", "persona", "expected"), matrix())
def test_view_by_persona(client, world, name, key, method, data, persona, expected):
    url = reverse(name, args=url_args(world, key))
    if persona != "anonymous":
        client.force_login(world["people"][persona])
    response = getattr(client, method)(url, data or {})
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected, f"{name} as {persona}"


# Routes with nothing to probe on their own: a password-reset link and an invitation link
# are tested with real tokens in the accounts tests (tests/accounts/test_invitations.py:
# anyone signed in is refused, a stranger's made-up link gets the same 410 as a dead one).
# A calendar feed answers to its secret token, without a session, like those links
# (tests/groups/test_meetings.py: a made-up or revoked token is 404, a former member's feed
# leaves her old group out).
NOT_IN_MATRIX = {"password_reset_confirm", "invitation_accept", "groups:calendar_feed"}


def test_matrix_covers_every_url():
    """Every named route outside the admin has an expected answer for every persona."""
    from tests.urls_util import all_routes

    covered = {name for name, *_ in CASES} | NOT_IN_MATRIX
    names = {name for route, name in all_routes() if name and not route.startswith("/admin/")}
    assert names - covered == set(), "add the new URLs to CASES"


def _admin_routes():
    from tests.urls_util import all_routes

    return sorted(
        {route for route, name in all_routes() if route.startswith("/admin/")}
        - {"/admin/logout/", "/admin/login/"}
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_admin_page_is_for_admins_only(client, world, persona):
    """The admin site, enumerated from the resolver: only the admin gets in, and it never errs."""
    if persona != "anonymous":
        client.force_login(world["people"][persona])
    routes = _admin_routes()
    assert "/admin/" in routes and len(routes) > 20
    for route in routes:
        response = client.get(route)
        if persona == "admin":
            # 403: read-only models (audit rows, log-in attempts) refuse their add pages, and
            # autocomplete refuses a request that names no field.
            assert response.status_code in (200, 302, 403, 404), route
            if response.status_code == 302:
                assert not response.url.startswith(("/admin/login", reverse("login"))), route
        else:
            assert response.status_code == 302, route
            assert response.url.startswith(("/admin/login/", reverse("login"))), route


@pytest.mark.parametrize("persona", ["other_supervisor", "group_member"])
def test_outsiders_cannot_read_a_log_through_search_or_lists(client, world, persona):
    client.force_login(world["people"][persona])
    if persona == "other_supervisor":
        assert list(client.get(reverse("cases:review_queue")).context["logs"]) == []
    else:
        page = client.get(reverse("cases:log_list"), {"q": "client"}).context["page"]
        assert list(page.object_list) == []


def test_ended_supervision_closes_access(client, world):
    supervisor = world["people"]["supervisor"]
    relationship = supervisor.supervising.get()
    relationship.starts_on = timezone.localdate().replace(year=2020)
    relationship.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    relationship.save()
    client.force_login(supervisor)
    url = reverse("cases:log_detail", args=[world["submitted"].pk])
    assert client.get(url).status_code == 404
    assert list(client.get(reverse("cases:review_queue")).context["logs"]) == []


def test_shared_reflection_is_visible_to_that_supervisor_only(client, world):
    supervisor = world["people"]["supervisor"]
    entry = world["entry"]
    client.force_login(world["people"]["author"])
    client.post(
        reverse("reflections:journal_share", args=[entry.pk]), {"supervisor": supervisor.pk}
    )
    entry.refresh_from_db()
    assert entry.shared_with == supervisor
    client.force_login(supervisor)
    assert client.get(reverse("reflections:journal_detail", args=[entry.pk])).status_code == 200
    assert client.get(reverse("reflections:journal_edit", args=[entry.pk])).status_code == 403
    client.force_login(world["people"]["other_supervisor"])
    assert client.get(reverse("reflections:journal_detail", args=[entry.pk])).status_code == 404


def test_cannot_share_with_someone_who_is_not_my_supervisor(client, world):
    other_supervisor = world["people"]["other_supervisor"]
    entry = world["entry"]
    client.force_login(world["people"]["author"])
    client.post(
        reverse("reflections:journal_share", args=[entry.pk]), {"supervisor": other_supervisor.pk}
    )
    entry.refresh_from_db()
    assert entry.shared_with is None
