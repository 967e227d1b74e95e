"""Posting proposals to the channel: exactly once, even when Slack fails or we crash.

Each post carries message metadata naming the proposal. Before a retry re-posts a proposal whose
earlier attempt may have reached Slack (a timeout after Slack stored the message), it looks for
that metadata in the channel history and adopts the message it finds instead of posting again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from slack_sdk.errors import SlackApiError

from slackbot.blocks.mrkdwn import escape, mention
from slackbot.blocks.proposal_post import other_teams_line, proposal_message, variants_line
from slackbot.domain.hub import hub_refs
from slackbot.domain.post_record import encode, record_of
from slackbot.domain.proposal import Proposal, Status
from slackbot.services.joining import team_blocks_for
from slackbot.services.runtime import Runtime
from slackbot.slack.direct_messages import DELIVERY_ERRORS, dm
from slackbot.slack.message_lookup import find_marked

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


def render(rt: Runtime, proposal: Proposal) -> tuple[str, list[dict[str, object]]]:
    """The proposal's post as it should look now, live team included, with what the Hub said
    of its models and datasets; what the Hub has not said yet redraws the post when it comes."""
    refs = hub_refs(proposal.answers)
    hub = rt.hub.known(refs)
    if any(r.key not in hub for r in refs):
        rt.hub.when_known(refs, partial(rt.updates.mark, proposal.id))
    variants = [v for v in rt.proposals.get_many(proposal.variants or []).values() if v.ts]
    teams = [t for t in rt.proposals.second_teams(proposal.id) if t.ts]
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
        join_emoji=rt.join_emoji[0],
        team_blocks=team_blocks_for(rt, proposal),
        footer=footer or None,
        hub=hub,
    )


def metadata_of(rt: Runtime, proposal: Proposal) -> dict[str, object]:
    """The post's message metadata: the proposal's id (to find the post again) and its whole
    record (to rebuild the week from Slack if the database is lost), as it is now."""
    if proposal.status is Status.PENDING:  # being posted: it is open once Slack has it
        proposal = replace(proposal, status=Status.OPEN)
    joins, leaves = rt.memberships.join_records(proposal)
    record = record_of(proposal, joins, leaves, rt.memberships.official_record(proposal.id))
    return {
        "event_type": METADATA_EVENT,
        "event_payload": {"proposal_id": proposal.id, "record": encode(record)},
    }


def _find_earlier_post(rt: Runtime, proposal: Proposal) -> str | None:
    """The ts of a message an earlier attempt posted for this proposal, if Slack has one."""
    return find_marked(
        rt.client,
        rt.channel_id,
        since=(proposal.post_started_at or proposal.created_at) - 5,
        event_type=METADATA_EVENT,
        payload={"proposal_id": proposal.id},
    )


def publish(rt: Runtime, proposal_id: int) -> PublishResult:
    """Post a pending proposal, once. Safe to call from any thread or process at any time."""
    proposal = rt.proposals.claim_for_posting(proposal_id)
    if proposal is None:
        current = rt.proposals.get(proposal_id)
        return PublishResult(current, None if current and current.is_posted else "in progress")
    try:
        ts = _find_earlier_post(rt, proposal) if proposal.post_attempts > 1 else None
        if ts is None:
            text, blocks = render(rt, proposal)
            response = rt.client.chat_postMessage(
                channel=rt.channel_id,
                text=text,
                blocks=blocks,
                unfurl_links=False,
                unfurl_media=False,
                metadata=metadata_of(rt, proposal),
            )
            ts = str(response["ts"])
        else:
            log.info("proposal_post_adopted proposal_id=%s ts=%s", proposal.id, ts)
    except DELIVERY_ERRORS as exc:
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else None
        reason = str(error or exc.__class__.__name__)
        rt.proposals.mark_post_failed(proposal.id, reason)
        log.warning(
            "proposal_post_failed proposal_id=%s attempt=%s error=%s",
            proposal.id,
            proposal.post_attempts,
            reason,
        )
        return PublishResult(None, reason)
    permalink = permalink_of(rt, rt.channel_id, ts)
    posted, recorded = rt.proposals.mark_posted(
        proposal.id, channel=rt.channel_id, ts=ts, permalink=permalink
    )
    log.info("proposal_posted proposal_id=%s channel=%s ts=%s", posted.id, rt.channel_id, ts)
    return PublishResult(posted, fresh=recorded)


def post_gone(rt: Runtime, proposal: Proposal) -> None:
    """Its post was deleted in Slack (by an admin: only they can delete the bot's messages).
    The project is kept (its team, its answers, the export); the proposer and the organizers
    are told once, and the organizers' dashboard lists it."""
    if not rt.proposals.mark_post_gone(proposal.id):
        return
    log.warning("proposal_post_gone proposal_id=%s ts=%s", proposal.id, proposal.ts)
    name = escape(proposal.name)
    dm(
        rt.client,
        proposal.proposer_id,
        f":warning: The post of your project *{name}* was deleted from the channel. The project "
        "and its team are kept; ask an organizer if it should be posted again.",
    )
    for organizer in sorted(rt.organizers.everyone()):
        dm(
            rt.client,
            organizer,
            f":warning: The post of project #{proposal.id} *{name}* (by "
            f"{mention(proposal.proposer_id)}) was deleted in Slack. The project and its team "
            "are kept in the bot and the export; the Home tab's dashboard lists it.",
        )


def permalink_of(rt: Runtime, channel: str, ts: str) -> str:
    """A top-level message's permalink, as chat.getPermalink would answer it: no call, so the
    post's ts is recorded the moment Slack returns it (a reaction may follow at once)."""
    return f"{rt.team_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"


def confirm_to_proposer(rt: Runtime, proposal: Proposal) -> None:
    dm(
        rt.client,
        proposal.proposer_id,
        f"Your project *{escape(proposal.name)}* is posted: {proposal.permalink}\n"
        f"People join with its *Join the team* button or by reacting with "
        f":{rt.join_emoji[0]}:. You will hear from me when they do.",
    )


def retry_pending(rt: Runtime) -> int:
    """Post every proposal still pending (the retry job, also run at start-up)."""
    posted = 0
    for proposal_id in rt.proposals.pending_ids():
        result = publish(rt, proposal_id)
        if result.fresh and result.proposal is not None:
            posted += 1
            confirm_to_proposer(rt, result.proposal)
    if posted:
        log.info("pending_proposals_posted count=%s", posted)
    return posted


RETRY_SECONDS = 10.0


def redraw_post(rt: Runtime, proposal_id: int, may_send: Callable[[], bool]) -> tuple[str, float]:
    """Redraw one post with its team as it is now. Returns "sent", "same" (it shows this
    already), "budget" (`may_send` said the rate window is full), "retry" with the seconds to
    wait (Slack failed for now), or "gone" (nothing to redraw, or refused for good)."""
    proposal = rt.proposals.get(proposal_id)
    if proposal is None or proposal.channel is None or proposal.ts is None:
        return "gone", 0.0
    text, blocks = render(rt, proposal)
    metadata = metadata_of(rt, proposal)  # kept current: a rebuild reads the team from it
    digest = hashlib.sha1(json.dumps([blocks, metadata], sort_keys=True).encode()).hexdigest()
    if rt.proposals.roster_hash(proposal_id) == digest:
        return "same", 0.0
    if not may_send():
        return "budget", 0.0
    try:
        rt.client.chat_update(
            channel=proposal.channel, ts=proposal.ts, text=text, blocks=blocks, metadata=metadata
        )
    except SlackApiError as exc:
        status = exc.response.status_code
        log.warning(
            "roster_update_failed proposal_id=%s error=%s", proposal_id, exc.response.get("error")
        )
        # Permanent refusals (message_not_found, cant_update_message…) are dropped: retried,
        # they would eat the whole bot's chat.update budget.
        if exc.response.get("error") == "message_not_found":
            post_gone(rt, proposal)
        if status == 429:
            return "retry", float(exc.response.headers.get("Retry-After") or RETRY_SECONDS)
        return ("retry", RETRY_SECONDS) if status >= 500 else ("gone", 0.0)
    except OSError as exc:
        log.warning("roster_update_failed proposal_id=%s error=%s", proposal_id, exc)
        return "retry", RETRY_SECONDS
    rt.proposals.set_roster_hash(proposal_id, digest)
    log.info("roster_updated proposal_id=%s", proposal_id)
    return "sent", 0.0
