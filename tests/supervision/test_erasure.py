"""Erasing a person: what goes, what stays, anonymised, sessions ended, all or nothing."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from cases.models import Addendum, LogStatus, Pattern, PatternTag, SessionLog
from cases.signing import log_digest, signature_matches
from groups.models import GroupComment, GroupMeeting, GroupMembership, LogShare
from reflections.models import AskedQuestion, Comment, PrivateReflection, Reply
from supervision import erasure
from supervision.erasure import Eraser, ErasureError, ErasurePlan, person_erase
from supervision.models import AuditAction, AuditEvent, Notification, SupervisionRelationship, User
from tests.factories import (
    AdminFactory,
    AskedQuestionFactory,
    PatternTagFactory,
    RelationshipFactory,
    ReplyFactory,
    SessionLogFactory,
    SubmittedLogFactory,
    SupervisorFactory,
)
from tests.supervision.test_settings import GOOD_KEY, run_django

pytestmark = pytest.mark.usefixtures("catalog")

SECRET = "Synthetic words only the erased person wrote."


def sign(log: SessionLog, by: User) -> SessionLog:
    now = timezone.now()
    log.status = LogStatus.SIGNED
    log.submitted_at = log.submitted_at or now
    log.signed_by = by
    log.signed_at = now
    log.signed_sha256 = log_digest(log)
    log.save()
    return log


@pytest.fixture
def world(supervisee, supervisor, other_supervisee, other_supervisor, group, group_member):
    """Sam's work in every state, and other people's work beside it."""
    patterns = list(Pattern.objects.filter(is_background=False)[:2])

    def tagged(log):
        for p in patterns:
            PatternTagFactory(log=log, pattern=p, note=SECRET)
        return log

    signed = tagged(SubmittedLogFactory(author=supervisee, what_happened=SECRET))
    sign(signed, supervisor)
    signed_reply = ReplyFactory(log=signed, author=supervisor)
    AskedQuestionFactory(reply=signed_reply, answer=SECRET, answered_at=timezone.now())
    Addendum.objects.create(log=signed, author=supervisee, text=SECRET)
    Comment.objects.create(log=signed, author=supervisee, text=SECRET)
    signed_share = LogShare.objects.create(log=signed, group=group)
    GroupComment.objects.create(share=signed_share, author=group_member, text="Thanks.")

    submitted = tagged(SubmittedLogFactory(author=supervisee, what_happened=SECRET))
    reply = ReplyFactory(log=submitted, author=supervisor)
    AskedQuestionFactory(reply=reply, answer=SECRET, answered_at=timezone.now())
    Comment.objects.create(log=submitted, author=supervisor, text="How was it?")
    share = LogShare.objects.create(log=submitted, group=group)
    GroupComment.objects.create(share=share, author=group_member, text="Same here.")
    GroupComment.objects.create(share=share, author=supervisee, text=SECRET)

    unsigned = [
        submitted,
        tagged(SessionLogFactory(author=supervisee, what_happened=SECRET)),
        tagged(
            SubmittedLogFactory(author=supervisee, status=LogStatus.RETURNED, what_happened=SECRET)
        ),
        tagged(SessionLogFactory(author=supervisee, deleted_at=timezone.now())),
    ]
    entries = [
        PrivateReflection.objects.create(author=supervisee, text=SECRET, log=signed),
        PrivateReflection.objects.create(
            author=supervisee, text=SECRET, shared_with=supervisor, shared_at=timezone.now()
        ),
    ]
    Notification.objects.create(recipient=supervisee, message="A reply.", url="/logs/1/")
    Notification.objects.create(recipient=supervisor, message="Sam submitted.", url="/logs/1/")

    others_log = tagged(SubmittedLogFactory(author=other_supervisee))
    ReplyFactory(log=others_log, author=other_supervisor)
    others_entry = PrivateReflection.objects.create(author=other_supervisee, text="Mine.")
    Notification.objects.create(recipient=other_supervisee, message="Hi.", url="/logs/2/")
    return {
        "signed": signed,
        "signed_share": signed_share,
        "unsigned": unsigned,
        "entries": entries,
        "others_log": others_log,
        "others_entry": others_entry,
    }


def picture() -> dict[str, list[tuple]]:
    """Every row of the app's own tables (audit rows aside: they only ever grow)."""
    rows = {}
    for label in ("supervision", "accounts", "cases", "reflections"):
        for model in apps.get_app_config(label).get_models():
            if model is AuditEvent:
                continue
            rows[model._meta.label] = list(model.objects.order_by("pk").values_list())
            for m2m in model._meta.many_to_many:
                through = m2m.remote_field.through
                rows[f"{model._meta.label}.{m2m.name}"] = list(
                    through.objects.order_by("pk").values_list()
                )
    return rows


# ------------------------------------------------------------------ what goes, what stays


def test_erasure_removes_exactly_what_it_should(supervisee, admin_user, world):
    signed = world["signed"]
    unsigned_ids = [log.pk for log in world["unsigned"]]
    keep_logs = set(SessionLog.objects.exclude(pk__in=unsigned_ids).values_list("pk", flat=True))
    keep_replies = set(Reply.objects.exclude(log__in=unsigned_ids).values_list("pk", flat=True))
    keep_questions = set(
        AskedQuestion.objects.exclude(reply__log__in=unsigned_ids).values_list("pk", flat=True)
    )

    person_erase(person=supervisee, by=admin_user)

    assert set(SessionLog.objects.values_list("pk", flat=True)) == keep_logs
    assert set(Reply.objects.values_list("pk", flat=True)) == keep_replies
    assert set(AskedQuestion.objects.values_list("pk", flat=True)) == keep_questions
    assert not PatternTag.objects.filter(log__in=unsigned_ids).exists()
    assert not Comment.objects.filter(log__in=unsigned_ids).exists()
    assert not LogShare.objects.filter(log__in=unsigned_ids).exists()
    assert list(GroupComment.objects.values_list("share__log", flat=True)) == [signed.pk]
    assert not PrivateReflection.objects.filter(author=supervisee).exists()
    assert not Notification.objects.filter(recipient=supervisee).exists()
    # Other people's work is untouched.
    assert PrivateReflection.objects.filter(pk=world["others_entry"].pk).exists()
    assert Notification.objects.filter(recipient__display_name="Dr Sol Supervisor").exists()
    assert Notification.objects.filter(recipient__display_name="Olu Other").exists()
    assert world["others_log"].tags.count() == 2


def test_signed_logs_stay_whole_and_still_match_their_signature(supervisee, admin_user, world):
    signed = world["signed"]
    person_erase(person=supervisee, by=admin_user)
    kept = SessionLog.objects.get(pk=signed.pk)
    assert kept.what_happened == SECRET
    assert kept.tags.count() == 2
    assert kept.replies.get().questions.get().answer == SECRET
    assert kept.addenda.get().text == SECRET
    assert kept.comments.get().text == SECRET
    assert signature_matches(kept)


def test_nobody_reads_the_retained_record_in_the_app(
    client, supervisee, supervisor, group_member, admin_user, world
):
    """The relationships end, so the signed logs are kept for retention and the operator's
    export, not for reading: the former supervisor and the group get 404."""
    signed, share = world["signed"], world["signed_share"]
    person_erase(person=supervisee, by=admin_user)
    client.force_login(supervisor)
    assert client.get(signed.get_absolute_url()).status_code == 404
    assert not SessionLog.objects.visible_to(supervisor).filter(pk=signed.pk).exists()
    share.refresh_from_db()
    assert share.withdrawn_at is not None
    client.force_login(group_member)
    url = reverse("groups:shared_log", args=[share.group_id, share.pk])
    assert client.get(url).status_code == 404


def test_the_account_is_anonymised(supervisee, admin_user, world, password):
    epoch = supervisee.session_epoch
    person_erase(person=supervisee, by=admin_user)
    person = User.objects.get(pk=supervisee.pk)
    assert person.display_name == f"Erased person #{person.pk}"
    assert person.email == f"erased-{person.pk}@invalid.example"
    assert not person.has_usable_password()
    assert not person.check_password(password)
    assert not person.is_active
    assert not person.is_staff
    assert person.session_epoch == epoch + 1
    assert erasure.is_erased(person)
    assert list(erasure.erased_people()) == [person]


def test_open_sessions_end(client, supervisee, admin_user, world):
    client.force_login(supervisee)
    assert client.get(reverse("cases:log_list")).status_code == 200
    person_erase(person=supervisee, by=admin_user)
    response = client.get(reverse("cases:log_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_she_cannot_log_in_with_her_old_address(client, supervisee, admin_user, password):
    person_erase(person=supervisee, by=admin_user)
    for address in ("sam@example.org", f"erased-{supervisee.pk}@invalid.example"):
        response = client.post(reverse("login"), {"username": address, "password": password})
        assert response.status_code == 200  # the form again, with an error
        assert not response.wsgi_request.user.is_authenticated


def test_relationships_and_memberships_end_now_and_the_rows_stay(
    supervisee, supervisor, group, admin_user
):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    ended_long_ago = RelationshipFactory(
        supervisee=supervisee,
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=200),
    )
    begun_today = RelationshipFactory(supervisee=supervisee, starts_on=today)
    not_yet = RelationshipFactory(supervisee=supervisee, starts_on=today + datetime.timedelta(7))
    ends_later = RelationshipFactory(
        supervisee=supervisee, ends_on=today + datetime.timedelta(days=30)
    )
    membership = GroupMembership.objects.get(member=supervisee)

    person_erase(person=supervisee, by=admin_user)

    relationship = SupervisionRelationship.objects.get(supervisor=supervisor)
    assert relationship.ends_on == yesterday
    ends_later.refresh_from_db()
    assert ends_later.ends_on == yesterday
    begun_today.refresh_from_db()
    assert begun_today.ends_on == today  # it cannot end before it began
    ended_long_ago.refresh_from_db()
    assert ended_long_ago.ends_on == today - datetime.timedelta(days=200)
    assert not SupervisionRelationship.objects.filter(pk=not_yet.pk).exists()
    membership.refresh_from_db()
    assert membership.left_on == yesterday
    tomorrow = today + datetime.timedelta(days=1)
    assert not SupervisionRelationship.objects.current(tomorrow).filter(supervisee=supervisee)


def test_a_supervisors_relationships_end_too(supervisee, supervisor, admin_user):
    person_erase(person=supervisor, by=admin_user)
    assert SupervisionRelationship.objects.get(supervisor=supervisor).ends_on == (
        timezone.localdate() - datetime.timedelta(days=1)
    )


def test_her_turns_to_present_go_to_the_next_in_line(supervisee, group, group_member, admin_user):
    meeting = GroupMeeting.objects.create(
        group=group, starts_at=timezone.now() + datetime.timedelta(days=3), presenter=supervisee
    )
    person_erase(person=supervisee, by=admin_user)
    meeting.refresh_from_db()
    assert meeting.presenter == group_member


def test_one_erase_audit_row(supervisee, admin_user, world):
    before = AuditEvent.objects.count()
    person_erase(person=supervisee, by=admin_user)
    assert AuditEvent.objects.count() == before + 1
    row = AuditEvent.objects.get(action=AuditAction.ERASE)
    assert (row.actor, row.owner, row.object_type, row.object_id) == (
        admin_user,
        supervisee,
        "supervision.user",
        supervisee.pk,
    )


# ------------------------------------------------------------------ all or nothing


def test_if_any_eraser_fails_nothing_changes(supervisee, admin_user, world, monkeypatch):
    def explode(person):
        raise RuntimeError("synthetic failure")

    # Registered first, so it runs last: after the others have deleted their rows.
    failing = Eraser(app_label="failing", describe=lambda p: ErasurePlan(), erase=explode)
    monkeypatch.setattr(erasure, "_erasers", [failing, *erasure._erasers])
    before = picture()
    audit_rows = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        person_erase(person=supervisee, by=admin_user)
    assert picture() == before
    assert AuditEvent.objects.count() == audit_rows


def test_higher_layers_erase_first():
    assert [e.app_label for e in erasure.registered()] == [
        "hours",
        "groups",
        "reflections",
        "cases",
        "accounts",
    ]


def test_registering_an_app_again_replaces_its_eraser(monkeypatch):
    monkeypatch.setattr(erasure, "_erasers", list(erasure._erasers))
    replacement = Eraser(app_label="cases", describe=lambda p: ErasurePlan(), erase=print)
    erasure.register(replacement)
    assert [e.app_label for e in erasure.registered()] == [
        "hours",
        "groups",
        "reflections",
        "cases",
        "accounts",
    ]
    assert erasure.registered()[3] is replacement


@pytest.mark.parametrize("who", ["self", "superuser", "erased"])
def test_the_service_refuses(supervisee, admin_user, world, who):
    person = {"self": admin_user, "superuser": AdminFactory(), "erased": supervisee}[who]
    if who == "erased":
        person_erase(person=supervisee, by=admin_user)
        person.refresh_from_db()
    before = picture()
    with pytest.raises(ErasureError):
        person_erase(person=person, by=admin_user)
    assert picture() == before


# ------------------------------------------------------------------ the admin


def erase_url(person: User) -> str:
    return reverse("admin:supervision_user_erase", args=[person.pk])


def change_url(person: User) -> str:
    return reverse("admin:supervision_user_change", args=[person.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_confirmation_page_names_what_goes_and_what_stays(client, supervisee, admin_user, world):
    client.force_login(admin_user)
    before = picture()
    response = client.get(erase_url(supervisee))
    assert response.status_code == 200
    goes, stays = response.context["plan"].goes, response.context["plan"].stays
    assert any(line.startswith("4 session logs not signed off") for line in goes)
    assert "2 private journal entries" in goes
    assert any(line.startswith("1 reply, 1 answer and 1 comment on the") for line in goes)
    assert "1 notification" in goes
    assert any(line.startswith("1 signed-off session log,") for line in stays)
    assert any("kept for 7 years after sign-off" in line for line in stays)
    assert any(line.startswith("1 supervision relationship, ended") for line in stays)
    assert any(line.startswith("1 group membership, ended") for line in stays)
    html = response.content.decode()
    assert "What goes" in html and "What stays" in html
    assert SECRET not in html  # the admin does not read notes
    assert picture() == before


def test_confirming_erases_and_says_so(client, supervisee, admin_user, world):
    client.force_login(admin_user)
    response = client.post(erase_url(supervisee))
    assert response.status_code == 302
    assert response.url == change_url(supervisee)
    assert messages_of(response) == [
        "Sam Supervisee was erased. Their signed records stay under the retention rule."
    ]
    supervisee.refresh_from_db()
    assert erasure.is_erased(supervisee)
    assert AuditEvent.objects.filter(action=AuditAction.ERASE, actor=admin_user).count() == 1


def test_change_page_links_to_erase(client, supervisee, admin_user):
    client.force_login(admin_user)
    html = client.get(change_url(supervisee)).content.decode()
    assert f'href="{erase_url(supervisee)}"' in html
    assert (
        f'href="{erase_url(admin_user)}"' not in client.get(change_url(admin_user)).content.decode()
    )


def test_the_action_opens_the_confirmation_for_one_person(client, supervisee, admin_user, world):
    client.force_login(admin_user)
    changelist = reverse("admin:supervision_user_changelist")
    response = client.post(
        changelist, {"action": "erase_person", "_selected_action": [supervisee.pk]}
    )
    assert response.status_code == 302
    assert response.url == erase_url(supervisee)
    supervisee.refresh_from_db()
    assert supervisee.is_active  # nothing happens before the confirmation


def test_the_action_wants_exactly_one_person(client, supervisee, supervisor, admin_user, world):
    client.force_login(admin_user)
    before = picture()
    response = client.post(
        reverse("admin:supervision_user_changelist"),
        {"action": "erase_person", "_selected_action": [supervisee.pk, supervisor.pk]},
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Choose exactly one person to erase."]
    assert picture() == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["self", "superuser"])
def test_the_admin_refuses_self_and_superusers(client, admin_user, world, method, who):
    person = admin_user if who == "self" else AdminFactory(display_name="Sue Superuser")
    client.force_login(admin_user)
    before = picture()
    audit_rows = AuditEvent.objects.count()
    response = getattr(client, method)(erase_url(person))
    assert response.status_code == 302
    assert response.url == change_url(person)
    expected = (
        "You cannot erase yourself."
        if who == "self"
        else "Sue Superuser is a superuser; take that away first if they really are to be erased."
    )
    assert messages_of(response) == [expected]
    assert picture() == before
    assert AuditEvent.objects.count() == audit_rows


def test_the_admin_refuses_someone_already_erased(client, supervisee, admin_user, world):
    person_erase(person=supervisee, by=admin_user)
    client.force_login(admin_user)
    response = client.post(erase_url(supervisee))
    assert messages_of(response) == [f"Erased person #{supervisee.pk} has already been erased."]
    assert AuditEvent.objects.filter(action=AuditAction.ERASE).count() == 1


def test_people_who_are_not_staff_are_sent_to_the_admin_log_in(client, supervisee, supervisor):
    client.force_login(supervisor)
    response = client.post(erase_url(supervisee))
    assert response.status_code == 302
    assert "/admin/login/" in response.url
    supervisee.refresh_from_db()
    assert supervisee.is_active


def test_staff_without_the_delete_permission_get_403(client, supervisee):
    staff = SupervisorFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="change_user"))
    client.force_login(staff)
    assert client.get(erase_url(supervisee)).status_code == 403
    assert client.post(erase_url(supervisee)).status_code == 403
    supervisee.refresh_from_db()
    assert supervisee.is_active


def test_staff_with_the_delete_permission_may_erase(client, supervisee):
    staff = SupervisorFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_user", "delete_user", "view_user"])
    )
    client.force_login(staff)
    client.post(erase_url(supervisee))
    supervisee.refresh_from_db()
    assert erasure.is_erased(supervisee)


def test_unknown_person_redirects_to_the_admin_index(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:supervision_user_erase", args=[999999]))
    assert response.status_code == 302


# ------------------------------------------------------------------ settings


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("seven", "RECORD_RETENTION_YEARS must be a whole number"),
        ("0", "RECORD_RETENTION_YEARS must be at least 1"),
    ],
)
def test_bad_retention_stops_start_up(value, message):
    result = run_django(
        "config.settings.base", {"SECRET_KEY": GOOD_KEY, "RECORD_RETENTION_YEARS": value}
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_retention_defaults_to_seven_years_and_is_read():
    code = "from django.conf import settings as s; print(s.RECORD_RETENTION_YEARS)"
    for env, expected in (({}, "7"), ({"RECORD_RETENTION_YEARS": "10"}, "10")):
        result = run_django(
            "config.settings.base",
            {"SECRET_KEY": GOOD_KEY, **env},
            "shell",
            "--no-imports",
            "-c",
            code,
        )
        assert result.stdout.strip() == expected, result.stderr
