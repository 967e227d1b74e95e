"""How the form treats real proposals: refusals and advice on the labelled 2021 set.

tests/data/proposal_cases.json holds realistic proposals written the way 2021 participants
wrote them, and truly vague ones. For each set this prints how many the form refuses (an inline
error: the proposal cannot be posted as typed), how many get the "Before you post" step, and
how many only get a note; beside the same figures for the previous design (validation at
BASELINE, read from git), measured in the same run. Targets: 0 realistic proposals refused,
every vague one advised.

Then the Hub check (issue 28), against the Hub's stand-in (slackbot/sandbox/hub.py, on
loopback): how many of the models the proposals name it confirms (with or without Flax
weights), how many datasets, which remarks the "Before you post" step would make; and the time
the check adds to a submission (p50/p95 over the proposals), with nothing cached, with the
answers cached, and with a Hub slower than the time box. Run:
    python bench/proposal_advice.py [--baseline COMMIT] [--show]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from slackbot.domain.advice import Code, advise, step_advice  # noqa: E402
from slackbot.domain.hub import DATASET, MODEL, HubRef, hub_refs  # noqa: E402
from slackbot.domain.validation import Draft, validate  # noqa: E402
from slackbot.hubclient import HubClient  # noqa: E402
from slackbot.sandbox.hub import FakeHub, standard_hub  # noqa: E402
from slackbot.services.hub_checks import HubChecks  # noqa: E402
from slackbot.store.db import Store  # noqa: E402
from slackbot.store.hub_answers import HubAnswers  # noqa: E402

TIME_BOX = 1.5  # HUB_TIME_BOX_SECONDS' default

BASELINE = "70cdebd"  # the last commit whose form refused vague names and unknown models
CASES = ROOT / "tests" / "data" / "proposal_cases.json"


def as_draft(case: dict[str, Any]) -> Draft:
    return Draft.from_flat(case)


def previous_validate(commit: str) -> Callable[[Draft], dict[str, str]] | None:
    """`validate` as it was at `commit` (with that commit's vocabulary), or None without git."""

    def source(path: str) -> str:
        return subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{commit}:{path}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    try:
        vocabulary = types.ModuleType("_previous_vocabulary")
        exec(source("slackbot/domain/vocabulary.py"), vocabulary.__dict__)
        sys.modules["_previous_vocabulary"] = vocabulary
        validation = types.ModuleType("_previous_validation")
        sys.modules["_previous_validation"] = validation  # dataclasses look their module up
        code = source("slackbot/domain/validation.py").replace(
            "from slackbot.domain.vocabulary import", "from _previous_vocabulary import"
        )
        exec(code, validation.__dict__)
    except (OSError, subprocess.CalledProcessError):
        return None

    def check(draft: Draft) -> dict[str, str]:
        old = validation.Draft(
            answers=draft.answers, languages=draft.languages, language_other=draft.language_other
        )
        return dict(validation.validate(old))

    return check


def percent(part: int, whole: int) -> str:
    return f"{part:>3} of {whole} ({100 * part / whole:5.1f}%)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--show", action="store_true", help="list the realistic ones advised")
    args = parser.parse_args()
    cases = json.loads(CASES.read_text())
    before = previous_validate(args.baseline)
    print(f"{'set':<10} {'design':<9} {'refused':<20} {'advice step':<20} {'note only':<20}")
    for label in ("realistic", "vague"):
        drafts = [as_draft(c) for c in cases[label]]
        total = len(drafts)
        refused = sum(bool(validate(d)) for d in drafts)
        stepped = [d for d in drafts if step_advice(d, set())]
        noted = sum(
            1
            for d in drafts
            if not step_advice(d, set()) and any(not a.blocking for a in advise(d))
        )
        print(
            f"{label:<10} {'now':<9} {percent(refused, total):<20} "
            f"{percent(len(stepped), total):<20} {percent(noted, total):<20}"
        )
        if before is not None:
            old = sum(bool(before(d)) for d in drafts)
            print(f"{label:<10} {'previous':<9} {percent(old, total):<20} {'-':<20} {'-':<20}")
        if label == "vague":
            named = sum(Code.VAGUE_NAME in {a.code for a in step_advice(d, set())} for d in drafts)
            print(f"vague names advised to say more: {percent(named, total)} (target 100%)")
        if args.show and label == "realistic":
            for d in stepped:
                codes = ",".join(a.code.value for a in step_advice(d, set()))
                print(f"    advised: {d.get('name')!r}: {codes}")
    if before is None:
        print(f"(previous design not measured: git cannot show {args.baseline})")
    hub_check(cases, show=args.show)


def _percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[int(0.95 * (len(samples) - 1))]
    p50, top = statistics.median(samples), samples[-1]
    return f"p50 {p50:7.1f} ms · p95 {p95:7.1f} ms · max {top:7.1f} ms"


def _timed(checks: HubChecks, refs_per_draft: list[list[HubRef]]) -> list[float]:
    samples = []
    for refs in refs_per_draft:
        start = time.perf_counter()
        checks.check(refs)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def hub_check(cases: dict[str, list[dict[str, Any]]], *, show: bool) -> None:
    drafts = [as_draft(c) for label in ("realistic", "vague") for c in cases[label]]
    refs_per_draft = [hub_refs(d.answers) for d in drafts]
    with standard_hub(FakeHub()) as hub, tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        store.migrate()
        client = HubClient(hub.endpoint, None)
        checks = HubChecks(client, HubAnswers(store), time_box=TIME_BOX)
        cold = _timed(checks, refs_per_draft)
        warm = _timed(checks, refs_per_draft)
        facts = checks.known(r for refs in refs_per_draft for r in refs)
        models = {r.key for refs in refs_per_draft for r in refs if r.kind == MODEL}
        datasets = {r.key for refs in refs_per_draft for r in refs if r.kind == DATASET}
        found = [k for k in models if facts.get(k) and facts[k].found]
        flax = [k for k in found if facts[k].flax]
        print(
            f"\nHub check (stand-in): {len(models)} distinct models named in "
            f"{sum(any(r.kind == MODEL for r in refs) for refs in refs_per_draft)} of "
            f"{len(drafts)} proposals; confirmed {len(found)} ({len(flax)} with Flax weights, "
            f"{len(found) - len(flax)} without), not on the Hub {len(models) - len(found)}"
        )
        ds_found = [k for k in datasets if facts.get(k) and facts[k].found]
        gated = [k for k in ds_found if facts[k].gated]
        print(
            f"datasets: {len(datasets)} named, {len(ds_found)} confirmed ({len(gated)} gated), "
            f"{len(datasets) - len(ds_found)} not on the Hub"
        )
        remarks: dict[Code, int] = {}
        for draft in drafts:
            for a in advise(draft, facts):
                if a.code.value.startswith("hub_"):
                    remarks[a.code] = remarks.get(a.code, 0) + 1
        print("remarks: " + ", ".join(f"{c.value} {n}" for c, n in sorted(remarks.items())))
        if show:
            for kind, repo_id in sorted(models - set(found)):
                print(f"    not confirmed: {repo_id} (closest: {facts[(kind, repo_id)].closest})")
            for _, repo_id in sorted(datasets - set(ds_found)):
                print(f"    dataset not confirmed: {repo_id}")
        print(f"time the check adds to a submission, {len(drafts)} proposals:")
        print(f"  cache empty at first  {_percentiles(cold)}")
        print(f"  answers cached        {_percentiles(warm)}")
        checks.close()
        hub.slow(5.0)
        fresh = Store(Path(tmp) / "slow.db")
        fresh.migrate()
        slow = HubChecks(client, HubAnswers(fresh), time_box=TIME_BOX)
        # The first submission waits the time box; then the Hub is left alone for a while.
        slow_samples = _timed(slow, refs_per_draft[:20])
        print(f"  Hub slower than {TIME_BOX} s {_percentiles(slow_samples)}  (20 proposals)")
        slow.close()


if __name__ == "__main__":
    main()
