"""The shipped rule sets in the database: loaded by `load_rule_sets`, again without doubles,
and edited in the admin only through a definition that parses."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from hours.models import HoursProfile, RuleSet
from tests.factories import HoursProfileFactory

SHIPPED = {
    "au-psyba-5plus1",
    "ca-lmft",
    "ca-lpcc",
    "ny-lmhc",
    "tx-lpc-associate",
    "uk-bacp-accreditation",
}


def test_the_six_are_loaded_and_loading_again_changes_none_and_loses_no_choice(
    rule_sets, supervisee
):
    assert set(rule_sets) == SHIPPED
    chosen = HoursProfileFactory(person=supervisee, rule_set=rule_sets["ca-lmft"])
    RuleSet.objects.filter(key="ca-lmft").update(name="Edited by hand")
    out = io.StringIO()
    call_command("load_rule_sets", stdout=out)
    assert "6 rule sets loaded." in out.getvalue()
    assert RuleSet.objects.count() == 6
    # Updated by key: the same row, her choice kept, the name from the file again.
    assert HoursProfile.objects.get(pk=chosen.pk).rule_set.name == "California LMFT (BBS)"
    ca = RuleSet.objects.get(key="ca-lmft")
    assert (ca.sign_period, ca.jurisdiction) == ("week", ca.definition["jurisdiction"])
    assert ca.board_note and ca.source


def test_a_file_that_cannot_be_used_stops_the_command(db, tmp_path):
    (tmp_path / "broken.toml").write_text('key = "broken"\nname = ')
    with pytest.raises(CommandError, match="broken.toml"):
        call_command("load_rule_sets", directory=tmp_path, stdout=io.StringIO())
    assert not RuleSet.objects.exists()


def test_an_edited_definition_is_checked_and_the_columns_follow_it(rule_sets):
    rule_set = rule_sets["ny-lmhc"]
    rule_set.definition = {**rule_set.definition, "name": "New York LMHC (edited)"}
    rule_set.full_clean()
    assert rule_set.name == "New York LMHC (edited)"
    rule_set.definition = {**rule_set.definition, "sign_period": "fortnight"}
    with pytest.raises(ValidationError) as refused:
        rule_set.full_clean()
    assert "definition" in refused.value.message_dict


def test_the_admin_edits_a_rule_set(client, admin_user, rule_sets):
    client.force_login(admin_user)
    rule_set = rule_sets["tx-lpc-associate"]
    assert client.get("/admin/hours/ruleset/").status_code == 200
    page = client.get(f"/admin/hours/ruleset/{rule_set.pk}/change/")
    assert page.status_code == 200
    assert "Texas LPC Associate (BHEC)" in page.content.decode()
