"""Quality and speed of the similar-project check.

Prints, for each labelled set in tests/data/: precision and recall of the same-language
duplicate flag, how many same-idea-other-language variants it would wrongly block, and how
many it would cross-link; then the check's latency (p50/p95) with 10,000 proposals stored.
Each set is scored three ways: as before modalities were read ("before"), with what the words
and the architecture say the project works on ("words"), and with the Hub's pipeline_tag of
the models named as well ("+ Hub", asked of the Hub's stand-in, slackbot/sandbox/hub.py).
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
from typing import Any

from slackbot.domain.hub import model_refs
from slackbot.domain.proposal import Status
from slackbot.domain.validation import Draft
from slackbot.hubclient import HubClient
from slackbot.samples import offline_runtime, seed, similarity_report
from slackbot.sandbox.hub import FakeHub, standard_hub
from slackbot.services.similar_projects import find_similar

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def pipeline_tags(cases: dict[str, Any], client: HubClient) -> dict[str, list[str]]:
    """The Hub's pipeline_tag of each proposal's named models, by proposal id."""
    tags: dict[str, list[str]] = {}
    for p in cases["proposals"]:
        answers = [client.model(ref.id) for ref in model_refs(p["model"])]
        tags[p["id"]] = [a.pipeline_tag for a in answers if a.found and a.pipeline_tag]
    return tags


def quality() -> list[dict[str, Any]]:
    sets = []
    with standard_hub(FakeHub()) as hub:
        client = HubClient(hub.endpoint, None)
        for path in sorted(DATA.glob("similarity_*.json")):
            cases = json.loads(path.read_text())
            tags = pipeline_tags(cases, client)
            print(f"{path.name}: {len(cases['pairs'])} pairs")
            for label, report in (
                ("before", similarity_report(cases, modalities=False)),
                ("words", similarity_report(cases)),
                ("+ Hub", similarity_report(cases, model_tasks=tags)),
            ):
                print(
                    f"  {label:<7} precision {report['precision']:.3f} · "
                    f"recall {report['recall']:.3f} · other-language variants wrongly blocked "
                    f"{report['blocked_variants']}/{report['variants']} · cross-linked "
                    f"{report['linked']}/{report['variants']}"
                )
            sets.append(cases)
    return sets


def latency(proposals: int, sets: list[dict[str, Any]]) -> None:
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
            for p in cases["proposals"]
        ]
        find_similar(rt.uow.proposals, drafts[0])
        samples = []
        for draft in drafts:
            start = time.perf_counter()
            find_similar(rt.uow.proposals, draft)
            samples.append((time.perf_counter() - start) * 1000)
        samples.sort()
        live = len(rt.uow.proposals.with_status(Status.OPEN))
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
