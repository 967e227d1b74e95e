"""The organizers' audit trail: every organizer action recorded, and read back for the export."""

from __future__ import annotations

import json
import time
from typing import Any

from slackbot.domain.audit import Entry
from slackbot.store.db import Store


class Audit:
    def __init__(self, store: Store) -> None:
        self.store = store

    def record(
        self, actor: str, action: str, proposal_id: int | None, before: Any, after: Any
    ) -> None:
        self.store.conn.execute(
            "INSERT INTO audit (at, actor, action, proposal_id, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (time.time(), actor, action, proposal_id, json.dumps(before), json.dumps(after)),
        )

    def entries(self, proposal_id: int | None = None) -> list[Entry]:
        sql = "SELECT at, actor, action, proposal_id, before, after FROM audit"
        params: tuple[Any, ...] = ()
        if proposal_id is not None:
            sql += " WHERE proposal_id = ?"
            params = (proposal_id,)
        rows = self.store.tuples(sql + " ORDER BY id", params)
        return [Entry(r[0], r[1], r[2], r[3], json.loads(r[4]), json.loads(r[5])) for r in rows]
