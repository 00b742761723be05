"""Every route, POSTed to by every persona, with a log in each state: never a 500.

The routes come from the URL resolver (tests/urls_util.py), so a new page is walked without
being listed here. Each parameter of a route is filled with an object found from the path
segment before it (`logs/<int:pk>/…` → a log, `questions/<int:pk>/…` → a question asked on
a log; SEGMENT_OBJECTS). Where the object hangs off a log, the route is walked once for each
state of the log (draft, submitted, returned, signed, trashed) in which such an object can
exist. Every persona posts nothing, then plausible data, then the other choices a form offers
and data that comes too late. Each post runs in a savepoint that is rolled back, so every one
meets the log in its state.

A new parameter segment fails `test_every_parameter_names_a_known_object`: add it to
SEGMENT_OBJECTS (and, if it is a new kind of object, to `_objects`). docs/testing.md.
"""

import datetime

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Addendum
from groups.models import GroupComment, LogShare
from reflections.models import Comment, PrivateReflection, ReflectiveQuestion
from supervision.models import Notification
from tests.conftest import world_from_shared_world
from tests.factories import PASSWORD, AskedQuestionFactory, ReplyFactory
from tests.test_authorization import PERSONAS
from tests.test_core_loop import log_post
from tests.urls_util import PARAMETER, route_parameters, route_patterns

world = world_from_shared_world()


STATES = ["draft", "submitted", "returned", "signed", "trashed"]

# The path segment before a parameter → the object it names. ("share", "comments"): a
# comment under a shared log is the group's discussion.
SEGMENT_OBJECTS = {
    "logs": "log",
    "questions": "question",
    "replies": "reply",
    "comments": "comment",
    ("share", "comments"): "group_comment",
    "addenda": "addendum",
    "journal": "entry",
    "notifications": "notification",
    "groups": "group",
    "members": "member",
    "meetings": "meeting",
    "shared": "share",
    "shares": "share",
    "supervisees": "supervisee",
    "my-words": "allowed_word",
    "invitations": "invitation",
    "entries": "hour_entry",
    "verification": "hours_signature",
    "supervisions": "relationship",
}
# Parameters that are values, not objects: a period's kind and its first day (Sam's month
# signed by her supervisor, so that every page of a period has something to show).
CONVERTER_VALUES = {
    "period": lambda world: world["period"],
    "isodate": lambda world: world["last_month"].isoformat(),
}
# The objects that hang off a log, and the states of the log in which each can exist: a
# supervisor replies (and asks) once a log is submitted; only a submitted or signed log can
# be shared, and the conversation opens at submission; addenda are for signed logs.
REVIEWED = {"submitted", "returned", "signed"}
ON_A_LOG = {
    "log": set(STATES),
    "entry": set(STATES),
    "notification": set(STATES),
    "reply": REVIEWED,
    "question": REVIEWED,
    "comment": REVIEWED,
    "share": REVIEWED,
    "group_comment": REVIEWED,
    "addendum": {"signed"},
}
# Payloads posted only by someone the endpoint did not turn away.
OTHER_CHOICES = {"other", "late"}
# What every answer may be: a page, a redirect, a refusal (410: an invitation link that no
# longer works); never a 500.
ALLOWED = {200, 302, 400, 403, 404, 405, 409, 410, 429}


def _keys(route: str) -> list[str | None]:
    """The object each int parameter of the route names (None: not a known segment)."""
    keys: list[str | None] = []
    for segment, converter, _name in route_parameters(route):
        if converter != "int":
            continue
        previous = keys[-1] if keys else None
        keys.append(SEGMENT_OBJECTS.get((previous, segment)) or SEGMENT_OBJECTS.get(segment))
    return keys


def _routes():
    """Every route outside the admin (Django's own; test_authorization walks its pages)."""
    return sorted(
        {
            (route, name or route)
            for route, name in route_patterns()
            if not route.startswith("/admin/")
        }
    )


def walk_params():
    params = []
    for route, name in _routes():
        keys = _keys(route)
        on_a_log = [k for k in keys if k in ON_A_LOG]
        if None in keys:
            states = ["unknown"]  # test_every_parameter_names_a_known_object says which
        elif on_a_log:
            states = [s for s in STATES if all(s in ON_A_LOG[k] for k in on_a_log)]
        else:
            states = ["-"]
        params += [pytest.param(route, state, id=f"{name}-{state}") for state in states]
    return params


def test_every_parameter_names_a_known_object():
    unknown = {
        (route, segment)
        for route, _name in _routes()
        for (segment, converter, _), key in zip(
            [p for p in route_parameters(route) if p[1] == "int"], _keys(route), strict=True
        )
        if key is None
    }
    assert unknown == set(), "say what each segment names in SEGMENT_OBJECTS"


def _objects(world, state):
    """Each object a route can name, on the log in `state` where it hangs off a log."""
    people = world["people"]
    author, supervisor = people["author"], people["supervisor"]
    objects = {
        "group": world["group"],
        "meeting": world["meeting"],
        "member": world["member"],
        "supervisee": world["supervisee"],
        "allowed_word": world["allowed_word"],
        "invitation": world["invitation"],
        "hour_entry": world["hour_entry"],
        "hours_signature": world["hours_signature"],
        "relationship": world["relationship"],
    }
    if state not in STATES:
        return objects
    log = world[state]
    objects["log"] = log
    objects["entry"] = PrivateReflection.objects.create(
        author=author, log=log, text="Synthetic.", shared_with=supervisor, shared_at=timezone.now()
    )
    objects["notification"] = Notification.objects.create(
        recipient=author, message="Your log was signed.", url=log.get_absolute_url()
    )
    if state in REVIEWED:
        objects["reply"] = ReplyFactory(log=log, author=supervisor)
        objects["question"] = AskedQuestionFactory(reply=objects["reply"])
        objects["comment"] = Comment.objects.create(log=log, author=author, text="Synthetic.")
        objects["share"], _ = LogShare.objects.get_or_create(
            log=log, group=world["group"], withdrawn_at=None
        )
        objects["group_comment"] = GroupComment.objects.create(
            share=objects["share"], author=author, text="Synthetic."
        )
    if state == "signed":
        objects["addendum"] = Addendum.objects.create(log=log, author=author, text="Synthetic.")
    return objects


def _url(route, objects, world):
    """The route with each int parameter filled by its object's pk, a value parameter by its
    value (CONVERTER_VALUES), any other by 'x'."""
    keys = iter(_keys(route))

    def fill(match):
        converter = match.group(1) or "str"
        if converter == "int":
            return str(objects[next(keys)].pk)
        if converter in CONVERTER_VALUES:
            return CONVERTER_VALUES[converter](world)
        return "x"

    return PARAMETER.sub(fill, route)


def _payloads(world, objects):
    """Nothing; plausible values for every form's fields (extra fields are ignored); the
    other choices those forms offer; and data that arrives late (a log saved meanwhile in
    another tab, a meeting time now past)."""
    people = world["people"]
    log = objects.get("log")
    plausible = {
        **log_post(version=str(log.version) if log else "0"),
        "confirm_not_identifying": "on",
        "text": "Synthetic: the pause felt long.",
        "answer": "Synthetic: I noticed I rushed.",
        "feedback": "Synthetic: you stayed with the client.",
        "questions": [ReflectiveQuestion.objects.order_by("pk").first().pk],
        "decision": "reply",
        "title": "Synthetic",
        "log": log.pk if log else "",
        "supervisor": people["supervisor"].pk,
        "member": world["member"].pk,
        "absent": "1",
        "show": "1",
        "starts_at": (timezone.localtime() + datetime.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
        "group": world["group"].pk,
        "username": people["author"].email,
        "password": PASSWORD,
        "email": people["author"].email,
        "old_password": PASSWORD,
        "new_password1": "Synthetic-passphrase-4821",
        "new_password2": "Synthetic-passphrase-4821",
        "code": "123456",
        "held_on": f"{timezone.localdate():%Y-%m-%d}",
        "kind": "individual",
        "mode": "in_person",
        "agreed": "Synthetic: one plan, not three.",
        # Hours: an entry, a supervisor's licence, a period to sign.
        "date": f"{timezone.localdate() - datetime.timedelta(days=1):%Y-%m-%d}",
        "hours": "1.5",
        "supervision_format": "individual",
        "licence_number": "LMHC 000777",
        "licence_jurisdiction": "New York",
        "periods": _unsigned_period(world),
        "action": "sign",
    }
    other = {
        **plausible,
        "decision": "sign",
        "then": "submit",
        "member": people["other_supervisee"].pk,
        "show": "",
        "absent": "",
        "supervisor": "",
        "kind": "triadic",
        "other_supervisee": people["other_supervisee"].pk,
        # Group supervision without its size; supervision received; ending, not signing.
        "supervision_format": "group",
        "action": "end",
    }
    late = {
        **plausible,
        "decision": "return",
        # Someone else saved the log meanwhile; the meeting time has passed.
        "version": str(log.version + 1) if log else "1",
        "starts_at": (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        # A meeting recorded before it took place.
        "held_on": f"{timezone.localdate() + datetime.timedelta(days=3):%Y-%m-%d}",
        # Hours not worked yet; a period whose hours changed after the page was drawn.
        "date": f"{timezone.localdate() + datetime.timedelta(days=3):%Y-%m-%d}",
        "periods": _unsigned_period(world, sha256="0" * 64),
    }
    return {"empty": {}, "plausible": plausible, "other": other, "late": late}


def _unsigned_period(world, sha256: str | None = None) -> str:
    """Sam's month that her supervisor has not signed, as a page offers it (`sha256`: as an
    older page drew it)."""
    from hours.forms import period_choice
    from hours.selectors import period_of

    row = period_of(world["supervisee"], world["period"], world["unsigned_month"])
    return period_choice(row.period, row.starts_on, sha256 or row.sha256)


def _refused(response) -> bool:
    """Turned away before the data mattered: not found, forbidden, or sent to log in."""
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("route", "state"), walk_params())
def test_no_post_ends_in_a_500(world, route, state):
    if state == "unknown":
        pytest.fail(f"{route}: a parameter names no known object (SEGMENT_OBJECTS)")
    objects = _objects(world, state)
    url = _url(route, objects, world)
    failures = []
    for persona in PERSONAS:
        refusals = 0
        for label, data in _payloads(world, objects).items():
            if label in OTHER_CHOICES and refusals == 2:
                break  # turned away with nothing and with plausible data: the rest would be too
            with transaction.atomic():
                client = Client(raise_request_exception=False)
                if persona != "anonymous":
                    client.force_login(world["people"][persona])
                response = client.post(url, data)
                transaction.set_rollback(True)
            if response.status_code not in ALLOWED:
                failures.append(f"{persona} posting {label}: {response.status_code}")
            refusals += _refused(response)
    assert failures == [], f"POST {url} ({state} log)"
