"""The hours pages for their owners: what they show, what bad input is told (and that it
changes nothing), and the downloads (CSV cells; the PDFs' text read back with pypdf)."""

import csv
import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases.models import SessionLog
from hours.forms import period_choice
from hours.models import HourEntry, HoursProfile, PeriodSignature
from hours.selectors import period_of
from supervision.models import SupervisionRelationship
from tests.factories import HourEntryFactory, HoursProfileFactory, month_start, period_signature
from tests.hours.conftest import hours_log
from tests.snapshot import snapshot


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def day(offset: int) -> str:
    return f"{timezone.localdate() + datetime.timedelta(days=offset):%Y-%m-%d}"


@pytest.fixture
def sam(client, supervisee):
    client.force_login(supervisee)
    return client


@pytest.fixture
def signed_month(supervisee, licensed, last_month):
    """Last month of Sam's, 50 minutes of sessions and 90 of training, signed."""
    hours_log(supervisee, last_month + datetime.timedelta(days=2), 50)
    HourEntryFactory(
        person=supervisee, date=last_month + datetime.timedelta(days=3), minutes=90, kind="training"
    )
    return period_signature(supervisee=supervisee, supervisor=licensed, starts_on=last_month)


# --- Her pages --------------------------------------------------------------------------


def test_her_overview(sam, signed_month, rule_sets):
    HoursProfileFactory(person=signed_month.supervisee, rule_set=rule_sets["ny-lmhc"])
    html = sam.get(reverse("hours:overview")).content.decode()
    assert "Hours toward your licence" in html
    assert "New York LMHC (NYSED)" in html
    assert "Progress toward each requirement" in html
    assert f"{signed_month.starts_on:%B %Y}" in html
    assert "Signed by Dr Sol Supervisor" in html
    assert "2.3 h" in html  # 140 minutes in the month


def test_each_state_of_a_period_on_her_overview(sam, supervisee, licensed, last_month):
    """Signed (by whom, on her local day), changed since, not signed, still going: each
    row's words and their link, as the page drew them before it drew them with a tag."""
    earlier = month_start(2)
    for month in (month_start(3), earlier, last_month, timezone.localdate()):
        HourEntryFactory(person=supervisee, date=month)
    # Signed at 23:30 UTC on the last day of July: 1 August in London (summer time).
    period_signature(
        supervisee=supervisee,
        supervisor=licensed,
        starts_on=last_month,
        signed_at=datetime.datetime(2026, 7, 31, 23, 30, tzinfo=datetime.UTC),
    )
    period_signature(supervisee=supervisee, supervisor=licensed, starts_on=earlier)
    HourEntryFactory(person=supervisee, date=earlier + datetime.timedelta(days=1))
    html = " ".join(sam.get(reverse("hours:overview")).content.decode().split())
    for month, state in [
        (
            timezone.localdate().replace(day=1),
            '<span class="text-body-secondary">Still going</span>',
        ),
        (last_month, '<span class="d-block">Signed by Dr Sol Supervisor on 1 Aug 2026</span>'),
        (earlier, "<span>Changed since it was signed: a new signature is needed</span>"),
        (month_start(3), "<span>Not signed yet</span>"),
    ]:
        link = reverse("hours:my_period", args=["month", month])
        assert (f'<a href="{link}">{month:%B %Y}</a></th> <td class="text-end">') in html
        assert f"{month:%B %Y}</a>" in html.split(state)[0].rsplit("<tr>", 1)[-1]


def test_her_overview_before_she_chooses_rules(sam):
    html = sam.get(reverse("hours:overview")).content.decode()
    assert "Choose your rules" in html
    assert "No hours recorded yet." in html


def test_her_period_page(sam, signed_month):
    url = reverse("hours:my_period", args=["month", signed_month.starts_on])
    html = sam.get(url).content.decode()
    assert "Signed by Dr Sol Supervisor" in html
    assert "licence LMHC 000042 (New York)" in html
    assert signed_month.sha256 in html
    assert (
        reverse("hours:verification", args=["month", signed_month.starts_on, signed_month.pk])
        in html
    )
    assert "1.5 h" in html and "0.8 h" in html


def test_a_date_that_does_not_begin_a_period_is_not_found(sam, last_month):
    url = reverse("hours:my_period", args=["month", last_month + datetime.timedelta(days=1)])
    assert sam.get(url).status_code == 404
    assert sam.get("/hours/month/2026-02-31/").status_code == 404
    assert sam.get("/hours/year/2026-01-01/").status_code == 404


def test_adding_hours(sam, supervisee):
    response = sam.post(
        reverse("hours:entry_create"),
        {
            "date": day(-2),
            "hours": "1.5",
            "kind": "supervision",
            "supervision_format": "group",
            "group_size": "5",
            "mode": "video",
        },
    )
    assert response.status_code == 302
    entry = HourEntry.objects.get(person=supervisee)
    assert (entry.minutes, entry.supervision_format, entry.group_size, entry.mode) == (
        90,
        "group",
        5,
        "video",
    )


def test_other_hours_drop_the_supervision_details(sam, supervisee):
    sam.post(
        reverse("hours:entry_create"),
        {
            "date": day(-2),
            "hours": "2",
            "kind": "indirect",
            "supervision_format": "group",
            "group_size": "5",
            "observed_session": "on",
        },
    )
    entry = HourEntry.objects.get(person=supervisee)
    assert (entry.supervision_format, entry.group_size, entry.observed_session) == ("", None, False)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        # Days from today when the test runs, not when it is collected: a run may cross midnight.
        ({"date": lambda: day(1)}, "date", "not a future date"),
        ({"date": lambda: day(-4000)}, "date", "more than ten years ago"),
        ({"hours": "0"}, "hours", "greater than or equal to 0.25"),
        ({"hours": "13"}, "hours", "less than or equal to 12"),
        ({"hours": "many"}, "hours", "Enter a number"),
        ({"supervision_format": ""}, "supervision_format", "individual, triadic or group"),
        ({"group_size": ""}, "group_size", "How many supervisees"),
        ({"kind": "direct"}, "kind", "Select a valid choice"),
    ],
)
def test_bad_hours_are_refused_with_a_reason(sam, supervisee, data, field, message):
    post = {
        "date": day(-1),
        "hours": "1",
        "kind": "supervision",
        "supervision_format": "group",
        "group_size": "4",
        **{name: value() if callable(value) else value for name, value in data.items()},
    }
    before = snapshot()
    response = sam.post(reverse("hours:entry_create"), post)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert any(m.startswith("Nothing was saved") for m in messages_of(response))
    assert snapshot() == before


def test_changing_and_removing_her_hours(sam, supervisee):
    entry = HourEntryFactory(person=supervisee, minutes=60)
    edit = reverse("hours:entry_edit", args=[entry.pk])
    assert 'value="1.0"' in sam.get(edit).content.decode()
    sam.post(edit, {"date": day(-3), "hours": "0.5", "kind": "training"})
    entry.refresh_from_db()
    assert (entry.minutes, entry.kind) == (30, "training")

    delete = reverse("hours:entry_delete", args=[entry.pk])
    assert "Remove these hours?" in sam.get(delete).content.decode()
    assert HourEntry.objects.filter(pk=entry.pk).exists()  # the GET only asks
    sam.post(delete)
    assert not HourEntry.objects.filter(pk=entry.pk).exists()


def test_her_settings(sam, supervisee, supervisor, other_supervisor, rule_sets):
    page = sam.get(reverse("hours:settings")).content.decode()
    # Her supervisors only, never a directory of the clinic's staff.
    assert "Dr Sol Supervisor" in page and "Dr Oren Other" not in page
    response = sam.post(
        reverse("hours:settings"),
        {
            "rule_set": rule_sets["ca-lmft"].pk,
            "degree_on": "2024-06-30",
            "started_on": "2024-09-01",
            "principal_supervisor": supervisor.pk,
        },
    )
    assert response.status_code == 302
    profile = HoursProfile.objects.get(person=supervisee)
    assert profile.rule_set.key == "ca-lmft" and profile.principal_supervisor == supervisor
    assert profile.degree_on == datetime.date(2024, 6, 30)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"principal_supervisor": "other"}, "Select a valid choice"),
        ({"rule_set": "999999"}, "Select a valid choice"),
        ({"degree_on": "2024-02-31"}, "Enter a valid date"),
    ],
)
def test_bad_settings_are_refused(sam, other_supervisor, rule_sets, data, message):
    if data.get("principal_supervisor") == "other":
        data = {"principal_supervisor": other_supervisor.pk}
    before = snapshot()
    response = sam.post(reverse("hours:settings"), {"rule_set": "", **data})
    assert response.status_code == 200
    assert message in str(response.context["form"].errors)
    assert snapshot() == before


# --- Downloads --------------------------------------------------------------------------


def test_the_csv_of_every_entry(sam, supervisee, signed_month):
    log = SessionLog.objects.get(author=supervisee)
    # A value that reached the database some other way must still not run as a formula.
    SessionLog.objects.filter(pk=log.pk).update(modality="=1+2", client_unit="@SUM(A1)")
    response = sam.get(reverse("hours:entries_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Date", "Category", "Hours", "Minutes"]
    direct = next(r for r in rows[1:] if r[1] == "Direct client contact")
    assert direct[2:4] == ["0.83", "50"]
    assert direct[5:7] == ["'=1+2", "'@SUM(A1)"]
    assert len(rows) == 3


def test_the_verification_pdf(client, supervisee, licensed, signed_month):
    for person, url in (
        (
            supervisee,
            reverse("hours:verification", args=["month", signed_month.starts_on, signed_month.pk]),
        ),
        (
            licensed,
            reverse(
                "hours:supervisee_verification",
                args=[supervisee.pk, "month", signed_month.starts_on, signed_month.pk],
            ),
        ),
    ):
        client.force_login(person)
        response = client.get(url)
        assert response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
        text = pdf_text(response)
        assert "Supervisee: Sam Supervisee" in text
        assert "Direct client contact 0.8 h" in text
        assert "Training 1.5 h" in text
        assert "Signed by: Dr Sol Supervisor" in text
        assert "Licence number: LMHC 000042" in text
        assert "Jurisdiction: New York" in text
        assert f"SHA-256 of the period's entries: {signed_month.sha256}" in text


def test_the_weekly_log_pdf(sam, signed_month):
    response = sam.get(reverse("hours:weekly_log", args=["month", signed_month.starts_on]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert "Training 1.5 h" in text
    assert "Signed by: Dr Sol Supervisor" in text
    assert signed_month.sha256 in text


def test_the_statement_of_unsigned_periods(sam, supervisee, signed_month, earlier_month):
    HourEntryFactory(person=supervisee, date=earlier_month, minutes=150)
    response = sam.get(reverse("hours:unsigned_statement"))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert f"{earlier_month:%B %Y}" in text
    assert "2.5 h" in text
    # The signed month is not on it.
    assert f"{signed_month.starts_on:%B %Y}" not in text


# --- Her supervisor's pages -------------------------------------------------------------


@pytest.fixture
def sol(client, licensed):
    client.force_login(licensed)
    return client


def test_the_periods_to_sign(sol, supervisee, signed_month, earlier_month):
    HourEntryFactory(person=supervisee, date=earlier_month, minutes=150)
    html = sol.get(reverse("hours:to_sign")).content.decode()
    # One line for her, linking to her periods.
    hers = reverse("hours:sign_periods", args=[supervisee.pk])
    assert "Sam Supervisee" in html and f'href="{hers}"' in html
    assert f"1 period, {earlier_month:%B %Y}<" in html
    assert "licence LMHC 004711 (New York)" in html
    html = sol.get(hers).content.decode()
    assert f"{earlier_month:%B %Y}: 2.5 h" in html
    assert f"{signed_month.starts_on:%B %Y}:" not in html  # signed as it stands
    assert "1 period over" in html
    assert "licence LMHC 004711 (New York)" in html


def test_her_periods_to_sign_come_a_page_at_a_time(sol, supervisee):
    from hours.views import PERIODS_PER_PAGE

    SupervisionRelationship.objects.filter(supervisee=supervisee).update(
        starts_on=month_start(PERIODS_PER_PAGE + 3)
    )
    months = [month_start(n) for n in range(1, PERIODS_PER_PAGE + 3)]
    for month in months:
        HourEntryFactory(person=supervisee, date=month, minutes=60)
    summary = sol.get(reverse("hours:to_sign")).content.decode()
    assert f"{len(months)} periods, {months[-1]:%B %Y} to {months[0]:%B %Y}<" in summary
    url = reverse("hours:sign_periods", args=[supervisee.pk])
    first = sol.get(url).content.decode()
    assert first.count('name="periods"') == PERIODS_PER_PAGE
    assert f"{months[0]:%B %Y}: 1.0 h" in first  # newest first
    assert "Page 1 of 2" in first
    second = sol.get(url, {"page": 2}).content.decode()
    assert second.count('name="periods"') == len(months) - PERIODS_PER_PAGE
    assert f"{months[-1]:%B %Y}: 1.0 h" in second
    # A period ticked on the second page is signed, and she is sent back to that page.
    row = period_of(supervisee, "month", months[-1])
    response = sol.post(
        f"{url}?page=2", {"periods": period_choice("month", months[-1], row.sha256)}
    )
    assert response.url == f"{url}?page=2"
    assert PeriodSignature.objects.get().starts_on == months[-1]
    for page in ("0", "99", "x"):  # any page number shows a page, never an error
        assert sol.get(url, {"page": page}).status_code == 200


def test_a_signed_period_that_changed_waits_again(sol, supervisee, signed_month, last_month):
    assert "Sam Supervisee" not in sol.get(reverse("hours:to_sign")).content.decode()
    HourEntryFactory(person=supervisee, date=last_month + datetime.timedelta(days=9), minutes=30)
    summary = sol.get(reverse("hours:to_sign")).content.decode()
    assert f"1 period, {last_month:%B %Y}; 1 changed since signed<" in summary
    html = sol.get(reverse("hours:sign_periods", args=[supervisee.pk])).content.decode()
    assert f"{last_month:%B %Y}: 2.8 h" in html and "changed since it was signed" in html


def test_nothing_left_to_sign_of_hers(sol, supervisee):
    html = sol.get(reverse("hours:sign_periods", args=[supervisee.pk])).content.decode()
    assert "Nothing of Sam Supervisee's is waiting for your signature." in html
    assert 'name="periods"' not in html


def test_signing_from_the_list(sol, supervisee, licensed, earlier_month):
    HourEntryFactory(person=supervisee, date=earlier_month, minutes=150)
    row = period_of(supervisee, "month", earlier_month)
    response = sol.post(
        reverse("hours:sign_periods", args=[supervisee.pk]),
        {"periods": [period_choice("month", earlier_month, row.sha256)]},
    )
    assert response.url == reverse("hours:sign_periods", args=[supervisee.pk])
    assert messages_of(response) == ["Signed 1 period of Sam Supervisee's hours."]
    assert PeriodSignature.objects.get().starts_on == earlier_month


def test_signing_from_the_period_page(sol, supervisee, earlier_month):
    HourEntryFactory(person=supervisee, date=earlier_month, minutes=150)
    url = reverse("hours:supervisee_period", args=[supervisee.pk, "month", earlier_month])
    html = sol.get(url).content.decode()
    row = period_of(supervisee, "month", earlier_month)
    assert f"Sign {earlier_month:%B %Y}" in html and row.sha256 in html
    sol.post(url, {"periods": period_choice("month", earlier_month, row.sha256)})
    assert PeriodSignature.objects.get().sha256 == row.sha256


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({}, "Nothing was signed."),
        ({"periods": "stale"}, "A period on this page changed or was signed meanwhile"),
        ({"periods": "month/2026-13-01/abc"}, "A period on this page changed"),
    ],
)
def test_a_bad_signing_post_signs_nothing(sol, supervisee, earlier_month, post, message):
    HourEntryFactory(person=supervisee, date=earlier_month, minutes=150)
    if post.get("periods") == "stale":
        post = {"periods": period_choice("month", earlier_month, "0" * 64)}
    before = snapshot()
    response = sol.post(reverse("hours:sign_periods", args=[supervisee.pk]), post)
    assert response.status_code == 302
    assert any(message in m for m in messages_of(response))
    assert snapshot() == before


def test_signing_without_a_licence_is_explained(client, supervisor, supervisee, earlier_month):
    HourEntryFactory(person=supervisee, date=earlier_month)
    client.force_login(supervisor)
    html = client.get(reverse("hours:to_sign")).content.decode()
    assert "Add your licence" in html
    row = period_of(supervisee, "month", earlier_month)
    response = client.post(
        reverse("hours:sign_periods", args=[supervisee.pk]),
        {"periods": period_choice("month", earlier_month, row.sha256)},
    )
    assert any("licence number" in m for m in messages_of(response))
    assert not PeriodSignature.objects.exists()


def test_her_licence(client, supervisor):
    client.force_login(supervisor)
    before = snapshot()
    response = client.post(
        reverse("hours:licence"), {"licence_number": "  ", "licence_jurisdiction": "NY"}
    )
    assert response.status_code == 200
    assert "licence_number" in response.context["form"].errors
    assert snapshot() == before
    client.post(
        reverse("hours:licence"), {"licence_number": " LMHC 1 ", "licence_jurisdiction": " NY "}
    )
    profile = HoursProfile.objects.get(person=supervisor)
    assert (profile.licence_number, profile.licence_jurisdiction) == ("LMHC 1", "NY")


def test_ending_a_supervision_shows_its_unsigned_periods_first(
    client, supervisee, licensed, earlier_month
):
    HourEntryFactory(person=supervisee, date=earlier_month, minutes=150)
    relationship = SupervisionRelationship.objects.get(supervisee=supervisee, supervisor=licensed)
    url = reverse("hours:supervision_end", args=[relationship.pk])
    for person, words in ((licensed, "Sign the ticked periods"), (supervisee, "Ask Dr Sol")):
        client.force_login(person)
        html = client.get(url).content.decode()
        assert f"{earlier_month:%B %Y}: 2.5 h" in html
        assert words in html
    # She may not sign; he does, then ends it.
    row = period_of(supervisee, "month", earlier_month)
    choice = period_choice("month", earlier_month, row.sha256)
    assert client.post(url, {"action": "sign", "periods": choice}).status_code == 403
    client.force_login(licensed)
    client.post(url, {"action": "sign", "periods": choice})
    assert PeriodSignature.objects.count() == 1
    assert "Every period of this supervision with hours in it is signed" in (
        client.get(url).content.decode()
    )
    response = client.post(url, {"action": "end"})
    assert response.url == reverse("hours:to_sign")
    relationship.refresh_from_db()
    assert relationship.ends_on == timezone.localdate() - datetime.timedelta(days=1)
    # Ended: not current any more, so not found here.
    assert client.get(url).status_code == 404


def test_her_supervisions(client, supervisee, supervisor):
    for person, other in ((supervisee, "Dr Sol Supervisor"), (supervisor, "Sam Supervisee")):
        client.force_login(person)
        html = client.get(reverse("hours:supervisions")).content.decode()
        assert other in html and "End this supervision" in html
