"""The similar-project check: which open or official projects are the same idea as a draft,
and whether each is in the same language (offer to join it) or another (cross-link it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from slackbot.domain.proposal import Proposal, idea_of_draft
from slackbot.domain.similarity import SIMILAR_AT, same_language, score, search_words
from slackbot.domain.validation import Draft
from slackbot.store.proposal_repository import Proposals


@dataclass(frozen=True)
class Match:
    proposal: Proposal
    score: float
    same_language: bool


def find_similar(
    proposals: Proposals,
    draft: Draft,
    *,
    author: str | None = None,
    limit: int = 5,
    model_tasks: Iterable[str] = (),
) -> list[Match]:
    """Similar open or official projects; `author`'s own projects are never offered.
    `model_tasks`: the Hub's pipeline_tag of the draft's models, when it told them."""
    idea = idea_of_draft(draft, model_tasks)
    matches = []
    for candidate, other in proposals.candidates(search_words(idea)):
        if candidate.proposer_id == author:
            continue
        value = score(idea, other)
        if value >= SIMILAR_AT:
            matches.append(Match(candidate, value, same_language(idea, other)))
    matches.sort(key=lambda m: (-m.same_language, -m.score, m.proposal.id))
    return matches[:limit]
