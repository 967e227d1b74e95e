"""A proposal: its answers, its status, and the idea it is about.

Plain values and rules; where proposals are stored is `store.proposal_repository`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from slackbot.domain.similarity import Idea, idea_of
from slackbot.domain.validation import Draft


class Status(str, Enum):
    PENDING = "pending"  # stored, not yet in the channel
    OPEN = "open"  # posted, gathering a team
    OFFICIAL = "official"  # organizers made the team official
    CLOSED = "closed"  # closed by organizers
    WITHDRAWN = "withdrawn"  # withdrawn by the proposer


# Which proposals count: posted and not withdrawn or closed. The one definition; the store's
# queries read it from here.
LIVE = (Status.OPEN, Status.OFFICIAL)


@dataclass
class Proposal:
    id: int
    proposer_id: str
    status: Status
    answers: dict[str, str]
    languages: list[str]
    language_other: str = ""
    min_team_size: int | None = None
    max_team_size: int | None = None
    channel: str | None = None
    ts: str | None = None
    permalink: str | None = None
    post_attempts: int = 0
    last_post_error: str | None = None
    post_started_at: float | None = None
    created_at: float = 0.0
    updated_at: float = 0.0
    edited_at: float | None = None
    posted_at: float | None = None
    variants: list[int] | None = None  # the same idea in other languages
    compute: str | None = None  # what organizers gave the team (e.g. a TPU name and zone)
    second_of: int | None = None  # the project this one is the second team of

    @property
    def name(self) -> str:
        return self.answers.get("name", "")

    @property
    def draft(self) -> Draft:
        return Draft(
            answers=dict(self.answers),
            languages=list(self.languages),
            language_other=self.language_other,
            min_team_size=self.min_team_size,
        )

    @property
    def language_names(self) -> list[str]:
        return self.draft.language_names()

    @property
    def is_posted(self) -> bool:
        return self.ts is not None

    @property
    def is_live(self) -> bool:
        """Posted, and neither withdrawn nor closed: it takes members and shows in lists."""
        return self.status in LIVE

    @property
    def is_editable(self) -> bool:
        """Its proposer may still change or withdraw it (posted or about to be, and live)."""
        return self.status is Status.PENDING or self.is_live


def idea_of_draft(draft: Draft, model_tasks: Iterable[str] = ()) -> Idea:
    """The draft's idea; `model_tasks`: the Hub's pipeline_tag of its models, if known."""
    return idea_of(
        draft.get("name"),
        draft.get("description"),
        draft.get("model"),
        draft.get("datasets"),
        draft.languages + [n.lower() for n in draft.language_names() if n.lower() != "other"],
        model_tasks,
    )
