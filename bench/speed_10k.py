"""Time to build the digest and the Home tab, and to search, with 10,000 proposals stored.

Prints median and p95 over repeated runs (target: each under 50 ms). Run:
    python bench/speed_10k.py [--proposals 10000] [--runs 30]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from slackbot.samples import offline_runtime, seed
from slackbot.services import digest_posting
from slackbot.services.home_pages import build_home
from slackbot.services.project_search import find


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    fn()  # warm the caches once, as a running bot has
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rt = offline_runtime(Path(tmp) / "bench.db", ORGANIZER_IDS=["U0ORG1"])
        started = time.perf_counter()
        ids = seed(rt, args.proposals)
        print(f"seeded {len(ids)} proposals in {time.perf_counter() - started:.1f} s")
        participant = rt.proposals.get(ids[0])
        assert participant is not None
        cases: dict[str, Callable[[], object]] = {
            "digest (plan + Block Kit)": lambda: digest_posting.render(rt, digest_posting.plan(rt)),
            "home tab, participant": lambda: build_home(rt, participant.proposer_id).to_dict(),
            "home tab, organizer": lambda: build_home(rt, "U0ORG1").to_dict(),
            "search 'roberta hindi'": lambda: find(rt, "roberta hindi"),
            "search 'poetry' page 3": lambda: find(rt, "poetry", 2),
            "/projects (no words)": lambda: find(rt, ""),
        }
        print(f"{'case':32} {'median ms':>10} {'p95 ms':>8}  target < 50 ms")
        for name, fn in cases.items():
            median, p95 = timed(fn, args.runs)
            flag = "ok" if p95 < 50 else "OVER"
            print(f"{name:32} {median:10.1f} {p95:8.1f}  {flag}")
        rt.close()


if __name__ == "__main__":
    main()
