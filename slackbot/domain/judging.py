"""Judging the demos, as plain values and rules: the criteria (the jury's of 2021: the demo,
technical difficulty, social impact, innovativeness), a judge's scores (1 to 5 each, with an
optional comment), and the ranking organizers see: per submission the mean per criterion, the
total of the means, how many judges scored it and who did not yet. Ties share their place and
say so; a missing score is shown as missing, never counted as a zero."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

DEFAULT_CRITERIA = ["The demo", "Technical difficulty", "Social impact", "Innovativeness"]
LOWEST, HIGHEST = 1, 5
COMMENT_MAX = 1000


def criterion_key(name: str) -> str:
    """A stable key for a criterion's name ("Technical difficulty" -> "technical_difficulty")."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or "criterion"


@dataclass(frozen=True)
class JudgeScore:
    """One judge's scores for one submission."""

    proposal_id: int
    judge_id: str
    scores: dict[str, int]  # criterion key -> 1..5
    comment: str
    scored_at: float


def check_scores(
    criteria: Sequence[str], given: dict[str, str]
) -> tuple[dict[str, int], dict[str, str]]:
    """The scores read from a form (criterion key -> "1".."5"), and what to fix per key."""
    scores: dict[str, int] = {}
    errors: dict[str, str] = {}
    for name in criteria:
        key = criterion_key(name)
        raw = (given.get(key) or "").strip()
        if raw.isascii() and raw.isdigit() and LOWEST <= int(raw) <= HIGHEST:
            scores[key] = int(raw)
        else:
            errors[key] = f"Give {name} a score from {LOWEST} to {HIGHEST}."
    return scores, errors


@dataclass
class Ranked:
    """One submission's line in the ranking."""

    proposal_id: int
    means: dict[str, float | None]  # criterion key -> mean, None if nobody scored it
    total: float  # the sum of the means there are
    judges: int  # how many judges scored it (at least one criterion)
    expected: int  # how many judges could score it (its own members excluded)
    missing: list[str] = field(default_factory=list)  # judges who have not scored it yet
    place: int = 0
    tied: bool = False


def rank(
    submissions: Iterable[int],
    criteria: Sequence[str],
    scores: Iterable[JudgeScore],
    eligible: dict[int, list[str]],
) -> list[Ranked]:
    """The ranking, best total first. `eligible` names, per submission, the judges who may
    score it (judges in its team excluded)."""
    keys = [criterion_key(c) for c in criteria]
    by_submission: dict[int, list[JudgeScore]] = {}
    for score in scores:
        by_submission.setdefault(score.proposal_id, []).append(score)
    out: list[Ranked] = []
    for pid in submissions:
        given = by_submission.get(pid, [])
        means: dict[str, float | None] = {}
        for key in keys:
            values = [s.scores[key] for s in given if key in s.scores]
            means[key] = round(sum(values) / len(values), 2) if values else None
        total = round(sum(m for m in means.values() if m is not None), 2)
        judges = {s.judge_id for s in given}
        allowed = eligible.get(pid, [])
        missing = sorted(j for j in allowed if j not in judges)
        incomplete = sorted(
            s.judge_id for s in given if any(k not in s.scores for k in keys)
        )  # scored before a criterion was added
        out.append(
            Ranked(pid, means, total, len(judges), len(allowed), sorted({*missing, *incomplete}))
        )
    out.sort(key=lambda r: (-r.total, r.proposal_id))
    for index, row in enumerate(out):
        same = [r for r in out if r.total == row.total]
        row.place = out.index(same[0]) + 1
        row.tied = len(same) > 1
        del index
    return out
