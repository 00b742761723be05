"""Personas shared by the whole suite.

- supervisee: Sam, who writes logs;
- supervisor: her current supervisor;
- other_supervisor: supervises someone else, not Sam;
- other_supervisee: another supervisee of other_supervisor;
- outsider: a supervisee with no link to anyone;
- group_member: in a group with Sam, facilitated by someone else;
- former_member: left that group;
- board_page: that group with hand-counted logs, for the dashboards' pages;
- admin: manages people, reads no notes.
"""

import copy
import datetime
import io
import os

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from cases.models import AllowedWord, ClientPresentation, LogStatus, Pattern, PatternFamily
from cases.views import _blank_filter, _typed_filter, blank_filters
from dashboards import charts
from groups.models import GroupInvitation, GroupMeeting, LogShare
from hours.models import RuleSet
from hours.selectors import evaluation_of
from reflections.models import PrivateReflection
from supervision.forms import _blank_form_for_rows, _form_with_value_for_rows, blank_form
from supervision.models import Notification
from tests.dashboards.helpers import catalog_items, make_log
from tests.factories import (
    PASSWORD,
    AdminFactory,
    AskedQuestionFactory,
    GroupFactory,
    HourEntryFactory,
    HoursProfileFactory,
    MembershipFactory,
    RelationshipFactory,
    ReplyFactory,
    SessionLogFactory,
    SupervisorFactory,
    UserFactory,
    month_start,
    period_signature,
)


def pytest_collection_modifyitems(config, items):
    """Under xdist, start every worker on its share of the browser journeys.

    `--dist worksteal` first gives each worker a contiguous part of the collection and then
    moves tests from the end of a busy worker's part. The journeys (a few dozen of over
    3,000 tests, well over half of the run's CPU time) sat together in the last part, so one
    worker ran them one after another at the end. Here the collection becomes one part per
    worker, each opening with every n-th journey, then its share of the rest in the usual
    order. The same order on every worker, as xdist requires; no test depends on another's
    order (each runs in its own transaction with emptied caches)."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers < 2:
        return
    journeys = [item for item in items if item.get_closest_marker("browser")]
    rest = [item for item in items if not item.get_closest_marker("browser")]
    parts: list[list] = [journeys[n::workers] for n in range(workers)]
    size = -(-len(items) // workers)  # xdist gives each worker about len / workers at first
    for part in parts:
        taken = max(0, size - len(part))
        part.extend(rest[:taken])
        del rest[:taken]
    parts[-1].extend(rest)
    items[:] = [item for part in parts for item in part]


def _empty_caches():
    for alias in settings.CACHES:
        caches[alias].clear()
    # Drawings kept in the process (cases.views.blank_filters, supervision.forms.blank_form).
    blank_filters.cache_clear()
    _blank_filter.cache_clear()
    _typed_filter.cache_clear()
    blank_form.cache_clear()
    _blank_form_for_rows.cache_clear()
    _form_with_value_for_rows.cache_clear()
    evaluation_of.cache_clear()  # hours: what counts, kept per person by the exact data


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches, as a new process would: rate-limit counts,
    dashboard figures and drawn parts of pages. Caching itself stays on, as in production;
    ids are reused between tests, so a drawing kept from one test could otherwise be
    shown in the next under the same key."""
    _empty_caches()
    yield
    _empty_caches()


# Each persona is made by one function, which its fixture and shared_world both call.


def make_supervisee():
    return UserFactory(display_name="Sam Supervisee", email="sam@example.org")


def make_supervisor(supervisee):
    person = SupervisorFactory(display_name="Dr Sol Supervisor", email="sol@example.org")
    RelationshipFactory(supervisor=person, supervisee=supervisee)
    return person


def make_other_supervisee():
    return UserFactory(display_name="Olu Other")


def make_other_supervisor(other_supervisee):
    person = SupervisorFactory(display_name="Dr Oren Other")
    RelationshipFactory(supervisor=person, supervisee=other_supervisee)
    return person


def make_group(supervisee, other_supervisor):
    group = GroupFactory(facilitator=other_supervisor, name="Sounding board")
    MembershipFactory(group=group, member=supervisee)
    return group


def make_group_member(group):
    member = UserFactory(display_name="Gio Groupmember")
    MembershipFactory(group=group, member=member)
    return member


def make_former_member(group):
    member = UserFactory(display_name="Fay Former")
    today = timezone.localdate()
    MembershipFactory(
        group=group,
        member=member,
        joined_on=today - datetime.timedelta(days=100),
        left_on=today - datetime.timedelta(days=1),
    )
    return member


def make_admin():
    return AdminFactory(display_name="Ada Admin")


def load_catalog():
    call_command("load_catalog", stdout=io.StringIO())


@pytest.fixture
def supervisee(db):
    return make_supervisee()


@pytest.fixture
def supervisor(supervisee):
    return make_supervisor(supervisee)


@pytest.fixture
def other_supervisee(db):
    return make_other_supervisee()


@pytest.fixture
def other_supervisor(other_supervisee):
    return make_other_supervisor(other_supervisee)


@pytest.fixture
def outsider(db):
    return UserFactory(display_name="Ola Outsider")


@pytest.fixture
def group(supervisee, other_supervisor):
    return make_group(supervisee, other_supervisor)


@pytest.fixture
def group_member(group):
    return make_group_member(group)


@pytest.fixture
def former_member(group):
    return make_former_member(group)


@pytest.fixture
def board_page(group, group_member, former_member, supervisee):
    """The conftest group (Sam, Gio; Fay left yesterday) plus Hal, and Ida who opted in.

    The group dashboard counts closed months only, so these logs fall on the last day of
    last month, when all five were members:
    Sam OP+FS, Gio OP+FS, Hal OP (all Trauma); Ida OP+Rescuing (Grief); Fay FS (Trauma).
    Families: "Preparing" = OP; "In the room" = FS, Rescuing.
    Today (the month still open, never counted): Sam OP.
    """
    (op,) = catalog_items(Pattern, "Over-preparing", family=_family("Preparing"))
    fs, rescuing = catalog_items(
        Pattern, "Fear of silence", "Rescuing", family=_family("In the room")
    )
    trauma, grief = catalog_items(ClientPresentation, "Trauma", "Grief")
    hal = UserFactory(display_name="Hal Member")
    ida = UserFactory(display_name="Ida Member")
    MembershipFactory(group=group, member=hal)
    MembershipFactory(group=group, member=ida, show_name=True)
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    for person, tags, presentation in (
        (supervisee, [op, fs], trauma),
        (group_member, [op, fs], trauma),
        (hal, [op], trauma),
        (ida, [op, rescuing], grief),
        (former_member, [fs], trauma),
    ):
        make_log(person, last_month, tags).presentations.add(presentation)
    make_log(supervisee, today, [op])
    return group


def _family(name):
    return PatternFamily.objects.get_or_create(slug=name.lower().replace(" ", "-"), name=name)[0]


@pytest.fixture
def dashboard_cache(settings):
    """For the cache tests: figures kept 300 seconds, in caches that start and end empty."""
    settings.DASHBOARD_CACHE_SECONDS = 300
    for each in (cache, caches["drawn"]):
        each.clear()
    yield
    for each in (cache, caches["drawn"]):
        each.clear()


@pytest.fixture
def drawn(monkeypatch):
    """How many times each chart was made: a section served from the cache makes none."""
    made = {"bar_chart": 0, "line_chart": 0, "stacked_columns": 0}

    def counting(name):
        real = getattr(charts, name)

        def chart(**kwargs):
            made[name] += 1
            return real(**kwargs)

        return chart

    for name in made:
        monkeypatch.setattr(charts, name, counting(name))
    return made


@pytest.fixture
def admin_user(db):
    return make_admin()


@pytest.fixture
def catalog(db):
    load_catalog()


@pytest.fixture
def rule_sets(db):
    """The six shipped rule sets, loaded as `make seed` loads them, by key."""
    call_command("load_rule_sets", stdout=io.StringIO())
    return {rule_set.key: rule_set for rule_set in RuleSet.objects.all()}


@pytest.fixture
def login(client):
    """Log `client` in as a person and return it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def world(
    supervisee,
    supervisor,
    other_supervisor,
    other_supervisee,
    group,
    group_member,
    former_member,
    admin_user,
    catalog,
):
    """One of everything a URL can name, each owned or reached by the personas: the
    authorization matrix, the POST walk and the CSRF tests build their requests from it."""
    return make_world(
        supervisee=supervisee,
        supervisor=supervisor,
        other_supervisor=other_supervisor,
        other_supervisee=other_supervisee,
        group=group,
        group_member=group_member,
        former_member=former_member,
        admin_user=admin_user,
    )


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """The world and its personas, built once per test module (per worker) for modules
    whose many tests only read it or change it within the test: hundreds of matrix cases
    each built the same world, a third of their time.

    As Django's TestCase.setUpTestData: the world is written inside a transaction held
    open for the module and rolled back after it; each test runs in a savepoint within it
    (pytest-django's `db`), rolled back after the test, so every test meets the world as it
    was built. A module opts in with `world = world_from_shared_world()`, a deep copy of this
    one per test, so no test sees another's changes to the objects in memory either; its
    tests take their personas from world["people"], never from the persona fixtures, which
    would make a second Sam beside the world's."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # As TestCase marks its own: a durable atomic block (a service's) may run inside.
        atomic._from_testcase = True
        atomic.__enter__()
        try:
            load_catalog()
            supervisee, other_supervisee = make_supervisee(), make_other_supervisee()
            other_supervisor = make_other_supervisor(other_supervisee)
            group = make_group(supervisee, other_supervisor)
            yield make_world(
                supervisee=supervisee,
                supervisor=make_supervisor(supervisee),
                other_supervisor=other_supervisor,
                other_supervisee=other_supervisee,
                group=group,
                group_member=make_group_member(group),
                former_member=make_former_member(group),
                admin_user=make_admin(),
            )
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            _empty_caches()


def world_from_shared_world():
    """The `world` fixture of a module that opts in to the shared world
    (`world = world_from_shared_world()`): each test gets its own deep copy of the objects in
    memory; the rows are the module's, rolled back after each test (`db`)."""

    @pytest.fixture(name="world")
    def _world(shared_world, db):
        return copy.deepcopy(shared_world)

    return _world


def make_world(
    *,
    supervisee,
    supervisor,
    other_supervisor,
    other_supervisee,
    group,
    group_member,
    former_member,
    admin_user,
):
    draft = SessionLogFactory(author=supervisee)
    submitted = SessionLogFactory(
        author=supervisee, status=LogStatus.SUBMITTED, submitted_at=timezone.now()
    )
    signed = SessionLogFactory(
        author=supervisee,
        status=LogStatus.SIGNED,
        submitted_at=timezone.now(),
        signed_by=supervisor,
        signed_at=timezone.now(),
        signed_sha256="0" * 64,
    )
    trashed = SessionLogFactory(author=supervisee, deleted_at=timezone.now())
    returned = SessionLogFactory(
        author=supervisee, status=LogStatus.RETURNED, submitted_at=timezone.now()
    )
    question = AskedQuestionFactory(reply=ReplyFactory(log=submitted, author=supervisor))
    # Answered and not yet read by the supervisor: its author may still change it.
    answered = AskedQuestionFactory(
        reply=question.reply, position=1, answer="Synthetic: yes.", answered_at=timezone.now()
    )
    entry = PrivateReflection.objects.create(author=supervisee, text="Only mine.")
    share = LogShare.objects.create(log=signed, group=group)
    meeting = GroupMeeting.objects.create(
        group=group, starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    hours = _hours_world(supervisee, supervisor)
    return {
        **hours,
        "people": {
            "author": supervisee,
            "supervisor": supervisor,
            "other_supervisor": other_supervisor,
            "other_supervisee": other_supervisee,
            "group_member": group_member,
            "former_member": former_member,
            "admin": admin_user,
        },
        "allowed_word": AllowedWord.objects.create(
            owner=supervisee, word="Aster", normalized="aster"
        ),
        "notification": Notification.objects.create(
            recipient=supervisee, message="Your log was signed.", url="/"
        ),
        "supervisee": supervisee,
        "draft": draft,
        "submitted": submitted,
        "signed": signed,
        "trashed": trashed,
        "returned": returned,
        "question": question,
        "answered": answered,
        "entry": entry,
        "group": group,
        "share": share,
        "meeting": meeting,
        "member": group_member,
        # Waiting for Ola (other_supervisee) to answer.
        "invitation": GroupInvitation.objects.create(
            group=group, person=other_supervisee, invited_by=other_supervisor
        ),
    }


def _hours_world(supervisee, supervisor):
    """Sam's hours (monthly periods: she has chosen no rule set): last month signed by her
    supervisor, the month before over and not signed yet. Her supervisor has a licence."""
    HoursProfileFactory(
        person=supervisor, licence_number="LMHC 000042", licence_jurisdiction="New York"
    )
    last_month, earlier_month = month_start(1), month_start(2)
    entry = HourEntryFactory(person=supervisee, date=last_month + datetime.timedelta(days=4))
    HourEntryFactory(person=supervisee, date=earlier_month + datetime.timedelta(days=9))
    return {
        "hour_entry": entry,
        "period": "month",
        "last_month": last_month,
        "unsigned_month": earlier_month,
        "hours_signature": period_signature(
            supervisee=supervisee, supervisor=supervisor, starts_on=last_month
        ),
        "relationship": supervisor.supervising.get(supervisee=supervisee),
    }
