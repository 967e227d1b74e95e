"""Posting proposals to the channel: exactly once, even when Slack fails or we crash.

Each post carries message metadata naming the proposal. Before a retry re-posts a proposal whose
earlier attempt may have reached Slack (a timeout after Slack stored the message), it looks for
that metadata in the channel history and adopts the message it finds instead of posting again.

Every function names what it uses: the unit of work (its `proposals` and `memberships`), the
Messenger port, the Hub checks, the refresher's marks (`updates`), the channel and the
workspace's URL; each write is its own short unit of work, never held across a Slack call.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from slackbot.blocks.organizer_news import post_deleted
from slackbot.blocks.proposal_post import other_teams_line, proposal_message, variants_line
from slackbot.blocks.proposal_status import post_deleted_dm, posted_dm
from slackbot.blocks.roster import team_blocks
from slackbot.domain.hub import hub_refs
from slackbot.domain.post_record import encode, record_of
from slackbot.domain.proposal import Proposal, Status
from slackbot.machinery.refresher import Refresher
from slackbot.services.directory import OrganizerDirectory
from slackbot.services.hub_checks import HubChecks
from slackbot.services.ports import Messenger
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.publishing")

METADATA_EVENT = "community_week_proposal"


@dataclass
class PublishResult:
    proposal: Proposal | None
    error: str | None = None
    fresh: bool = False  # posted by this call (not earlier, not by someone else)

    @property
    def posted(self) -> bool:
        return self.proposal is not None and self.proposal.is_posted


@dataclass(frozen=True)
class PublishProposal:
    """Post one pending proposal (once, whoever asks)."""

    proposal_id: int


@dataclass(frozen=True)
class RetryPending:
    """Post every proposal still pending (the retry job, also run at start-up)."""


@dataclass(frozen=True)
class Poster:
    """What posting and redrawing a proposal work with: built once by the bootstrap, named
    `poster` by the handlers that post."""

    uow: UnitOfWork
    messenger: Messenger
    hub: HubChecks
    updates: Refresher
    organizers: OrganizerDirectory
    channel_id: str
    team_url: str
    join_emoji: str


def team_blocks_for(uow: UnitOfWork, proposal: Proposal, join_emoji: str) -> list[Any]:
    """The post's live team section."""
    return team_blocks(
        uow.memberships.team(proposal),
        join_emoji=join_emoji,
        channel_id=uow.memberships.official_channel(proposal.id),
        name=proposal.name,
    )


def render(poster: Poster, proposal: Proposal) -> tuple[str, list[dict[str, object]]]:
    """The proposal's post as it should look now, live team included, with what the Hub said
    of its models and datasets; what the Hub has not said yet redraws the post when it comes."""
    uow, hub, updates, join_emoji = poster.uow, poster.hub, poster.updates, poster.join_emoji
    refs = hub_refs(proposal.answers)
    known = hub.known(refs)
    if any(r.key not in known for r in refs):
        hub.when_known(refs, partial(updates.mark, proposal.id))
    proposals = uow.proposals
    variants = [v for v in proposals.get_many(proposal.variants or []).values() if v.ts]
    teams = [t for t in proposals.second_teams(proposal.id) if t.ts]
    footer = "\n".join(
        line
        for line in (
            variants_line(variants) if variants else "",
            other_teams_line(teams) if teams else "",
        )
        if line
    )
    return proposal_message(
        proposal,
        join_emoji=join_emoji,
        team_blocks=team_blocks_for(uow, proposal, join_emoji),
        footer=footer or None,
        hub=known,
    )


def metadata_of(uow: UnitOfWork, proposal: Proposal) -> dict[str, object]:
    """The post's message metadata: the proposal's id (to find the post again) and its whole
    record (to rebuild the week from Slack if the database is lost), as it is now."""
    if proposal.status is Status.PENDING:  # being posted: it is open once Slack has it
        proposal = replace(proposal, status=Status.OPEN)
    memberships = uow.memberships
    joins, leaves = memberships.join_records(proposal)
    record = record_of(proposal, joins, leaves, memberships.official_record(proposal.id))
    return {
        "event_type": METADATA_EVENT,
        "event_payload": {"proposal_id": proposal.id, "record": encode(record)},
    }


def publish(poster: Poster, proposal_id: int) -> PublishResult:
    """Post a pending proposal, once. Safe to call from any thread or process at any time."""
    uow, messenger, channel_id = poster.uow, poster.messenger, poster.channel_id
    with uow:
        proposal = uow.proposals.claim_for_posting(proposal_id)
        uow.commit()
    if proposal is None:
        current = uow.proposals.get(proposal_id)
        return PublishResult(current, None if current and current.is_posted else "in progress")
    ts: str | None = None
    if proposal.post_attempts > 1:  # an earlier attempt may have reached Slack
        answered, ts = messenger.find_marked(
            channel_id,
            since=(proposal.post_started_at or proposal.created_at) - 5,
            event_type=METADATA_EVENT,
            payload={"proposal_id": proposal.id},
        )
        if not answered:  # Slack cannot say now: never post blind
            return _failed(uow, proposal, "history lookup failed")
    if ts is None:
        text, blocks = render(poster, proposal)
        sent = messenger.post_checked(channel_id, text, blocks, metadata=metadata_of(uow, proposal))
        if sent.ts is None:
            return _failed(uow, proposal, sent.error or "not posted")
        ts = sent.ts
    else:
        log.info("proposal_post_adopted proposal_id=%s ts=%s", proposal.id, ts)
    permalink = permalink_of(poster.team_url, channel_id, ts)
    with uow:
        posted, recorded = uow.proposals.mark_posted(
            proposal.id, channel=channel_id, ts=ts, permalink=permalink
        )
        uow.commit()
    log.info("proposal_posted proposal_id=%s channel=%s ts=%s", posted.id, channel_id, ts)
    return PublishResult(posted, fresh=recorded)


def _failed(uow: UnitOfWork, proposal: Proposal, reason: str) -> PublishResult:
    with uow:
        uow.proposals.mark_post_failed(proposal.id, reason)
        uow.commit()
    log.warning(
        "proposal_post_failed proposal_id=%s attempt=%s error=%s",
        proposal.id,
        proposal.post_attempts,
        reason,
    )
    return PublishResult(None, reason)


def publish_one(cmd: PublishProposal, poster: Poster) -> PublishResult:
    return publish(poster, cmd.proposal_id)


def post_gone(
    proposal: Proposal, *, uow: UnitOfWork, messenger: Messenger, organizers: OrganizerDirectory
) -> None:
    """Its post was deleted in Slack (by an admin: only they can delete the bot's messages).
    The project is kept (its team, its answers, the export); the proposer and the organizers
    are told once, and the organizers' dashboard lists it."""
    with uow:
        first = uow.proposals.mark_post_gone(proposal.id)
        uow.commit()
    if not first:
        return
    log.warning("proposal_post_gone proposal_id=%s ts=%s", proposal.id, proposal.ts)
    messenger.dm(proposal.proposer_id, post_deleted_dm(proposal.name))
    for organizer in sorted(organizers.everyone()):
        messenger.dm(organizer, post_deleted(proposal))


def permalink_of(team_url: str, channel: str, ts: str) -> str:
    """A top-level message's permalink, as chat.getPermalink would answer it: no call, so the
    post's ts is recorded the moment Slack returns it (a reaction may follow at once)."""
    return f"{team_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"


def confirm_to_proposer(proposal: Proposal, *, messenger: Messenger, join_emoji: str) -> None:
    messenger.dm(proposal.proposer_id, posted_dm(proposal, join_emoji))


def retry_pending(cmd: RetryPending, poster: Poster) -> int:
    """Post every proposal still pending; how many this call posted."""
    posted = 0
    for proposal_id in poster.uow.proposals.pending_ids():
        result = publish(poster, proposal_id)
        if result.fresh and result.proposal is not None:
            posted += 1
            confirm_to_proposer(
                result.proposal, messenger=poster.messenger, join_emoji=poster.join_emoji
            )
    if posted:
        log.info("pending_proposals_posted count=%s", posted)
    return posted


RETRY_SECONDS = 10.0


def redraw_post(
    poster: Poster, proposal_id: int, may_send: Callable[[], bool]
) -> tuple[str, float]:
    """Redraw one post with its team as it is now. Returns "sent", "same" (it shows this
    already), "budget" (`may_send` said the rate window is full), "retry" with the seconds to
    wait (Slack failed for now), or "gone" (nothing to redraw, or refused for good)."""
    uow, messenger = poster.uow, poster.messenger
    proposal = uow.proposals.get(proposal_id)
    if proposal is None or proposal.channel is None or proposal.ts is None:
        return "gone", 0.0
    text, blocks = render(poster, proposal)
    metadata = metadata_of(uow, proposal)  # kept current: a rebuild reads the team from it
    digest = hashlib.sha1(json.dumps([blocks, metadata], sort_keys=True).encode()).hexdigest()
    if uow.proposals.roster_hash(proposal_id) == digest:
        return "same", 0.0
    if not may_send():
        return "budget", 0.0
    sent = messenger.update_checked(proposal.channel, proposal.ts, text, blocks, metadata=metadata)
    if sent.error is not None:
        log.warning("roster_update_failed proposal_id=%s error=%s", proposal_id, sent.error)
        if sent.status is None:  # not reached (a timeout, a refused connection)
            return "retry", RETRY_SECONDS
        # Permanent refusals (message_not_found, cant_update_message…) are dropped: retried,
        # they would eat the whole bot's chat.update budget.
        if sent.error == "message_not_found":
            post_gone(proposal, uow=uow, messenger=messenger, organizers=poster.organizers)
        if sent.status == 429:
            return "retry", RETRY_SECONDS if sent.retry_after is None else sent.retry_after
        return ("retry", RETRY_SECONDS) if sent.status >= 500 else ("gone", 0.0)
    with uow:
        uow.proposals.set_roster_hash(proposal_id, digest)
        uow.commit()
    log.info("roster_updated proposal_id=%s", proposal_id)
    return "sent", 0.0


COMMANDS = {PublishProposal: publish_one, RetryPending: retry_pending}
