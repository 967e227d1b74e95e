"""Submitting a proposal: a command in, a result out (the first use case in the shape issue 23
asks of every one: the listener parses Slack's payload into `SubmitProposal` or `PostAnyway`,
makes one call, and renders the result with `blocks/`; nothing here knows Block Kit).

Only what cannot be posted is refused (`NotPostable`). The guide's advice on the draft (a vague
name, a model it cannot find) and the same idea in the same language become one "Before you
post" step (`BeforeYouPost`; the draft is held server-side), each piece of advice shown once per
wording. Otherwise the proposal is stored (`Stored`), keyed on the modal's view id, so a
repeated submission stores nothing new; posting it is the caller's deferred work.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from slackbot.domain.advice import Advice, advise, step_advice
from slackbot.domain.proposal import Proposal
from slackbot.domain.ranking import Standing
from slackbot.domain.validation import Draft, validate
from slackbot.services.deadlines import proposals_closed
from slackbot.services.runtime import Runtime
from slackbot.services.similar_projects import Match, find_similar

log = logging.getLogger("slackbot.submission")


@dataclass(frozen=True)
class SubmitProposal:
    user: str
    view_id: str  # the modal's: a repeated submission is the same proposal
    draft: Draft
    seen: frozenset[int] = frozenset()  # similar projects the step showed already
    advised: frozenset[str] = frozenset()  # advice the step showed already


@dataclass(frozen=True)
class PostAnyway:
    """ "Post as it is" on the "Before you post" step: the held draft, stored."""

    user: str
    draft_key: str
    advised: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ProposalsClosed:
    message: str


@dataclass(frozen=True)
class NotPostable:
    errors: dict[str, str]  # block id -> what to fix, for the modal's inline errors


@dataclass(frozen=True)
class BeforeYouPost:
    name: str
    advice: list[Advice]
    similar: list[tuple[Proposal, Standing | None]]
    draft_key: str
    seen: list[int] = field(default_factory=list)
    advised: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DraftGone:
    """The held draft is gone (held too long, or by someone else)."""


@dataclass(frozen=True)
class Stored:
    proposal: Proposal
    created: bool  # False: a repeated submission of a proposal stored already
    note: bool  # a note the proposer has not seen yet comes with the outcome
    view_id: str  # the modal that shows the posting's progress


SubmissionResult = ProposalsClosed | NotPostable | BeforeYouPost | Stored


def submit(rt: Runtime, command: SubmitProposal) -> SubmissionResult:
    closed = proposals_closed(rt)
    if closed:
        return ProposalsClosed(closed)
    draft, user = command.draft, command.user
    errors = validate(draft)
    if errors:
        log.info("proposal_invalid user=%s fields=%s", user, ",".join(sorted(errors)))
        return NotPostable(errors)
    matches = find_similar(rt, draft, author=user)
    advice = step_advice(draft, set(command.advised))
    same = [m for m in matches if m.same_language and m.proposal.id not in command.seen]
    if advice or same:
        rt.proposals.hold_draft(command.view_id, user, draft)
        shown = [m.proposal for m in same]
        standings = {s.proposal_id: s for s in rt.rankings.standings([p.id for p in shown])}
        log.info(
            "proposal_step_shown user=%s advice=%s matches=%s",
            user,
            ",".join(a.code.value for a in advice),
            ",".join(str(p.id) for p in shown),
        )
        return BeforeYouPost(
            name=draft.get("name"),
            advice=advice,
            similar=[(p, standings.get(p.id)) for p in shown],
            draft_key=command.view_id,
            seen=sorted(set(command.seen) | {p.id for p in shown}),
            advised=sorted(set(command.advised) | {a.key for a in advice}),
        )
    return _store(rt, user, draft, command.view_id, matches, set(command.advised))


def post_anyway(rt: Runtime, command: PostAnyway) -> DraftGone | Stored:
    draft = rt.proposals.held_draft(command.draft_key, command.user)
    if draft is None:
        return DraftGone()
    matches = find_similar(rt, draft, author=command.user)
    return _store(rt, command.user, draft, command.draft_key, matches, set(command.advised))


def _store(
    rt: Runtime, user: str, draft: Draft, key: str, matches: list[Match], advised: set[str]
) -> Stored:
    notes = [a for a in advise(draft) if not a.blocking and a.key not in advised]
    variants = [m.proposal.id for m in matches if not m.same_language]
    proposal, created = rt.proposals.create(
        draft, user, submission_key=key, min_team_size=draft.min_team_size, variants=variants
    )
    log.info("proposal_stored proposal_id=%s user=%s new=%s", proposal.id, user, created)
    return Stored(proposal, created, note=bool(notes), view_id=key)
