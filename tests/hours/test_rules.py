"""The rule engine against hand-computed ledgers, for every shipped rule set.

Pure Python: no database. Each case writes its arithmetic in a comment. Calendar used below:
Mon 5, 12, 19, 26 Oct 2026; Mon 2, 9, 16 Nov 2026; Fri 20 Nov 2026.
"""

import copy
import datetime
import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hours.ledger import LedgerContext, LedgerEntry
from hours.rule_sets import SEED_DIRECTORY, load_rule_set_files
from hours.rules import KINDS, Evaluation, RuleSetError, evaluate, parse_rule_set

RULE_SETS = {rule_set["key"]: rule_set for rule_set in load_rule_set_files()}
SHIPPED = (
    "au-psyba-5plus1",
    "ca-lmft",
    "ca-lpcc",
    "ny-lmhc",
    "tx-lpc-associate",
    "uk-bacp-accreditation",
)
UNCHECKED = " († a figure that could not be checked: check with your board)"
CALM = ("fail", "violat", "error", "must")
_ids = itertools.count(1)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def entry(on: str, hours: float, category: str, **fields) -> LedgerEntry:
    return LedgerEntry(
        source="entry",
        source_id=next(_ids),
        date=day(on),
        minutes=round(hours * 60),
        category=category,
        **fields,
    )


def direct(on: str, hours: float, **fields) -> LedgerEntry:
    return entry(on, hours, "direct", client_unit=fields.pop("client_unit", "individual"), **fields)


def supervision(on: str, hours: float, kind: str = "individual", size: int = 1, **fields):
    return entry(on, hours, "supervision", supervision_kind=kind, group_size=size, **fields)


def run(key: str, entries, today: str, **context) -> Evaluation:
    for name in ("degree_on", "started_on"):
        if isinstance(context.get(name), str):
            context[name] = day(context[name])
    return evaluate(RULE_SETS[key], entries, LedgerContext(today=day(today), **context))


def minutes(evaluation: Evaluation, category: str) -> int:
    return evaluation.counted_minutes(category)


def texts(evaluation: Evaluation) -> list[str]:
    return [alert.text for alert in evaluation.alerts]


def rule_set(*rules: dict, **top) -> dict:
    """A small rule set around the given rules, for tests of one kind."""
    return {
        "key": "test-set",
        "name": "Test set",
        "jurisdiction": "Nowhere",
        "licence": "Test licence",
        "effective_from": "2026-11-01",
        "source": "Synthetic.",
        "board_note": "Synthetic figures: check with your board.",
        "sign_period": "month",
        "rules": list(rules),
        **top,
    }


def assert_balanced(evaluation: Evaluation) -> None:
    """What is recorded and not counted is explained, minute for minute, by the exclusions."""
    for category, recorded in evaluation.recorded:
        excluded = sum(x.minutes for x in evaluation.exclusions if x.category == category)
        assert recorded - evaluation.counted_minutes(category) == excluded, category


# ---------------------------------------------------------------- California LMFT


def test_ca_lmft_trainee_ratio_leaves_direct_hours_beyond_five_per_unit_uncounted():
    # Trainee (no degree yet). Week of 2 Nov: 4 + 4 + 4 = 12 h direct; 1 h + 1 h individual
    # = 2 units, covering 2 x 5 = 10 h. 12 - 10 = 2 h not counted, taken off the latest
    # entry (Wed 4 Nov: 4 h -> 2 h). 12 h needs ceil(12 / 5) = 3 units: one more.
    entries = [
        direct("2026-11-02", 4),
        direct("2026-11-03", 4),
        direct("2026-11-04", 4),
        supervision("2026-11-02", 1),
        supervision("2026-11-05", 1),
    ]
    evaluation = run("ca-lmft", entries, "2026-11-20")
    (exclusion,) = evaluation.exclusions
    assert exclusion.reason == (
        "Week of 2 Nov 2026: 12 h direct contact and 2 supervision units: 2 h not counted "
        f"until a supervision unit is logged{UNCHECKED}."
    )
    assert (exclusion.start, exclusion.end) == (day("2026-11-04"), day("2026-11-04"))
    assert (exclusion.category, exclusion.minutes) == ("direct", 120)
    assert minutes(evaluation, "direct") == 600
    assert_balanced(evaluation)
    # A third unit logged that week (Fri 6 Nov): 3 x 5 = 15 h covers the 12 h.
    entries.append(supervision("2026-11-06", 1))
    assert run("ca-lmft", entries, "2026-11-20").exclusions == ()


def test_ca_lmft_group_of_nine_gives_no_unit_and_a_group_of_eight_does():
    # Trainee. Week of 9 Nov: 5 h direct; 2 h group supervision with 9 people = 0 units
    # (groups above 8 give none), so 5 h - 0 x 5 = 5 h not counted; the supervision itself
    # still counts as 2 h of supervision. With 8 people: 2 h group = 1 unit, covering 5 h.
    nine = [direct("2026-11-09", 5), supervision("2026-11-10", 2, "group", 9)]
    evaluation = run("ca-lmft", nine, "2026-11-20")
    (exclusion,) = evaluation.exclusions
    assert exclusion.reason == (
        "Week of 9 Nov 2026: 5 h direct contact and no supervision unit: 5 h not counted "
        f"until a supervision unit is logged{UNCHECKED}."
    )
    assert minutes(evaluation, "direct") == 0
    assert minutes(evaluation, "supervision") == 120
    eight = [direct("2026-11-09", 5), supervision("2026-11-10", 2, "group", 8)]
    evaluation = run("ca-lmft", eight, "2026-11-20")
    assert evaluation.exclusions == ()
    assert minutes(evaluation, "direct") == 300


def test_ca_lmft_associate_needs_a_second_unit_above_ten_hours():
    # Associate (degree 1 Jan 2026), so the trainee ratio does not apply. Week of 2 Nov:
    # 6 + 6 = 12 h direct, no supervision: 12 - 10 = 2 h not counted until 2 units.
    entries = [direct("2026-11-02", 6), direct("2026-11-03", 6)]
    evaluation = run("ca-lmft", entries, "2026-11-20", degree_on="2026-01-01")
    (exclusion,) = evaluation.exclusions
    assert exclusion.reason == (
        "Week of 2 Nov 2026: 12 h direct contact and no supervision: 2 h not counted until "
        f"2 supervision units are logged{UNCHECKED}."
    )
    assert minutes(evaluation, "direct") == 600


def test_ca_lmft_forty_hours_in_seven_days_earliest_first():
    # Associate with 2 units (2 h individual on Mon), so only the window applies.
    # Window [d - 6, d], entries in date order (direct before supervision on a day):
    #   Mon 9 direct -> 9; Mon 2 supervision -> 11; Tue 9 -> 20; Wed 9 -> 29; Thu 9 -> 38;
    #   Fri 9 direct: room 40 - 38 = 2 -> 2 counted, 7 h not counted.
    # Next Mon 9 Nov, 9 h: window 3-9 Nov holds 9 + 9 + 9 + 2 = 29 -> all 9 count.
    entries = [
        direct("2026-11-02", 9),
        supervision("2026-11-02", 2),
        direct("2026-11-03", 9),
        direct("2026-11-04", 9),
        direct("2026-11-05", 9),
        direct("2026-11-06", 9),
        direct("2026-11-09", 9),
        supervision("2026-11-09", 2),
    ]
    evaluation = run("ca-lmft", entries, "2026-11-20", degree_on="2026-01-01")
    (exclusion,) = evaluation.exclusions
    assert exclusion.reason == "Hours above 40 in 7 days are not counted."
    assert (exclusion.start, exclusion.end, exclusion.minutes) == (
        day("2026-11-06"),
        day("2026-11-06"),
        7 * 60,
    )
    # direct: 9 x 4 + 2 + 9 = 47 h; supervision 2 + 2 = 4 h.
    assert minutes(evaluation, "direct") == 47 * 60
    assert minutes(evaluation, "supervision") == 4 * 60
    assert_balanced(evaluation)


def test_ca_lmft_alert_before_the_forty_hours_are_reached():
    # Today Thu 5 Nov; last 7 days (30 Oct - 5 Nov): 9 + 9 + 9 + 7 direct + 2 supervision
    # = 36 h, 90 % of 40: an alert, and nothing excluded yet.
    entries = [
        direct("2026-11-02", 9),
        supervision("2026-11-02", 2),
        direct("2026-11-03", 9),
        direct("2026-11-04", 9),
        direct("2026-11-05", 7),
    ]
    evaluation = run("ca-lmft", entries, "2026-11-05", degree_on="2026-01-01")
    assert evaluation.exclusions == ()
    assert texts(evaluation) == [
        "You have 36 h in the last 7 days; hours above 40 in any 7 days are not counted."
    ]


def test_ca_lmft_hours_older_than_six_years_no_longer_count():
    # Today 20 Nov 2026: the cutoff is 20 Nov 2020. 19 Nov 2020 (3 h) is older: not counted;
    # 20 Nov 2020 (2 h) still counts. In 90 days (18 Feb 2027) the cutoff is 18 Feb 2021:
    # 2 h (20 Nov 2020) + 1 h training (10 Jan 2021) = 3 h will pass it: an alert.
    entries = [
        direct("2020-11-19", 3),
        direct("2020-11-20", 2),
        entry("2021-01-10", 1, "training"),
        direct("2026-11-02", 1),
    ]
    evaluation = run("ca-lmft", entries, "2026-11-20", degree_on="2020-01-01")
    (exclusion,) = evaluation.exclusions
    assert exclusion.reason == "Hours older than 6 years no longer count."
    assert (exclusion.start, exclusion.category, exclusion.minutes) == (
        day("2020-11-19"),
        "direct",
        180,
    )
    assert evaluation.recorded_minutes("direct") == 6 * 60
    assert minutes(evaluation, "direct") == 3 * 60
    assert texts(evaluation) == [
        "3 h recorded before 18 Feb 2021 will be older than 6 years within the next 90 days; "
        "hours older than 6 years no longer count."
    ]


def test_ca_lmft_requirements_weeks_and_couples():
    # Started Sat 9 Nov 2024; today Sat 7 Nov 2026: 728 days = 104 weeks, met; a day
    # earlier, 727 days = 103 weeks. Direct with a couple 2 h + a child 1 h = 3 h of the
    # 500 h couples, families or children (a † figure); 1 h individual client does not count.
    entries = [
        direct("2026-11-02", 2, client_unit="couple"),
        direct("2026-11-03", 1, client_unit="child"),
        direct("2026-11-04", 1, client_unit="individual"),
        supervision("2026-11-02", 1),
    ]
    evaluation = run("ca-lmft", entries, "2026-11-07", started_on="2024-11-09")
    weeks = evaluation.requirement("weeks")
    assert (weeks.unit, weeks.required, weeks.have, weeks.met) == ("weeks", 104, 104, True)
    earlier = run("ca-lmft", entries, "2026-11-06", started_on="2024-11-09")
    assert (earlier.requirement("weeks").have, earlier.requirement("weeks").met) == (103, False)
    couples = evaluation.requirement("couples-families-children")
    assert (couples.required, couples.have, couples.met) == (500, 3.0, False)
    assert couples.label.endswith("†")
    assert "could not be checked" in couples.note
    # 1 h individual in the week of 2 Nov: 1 week of the 52.
    assert evaluation.requirement("individual-weeks").have == 1


# ---------------------------------------------------------------- California LPCC


def test_ca_lpcc_counts_only_hours_after_the_degree():
    # Degree 15 Jun 2026 (Mon). 12 Jun: 3 h direct, before it: not counted. 15 Jun: 2 h direct
    # and 1 h individual supervision count: total 3 h of 3,000.
    entries = [direct("2026-06-12", 3), direct("2026-06-15", 2), supervision("2026-06-16", 1)]
    evaluation = run("ca-lpcc", entries, "2026-11-20", degree_on="2026-06-15")
    (exclusion,) = evaluation.exclusions
    assert (
        exclusion.reason == "Hours before the degree (15 Jun 2026) do not count under these rules."
    )
    assert (exclusion.category, exclusion.minutes) == ("direct", 180)
    total = evaluation.requirement("total")
    assert (total.unit, total.required, total.have, total.met) == ("hours", 3000, 3.0, False)
    # Without a degree date nothing counts yet, and the reason says why.
    undated = run("ca-lpcc", entries, "2026-11-20")
    assert undated.total_counted == 0
    assert {x.reason for x in undated.exclusions} == {
        "Only hours after the degree count under these rules, and no degree date is recorded yet."
    }


def test_ca_lpcc_non_clinical_cap_and_second_unit():
    # Week of 2 Nov: 7 + 5 = 12 h direct with 1 h individual = 1 unit < 2: 12 - 10 = 2 h not
    # counted until one more unit. Non-clinical: 1,000 h indirect (1 Jul) + 300 h training
    # (3 Aug) + 1 h supervision (2 Nov) = 1,301 h; cap 1,250: 51 h not counted, off the latest
    # first: the supervision (1 h, still a unit for its week), then 50 h of the training.
    entries = [
        entry("2026-07-01", 1000, "indirect"),
        entry("2026-08-03", 300, "training"),
        direct("2026-11-02", 7),
        direct("2026-11-03", 5),
        supervision("2026-11-02", 1),
    ]
    evaluation = run("ca-lpcc", entries, "2026-11-20", degree_on="2026-01-01")
    reasons = {(x.category, x.minutes): x.reason for x in evaluation.exclusions}
    cap = (
        "Non-clinical hours (indirect work, supervision, training): hours above 1,250 h are "
        "not counted."
    )
    assert reasons == {
        ("direct", 120): (
            "Week of 2 Nov 2026: 12 h direct contact and 1 supervision unit: 2 h not counted "
            f"until a supervision unit is logged{UNCHECKED}."
        ),
        ("supervision", 60): cap,
        ("training", 50 * 60): cap,
    }
    assert minutes(evaluation, "training") == 250 * 60
    assert minutes(evaluation, "direct") == 10 * 60
    assert_balanced(evaluation)


def test_ca_lpcc_alert_near_the_non_clinical_cap_and_weeks_with_individual_supervision():
    # 1,130 h indirect >= 90 % of 1,250 (1,125): an alert, nothing excluded.
    # Supervision: weeks of 5 Oct (1 h individual), 12 Oct (1 h triadic), 19 Oct (30 min
    # individual: short of 1 h), 26 Oct (2 h group: not individual) -> 2 weeks of 52.
    entries = [
        entry("2026-07-01", 1130, "indirect"),
        supervision("2026-10-05", 1),
        supervision("2026-10-13", 1, "triadic", 2),
        supervision("2026-10-20", 0.5),
        supervision("2026-10-27", 2, "group", 5),
    ]
    evaluation = run("ca-lpcc", entries, "2026-11-20", degree_on="2026-01-01")
    assert evaluation.exclusions == ()
    assert texts(evaluation) == [
        "Non-clinical hours (indirect work, supervision, training): 1,134.5 h so far; hours "
        "above 1,250 h are not counted."
    ]
    weeks = evaluation.requirement("individual-weeks")
    assert (weeks.required, weeks.have, weeks.met) == (52, 2, False)


# ---------------------------------------------------------------- Texas LPC Associate


def test_texas_four_hours_in_every_month_with_client_contact():
    # Started 1 Aug 2026; today 10 Nov: closed months Aug, Sep, Oct, each with 10 h direct.
    #   Aug: 4 h individual -> meets. Sep: 3 h -> short. Oct: 2 h individual + 2 h triadic
    #   = 4 h -> meets. 2 of 3 months. Nov (open): 5 h direct, 1 h supervision -> an alert.
    entries = [
        direct("2026-08-10", 10),
        supervision("2026-08-11", 4),
        direct("2026-09-14", 10),
        supervision("2026-09-15", 3),
        direct("2026-10-12", 10),
        supervision("2026-10-13", 2),
        supervision("2026-10-20", 2, "triadic", 2),
        direct("2026-11-02", 5),
        supervision("2026-11-03", 1),
    ]
    evaluation = run("tx-lpc-associate", entries, "2026-11-10", started_on="2026-08-01")
    monthly = evaluation.requirement("monthly-supervision")
    assert (monthly.unit, monthly.required, monthly.have, monthly.met) == ("months", 3, 2, False)
    assert monthly.note.startswith("Months with less than 4 h: September 2026 (3 h).")
    assert texts(evaluation) == [
        "This month has 1 h of supervision so far; your rules ask for 4 h in every month."
    ]
    # 18 months: 1 Aug -> 10 Nov is 3 whole months.
    assert evaluation.requirement("months").have == 3


def test_texas_group_supervision_up_to_half():
    # "Individual": 3 h individual + 1 h triadic = 4 h. Group of 5: 3 h (7 Oct) + 2 h (14 Oct)
    # = 5 h. Group may be at most half: group <= individual = 4 h, so 1 h of the latest group
    # (14 Oct) is not counted. Counted supervision 4 + 4 = 8 h.
    entries = [
        supervision("2026-10-05", 3),
        supervision("2026-10-06", 1, "triadic", 2),
        supervision("2026-10-07", 3, "group", 5),
        supervision("2026-10-14", 2, "group", 5),
    ]
    evaluation = run("tx-lpc-associate", entries, "2026-11-20")
    (exclusion,) = evaluation.exclusions
    assert exclusion.reason == (
        "Group supervision above 50% of counted supervision is not counted until more "
        "individual supervision is logged."
    )
    assert (exclusion.start, exclusion.minutes) == (day("2026-10-14"), 60)
    assert minutes(evaluation, "supervision") == 8 * 60
    # A "group" of 2 associates is individual in Texas: +1 h individual = 5 h, group 5 h:
    # all counted, and the share (5 of 10 h) is worth knowing.
    entries.append(supervision("2026-10-08", 1, "group", 2))
    evaluation = run("tx-lpc-associate", entries, "2026-11-20")
    assert evaluation.exclusions == ()
    assert minutes(evaluation, "supervision") == 10 * 60
    assert texts(evaluation) == [
        "Group supervision is 5 h of your 10 h of counted supervision; at most 50% of "
        "supervision counts as group."
    ]


# ---------------------------------------------------------------- New York LMHC


def test_new_york_about_an_hour_a_week_or_two_every_other_week():
    # Started Mon 5 Oct; today Fri 20 Nov (open week 16 Nov). Closed weeks with 5 h direct:
    #   5 Oct 1 h -> meets; 12 Oct 2 h -> meets; 19 Oct 0 h, but 19 + 12 Oct = 2 h -> meets;
    #   26 Oct 2 h -> meets; 2 Nov 0 h, with 26 Oct = 2 h -> meets; 9 Nov 30 min, with 2 Nov
    #   = 30 min -> short. 5 of 6. Open week: 3 h direct, no supervision, 30 min with the
    #   week before -> an alert.
    entries = []
    for monday in ("2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02"):
        entries.append(direct(monday, 5))
    entries += [
        direct("2026-11-09", 5),
        direct("2026-11-16", 3),
        supervision("2026-10-06", 1),
        supervision("2026-10-13", 2, "group", 6),
        supervision("2026-10-27", 2),
        supervision("2026-11-10", 0.5),
    ]
    evaluation = run(
        "ny-lmhc", entries, "2026-11-20", degree_on="2026-01-01", started_on="2026-10-05"
    )
    weekly = evaluation.requirement("weekly-supervision")
    assert (weekly.unit, weekly.required, weekly.have, weekly.met) == ("weeks", 6, 5, False)
    assert weekly.note.startswith("Weeks with less than 1 h: week of 9 Nov 2026 (30 min).")
    assert weekly.label.endswith("†")
    assert texts(evaluation) == [
        "This week has 0 h of supervision so far; your rules ask for 1 h in every week "
        f"(or 2 h across two weeks){UNCHECKED}."
    ]


def test_new_york_hours_after_the_degree():
    # Degree 1 Sep 2026: 31 Aug (2 h) not counted; 1 Sep (3 h direct) counts: 3 of 3,000 h
    # and 3 of 1,500 h direct.
    entries = [direct("2026-08-31", 2), direct("2026-09-01", 3)]
    evaluation = run("ny-lmhc", entries, "2026-11-20", degree_on="2026-09-01")
    assert [x.minutes for x in evaluation.exclusions] == [120]
    assert evaluation.requirement("total").have == 3.0
    assert evaluation.requirement("direct").have == 3.0


# ---------------------------------------------------------------- Australia, PsyBA 5+1


def test_psyba_at_most_sixty_hours_simulated():
    # Simulated: 50 h (2 Mar) + 15 h (6 Apr) = 65 h; cap 60: 5 h of the latest (6 Apr) not
    # counted. Real clients 20 h. Direct counted 60 + 20 = 80 h of 500.
    entries = [
        direct("2026-03-02", 50, simulated=True),
        direct("2026-04-06", 15, simulated=True),
        direct("2026-04-07", 20),
    ]
    evaluation = run("au-psyba-5plus1", entries, "2026-11-20")
    (exclusion,) = evaluation.exclusions
    assert exclusion.reason == "Simulated client contact: hours above 60 h are not counted."
    assert (exclusion.start, exclusion.minutes) == (day("2026-04-06"), 5 * 60)
    assert evaluation.requirement("direct").have == 80.0
    # 55 h simulated (>= 54, 90 % of 60): an alert, nothing excluded.
    near = run("au-psyba-5plus1", [direct("2026-03-02", 55, simulated=True)], "2026-03-20")
    assert near.exclusions == ()
    assert "Simulated client contact: 55 h so far; hours above 60 h are not counted." in texts(near)


def test_psyba_one_hour_of_supervision_per_seventeen_of_practice():
    # Practice 100 h direct + 50 h indirect + 20 h training = 170 h -> 170 / 17 = 10 h
    # supervision asked; 9 h recorded: not met, and an alert. With 10 h: met.
    entries = [
        direct("2026-06-01", 100),
        entry("2026-06-02", 50, "indirect"),
        entry("2026-06-03", 20, "training"),
        supervision("2026-06-04", 9, supervisor_id=7),
    ]
    evaluation = run("au-psyba-5plus1", entries, "2026-11-20", started_on="2026-06-01")
    ratio = evaluation.requirement("one-in-seventeen")
    assert (ratio.unit, ratio.required, ratio.have, ratio.met) == ("hours", 10.0, 9.0, False)
    assert (
        "You have 170 h of practice and 9 h of supervision; your rules ask for at least 1 h of "
        "supervision for every 17 h of practice."
    ) in texts(evaluation)
    entries.append(supervision("2026-06-05", 1, supervisor_id=7))
    evaluation = run("au-psyba-5plus1", entries, "2026-11-20", started_on="2026-06-01")
    assert evaluation.requirement("one-in-seventeen").met


def test_psyba_one_to_one_with_the_principal_supervisor():
    # Principal 7: individual 3 h with 7 counts; 2 h individual with 8 and 1 h triadic with 7
    # do not -> 3 of 50 h. With no principal recorded: all individual, 3 + 2 = 5 h, and the
    # note says so.
    entries = [
        supervision("2026-06-01", 3, supervisor_id=7),
        supervision("2026-06-08", 2, supervisor_id=8),
        supervision("2026-06-15", 1, "triadic", 2, supervisor_id=7),
    ]
    evaluation = run("au-psyba-5plus1", entries, "2026-11-20", principal_supervisor_id=7)
    assert evaluation.requirement("principal-one-to-one").have == 3.0
    unnamed = run("au-psyba-5plus1", entries, "2026-11-20").requirement("principal-one-to-one")
    assert unnamed.have == 5.0
    assert "No principal supervisor is recorded" in unnamed.note


def test_psyba_observed_session_every_six_months_and_forty_four_weeks():
    # Started 1 Jan 2026; today 20 Nov: stretch 1 Jan - 30 Jun is closed and has an observed
    # session (3 Mar) -> 1 of 1. Stretch 1 Jul - 31 Dec is open, ends within 60 days, none
    # yet -> an alert. Weeks: 1 Jan -> 20 Nov = 323 days = 46 weeks >= 44.
    entries = [supervision("2026-03-03", 1, observed_session=True), supervision("2026-08-04", 1)]
    evaluation = run("au-psyba-5plus1", entries, "2026-11-20", started_on="2026-01-01")
    observed = evaluation.requirement("observed-sessions")
    assert (observed.unit, observed.required, observed.have, observed.met) == (
        "units",
        1,
        1,
        True,
    )
    assert (
        "No observed session yet in the 6 months from 1 Jul 2026; your rules ask for one in "
        "every 6 months (this stretch ends on 31 Dec 2026)."
    ) in texts(evaluation)
    weeks = evaluation.requirement("weeks")
    assert (weeks.have, weeks.met) == (46, True)


# ---------------------------------------------------------------- UK, BACP accreditation


def test_bacp_group_credit_half_up_to_four_then_by_group_size():
    # Group of 3, 2 h: credited at half -> 1 h (1 h not counted). Group of 6, 1.5 h: credited
    # at 1/6 -> 15 min (1 h 15 min not counted). Individual 1 h in full.
    # Counted supervision: 1 h + 15 min + 1 h = 2 h 15 min = 135 min.
    entries = [
        supervision("2026-11-04", 2, "group", 3),
        supervision("2026-11-11", 1.5, "group", 6),
        supervision("2026-11-12", 1),
    ]
    # At the edge: a group of 4, 1 h -> half, 30 min; a group of 5, 1 h -> 1/5, 12 min.
    edge = [supervision("2026-11-04", 1, "group", 4), supervision("2026-11-05", 1, "group", 5)]
    credited = run("uk-bacp-accreditation", edge, "2026-11-20")
    assert minutes(credited, "supervision") == 30 + 12
    evaluation = run("uk-bacp-accreditation", entries, "2026-11-20")
    assert [(x.minutes, x.reason) for x in evaluation.exclusions] == [
        (
            60,
            "Group supervision on 4 Nov 2026 with 3 people is credited at half: 1 h of 2 h counted.",
        ),
        (
            75,
            "Group supervision on 11 Nov 2026 with 6 people is credited at 1/6: 15 min of 1.5 h "
            "counted.",
        ),
    ]
    assert minutes(evaluation, "supervision") == 135
    assert_balanced(evaluation)


def test_bacp_one_and_a_half_hours_in_every_month_not_an_average():
    # Started 1 May; today 15 Nov: May-Oct closed, 8 h direct each. Supervision: May 2 h,
    # Jun 2 h, Jul 1 h in a group of 3 (credited at half: 30 min), Aug 2 h, Sep 2 h, Oct 2 h.
    # Recorded 11 h over 6 months is 1 h 50 min a month on average, which would hide July;
    # month by month, July has 30 min: 5 of 6. Nov (open): 2 h direct, 1 h -> an alert.
    entries = []
    for month in ("05", "06", "07", "08", "09", "10"):
        entries.append(direct(f"2026-{month}-10", 8))
        if month != "07":
            entries.append(supervision(f"2026-{month}-11", 2))
    entries += [
        supervision("2026-07-11", 1, "group", 3),
        direct("2026-11-02", 2),
        supervision("2026-11-03", 1),
    ]
    evaluation = run("uk-bacp-accreditation", entries, "2026-11-15", started_on="2026-05-01")
    monthly = evaluation.requirement("monthly-supervision")
    assert (monthly.unit, monthly.required, monthly.have, monthly.met) == ("months", 6, 5, False)
    assert monthly.note.startswith("Months with less than 1.5 h: July 2026 (30 min).")
    assert texts(evaluation) == [
        "This month has 1 h of supervision so far; your rules ask for 1.5 h in every month."
    ]
    # Practice: 6 x 8 + 2 = 50 h of 450; after qualifying (degree 1 Sep): 8 + 8 + 2 = 18 h.
    evaluation = run(
        "uk-bacp-accreditation",
        entries,
        "2026-11-15",
        started_on="2026-05-01",
        degree_on="2026-09-01",
    )
    assert evaluation.requirement("practice").have == 50.0
    assert evaluation.requirement("after-qualifying").have == 18.0


# ---------------------------------------------------------------- every shipped set


def test_every_seed_file_loads_sorted_by_key():
    assert tuple(RULE_SETS) == SHIPPED
    assert sorted(path.stem for path in SEED_DIRECTORY.glob("*.toml")) == list(SHIPPED)
    for shipped in RULE_SETS.values():
        assert "check with your board" in shipped["board_note"]
        assert shipped["source"] and shipped["effective_from"]
    signing = {key: shipped["sign_period"] for key, shipped in RULE_SETS.items()}
    assert signing == {
        "au-psyba-5plus1": "month",
        "ca-lmft": "week",
        "ca-lpcc": "week",
        "ny-lmhc": "month",
        "tx-lpc-associate": "month",
        "uk-bacp-accreditation": "month",
    }


@pytest.mark.parametrize("key", SHIPPED)
def test_parse_accepts_its_own_output_and_json(key):
    once = RULE_SETS[key]
    assert parse_rule_set(once) == once
    assert parse_rule_set(json.loads(json.dumps(once))) == once


def busy_ledger() -> list[LedgerEntry]:
    """Enough of everything to wake most rules: long weeks, little supervision, big groups,
    old and simulated hours."""
    entries = [direct("2019-03-04", 5), entry("2021-01-04", 3, "training")]
    monday = day("2026-09-07")
    supervised = (1, 2, 0.5, 1, 2, 1, 0.5, 2, 1, 0.5, 0)  # the open week has none yet
    for week in range(11):
        start = monday + datetime.timedelta(weeks=week)
        for offset in range(5):
            on = (start + datetime.timedelta(days=offset)).isoformat()
            entries.append(direct(on, 7.5, simulated=offset == 0, client_unit="family"))
        entries.append(entry(start.isoformat(), 2, "indirect"))
        if supervised[week]:
            entries.append(supervision(start.isoformat(), supervised[week], "group", 3 + week))
    entries.append(direct("2026-11-23", 6))  # after today: left out
    return entries


@pytest.mark.parametrize("key", SHIPPED)
def test_busy_ledger_balances_and_speaks_calmly(key):
    evaluation = run(key, busy_ledger(), "2026-11-20", degree_on="2026-10-01")
    assert_balanced(evaluation)
    assert evaluation.alerts, "the busy ledger wakes at least one alert"
    words = [alert.text for alert in evaluation.alerts]
    words += [x.reason for x in evaluation.exclusions]
    words += [r.note for r in evaluation.requirements]
    for text in words:
        assert not any(word in text.lower() for word in CALM), text
    # One requirement per requirement-type rule, in the file's order.
    definitions = {"supervision_units"} | {
        "expiry",
        "after_degree_only",
        "group_credit",
        "weekly_unit_ratio",
        "weekly_extra_unit",
        "rolling_window_maximum",
        "group_share_maximum",
        "maximum_category",
    }
    expected = [r["key"] for r in RULE_SETS[key]["rules"] if r["kind"] not in definitions]
    assert [r.key for r in evaluation.requirements] == expected
    # Entries after today are not recorded.
    assert evaluation.recorded_minutes("direct") == (5 + 11 * 5 * 7.5) * 60


# ---------------------------------------------------------------- kinds on their own


def test_period_minimum_all_periods_or_only_those_with_client_contact():
    # Started 1 Aug; today 10 Nov. Aug: 2 h direct, 1 h supervision. Sep: nothing. Oct: 1 h.
    # "with_direct": Aug only is asked (Sep and Oct had no client contact) -> 1 of 1.
    # "all": Aug, Sep, Oct asked, each with >= 1 h except Sep -> 2 of 3.
    def minimum(periods: str) -> dict:
        return rule_set(
            {
                "kind": "period_supervision_minimum",
                "label": "Monthly hour",
                "period": "month",
                "hours": 1,
                "periods": periods,
            }
        )

    entries = [direct("2026-08-03", 2), supervision("2026-08-04", 1), supervision("2026-10-06", 1)]
    context = LedgerContext(today=day("2026-11-10"), started_on=day("2026-08-01"))
    practising = evaluate(minimum("with_direct"), entries, context).requirements[0]
    assert (practising.required, practising.have, practising.met) == (1, 1, True)
    every = evaluate(minimum("all"), entries, context).requirements[0]
    assert (every.required, every.have, every.met) == (3, 2, False)
    assert every.note == "Months with less than 1 h: September 2026 (0 h)."


def test_the_window_is_exactly_the_days_given():
    # 40 h in any 7 days. Mon 2 Nov 20 h, Sun 8 Nov 25 h: both in the 7 days 2-8 Nov, so
    # 45 - 40 = 5 h of Sunday's are not counted. Mon 9 Nov instead: the days 3-9 Nov hold 25 h.
    window = rule_set(
        {"kind": "rolling_window_maximum", "label": "40 in 7", "hours": 40, "days": 7}
    )
    context = LedgerContext(today=day("2026-11-20"))
    sunday = evaluate(window, [direct("2026-11-02", 20), direct("2026-11-08", 25)], context)
    assert [(x.start, x.minutes) for x in sunday.exclusions] == [(day("2026-11-08"), 5 * 60)]
    monday = evaluate(window, [direct("2026-11-02", 20), direct("2026-11-09", 25)], context)
    assert monday.exclusions == ()


def test_units_round_down_each_kind_on_its_own():
    # Week of 2 Nov: 10 h direct. 1.5 h individual -> 1 unit (90 // 60); 1 h group of 4
    # -> 0 units (60 // 120): 1 unit covers 5 h, 5 h not counted. (Adding fractions, 1.5 + 0.5
    # = 2 units, would count all 10 h.) 59 min individual is no unit at all.
    units = rule_set(
        {
            "kind": "supervision_units",
            "label": "Units",
            "individual_hours": 1,
            "group_hours": 2,
            "max_group_size": 8,
        },
        {"kind": "weekly_unit_ratio", "label": "5 per unit", "direct_hours_per_unit": 5},
    )
    context = LedgerContext(today=day("2026-11-20"))
    entries = [
        direct("2026-11-02", 10),
        supervision("2026-11-03", 1.5),
        supervision("2026-11-04", 1, "group", 4),
    ]
    (exclusion,) = evaluate(units, entries, context).exclusions
    assert exclusion.reason == (
        "Week of 2 Nov 2026: 10 h direct contact and 1 supervision unit: 5 h not counted until "
        "a supervision unit is logged."
    )
    almost = [
        direct("2026-11-02", 1),
        entry("2026-11-03", 59 / 60, "supervision", supervision_kind="individual", group_size=1),
    ]
    (exclusion,) = evaluate(units, almost, context).exclusions
    assert exclusion.minutes == 60


def test_hours_are_shown_in_plain_units():
    from hours.rules import _hours

    assert [_hours(m) for m in (0, 45, 60, 90, 100, 75_000)] == [
        "0 h",
        "45 min",
        "1 h",
        "1.5 h",
        "1 h 40 min",
        "1,250 h",
    ]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=120),  # days after 1 Aug 2026
            st.integers(min_value=1, max_value=12 * 60),
            st.sampled_from(["direct", "indirect", "supervision", "training"]),
            st.sampled_from(["individual", "triadic", "group"]),
            st.integers(min_value=0, max_value=12),
        ),
        max_size=30,
    ),
    st.sampled_from(SHIPPED),
)
def test_every_excluded_minute_is_explained(rows, key):
    entries = [
        LedgerEntry(
            source="entry",
            source_id=number,
            date=day("2026-08-01") + datetime.timedelta(days=offset),
            minutes=amount,
            category=category,
            supervision_kind=kind if category == "supervision" else "",
            group_size=size if category == "supervision" else 0,
        )
        for number, (offset, amount, category, kind, size) in enumerate(rows)
    ]
    evaluation = run(key, entries, "2026-11-30", degree_on="2026-09-01")
    assert_balanced(evaluation)
    for _, counted in evaluation.counted:
        assert counted >= 0


# ---------------------------------------------------------------- parse errors


def shipped_copy() -> dict:
    return copy.deepcopy(RULE_SETS["ca-lmft"])


def test_unknown_kind_is_named():
    data = rule_set({"kind": "weekly_magic", "label": "Magic hours", "hours": 3})
    with pytest.raises(RuleSetError) as caught:
        parse_rule_set(data)
    message = str(caught.value)
    assert message.startswith("Rule 1 \"Magic hours\" (weekly_magic): unknown kind 'weekly_magic'")
    assert "minimum_total" in message  # the kinds to choose from


def test_negative_figure_is_named():
    data = shipped_copy()
    data["rules"][5]["hours"] = -5
    with pytest.raises(RuleSetError) as caught:
        parse_rule_set(data)
    assert str(caught.value) == (
        'Rule 6 "Non-clinical hours (indirect work, supervision, training)" '
        "(maximum_category): 'hours' must be a number of 0 or more, not -5."
    )


def test_missing_board_note_or_the_phrase_is_refused():
    data = shipped_copy()
    del data["board_note"]
    with pytest.raises(RuleSetError, match="The rule set has no 'board_note'"):
        parse_rule_set(data)
    data["board_note"] = "These figures are from 2026."
    with pytest.raises(RuleSetError, match="must contain 'check with your board'"):
        parse_rule_set(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["rules"][6].pop("hours"),
            "Rule 7 \"Total hours\" (minimum_total): the figure 'hours' is missing.",
        ),
        (
            lambda d: d["rules"][7].update(categories=["clinical"]),
            "'categories' has an unknown category 'clinical'; the categories are direct, "
            "indirect, supervision, training.",
        ),
        (lambda d: d["rules"][0].update(years=True), "'years' must be a whole number, not True."),
        (lambda d: d["rules"][0].update(yeras=6), "unknown setting 'yeras'"),
        (lambda d: d.update(colour="blue"), "Unknown setting 'colour' in the rule set"),
        (lambda d: d.update(sign_period="day"), "'sign_period' must be one of week, month"),
        (lambda d: d.update(effective_from="soon"), "'effective_from' must be a date"),
        (lambda d: d.update(key="CA LMFT"), "must be a slug"),
        (lambda d: d["rules"][1].update(key="six-years"), "another rule has the key 'six-years'"),
        (lambda d: d["rules"].append(dict(d["rules"][0], key="again")), "at most one expiry rule"),
        (lambda d: d["rules"].pop(1), "needs a supervision_units rule"),
        (lambda d: d["rules"][2].update(after_degree=True), "not both"),
        (lambda d: d["rules"][11].update(months=24), "either 'weeks' or 'months'"),
        (lambda d: d["rules"][3].pop("label"), "every rule needs a label"),
        (lambda d: d.update(rules=[]), "The rule set has no rules"),
    ],
)
def test_bad_rule_sets_say_what_to_change(change, message):
    data = shipped_copy()
    change(data)
    with pytest.raises(RuleSetError) as caught:
        parse_rule_set(data)
    assert message in str(caught.value)


def test_rule_keys_default_to_the_kind():
    data = rule_set(
        {"kind": "minimum_total", "label": "All", "hours": 10},
        {"kind": "minimum_category", "label": "Direct", "hours": 5, "categories": ["direct"]},
        {"kind": "minimum_category", "label": "Training", "hours": 1, "categories": ["training"]},
    )
    keys = [rule["key"] for rule in parse_rule_set(data)["rules"]]
    assert keys == ["minimum_total", "minimum_category-1", "minimum_category-2"]
    assert set(KINDS) >= {rule["kind"] for rules in RULE_SETS.values() for rule in rules["rules"]}


def test_a_bad_file_is_named(tmp_path: Path):
    (tmp_path / "good.toml").write_text(
        (SEED_DIRECTORY / "ny-lmhc.toml").read_text().replace('"ny-lmhc"', '"good"')
    )
    assert [rs["key"] for rs in load_rule_set_files(tmp_path)] == ["good"]
    (tmp_path / "broken.toml").write_text("key = \n")
    with pytest.raises(RuleSetError, match=r"^broken\.toml: not valid TOML"):
        load_rule_set_files(tmp_path)
    (tmp_path / "broken.toml").write_text(
        (SEED_DIRECTORY / "ny-lmhc.toml").read_text().replace("hours = 3000", "hours = -1")
    )
    with pytest.raises(RuleSetError, match=r"^broken\.toml: Rule 2 \"Total hours"):
        load_rule_set_files(tmp_path)
    (tmp_path / "broken.toml").write_text((SEED_DIRECTORY / "ny-lmhc.toml").read_text())
    with pytest.raises(RuleSetError, match="name the file ny-lmhc.toml"):
        load_rule_set_files(tmp_path)
