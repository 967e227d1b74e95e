"""An entry of the organizers' audit trail: who did what to which project, when, before and
after (kept by `store.audit_log`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Entry:
    at: float
    actor: str
    action: str
    proposal_id: int | None
    before: Any
    after: Any
