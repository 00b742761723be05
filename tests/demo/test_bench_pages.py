"""The benchmark's pages exist and answer: scripts/bench.py follows the code it measures.

The benchmark runs outside the suite (make bench); a page it names that has moved, or a
helper it calls that has gone, would otherwise surface only after a long seed.
"""

import importlib.util
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.demo.test_seed_scale import TINY

pytestmark = pytest.mark.usefixtures("catalog")


def load_bench():
    path = Path(__file__).resolve().parents[2] / "scripts" / "bench.py"
    spec = importlib.util.spec_from_file_location("bench", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_bench_page_answers_for_the_person_it_is_measured_as(client):
    call_command("seed_scale", *TINY, "--no-progress", stdout=None)
    bench = load_bench()
    people = bench.choose_people()
    pages = bench.bench_pages(people)
    assert {page["name"] for page in pages} >= {"ceiling /ping/", "log page", "group dashboard"}
    for page in pages:
        client.force_login(people.users[page["as"]])
        assert client.get(page["path"]).status_code == 200, page["name"]


def test_a_page_is_compared_with_the_ceiling_measured_beside_it():
    bench = load_bench()
    means = {"supervisee": 1000.0, "supervisor": 800.0}
    beside = {"as": "supervisee", "rps": 300.0, "ceiling_beside_rps": 750.0}
    assert bench.page_ratio(beside, means) == 0.4
    # --unpaired, and the ceilings themselves: the mean of the start and the end.
    assert bench.page_ratio({"as": "supervisor", "rps": 200.0}, means) == 0.25
    assert bench.page_ratio({"as": "supervisee", "rps": 0.0, "ceiling_beside_rps": 0.0}, means) == 0
