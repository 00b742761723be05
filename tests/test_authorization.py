"""Every case-work view × persona: anonymous → log in, outsider → 404, wrong role → 403."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

LOGIN = "login"
PERSONAS = [
    "anonymous",
    "author",
    "supervisor",
    "other_supervisor",
    "other_supervisee",
    "group_member",
]


# (url name, object key or None, method, POST data, expected per persona in PERSONAS order)
CASES = [
    ("cases:log_list", None, "get", None, [LOGIN, 200, 403, 403, 200, 200]),
    ("cases:log_create", None, "get", None, [LOGIN, 200, 403, 403, 200, 200]),
    ("cases:trash", None, "get", None, [LOGIN, 200, 403, 403, 200, 200]),
    ("cases:review_queue", None, "get", None, [LOGIN, 403, 200, 200, 403, 403]),
    ("reflections:log_detail", "submitted", "get", None, [LOGIN, 200, 200, 404, 404, 404]),
    ("reflections:log_detail", "draft", "get", None, [LOGIN, 200, 404, 404, 404, 404]),
    ("cases:log_edit", "returned", "get", None, [LOGIN, 200, 403, 404, 404, 404]),
    ("cases:log_edit", "draft", "get", None, [LOGIN, 200, 404, 404, 404, 404]),
    ("cases:log_submit", "returned", "post", {}, [LOGIN, 302, 403, 404, 404, 404]),
    ("cases:log_trash", "draft", "post", {}, [LOGIN, 302, 404, 404, 404, 404]),
    ("cases:log_restore", "trashed", "post", {}, [LOGIN, 302, 404, 404, 404, 404]),
    (
        "cases:addendum_create",
        "signed",
        "post",
        {"text": "Later."},
        [LOGIN, 302, 302, 404, 404, 404],
    ),
    ("reflections:reply_create", "submitted", "get", None, [LOGIN, 403, 200, 404, 404, 404]),
    (
        "reflections:comment_create",
        "submitted",
        "post",
        {"text": "Hi"},
        [LOGIN, 302, 302, 404, 404, 404],
    ),
    ("reflections:answer", "question", "post", {"answer": "Yes"}, [LOGIN, 302, 403, 404, 404, 404]),
    ("reflections:log_seen_by", "submitted", "get", None, [LOGIN, 200, 403, 404, 404, 404]),
    ("reflections:log_seen_by", "draft", "get", None, [LOGIN, 200, 404, 404, 404, 404]),
    ("reflections:seen_by_others", None, "get", None, [LOGIN, 200, 403, 403, 200, 200]),
    ("reflections:journal_list", None, "get", None, [LOGIN, 200, 200, 200, 200, 200]),
    ("reflections:journal_create", None, "get", None, [LOGIN, 200, 403, 403, 200, 200]),
    ("reflections:journal_detail", "entry", "get", None, [LOGIN, 200, 404, 404, 404, 404]),
    ("reflections:journal_edit", "entry", "get", None, [LOGIN, 200, 404, 404, 404, 404]),
    ("reflections:journal_share", "entry", "post", {}, [LOGIN, 302, 404, 404, 404, 404]),
    # Everyone signed in downloads their own records, never anyone else's (no person in the URL).
    ("reflections:export", None, "get", None, [LOGIN, 200, 200, 200, 200, 200]),
    ("reflections:export_json", None, "get", None, [LOGIN, 200, 200, 200, 200, 200]),
    ("reflections:export_print", None, "get", None, [LOGIN, 200, 200, 200, 200, 200]),
    ("notifications", None, "get", None, [LOGIN, 200, 200, 200, 200, 200]),
    # The benchmark's ceiling page: anyone signed in.
    ("ping", None, "get", None, [LOGIN, 200, 200, 200, 200, 200]),
    ("dashboards:dashboard", None, "get", None, [LOGIN, 200, 200, 200, 200, 200]),
    ("dashboards:group_list", None, "get", None, [LOGIN, 200, 200, 200, 200, 200]),
    ("dashboards:group_detail", "group", "get", None, [LOGIN, 200, 404, 200, 404, 200]),
    ("dashboards:group_dashboard", "group", "get", None, [LOGIN, 200, 404, 200, 404, 200]),
    ("dashboards:member_add", "group", "post", {}, [LOGIN, 403, 404, 302, 404, 403]),
    ("dashboards:member_remove", ("group", "member"), "post", {}, [LOGIN, 403, 404, 302, 404, 403]),
    ("dashboards:show_name", "group", "post", {"show": "1"}, [LOGIN, 302, 404, 403, 404, 302]),
    ("dashboards:meeting_schedule", "group", "post", {}, [LOGIN, 403, 404, 302, 404, 403]),
    (
        "dashboards:meeting_absence",
        ("group", "meeting"),
        "post",
        {},
        [LOGIN, 403, 404, 404, 404, 403],
    ),
    ("dashboards:shared_log", ("group", "share"), "get", None, [LOGIN, 200, 404, 200, 404, 200]),
    (
        "dashboards:shared_log_comment",
        ("group", "share"),
        "post",
        {"text": "Hm"},
        [LOGIN, 302, 404, 302, 404, 302],
    ),
    ("dashboards:log_share", "submitted", "post", {}, [LOGIN, 302, 403, 404, 404, 404]),
    ("dashboards:share_withdraw", "share", "post", {}, [LOGIN, 302, 403, 404, 404, 404]),
]


def matrix():
    return [
        pytest.param(name, key, method, data, persona, status, id=f"{name}-{persona}")
        for name, key, method, data, expected in CASES
        for persona, status in zip(PERSONAS, expected, strict=True)
    ]


@pytest.mark.parametrize(("name", "key", "method", "data", "persona", "expected"), matrix())
def test_view_by_persona(client, world, name, key, method, data, persona, expected):
    keys = key if isinstance(key, tuple) else (key,) if key else ()
    args = [world[k].pk for k in keys]
    url = reverse(name, args=args)
    if persona != "anonymous":
        client.force_login(world["people"][persona])
    response = getattr(client, method)(url, data or {})
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected, f"{name} as {persona}"


def test_matrix_covers_every_case_work_url():
    from tests.urls_util import all_routes

    covered = {name for name, *_ in CASES} | {"home", "notifications_read", "notification_open"}
    names = {
        name
        for route, name in all_routes()
        if name and not route.startswith(("/admin/", "/accounts/"))
    }
    assert names - covered == set(), "add the new URLs to CASES"


@pytest.mark.parametrize("persona", ["other_supervisor", "group_member"])
def test_outsiders_cannot_read_a_log_through_search_or_lists(client, world, persona):
    client.force_login(world["people"][persona])
    if persona == "other_supervisor":
        assert list(client.get(reverse("cases:review_queue")).context["logs"]) == []
    else:
        page = client.get(reverse("cases:log_list"), {"q": "client"}).context["page"]
        assert list(page.object_list) == []


def test_ended_supervision_closes_access(client, world, supervisor):
    relationship = supervisor.supervising.get()
    relationship.starts_on = timezone.localdate().replace(year=2020)
    relationship.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    relationship.save()
    client.force_login(supervisor)
    url = reverse("reflections:log_detail", args=[world["submitted"].pk])
    assert client.get(url).status_code == 404
    assert list(client.get(reverse("cases:review_queue")).context["logs"]) == []


def test_shared_reflection_is_visible_to_that_supervisor_only(client, world, supervisor):
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


def test_cannot_share_with_someone_who_is_not_my_supervisor(client, world, other_supervisor):
    entry = world["entry"]
    client.force_login(world["people"]["author"])
    client.post(
        reverse("reflections:journal_share", args=[entry.pk]), {"supervisor": other_supervisor.pk}
    )
    entry.refresh_from_db()
    assert entry.shared_with is None
