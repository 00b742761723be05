"""`make bench-identifiers`: how long the identifier check takes on a 5,000-character log.

Prints the time to scan one log of 5,000 characters (the synthetic clean sentences of
the test corpora with a few identifiers among them, as a real log has) and, for the
worst case, one made only of identifiers. The target is at most 5 ms on the development
machine. Each figure is the fastest of several rounds, because other work on a shared
machine only ever adds time, both as CPU time of this process (what the scan costs) and
as wall-clock time (what it costs while the machine is as busy as it is now). A figure
to read, not a timed test.

    python scripts/bench_identifiers.py [--rounds 7] [--scans 200]
"""

import argparse
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cases.identifiers import scan  # noqa: E402
from tests.cases.identifier_corpus import CLEAN, POSITIVE  # noqa: E402
from tests.cases.name_corpus import CLEAN as CLEAN_CAPITALISED  # noqa: E402
from tests.cases.name_corpus import NAMED  # noqa: E402

LENGTH = 5_000


def realistic_log() -> str:
    """Clean note sentences with one identifying sentence in every ten."""
    identifying = [s for s, _ in POSITIVE] + [s for s, _ in NAMED]
    clean = [*CLEAN, *CLEAN_CAPITALISED]
    parts: list[str] = []
    for n in range(len(clean)):
        parts.append(clean[n])
        if n % 10 == 9:
            parts.append(identifying[n % len(identifying)])
    return " ".join(parts)[:LENGTH]


def worst_log() -> str:
    return " ".join(s for s, _ in [*POSITIVE, *NAMED])[:LENGTH]


def fastest_ms(text: str, rounds: int, scans: int, timer=time.perf_counter) -> float:
    times = timeit.repeat(lambda: scan(text), number=scans, repeat=rounds, timer=timer)
    return min(times) / scans * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--scans", type=int, default=200)
    args = parser.parse_args()
    for name, text in (("typical log", realistic_log()), ("identifiers only", worst_log())):
        cpu = fastest_ms(text, args.rounds, args.scans, time.process_time)
        wall = fastest_ms(text, args.rounds, args.scans)
        findings = len(scan(text))
        print(
            f"{name}: {len(text):,} characters, {findings} findings, "
            f"{cpu:.2f} ms CPU per scan ({wall:.2f} ms wall-clock)"
        )


if __name__ == "__main__":
    main()
