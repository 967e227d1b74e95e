"""How the form treats real proposals: refusals and advice on the labelled 2021 set.

tests/data/proposal_cases.json holds realistic proposals written the way 2021 participants
wrote them, and truly vague ones. For each set this prints how many the form refuses (an inline
error: the proposal cannot be posted as typed), how many get the "Before you post" step, and
how many only get a note; beside the same figures for the previous design (validation at
BASELINE, read from git), measured in the same run. Targets: 0 realistic proposals refused,
every vague one advised. Run:
    python bench/proposal_advice.py [--baseline COMMIT] [--show]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from slackbot.domain.advice import Code, advise, step_advice  # noqa: E402
from slackbot.domain.validation import Draft, validate  # noqa: E402

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


if __name__ == "__main__":
    main()
