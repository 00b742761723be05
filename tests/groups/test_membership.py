"""Membership with consent and a trace (invite, accept or decline, remove with confirmation,
leave, be named), and sharing a log through a preview that leaves ratings out by default."""

import pytest
from django.urls import reverse
from django.utils import timezone

from groups import services
from groups.models import GroupComment, GroupInvitation, GroupMembership, LogShare
from supervision.audit import object_type
from supervision.models import AuditAction, AuditEvent, Notification
from tests.dashboards.helpers import days_ago, group_url
from tests.factories import AdminFactory, SubmittedLogFactory, SupervisorFactory, UserFactory
from tests.groups.test_views import post


def audited(obj, action) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type=object_type(obj), object_id=obj.pk, action=action)
    )


def offered(client, group) -> set[str]:
    """The names in the facilitator's invite choice."""
    form = client.get(group_url("group_detail", group)).context["invite_form"]
    return {str(person) for person in form.fields["member"].queryset}


# ------------------------------------------------------------------ invitation


def test_only_supervisees_not_in_the_group_nor_invited_are_offered(
    client, group, group_member, former_member, other_supervisor, outsider
):
    SupervisorFactory(display_name="Vic Supervisor")
    AdminFactory(display_name="Ada Admin")
    UserFactory(display_name="Ina Inactive", is_active=False)
    invited = UserFactory(display_name="Ivo Invited")
    services.group_member_invite(group=group, person=invited, by=other_supervisor)
    client.force_login(other_supervisor)
    # Sam and Gio are members, Ivo is invited; Fay left and may be asked back.
    assert offered(client, group) == {"Fay Former", "Ola Outsider", "Olu Other"}


def test_inviting_creates_no_membership_and_tells_her(client, group, other_supervisor, outsider):
    client.force_login(other_supervisor)
    post(client, group_url("member_invite", group), {"member": outsider.pk})
    invitation = GroupInvitation.objects.get(person=outsider)
    assert invitation.invited_by == other_supervisor and invitation.accepted is None
    assert not GroupMembership.objects.filter(member=outsider).exists()
    notice = Notification.objects.get(recipient=outsider)
    assert notice.url == reverse("groups:group_list")
    assert "invited you to join Sounding board" in notice.message
    assert [e.actor for e in audited(invitation, AuditAction.CREATE)] == [other_supervisor]
    # She sees it on the group list, with both answers.
    client.force_login(outsider)
    page = client.get(reverse("groups:group_list")).content.decode()
    assert "Invitation to Sounding board" in page
    assert reverse("groups:invitation_accept", args=[invitation.pk]) in page
    assert reverse("groups:invitation_decline", args=[invitation.pk]) in page


def test_inviting_a_member_or_inviting_twice_is_refused(group, group_member, other_supervisor):
    with pytest.raises(services.GroupError, match="already a member"):
        services.group_member_invite(group=group, person=group_member, by=other_supervisor)
    newcomer = UserFactory()
    services.group_member_invite(group=group, person=newcomer, by=other_supervisor)
    with pytest.raises(services.GroupError, match="already been invited"):
        services.group_member_invite(group=group, person=newcomer, by=other_supervisor)
    with pytest.raises(services.GroupError, match="facilitator"):
        services.group_member_invite(group=group, person=other_supervisor, by=other_supervisor)
    assert GroupInvitation.objects.count() == 1


def test_a_member_cannot_invite(client, group, group_member, outsider):
    client.force_login(group_member)
    response = client.post(group_url("member_invite", group), {"member": outsider.pk})
    assert response.status_code == 403
    assert not GroupInvitation.objects.exists()


def test_accepting_makes_her_a_member_from_that_day(client, group, other_supervisor, outsider):
    invitation = services.group_member_invite(group=group, person=outsider, by=other_supervisor)
    client.force_login(outsider)
    shown = post(client, reverse("groups:invitation_accept", args=[invitation.pk]))
    assert shown == ["You joined Sounding board."]
    membership = GroupMembership.objects.get(member=outsider)
    assert membership.joined_on == timezone.localdate() and membership.left_on is None
    invitation.refresh_from_db()
    assert invitation.accepted is True and invitation.answered_at is not None
    assert [e.actor for e in audited(membership, AuditAction.CREATE)] == [outsider]
    assert [e.actor for e in audited(invitation, AuditAction.UPDATE)] == [outsider]
    notice = Notification.objects.get(recipient=other_supervisor)
    assert notice.message == "Ola Outsider accepted the invitation to join Sounding board."
    # Answered once: a second answer finds nothing.
    response = client.post(reverse("groups:invitation_decline", args=[invitation.pk]))
    assert response.status_code == 404


def test_declining_leaves_her_outside_and_tells_the_facilitator(
    client, group, other_supervisor, outsider
):
    invitation = services.group_member_invite(group=group, person=outsider, by=other_supervisor)
    client.force_login(outsider)
    shown = post(client, reverse("groups:invitation_decline", args=[invitation.pk]))
    assert shown == ["You declined the invitation to Sounding board."]
    assert not GroupMembership.objects.filter(member=outsider).exists()
    invitation.refresh_from_db()
    assert invitation.accepted is False
    assert [e.actor for e in audited(invitation, AuditAction.UPDATE)] == [outsider]
    notice = Notification.objects.get(recipient=other_supervisor)
    assert notice.message == "Ola Outsider declined the invitation to join Sounding board."
    # Declined: she may be asked again.
    client.force_login(other_supervisor)
    assert "Ola Outsider" in offered(client, group)


def test_only_the_invited_person_answers(client, group, group_member, other_supervisor, outsider):
    invitation = services.group_member_invite(group=group, person=outsider, by=other_supervisor)
    for person in (group_member, other_supervisor):
        client.force_login(person)
        response = client.post(reverse("groups:invitation_accept", args=[invitation.pk]))
        assert response.status_code == 404
    assert not GroupMembership.objects.filter(member=outsider).exists()


def test_the_administrator_still_adds_directly_with_audit(group, outsider):
    admin = AdminFactory()
    membership = services.group_member_add(group=group, member=outsider, by=admin)
    assert [e.actor for e in audited(membership, AuditAction.CREATE)] == [admin]


# --------------------------------------------------------------------- removal


@pytest.fixture
def discussed(supervisee, group, group_member):
    """Sam's log shared with the group, which Gio has commented on."""
    log = SubmittedLogFactory(author=supervisee, what_happened="Synthetic: a long silence.")
    share = services.log_share(log=log, group=group, by=supervisee)
    services.group_comment_add(share=share, author=group_member, text="Synthetic: I wonder.")
    return share


def test_removal_asks_first_and_says_what_happens(client, group, supervisee, other_supervisor):
    client.force_login(other_supervisor)
    detail = client.get(group_url("group_detail", group)).content.decode()
    url = group_url("member_remove", group, supervisee)
    assert f'href="{url}"' in detail  # a link to the question, not a button that removes
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Remove Sam Supervisee from Sounding board?" in text
    assert "withdrawn" in text and "nothing is deleted" in text
    assert GroupMembership.objects.current().filter(member=supervisee).exists()


def test_removal_ends_withdraws_notifies_audits_and_keeps_her_discussion(
    client, group, supervisee, group_member, other_supervisor, discussed
):
    Notification.objects.all().delete()
    client.force_login(other_supervisor)
    post(client, group_url("member_remove", group, supervisee))
    membership = GroupMembership.objects.get(member=supervisee)
    assert membership.left_on == days_ago(1)
    discussed.refresh_from_db()
    assert discussed.withdrawn_at is not None
    assert [e.actor for e in audited(membership, AuditAction.UPDATE)] == [other_supervisor]
    assert [e.actor for e in audited(discussed.log, AuditAction.UNSHARE)] == [other_supervisor]
    told = Notification.objects.get(recipient=supervisee)
    assert "ended Sam Supervisee's membership of Sounding board" in told.message
    # The group no longer sees her log.
    client.force_login(group_member)
    assert client.get(group_url("shared_log", group, discussed)).status_code == 404
    # She still reads its discussion, and cannot add to it.
    client.force_login(supervisee)
    assert client.get(group_url("group_detail", group)).status_code == 404
    page = client.get(group_url("shared_log", group, discussed))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Synthetic: I wonder." in text and "the group no longer sees this log" in text
    assert reverse("groups:shared_log_comment", args=[group.pk, discussed.pk]) not in text
    response = client.post(group_url("shared_log_comment", group, discussed), {"text": "Late"})
    assert response.status_code == 404
    assert GroupComment.objects.count() == 1


def test_a_membership_begun_today_ends_today_and_is_kept(group, other_supervisor, outsider):
    invitation = services.group_member_invite(group=group, person=outsider, by=other_supervisor)
    services.group_invitation_answer(invitation=invitation, by=outsider, accept=True)
    services.group_member_remove(group=group, member=outsider, by=other_supervisor)
    kept = GroupMembership.objects.get(member=outsider)
    assert kept.joined_on == kept.left_on == timezone.localdate()
    assert not GroupMembership.objects.current().filter(member=outsider).exists()


def test_a_member_leaves_with_confirmation(client, group, supervisee, other_supervisor, discussed):
    client.force_login(supervisee)
    page = client.get(group_url("group_leave", group))
    assert "Leave Sounding board?" in page.content.decode()
    assert GroupMembership.objects.current().filter(member=supervisee).exists()
    shown = post(client, group_url("group_leave", group))
    assert shown == ["You left Sounding board. Your shared logs were withdrawn from it."]
    membership = GroupMembership.objects.get(member=supervisee)
    assert membership.left_on == days_ago(1)
    assert [e.actor for e in audited(membership, AuditAction.UPDATE)] == [supervisee]
    assert LogShare.objects.get(pk=discussed.pk).withdrawn_at is not None
    assert Notification.objects.filter(recipient=other_supervisor, message__contains="left")


def test_the_facilitator_cannot_leave_as_a_member(client, group, other_supervisor):
    client.force_login(other_supervisor)
    assert client.get(group_url("group_leave", group)).status_code == 403


def test_being_named_is_audited(client, group, supervisee):
    client.force_login(supervisee)
    post(client, group_url("show_name", group), {"show": "1"})
    membership = GroupMembership.objects.get(member=supervisee)
    assert membership.show_name
    post(client, group_url("show_name", group), {"show": "0"})
    assert [e.actor for e in audited(membership, AuditAction.UPDATE)] == [supervisee] * 2


# --------------------------------------------------------------------- sharing


@pytest.fixture
def rated(supervisee):
    return SubmittedLogFactory(
        author=supervisee,
        what_happened="Synthetic: the client laughed.",
        pre_session_anxiety=7,
        post_session_rumination=3,
    )


def test_the_preview_shows_what_the_group_sees_without_ratings(client, group, supervisee, rated):
    client.force_login(supervisee)
    url = reverse("groups:log_share", args=[rated.pk])
    page = client.get(url, {"group": group.pk})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Synthetic: the client laughed." in text
    assert "Pre-session anxiety" not in text and "ratings are not shared" in text
    assert not page.context["form"]["show_ratings"].value()
    with_ratings = client.get(url, {"group": group.pk, "show_ratings": "on"}).content.decode()
    assert 'id="rating-anxiety">7 / 10' in with_ratings
    assert not LogShare.objects.exists()


def test_peers_see_ratings_only_when_she_chose(
    client, group, supervisee, group_member, rated, django_capture_on_commit_callbacks
):
    client.force_login(supervisee)
    url = reverse("groups:log_share", args=[rated.pk])
    post(client, url, {"group": group.pk})
    share = LogShare.objects.get(log=rated)
    assert share.show_ratings is False
    client.force_login(group_member)
    text = client.get(group_url("shared_log", group, share)).content.decode()
    assert "Synthetic: the client laughed." in text
    assert "Pre-session anxiety" not in text and "7 / 10" not in text

    services.log_share_withdraw(share=share, by=supervisee)
    client.force_login(supervisee)
    post(client, url, {"group": group.pk, "show_ratings": "on"})
    share = LogShare.objects.active().get(log=rated)
    assert share.show_ratings is True
    client.force_login(group_member)
    text = client.get(group_url("shared_log", group, share)).content.decode()
    assert 'id="rating-anxiety">7 / 10' in text and 'id="rating-rumination">3 / 10' in text


def test_the_log_page_offers_the_preview_not_a_share_button(client, group, supervisee, rated):
    client.force_login(supervisee)
    text = client.get(rated.get_absolute_url()).content.decode()
    assert f'<form method="get" action="{reverse("groups:log_share", args=[rated.pk])}"' in text
    assert "Preview and share" in text


def test_a_preview_for_a_group_she_is_not_in_goes_back_to_the_log(
    client, supervisee, rated, other_supervisor
):
    from tests.factories import GroupFactory

    elsewhere = GroupFactory(facilitator=other_supervisor)
    client.force_login(supervisee)
    response = client.get(reverse("groups:log_share", args=[rated.pk]), {"group": elsewhere.pk})
    assert response.status_code == 302


def test_her_log_page_links_the_discussion_after_she_is_removed(
    client, group, supervisee, other_supervisor, discussed
):
    services.group_member_remove(group=group, member=supervisee, by=other_supervisor)
    client.force_login(supervisee)
    text = client.get(discussed.log.get_absolute_url()).content.decode()
    assert "Earlier discussions" in text
    assert reverse("groups:shared_log", args=[group.pk, discussed.pk]) in text
