"""Roles that hold: relationships and groups need people in the right role, never staff,
whichever way they are written (admin form, service, model save), and every change is
audited and told to the people in it."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from groups import services as group_services
from groups.models import GroupMembership, SupervisionGroup
from supervision import services
from supervision.models import AuditAction, AuditEvent, Notification, Role, SupervisionRelationship
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    RelationshipFactory,
    SupervisorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _date(days: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# --- An admin naming herself supervisor is refused, every way in ---------------------


def test_admin_form_refuses_an_admin_as_supervisor(client, admin_user, supervisee):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:supervision_supervisionrelationship_add"),
        {"supervisor": admin_user.pk, "supervisee": supervisee.pk, "starts_on": _date()},
    )
    assert response.status_code == 200
    assert "an administrator cannot be someone" in response.content.decode().replace("&#x27;", "'")
    assert not SupervisionRelationship.objects.filter(supervisor=admin_user).exists()


def test_service_refuses_an_admin_as_supervisor(admin_user, supervisee):
    with pytest.raises(ValidationError) as refused:
        services.relationship_create(supervisor=admin_user, supervisee=supervisee, by=admin_user)
    assert "supervisor" in refused.value.message_dict
    assert not SupervisionRelationship.objects.exists()


def test_model_save_refuses_an_admin_as_supervisor(admin_user, supervisee):
    with pytest.raises(ValidationError):
        SupervisionRelationship.objects.create(supervisor=admin_user, supervisee=supervisee)
    with pytest.raises(ValidationError):
        RelationshipFactory(supervisor=admin_user, supervisee=supervisee)
    assert not SupervisionRelationship.objects.exists()


def test_staff_supervisor_is_refused_whatever_the_role_says(supervisee):
    staff_supervisor = SupervisorFactory(is_staff=True)
    with pytest.raises(ValidationError):
        services.relationship_create(supervisor=staff_supervisor, supervisee=supervisee, by=None)


@pytest.mark.parametrize(
    ("supervisor_role", "supervisee_role", "field"),
    [
        (Role.SUPERVISEE, Role.SUPERVISEE, "supervisor"),
        (Role.SUPERVISOR, Role.SUPERVISOR, "supervisee"),
        (Role.SUPERVISOR, Role.ADMIN, "supervisee"),
    ],
)
def test_relationship_needs_the_right_roles(supervisor_role, supervisee_role, field):
    relationship = SupervisionRelationship(
        supervisor=UserFactory(role=supervisor_role), supervisee=UserFactory(role=supervisee_role)
    )
    with pytest.raises(ValidationError) as refused:
        relationship.full_clean()
    assert list(refused.value.message_dict) == [field]


def test_an_ended_relationship_keeps_its_people(supervisee, supervisor):
    """History stays editable: an ended relationship is not re-checked against today's roles."""
    relationship = SupervisionRelationship.objects.get(supervisee=supervisee)
    services.relationship_end(relationship=relationship, by=None)
    supervisor.role = Role.SUPERVISEE
    supervisor.save()
    relationship.refresh_from_db()
    relationship.save()  # no error


# --- Facilitators and members ----------------------------------------------------------


def test_admin_made_facilitator_is_refused_by_the_admin_form(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:groups_supervisiongroup_add"),
        {
            "name": "Admin's own group",
            "facilitator": admin_user.pk,
            "description": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "an administrator cannot be a group" in response.content.decode().replace("&#x27;", "'")
    assert not SupervisionGroup.objects.exists()


def test_admin_made_facilitator_is_refused_by_the_model(admin_user, group):
    with pytest.raises(ValidationError):
        SupervisionGroup.objects.create(name="Mine", facilitator=admin_user)
    group.facilitator = admin_user
    with pytest.raises(ValidationError):
        group.save()
    with pytest.raises(ValidationError):
        GroupFactory(facilitator=UserFactory())  # a supervisee cannot facilitate


def test_members_are_supervisees(group, admin_user):
    with pytest.raises(ValidationError):
        MembershipFactory(group=group, member=admin_user)
    with pytest.raises(ValidationError):
        MembershipFactory(group=group, member=SupervisorFactory())
    with pytest.raises(group_services.GroupError):
        group_services.group_member_add(group=group, member=admin_user, by=group.facilitator)
    assert not GroupMembership.objects.filter(member=admin_user).exists()


# --- A person in a relationship keeps her role -----------------------------------------


def test_making_a_supervisor_staff_is_refused_while_she_supervises(client, admin_user, supervisor):
    supervisor.is_staff = True
    with pytest.raises(ValidationError):
        supervisor.save()
    supervisor.refresh_from_db()
    assert not supervisor.is_staff


def test_changing_a_supervisees_role_is_refused_in_the_admin(client, admin_user, supervisee):
    RelationshipFactory(supervisee=supervisee)
    client.force_login(admin_user)
    url = reverse("admin:supervision_user_change", args=[supervisee.pk])
    response = client.post(
        url,
        {
            "email": supervisee.email,
            "display_name": supervisee.display_name,
            "role": Role.SUPERVISOR,
            "is_active": "on",
            "date_joined_0": _date(),
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "is supervised" in response.content.decode()
    supervisee.refresh_from_db()
    assert supervisee.role == Role.SUPERVISEE


def test_a_facilitator_cannot_become_staff(group):
    facilitator = group.facilitator
    facilitator.is_staff = True
    with pytest.raises(ValidationError):
        facilitator.save()


def test_a_member_cannot_become_a_supervisor(group, supervisee):
    supervisee.role = Role.SUPERVISOR
    with pytest.raises(ValidationError):
        supervisee.save()


def test_once_relationships_end_the_role_may_change(supervisee, supervisor):
    relationship = SupervisionRelationship.objects.get(supervisee=supervisee)
    services.relationship_end(relationship=relationship, by=None)
    supervisor.is_staff = True
    supervisor.save()


def test_saving_a_person_without_role_change_costs_no_extra_query(
    supervisor, django_assert_num_queries
):
    supervisor.refresh_from_db()
    supervisor.display_name = "Dr Renamed"
    with django_assert_num_queries(1):
        supervisor.save()


# --- Audit rows and notifications --------------------------------------------------------


def _rows(obj, action):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=obj.pk, action=action
    )


def test_admin_adding_a_relationship_is_audited_and_told(client, admin_user, supervisee):
    person = SupervisorFactory(display_name="Dr New")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:supervision_supervisionrelationship_add"),
        {"supervisor": person.pk, "supervisee": supervisee.pk, "starts_on": _date()},
    )
    assert response.status_code == 302
    relationship = SupervisionRelationship.objects.get(supervisor=person)
    row = _rows(relationship, AuditAction.CREATE).get()
    assert row.actor == admin_user and row.owner == supervisee
    for who in (person, supervisee):
        notice = Notification.objects.get(recipient=who)
        assert "Ada Admin started the supervision relationship" in notice.message


def test_admin_changing_and_deleting_a_relationship_is_audited(client, admin_user, supervisor):
    relationship = SupervisionRelationship.objects.get(supervisor=supervisor)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:supervision_supervisionrelationship_change", args=[relationship.pk]),
        {
            "supervisor": relationship.supervisor_id,
            "supervisee": relationship.supervisee_id,
            "starts_on": relationship.starts_on.isoformat(),
            "ends_on": _date(30),
        },
    )
    assert response.status_code == 302
    assert _rows(relationship, AuditAction.UPDATE).get().actor == admin_user
    pk = relationship.pk
    response = client.post(
        reverse("admin:supervision_supervisionrelationship_delete", args=[pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert (
        AuditEvent.objects.filter(
            object_type="supervision.supervisionrelationship", object_id=pk, action="delete"
        )
        .get()
        .actor
        == admin_user
    )
    assert Notification.objects.filter(recipient=supervisor, message__contains="removed").exists()


def test_ending_a_relationship_is_audited_and_told(supervisor, supervisee, admin_user):
    relationship = SupervisionRelationship.objects.get(supervisor=supervisor)
    services.relationship_end(relationship=relationship, by=admin_user)
    relationship.refresh_from_db()
    assert relationship.ends_on == timezone.localdate() - datetime.timedelta(days=1)
    assert _rows(relationship, AuditAction.UPDATE).get().actor == admin_user
    assert Notification.objects.filter(recipient=supervisee, message__contains="ended").exists()


def test_membership_changes_are_audited_and_told(group, outsider):
    facilitator = group.facilitator
    membership = group_services.group_member_add(group=group, member=outsider, by=facilitator)
    assert _rows(membership, AuditAction.CREATE).get().actor == facilitator
    assert Notification.objects.filter(recipient=outsider, message__contains="began").exists()
    group_services.group_member_remove(group=group, member=outsider, by=facilitator)
    # Begun today, ended today: the row stays, and its end is audited.
    assert _rows(membership, AuditAction.UPDATE).get().actor == facilitator


def test_ending_an_older_membership_is_audited(group, supervisee):
    membership = GroupMembership.objects.get(group=group, member=supervisee)
    group_services.group_member_remove(group=group, member=supervisee, by=group.facilitator)
    assert _rows(membership, AuditAction.UPDATE).get().actor == group.facilitator
    assert Notification.objects.filter(recipient=supervisee, message__contains="ended").exists()


def test_admin_inline_membership_and_facilitator_changes_are_audited(
    client, admin_user, group, outsider, supervisee
):
    new_facilitator = SupervisorFactory(display_name="Dr Next")
    old_facilitator = group.facilitator
    existing = GroupMembership.objects.get(group=group, member=supervisee)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:groups_supervisiongroup_change", args=[group.pk]),
        {
            "name": group.name,
            "facilitator": new_facilitator.pk,
            "description": "",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": existing.pk,
            "memberships-0-group": group.pk,
            "memberships-0-member": supervisee.pk,
            "memberships-0-joined_on": existing.joined_on.isoformat(),
            "memberships-0-DELETE": "on",
            "memberships-1-group": group.pk,
            "memberships-1-member": outsider.pk,
            "memberships-1-joined_on": _date(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _rows(group, AuditAction.UPDATE).get().actor == admin_user
    assert Notification.objects.filter(
        recipient=old_facilitator, message__contains="Dr Next"
    ).exists()
    added = GroupMembership.objects.get(group=group, member=outsider)
    assert _rows(added, AuditAction.CREATE).get().actor == admin_user
    assert (
        AuditEvent.objects.filter(
            object_type="groups.groupmembership", object_id=existing.pk, action="delete"
        )
        .get()
        .actor
        == admin_user
    )
    assert Notification.objects.filter(recipient=supervisee, message__contains="removed").exists()


def test_admin_deleting_a_group_audits_every_member_and_tells_the_current_ones(
    client, admin_user, group, supervisee, former_member
):
    """The group's meetings go with it, and with them hours of everyone who was in it: each
    membership's end is audited as hers (what keeps her hours true, hours.selectors), and
    only the current members are told."""
    memberships = {m.member_id: m for m in GroupMembership.objects.filter(group=group)}
    Notification.objects.all().delete()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:groups_supervisiongroup_delete", args=[group.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not SupervisionGroup.objects.filter(pk=group.pk).exists()
    for person in (supervisee, former_member):
        row = _rows(memberships[person.pk], AuditAction.DELETE).get()
        assert (row.actor, row.owner_id) == (admin_user, person.pk)
    assert Notification.objects.filter(recipient=supervisee, message__contains="removed").exists()
    assert not Notification.objects.filter(recipient=former_member).exists()


def test_notification_e_mails_name_no_note_text(
    supervisee, admin_user, django_capture_on_commit_callbacks
):
    person = SupervisorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.relationship_create(supervisor=person, supervisee=supervisee, by=admin_user)
    assert len(mail.outbox) == 2
    assert "supervision relationship" in mail.outbox[0].subject


# --- Rows from before the rule grant an administrator nothing ---------------------------


def test_a_legacy_row_naming_an_admin_opens_no_notes(client, admin_user, supervisee, group):
    """Rows written before the rule (or by a bulk write) are not trusted by the access rules."""
    from cases.models import SessionLog
    from groups import access as group_access
    from supervision import access
    from tests.factories import SubmittedLogFactory

    SupervisionRelationship.objects.bulk_create(
        [SupervisionRelationship(supervisor=admin_user, supervisee=supervisee)]
    )
    GroupMembership.objects.bulk_create([GroupMembership(group=group, member=admin_user)])
    log = SubmittedLogFactory(author=supervisee)
    assert not access.supervises(admin_user, supervisee)
    assert not SessionLog.objects.visible_to(admin_user).exists()
    assert not group_access.visible_groups(admin_user).exists()
    client.force_login(admin_user)
    assert client.get(log.get_absolute_url()).status_code == 404


def test_ceasing_to_be_staff_is_always_allowed(admin_user, supervisee):
    """Erasure clears the admin flag; that can never open notes, so it is never refused."""
    SupervisionRelationship.objects.bulk_create(
        [SupervisionRelationship(supervisor=admin_user, supervisee=supervisee)]
    )
    admin_user.refresh_from_db()
    admin_user.is_staff = False
    admin_user.save(update_fields=["is_staff"])
