"""An entry of the organizers' audit trail: who did what to which project, when, before and
after (kept by `store.audit_log`)."""

from __future__ import annotations

from collections.abc import Callable
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


def describe(entry: Entry, name_of: Callable[[str], str]) -> str:
    """What the entry says in words, for the organizers' sheet: "made it official", "moved
    @ravi to project #4". `name_of` turns a member ID into how to show the person."""
    after = entry.after if isinstance(entry.after, dict) else {}
    before = entry.before if isinstance(entry.before, dict) else {}

    def who(key: str) -> str:
        return "@" + name_of(str(after.get(key, "")))

    phrases: dict[str, Callable[[], str]] = {
        "make_official": lambda: "made it official",
        "undo_official": lambda: "undid the official team",
        "close": lambda: "closed it",
        "close_all": lambda: "closed it (closing every open proposal)",
        "reopen": lambda: f"reopened it ({after.get('status', '')})",
        "set_limits": lambda: f"set threshold {after.get('threshold')}, max {after.get('max')}",
        # The free text of an older version: it may hold a machine's details, kept out.
        "set_compute": lambda: "recorded compute by hand (details kept out of the sheet)",
        "compute_import": lambda: f"imported compute: {', '.join(after.get('labels', []))}",
        "compute_add": lambda: f"added compute {after.get('label', '')}",
        "compute_give": lambda: f"gave it compute {after.get('label', '')}",
        "compute_auto": lambda: f"handed it compute {after.get('label', '')}",
        "compute_take": lambda: f"took back compute {before.get('label', '')}",
        "compute_reply": lambda: f"answered {who('user')}'s compute problem",
        "move": lambda: f"moved {who('user')} to project #{after.get('project')}",
        "join_request": lambda: f"{after.get('outcome', 'decided')} {who('user')}'s request",
        "second_team": lambda: (
            f"started a second team, project #{after.get('project')}, led by {who('lead')}"
        ),
        "demo_submitted": lambda: f"submitted the demo: {after.get('demo_url', '')}",
        "demo_edited": lambda: f"edited the demo: {after.get('demo_url', '')}",
        "demo_scored": lambda: "changed their scores" if after.get("changed") else "scored it",
    }
    phrase = phrases.get(entry.action, lambda: entry.action.replace("_", " "))()
    return f"@{name_of(entry.actor)} {phrase}"
