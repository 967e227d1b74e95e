"""The judges' scores: one row per judge and submission, private (read only for the judge's
own form and Home tab, the organizers' results, and the export with --scores)."""

from __future__ import annotations

import json
import time

from slackbot.domain.judging import JudgeScore
from slackbot.store.db import Store


class Scores:
    def __init__(self, store: Store) -> None:
        self.store = store

    def save(self, proposal_id: int, judge_id: str, scores: dict[str, int], comment: str) -> bool:
        """Store (or replace) a judge's scores; True if they had scored it before."""
        conn = self.store.conn
        before = conn.execute(
            "SELECT 1 FROM judge_scores WHERE proposal_id = ? AND judge_id = ?",
            (proposal_id, judge_id),
        ).fetchone()
        conn.execute(
            "INSERT INTO judge_scores (proposal_id, judge_id, scores, comment, scored_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(proposal_id, judge_id) DO UPDATE SET "
            "scores = excluded.scores, comment = excluded.comment, scored_at = excluded.scored_at",
            (proposal_id, judge_id, json.dumps(scores, sort_keys=True), comment, time.time()),
        )
        return before is not None

    def of(self, proposal_id: int, judge_id: str) -> JudgeScore | None:
        rows = self.store.tuples(
            "SELECT proposal_id, judge_id, scores, comment, scored_at FROM judge_scores "
            "WHERE proposal_id = ? AND judge_id = ?",
            (proposal_id, judge_id),
        )
        return _score(rows[0]) if rows else None

    def by_judge(self, judge_id: str) -> dict[int, JudgeScore]:
        rows = self.store.tuples(
            "SELECT proposal_id, judge_id, scores, comment, scored_at FROM judge_scores "
            "WHERE judge_id = ?",
            (judge_id,),
        )
        return {int(r[0]): _score(r) for r in rows}

    def all(self) -> list[JudgeScore]:
        rows = self.store.tuples(
            "SELECT proposal_id, judge_id, scores, comment, scored_at FROM judge_scores "
            "ORDER BY proposal_id, judge_id"
        )
        return [_score(r) for r in rows]


def _score(row: tuple[object, ...]) -> JudgeScore:
    raw = json.loads(str(row[2]))
    scores = {str(k): int(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
    return JudgeScore(int(str(row[0])), str(row[1]), scores, str(row[3]), float(str(row[4])))
