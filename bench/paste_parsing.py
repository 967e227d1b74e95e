"""How well a pasted proposal fills the form: the share of sections filled correctly.

tests/data/pasted_proposals.json holds proposals written the way 2021 participants pasted them
(the guide's template, and its real-world variants: own headings, bold lines, "Model:" lines,
no numbers, sections in another order, the language only in the title, datasets in a
roadmap), each with what every section of the form should hold (null: left empty). A section
is correct when its text equals the expected one, ignoring case, punctuation and spacing
(languages: the same choices). The cases marked `holdout` were written after the parser and
never tuned on; their figure is the honest one. Beside it, the same figure for the previous
design (the first line as the name, the whole message as the description). Run:
    python bench/paste_parsing.py [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from slackbot.domain.pasted import parse_pasted  # noqa: E402
from slackbot.domain.template import SECTIONS, SECTIONS_BY_ID  # noqa: E402
from slackbot.domain.validation import Draft  # noqa: E402
from slackbot.domain.vocabulary import fold  # noqa: E402

CASES = ROOT / "tests" / "data" / "pasted_proposals.json"


def previous(text: str) -> Draft:
    """The design before issue 29: the first line is the name, the whole text the
    description."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    name = lines[0] if lines and len(lines[0]) <= SECTIONS_BY_ID["name"].max_length else ""
    return Draft(answers={"name": name, "description": text.strip()})


def same(section_id: str, draft: Draft, expected: dict[str, Any]) -> bool:
    want = expected[section_id]
    if section_id == "languages":
        other_ok = fold(draft.language_other) == fold(str(expected.get("language_other") or ""))
        return sorted(draft.languages) == sorted(want or []) and other_ok
    return " ".join(fold(draft.get(section_id)).split()) == " ".join(fold(want or "").split())


def score(cases: list[dict[str, Any]], read: Any, show: bool) -> tuple[Counter[str], Counter[str]]:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for case in cases:
        draft = read(case["text"])
        for section in SECTIONS:
            if section.id not in case["expected"]:
                continue
            total[section.id] += 1
            if same(section.id, draft, case["expected"]):
                right[section.id] += 1
            elif show:
                got = draft.languages if section.id == "languages" else draft.get(section.id)
                print(f"  {case['id']} {section.id}: got {got!r}")
                print(
                    f"  {' ' * len(case['id'])} {' ' * len(section.id)}  want "
                    f"{case['expected'][section.id]!r}"
                )
    return right, total


def report(title: str, cases: list[dict[str, Any]], show: bool) -> None:
    if show:
        print(f"Missed by the parser ({title}):")
    right, total = score(cases, lambda text: parse_pasted(text).draft, show)
    before, _ = score(cases, previous, False)
    print(f"{title}: {len(cases)} pasted proposals, {sum(total.values())} sections scored")
    print(f"  {'section':<18}{'now':>8}{'before':>8}")
    for section in SECTIONS:
        if n := total[section.id]:
            now, then = right[section.id] / n, before[section.id] / n
            print(f"  {section.id:<18}{now:>8.0%}{then:>8.0%}")
    all_right, all_before, n = sum(right.values()), sum(before.values()), sum(total.values())
    print(f"  {'all sections':<18}{all_right / n:>8.0%}{all_before / n:>8.0%}")
    print(f"  filled correctly: {all_right}/{n} (before: {all_before}/{n})")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print every section missed")
    args = parser.parse_args()
    cases = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
    report("written with the parser", [c for c in cases if not c.get("holdout")], args.show)
    report("held out", [c for c in cases if c.get("holdout")], args.show)


if __name__ == "__main__":
    main()
