"""Every form, fuzzed with hypothesis: no 500s, nothing half-saved, text stored faithfully.

Each example runs in its own savepoint that is rolled back, so examples do not see each
other's rows. A form that refuses input re-renders (200) and changes nothing; one that
accepts it (302) stores free text exactly as sent (less surrounding white space), or
changes nothing when the view refuses with a message.
"""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Pattern
from tests.snapshot import snapshot
from tests.test_core_loop import log_post

pytestmark = pytest.mark.usefixtures("catalog")

NASTY = [
    "",
    " ",
    "\x00",
    "before\x00after",
    "\u202eright-to-left override\u202c",
    "zero\u200bwidth\u200djoiner\ufeff",
    "שלום عليكم mixed direction",
    "e\u0301\u0301 combining",
    "😀🫠 emoji",
    "x" * 100_000,
    "<script>alert(1)</script>",
    "'; DROP TABLE cases_sessionlog; --",
    "\r\n\t",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "2026-02-30",
    "NaN",
]
text = st.one_of(st.sampled_from(NASTY), st.text(max_size=60))
number = st.one_of(st.integers(-(10**20), 10**20).map(str), st.sampled_from(NASTY))
MISSING = object()


def field(valid, *others):
    """The valid value, a hostile one, or nothing at all."""
    return st.one_of(st.just(valid), st.just(MISSING), *others)


FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _strings(picture) -> set[str]:
    return {
        value
        for rows in picture.values()
        for row in rows
        for value in row
        if isinstance(value, str)
    }


def post_and_check(client, url, data, *, free_text=()):
    sent = {k: v for k, v in data.items() if v is not MISSING}
    with transaction.atomic():
        before = snapshot()
        response = client.post(url, sent)
        assert response.status_code in (200, 302), response.status_code
        after = snapshot()
        if response.status_code == 200:
            assert after == before, "a refused form changed data"
        elif after != before:
            stored = _strings(after) - _strings(before)
            for name in free_text:
                value = sent.get(name)
                if isinstance(value, str) and value.strip():
                    assert value.strip() in stored, f"{name} was not stored as sent"
        transaction.set_rollback(True)


def _person(world, persona):
    return world["people"][persona]


def _pk(obj):
    return str(obj.pk)


@pytest.fixture
def as_person(client, world):
    def _as(persona):
        client.force_login(world["people"][persona])
        return client

    return _as


def _log_fields(extra_patterns):
    base = log_post()
    fields = {
        name: field(value, text)
        for name, value in base.items()
        if name not in ("duration_minutes", "pre_session_anxiety", "post_session_rumination")
    }
    for name in ("duration_minutes", "pre_session_anxiety", "post_session_rumination"):
        fields[name] = field(base[name], number)
    fields["then"] = field("draft", st.just("submit"), text)
    fields["confirm_not_identifying"] = field("on", text)
    fields["presentations"] = field(MISSING, st.lists(number, max_size=3))
    for pattern in extra_patterns:
        fields[f"tag_{pattern.pk}"] = field("on", text)
        fields[f"note_{pattern.pk}"] = field("A small note.", text)
    return st.fixed_dictionaries(fields)


LOG_TEXT = ("what_happened", "what_i_felt", "what_i_did", "what_it_teaches")


def _patterns():
    return list(Pattern.objects.filter(is_background=False)[:2])


@given(data=st.data())
@FUZZ
def test_log_create(as_person, data):
    client = as_person("author")
    values = data.draw(_log_fields(_patterns()))
    post_and_check(client, reverse("cases:log_create"), values, free_text=LOG_TEXT)


@given(data=st.data())
@FUZZ
def test_log_quick(as_person, data):
    client = as_person("author")
    ids = [str(p.pk) for p in Pattern.objects.filter(is_background=False)[:4]]
    values = data.draw(
        st.fixed_dictionaries(
            {
                "client_code": field("C-9", text),
                "session_date": field(timezone.localdate().isoformat(), text),
                "what_happened": field("I over-planned again.", text),
                "patterns": field(ids[:2], st.lists(st.sampled_from(ids)), st.lists(number)),
                "confirm_not_identifying": field("on", text),
            }
        )
    )
    post_and_check(client, reverse("cases:log_quick"), values, free_text=("what_happened",))


@given(data=st.data())
@FUZZ
def test_log_edit(as_person, world, data):
    client = as_person("author")
    log = world["draft"]
    values = data.draw(_log_fields(_patterns()))
    values["version"] = data.draw(field(str(log.version), number))
    post_and_check(client, reverse("cases:log_edit", args=[log.pk]), values, free_text=LOG_TEXT)


@given(data=st.data())
@FUZZ
def test_log_filters(as_person, data):
    client = as_person("author")
    params = data.draw(
        st.fixed_dictionaries(
            {
                name: st.one_of(st.just(MISSING), text, number)
                for name in (
                    "q",
                    "pattern",
                    "client_code",
                    "status",
                    "date_from",
                    "date_to",
                    "page",
                )
            }
        )
    )
    response = client.get(
        reverse("cases:log_list"), {k: v for k, v in params.items() if v is not MISSING}
    )
    assert response.status_code == 200


@given(weeks=st.one_of(text, number))
@FUZZ
def test_dashboard_window(as_person, weeks):
    response = as_person("author").get(reverse("dashboards:dashboard"), {"weeks": weeks})
    assert response.status_code == 200


@given(data=st.data())
@FUZZ
def test_reply(as_person, world, data):
    client = as_person("supervisor")
    values = data.draw(
        st.fixed_dictionaries(
            {
                "feedback": field("You stayed with it.", text),
                "questions": field(MISSING, st.lists(number, max_size=3)),
                "own_questions": field("What did you notice?", text),
                "practice": field(MISSING, number),
                "strengths": field(MISSING, st.lists(number, max_size=3)),
                "decision": field("reply", st.sampled_from(["sign", "return"]), text),
                "version": field("1", st.sampled_from(["2", "0", ""]), text),
            }
        )
    )
    url = reverse("reflections:reply_create", args=[world["submitted"].pk])
    post_and_check(client, url, values, free_text=("feedback",))


@pytest.mark.parametrize(
    ("name", "key", "persona", "field_name"),
    [
        ("reflections:answer", "question", "author", "answer"),
        ("reflections:comment_create", "submitted", "author", "text"),
        ("cases:addendum_create", "signed", "author", "text"),
    ],
)
@given(value=text)
@FUZZ
def test_single_text_forms(as_person, world, name, key, persona, field_name, value):
    client = as_person(persona)
    url = reverse(name, args=[world[key].pk])
    post_and_check(client, url, {field_name: value}, free_text=(field_name,))


@given(value=text)
@FUZZ
def test_group_comment(as_person, world, value):
    client = as_person("group_member")
    url = reverse("groups:shared_log_comment", args=[world["group"].pk, world["share"].pk])
    post_and_check(client, url, {"text": value}, free_text=("text",))


@given(data=st.data())
@FUZZ
def test_journal(as_person, world, data):
    client = as_person("author")
    values = data.draw(
        st.fixed_dictionaries(
            {
                "title": field("After Tuesday", text),
                "text": field("I keep replaying the ending.", text),
                "question": field(MISSING, number),
                "log": field(_pk(world["submitted"]), number),
                "confirm_not_identifying": field(MISSING, st.just("on")),
            }
        )
    )
    create = reverse("reflections:journal_create")
    post_and_check(client, create, values, free_text=("title", "text"))
    edit = reverse("reflections:journal_edit", args=[world["entry"].pk])
    post_and_check(client, edit, values, free_text=("title", "text"))


@given(supervisor=st.one_of(number, text))
@FUZZ
def test_journal_share(as_person, world, supervisor):
    client = as_person("author")
    url = reverse("reflections:journal_share", args=[world["entry"].pk])
    post_and_check(client, url, {"supervisor": supervisor})


@given(member=st.one_of(number, text))
@FUZZ
def test_member_invite(as_person, world, member):
    client = as_person("other_supervisor")
    post_and_check(
        client, reverse("groups:member_invite", args=[world["group"].pk]), {"member": member}
    )


@given(
    starts_at=st.one_of(
        text,
        st.datetimes(
            min_value=datetime.datetime(1, 1, 1), max_value=datetime.datetime(9999, 12, 31)
        ).map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
        st.just((timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")),
    )
)
@FUZZ
def test_meeting_schedule(as_person, world, starts_at):
    client = as_person("other_supervisor")
    url = reverse("groups:meeting_schedule", args=[world["group"].pk])
    post_and_check(client, url, {"starts_at": starts_at})


@given(member=st.one_of(number, text), absent=st.one_of(text, st.just("1")))
@FUZZ
def test_meeting_absence(as_person, world, member, absent):
    client = as_person("other_supervisor")
    url = reverse("groups:meeting_absence", args=[world["group"].pk, world["meeting"].pk])
    with transaction.atomic():
        response = client.post(url, {"member": member, "absent": absent})
        assert response.status_code in (302, 404)
        transaction.set_rollback(True)


@given(group=st.one_of(number, text))
@FUZZ
def test_log_share(as_person, world, group):
    client = as_person("author")
    url = reverse("groups:log_share", args=[world["submitted"].pk])
    post_and_check(client, url, {"group": group})


@given(data=st.data())
@FUZZ
def test_password_change(as_person, data, password):
    client = as_person("author")
    values = data.draw(
        st.fixed_dictionaries(
            {
                "old_password": field(password, text),
                "new_password1": field("a-much-longer-passphrase", text),
                "new_password2": field("a-much-longer-passphrase", text),
            }
        )
    )
    post_and_check(client, reverse("password_change"), values)


AWKWARD_STORED = [
    "\u202eright-to-left override\u202c",
    "zero\u200bwidth\u200djoiner",
    "שלום عليكم mixed direction",
    "e\u0301\u0301 combining",
    "😀🫠 emoji",
]
AWKWARD_REFUSED = [
    ("before\x00after", "Null characters are not allowed"),
    ("x" * 100_000, "at most"),
]
TEXT_ENDPOINTS = [
    ("reflections:answer", ("question",), "author", "answer", {}),
    ("reflections:comment_create", ("submitted",), "author", "text", {}),
    ("cases:addendum_create", ("signed",), "author", "text", {}),
    ("groups:shared_log_comment", ("group", "share"), "group_member", "text", {}),
    ("reflections:journal_create", (), "author", "text", {"title": "A title"}),
    ("cases:log_create", (), "author", "what_happened", log_post()),
    (
        "reflections:reply_create",
        ("submitted",),
        "supervisor",
        "feedback",
        {"decision": "reply", "version": 1},
    ),
]


def _messages(response) -> str:
    from django.contrib.messages import get_messages

    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    if response.status_code == 200:
        text += " " + response.content.decode()
    return text


@pytest.mark.parametrize(("name", "keys", "persona", "field_name", "base"), TEXT_ENDPOINTS)
@pytest.mark.parametrize("value", AWKWARD_STORED)
def test_awkward_text_is_stored_faithfully(
    as_person, world, name, keys, persona, field_name, base, value
):
    client = as_person(persona)
    before = _strings(snapshot())
    response = client.post(
        reverse(name, args=[world[k].pk for k in keys]), {**base, field_name: value}
    )
    assert response.status_code == 302
    assert value in _strings(snapshot()) - before


@pytest.mark.parametrize(("name", "keys", "persona", "field_name", "base"), TEXT_ENDPOINTS)
@pytest.mark.parametrize(("value", "message"), AWKWARD_REFUSED, ids=["nul", "100k"])
def test_unstorable_text_gets_a_clear_error_and_changes_nothing(
    as_person, world, name, keys, persona, field_name, base, value, message
):
    client = as_person(persona)
    before = snapshot()
    response = client.post(
        reverse(name, args=[world[k].pk for k in keys]), {**base, field_name: value}
    )
    assert response.status_code in (200, 302)
    assert message in _messages(response)
    assert snapshot() == before
