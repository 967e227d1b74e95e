"""Quality and speed of the similar-project check.

Prints, for each labelled set in tests/data/: precision and recall of the same-language
duplicate flag, how many same-idea-other-language variants it would wrongly block, and how
many it would cross-link; then the check's latency (p50/p95) with 10,000 proposals stored.
Targets: recall >= 0.9, precision >= 0.9, wrongly blocked 0, p95 < 50 ms.
    python bench/similarity_eval.py [--proposals 10000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from slackbot.domain.proposal import Status
from slackbot.domain.validation import Draft
from slackbot.samples import offline_runtime, seed, similarity_report
from slackbot.services.similar_projects import find_similar

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def quality() -> list[dict[str, object]]:
    sets = []
    for path in sorted(DATA.glob("similarity_*.json")):
        cases = json.loads(path.read_text())
        report = similarity_report(cases)
        print(
            f"{path.name}: {len(cases['pairs'])} pairs · precision {report['precision']:.3f} · "
            f"recall {report['recall']:.3f} · other-language variants wrongly blocked "
            f"{report['blocked_variants']}/{report['variants']} · cross-linked "
            f"{report['linked']}/{report['variants']}"
        )
        sets.append(cases)
    return sets


def latency(proposals: int, sets: list[dict[str, object]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rt = offline_runtime(Path(tmp) / "bench.db")
        seed(rt, proposals)
        drafts = [
            Draft(
                answers={
                    "name": p["name"],
                    "description": p["description"],
                    "model": p["model"],
                    "datasets": p["datasets"],
                },
                languages=p["languages"],
            )
            for cases in sets
            for p in cases["proposals"]  # type: ignore[union-attr]
        ]
        find_similar(rt, drafts[0])
        samples = []
        for draft in drafts:
            start = time.perf_counter()
            find_similar(rt, draft)
            samples.append((time.perf_counter() - start) * 1000)
        samples.sort()
        live = len(rt.proposals.with_status(Status.OPEN))
        print(
            f"check latency with {live} open proposals stored, {len(samples)} drafts: "
            f"p50 {statistics.median(samples):.1f} ms · p95 "
            f"{samples[int(0.95 * (len(samples) - 1))]:.1f} ms · max {samples[-1]:.1f} ms"
        )
        rt.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proposals", type=int, default=10_000)
    args = parser.parse_args()
    latency(args.proposals, quality())


if __name__ == "__main__":
    main()
