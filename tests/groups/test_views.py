"""Group pages: the group dashboard's CSV, names and charts; sharing a log, the discussion,
membership and who sees what."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import GroupComment, GroupInvitation, GroupMembership, LogShare
from supervision.models import AuditAction, AuditEvent
from tests.dashboards.helpers import (
    days_ago,
    group_url,
    parse,
    read_csv,
)
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    SessionLogFactory,
    SubmittedLogFactory,
    SupervisorFactory,
)

NAMES_NOT_SHOWN = ("Sam Supervisee", "Gio Groupmember", "Hal Member", "Fay Former")


def post(client, url, data=None) -> list[str]:
    """POST, follow the redirect, and return the messages shown on the page it lands on."""
    response = client.post(url, data or {}, follow=True)
    assert [status for _, status in response.redirect_chain] == [302]
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def _last_month():
    first = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return first.replace(day=1)


def test_group_csv_matches_the_page_and_names_nobody(client, board_page, other_supervisor):
    client.force_login(other_supervisor)
    url = group_url("group_dashboard", board_page)
    response = client.get(url, {"weeks": 4, "format": "csv"})
    filename = f'attachment; filename="group-{board_page.pk}-dashboard.csv"'
    assert response["Content-Disposition"] == filename
    rows = read_csv(response)
    month = _last_month()
    before = (month - datetime.timedelta(days=1)).replace(day=1)
    period = f"{month:%b %Y}"
    # Last month: OP Sam, Gio, Hal, Ida = 4 people -> 4. FS Sam, Gio, Fay (a member then)
    # = 3 people -> suppressed (empty); Rescuing: Ida alone -> suppressed. Sam's OP of today
    # is in the month still open: not counted. Families: "In the room" FS + Rescuing = 3 + 1
    # = 4 (Sam, Gio, Fay, Ida); "Preparing" = OP = 4.
    assert rows[:6] == [
        ["figure", "item", "period", "value", f"previous period ({before:%b %Y})"],
        ["pattern", "Over-preparing", period, "4", "0"],
        ["pattern", "Fear of silence", period, "", "0"],
        ["pattern", "Rescuing", period, "", "0"],
        ["pattern family", "In the room", period, "4", "0"],
        ["pattern family", "Preparing", period, "4", "0"],
    ]
    # Trauma last month: Sam, Gio, Hal, Fay -> 4; Grief: Ida alone -> suppressed (empty).
    assert rows[6:] == [
        ["client presentation", "Grief", f"{month:%Y-%m}", "", ""],
        ["client presentation", "Trauma", f"{month:%Y-%m}", "4", ""],
    ]
    text = response.content.decode()
    for name in NAMES_NOT_SHOWN:
        assert name not in text

    page = parse(client.get(url, {"weeks": 4}))
    assert ["Over-preparing", "4", "0"] in page.rows
    assert ["Fear of silence", "—", "0"] in page.rows
    assert ["Rescuing", "—", "0"] in page.rows
    assert ["In the room", "4", "0"] in page.rows
    assert [r for r in page.rows if r[0] == "Trauma"] == [["Trauma", "4"]]
    assert [r for r in page.rows if r[0] == "Grief"] == [["Grief", "—"]]


def test_group_dashboard_names_only_members_who_opted_in(client, board_page, other_supervisor):
    client.force_login(other_supervisor)
    response = client.get(group_url("group_dashboard", board_page), {"weeks": 4})
    html = response.content.decode()
    # Names of her most frequent patterns, without counts: nothing to subtract.
    assert "<strong>Ida Member</strong>: Over-preparing, Rescuing</p>" in html
    for name in NAMES_NOT_SHOWN:
        assert name not in html


def test_group_chart_and_table_carry_the_same_numbers(client, board_page, other_supervisor):
    client.force_login(other_supervisor)
    response = client.get(group_url("group_dashboard", board_page), {"weeks": 4})
    html = response.content.decode()
    # Each chart twice: at full width and narrower for phones (one of them is shown).
    assert html.count('<svg role="img"') == 4
    page = parse(response)
    bars, _, columns, _ = page.descs
    assert bars.endswith("Over-preparing: 4.")
    assert ["Over-preparing", "4", "0"] in page.rows
    assert "Totals by series: Grief 0; Trauma 4." in columns
    assert "Also noticed by at least 3 of you</strong>" in html


# ------------------------------------------------------------------------- groups


@pytest.fixture
def shared(client, supervisee, group, group_member):
    """Sam shares a submitted log with the group through the page."""
    log = SubmittedLogFactory(
        author=supervisee, what_happened="Synthetic: the client brought a drawing."
    )
    client.force_login(supervisee)
    shown = post(client, reverse("groups:log_share", args=[log.pk]), {"group": group.pk})
    assert shown == ["Shared with Sounding board. You can withdraw it at any time."]
    return LogShare.objects.filter(log=log, group=group).get()


def test_members_see_the_group_its_dashboard_and_shared_logs(client, shared, group, group_member):
    client.force_login(group_member)
    assert client.get(group_url("group_dashboard", group)).status_code == 200
    page = client.get(group_url("group_detail", group))
    assert group_url("shared_log", group, shared) in page.content.decode()
    response = client.get(group_url("shared_log", group, shared))
    assert response.status_code == 200
    assert "Synthetic: the client brought a drawing." in response.content.decode()


def test_the_dashboard_lists_shared_logs_newest_first_by_author_and_date(
    client, shared, supervisee, group, group_member
):
    older = SubmittedLogFactory(author=supervisee, session_date=datetime.date(2026, 3, 2))
    earlier = LogShare.objects.create(log=older, group=group)
    LogShare.objects.filter(pk=earlier.pk).update(
        shared_at=shared.shared_at - datetime.timedelta(days=3)
    )
    for text in ("Synthetic one.", "Synthetic two."):
        GroupComment.objects.create(share=earlier, author=group_member, text=text)
    client.force_login(group_member)
    d = client.get(group_url("group_dashboard", group)).context["d"]
    assert [(s.url, s.author_name, s.day, s.comment_count) for s in d.shares] == [
        (
            group_url("shared_log", group, shared),
            "Sam Supervisee",
            f"{shared.log.session_date:%-d %b %Y}",
            0,
        ),
        (group_url("shared_log", group, earlier), "Sam Supervisee", "2 Mar 2026", 2),
    ]
    html = client.get(group_url("group_dashboard", group)).content.decode()
    assert (
        'Sam Supervisee · 2 Mar 2026</a> <span class="small text-body-secondary">2 comments' in html
    )
    # Nothing of the log's text is on the dashboard.
    assert "Synthetic: the client brought a drawing." not in html


def test_an_unshared_log_of_another_member_is_not_found(client, shared, supervisee, group_member):
    unshared = SubmittedLogFactory(author=supervisee)
    client.force_login(group_member)
    assert client.get(reverse("cases:log_detail", args=[unshared.pk])).status_code == 404


def test_a_withdrawn_share_is_gone_for_the_group(
    client, shared, supervisee, group, group_member, other_supervisor
):
    client.force_login(supervisee)
    shown = post(client, reverse("groups:share_withdraw", args=[shared.pk]))
    assert shown == ["Withdrawn from Sounding board; the group no longer sees it."]
    shared.refresh_from_db()
    assert shared.withdrawn_at is not None
    for person in (group_member, other_supervisor):
        client.force_login(person)
        assert client.get(group_url("shared_log", group, shared)).status_code == 404
        assert (
            group_url("shared_log", group, shared)
            not in client.get(group_url("group_detail", group)).content.decode()
        )
        response = client.post(group_url("shared_log_comment", group, shared), {"text": "Late."})
        assert response.status_code == 404
    assert not GroupComment.objects.exists()


def test_a_former_member_sees_nothing_of_the_group(client, shared, group, former_member):
    client.force_login(former_member)
    for url in (
        group_url("group_detail", group),
        group_url("group_dashboard", group),
        group_url("group_dashboard", group) + "?format=csv",
        group_url("shared_log", group, shared),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(group_url("shared_log_comment", group, shared), {"text": "Hello?"})
    assert response.status_code == 404
    assert not GroupComment.objects.exists()


def test_the_facilitator_invites_and_removes_members(
    client, shared, group, group_member, other_supervisor, outsider
):
    client.force_login(other_supervisor)
    shown = post(client, group_url("member_invite", group), {"member": outsider.pk})
    assert shown == ["Ola Outsider is invited; she joins the group if she accepts."]
    client.force_login(outsider)
    assert client.get(group_url("group_detail", group)).status_code == 404
    invitation = GroupInvitation.objects.get(person=outsider)
    post(client, reverse("groups:invitation_accept", args=[invitation.pk]))
    assert client.get(group_url("group_detail", group)).status_code == 200
    assert client.get(group_url("shared_log", group, shared)).status_code == 200

    client.force_login(other_supervisor)
    for person in (outsider, group_member):
        assert post(client, group_url("member_remove", group, person)) == [
            f"{person} is no longer a member; their access ended and their shares were withdrawn."
        ]
    for person in (outsider, group_member):
        client.force_login(person)
        assert client.get(group_url("group_detail", group)).status_code == 404
        assert client.get(group_url("shared_log", group, shared)).status_code == 404
    # Both rows are kept: Gio's ends yesterday; Ola's, begun today, ends today.
    assert GroupMembership.objects.filter(member=group_member).get().left_on == days_ago(1)
    assert GroupMembership.objects.filter(member=outsider).get().left_on == days_ago(0)


def test_inviting_a_member_is_refused_with_a_message(client, group, group_member, other_supervisor):
    client.force_login(other_supervisor)
    shown = post(client, group_url("member_invite", group), {"member": group_member.pk})
    assert shown == ["Choose a supervisee who is not already in the group or invited to it."]
    assert GroupMembership.objects.filter(member=group_member).count() == 1
    assert not GroupInvitation.objects.exists()


def test_sharing_a_draft_is_refused(client, supervisee, group):
    draft = SessionLogFactory(author=supervisee)
    client.force_login(supervisee)
    shown = post(client, reverse("groups:log_share", args=[draft.pk]), {"group": group.pk})
    assert shown == ["Submit the log before sharing it; drafts stay private."]
    assert not LogShare.objects.exists()


def test_sharing_with_a_group_i_am_not_in_is_refused(client, supervisee, group, former_member):
    log = SubmittedLogFactory(author=supervisee)
    elsewhere = GroupFactory(facilitator=SupervisorFactory(), name="Not mine")
    MembershipFactory(group=elsewhere, member=former_member)
    client.force_login(supervisee)
    shown = post(client, reverse("groups:log_share", args=[log.pk]), {"group": elsewhere.pk})
    assert shown == ["Choose one of your groups."]
    assert not LogShare.objects.exists()


def test_the_comment_thread_shows_to_members(
    client, shared, group, supervisee, group_member, other_supervisor
):
    text = "Synthetic: what would good enough look like here?"
    client.force_login(group_member)
    url = group_url("shared_log_comment", group, shared)
    assert post(client, url, {"text": text}) == ["Added to the discussion."]
    for person in (supervisee, other_supervisor, group_member):
        client.force_login(person)
        html = client.get(group_url("shared_log", group, shared)).content.decode()
        assert text in html
        assert "Gio Groupmember" in html


@pytest.mark.parametrize("empty", ["", "   ", "\n"])
def test_an_empty_comment_changes_nothing(client, shared, group, group_member, empty):
    client.force_login(group_member)
    shown = post(client, group_url("shared_log_comment", group, shared), {"text": empty})
    assert shown == ["A comment needs some text (at most 2,000 characters)."]
    assert not GroupComment.objects.exists()


def test_a_member_opts_in_and_out_of_being_named(client, board_page, supervisee, other_supervisor):
    membership = GroupMembership.objects.filter(group=board_page, member=supervisee).get()
    dashboard = group_url("group_dashboard", board_page)
    for show, named in (("1", True), ("0", False)):
        client.force_login(supervisee)
        post(client, group_url("show_name", board_page), {"show": show})
        membership.refresh_from_db()
        assert membership.show_name is named
        client.force_login(other_supervisor)
        html = client.get(dashboard, {"weeks": 4}).content.decode()
        assert ("<strong>Sam Supervisee</strong>" in html) is named
        assert ("Sam Supervisee" in html) is named


def test_audit_rows_about_group_comments_from_before_the_move_are_still_described(
    client, supervisee, group, group_member
):
    # GroupComment lived in reflections; rows written then name it "reflections.groupcomment"
    # and audit rows are never rewritten. Her "Who has seen my work" still says what it was.
    log = SubmittedLogFactory(author=supervisee, client_code="AB-12")
    share = LogShare.objects.create(log=log, group=group)
    comment = GroupComment.objects.create(share=share, author=group_member, text="Synthetic.")
    for label in ("reflections.groupcomment", "groups.groupcomment"):
        AuditEvent.objects.create(
            actor=group_member,
            action=AuditAction.CREATE,
            object_type=label,
            object_id=comment.pk,
            owner=supervisee,
        )
    client.force_login(supervisee)
    rows = client.get(reverse("reflections:seen_by_others")).context["rows"]
    described = {(t.kind, t.label, t.url) for _, t in rows}
    assert described == {("a group discussion comment on", str(log), log.get_absolute_url())}
    assert len(rows) == 2


# ------------------------------------------------- the log page's share form, drawn once


def _share_options(client, log) -> list[str]:
    html = client.get(reverse("cases:log_detail", args=[log.pk])).content.decode()
    select = re.search(r'<select name="group".*?</select>', html, re.S)
    return re.findall(r">([^<]*)</option>", select.group(0)) if select else []


def test_the_share_form_draws_as_crispy_draws_the_form(client, supervisee, group):
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form

    from groups import access
    from groups.forms import ShareLogForm

    log = SubmittedLogFactory(author=supervisee)
    client.force_login(supervisee)
    html = client.get(reverse("cases:log_detail", args=[log.pk])).content.decode()
    assert as_crispy_form(ShareLogForm(groups=access.member_groups(supervisee))) in html


def test_the_share_form_drawn_once_offers_each_member_her_own_groups(
    client, supervisee, group, group_member
):
    """Drawn once per set of choices: one member's groups are never offered to another, and
    a renamed group is offered by its new name."""
    elsewhere = GroupFactory(facilitator=SupervisorFactory(), name="Second circle")
    MembershipFactory(group=elsewhere, member=group_member)
    hers, theirs = SubmittedLogFactory(author=supervisee), SubmittedLogFactory(author=group_member)
    client.force_login(supervisee)
    assert _share_options(client, hers) == ["Sounding board"]
    client.force_login(group_member)
    assert sorted(_share_options(client, theirs)) == ["Second circle", "Sounding board"]
    client.force_login(supervisee)
    assert _share_options(client, hers) == ["Sounding board"]
    group.name = "Renamed board"
    group.save()
    assert _share_options(client, hers) == ["Renamed board"]
