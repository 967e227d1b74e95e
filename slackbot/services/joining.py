"""Joining and leaving: a join signal (a reaction, a button, an organizer's move) applied to
a team, and what follows: the post's roster, the notices (the person's place, the proposer's
news), organizer alerts, an invitation to an official team's channel. Joining an official team
is a request the organizers decide on."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slackbot.blocks.roster import team_blocks
from slackbot.domain.answers import Answer, Moment, say
from slackbot.domain.events import TeamChanged
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import BUTTON, ORGANIZER, Change, Signal, Team, TeamStatus, base_emoji
from slackbot.services import join_requests
from slackbot.services.alerting import claim_alerts
from slackbot.services.deadlines import TEAMS, passed
from slackbot.services.notices import queue_for_change
from slackbot.services.outcome import Outcome
from slackbot.services.runtime import Runtime

log = logging.getLogger("slackbot.teams")


def team_of(rt: Runtime, proposal: Proposal) -> Team:
    return rt.memberships.team(proposal)


def team_blocks_for(rt: Runtime, proposal: Proposal) -> list[Any]:
    return team_blocks(
        team_of(rt, proposal),
        join_emoji=rt.join_emoji[0],
        channel_id=rt.memberships.official_channel(proposal.id),
        name=proposal.name,
    )


class PostNotRecordedYet(OSError):
    """A join on a message that may be a post whose ts is being recorded: try again soon."""


def join_in_reaction(rt: Runtime, event: dict[str, Any], *, added: bool) -> Signal | None:
    """The join signal a reaction event carries, if it is a join emoji on a message in the
    proposals channel from someone other than the bot (no database read)."""
    item = event.get("item")
    user = event.get("user")
    if not isinstance(item, dict) or not isinstance(user, str) or not user:
        return None
    emoji = base_emoji(str(event.get("reaction", "")))
    if item.get("type") != "message" or item.get("channel") != rt.channel_id:
        return None
    if not isinstance(item.get("ts"), str) or user == rt.bot_user_id:
        return None
    if emoji not in rt.join_emoji:
        return None
    try:
        at = float(event.get("event_ts") or time.time())
    except (TypeError, ValueError):
        at = time.time()
    return Signal(user, emoji, added, at)


def apply_reaction(rt: Runtime, event: dict[str, Any], *, added: bool) -> Change | None:
    """Apply a join reaction to the team of the post it is on."""
    signal = join_in_reaction(rt, event, added=added)
    if signal is None:
        return None
    proposal = rt.proposals.by_message(rt.channel_id, str(event["item"]["ts"]))
    if proposal is None:
        if rt.proposals.posting_now():
            # Someone reacted between Slack storing a post and the bot recording its ts.
            raise PostNotRecordedYet("a proposal is being posted")
        return None  # a reaction on some other message
    return apply_signal(rt, proposal, signal)


def apply_signal(rt: Runtime, proposal: Proposal, signal: Signal) -> Change | None:
    """Apply a join signal to a live proposal; withdrawn or closed ones ignore it. A person
    joining an official team by reaction or button asks the organizers instead."""
    if not proposal.is_live or _closed_to(rt, signal):
        return None
    if _asks_official(rt, proposal, signal):
        join_requests.ask(rt, proposal, signal.user_id)
        return None
    change = rt.memberships.apply(proposal, signal)
    after_change(rt, proposal, change)
    return change


def _closed_to(rt: Runtime, signal: Signal) -> bool:
    """After TEAMS_CLOSE_AT joining stops (leaving, and an organizer's move, still work)."""
    return signal.present and signal.source != ORGANIZER and passed(rt, TEAMS, signal.at)


def _asks_official(rt: Runtime, proposal: Proposal, signal: Signal) -> bool:
    """A wish to join an official team from someone not in it: a request, not a join."""
    return (
        proposal.status is Status.OFFICIAL
        and signal.present
        and signal.source != ORGANIZER
        and rt.memberships.place(proposal, signal.user_id) is None
    )


def join_team(rt: Runtime, proposal_id: int, user: str, at: float | None = None) -> Outcome:
    """Join by button, "Ask to join" included: the same signal as a reaction (last writer wins
    by Slack's time), or, for an official team, a request the organizers decide. One function
    for both buttons: a post redrawn between the click and its handling (made official, or
    undone) still gets what the person meant."""
    proposal = rt.proposals.get(proposal_id)
    if proposal is None or not proposal.is_live:
        return Outcome(False, say(Answer.NO_LONGER_TAKES))
    if proposal.proposer_id == user:
        return Outcome(False, say(Answer.OWN_PROJECT, name=proposal.name))
    closed_at = rt.settings.deadline(TEAMS)
    if closed_at is not None and passed(rt, TEAMS):
        return Outcome(False, say(Answer.TEAMS_CLOSED, at=Moment(closed_at)))
    if proposal.status is Status.OFFICIAL:
        return join_requests.ask(rt, proposal, user)
    apply_signal(rt, proposal, Signal(user, BUTTON, True, time.time() if at is None else at))
    return Outcome(True, None)


FollowUp = Callable[[], None]


def record_change(rt: Runtime, proposal: Proposal, change: Change) -> FollowUp:
    """What a team change leaves in the database (its post marked for a redraw, the alerts it
    calls for claimed), in the caller's transaction; returns what to tell Slack and people once
    that is committed (alerts, invitations, notices, Home tabs)."""
    if not change.changed:
        return _nothing
    log.info(
        "team_changed proposal_id=%s size=%s joined=%s left=%s",
        proposal.id,
        change.after.size,
        ",".join(change.joined),
        ",".join(change.left),
    )
    rt.updates.mark(proposal.id)
    alerts_claimed = claim_alerts(rt, proposal, change.after)
    queue_for_change(rt, proposal, change)
    event = TeamChanged(
        proposal_id=proposal.id,
        proposer_id=proposal.proposer_id,
        people=frozenset(change.people),
        joined=tuple(change.joined),
        left=tuple(change.left),
        status_changed=change.before.status is not change.after.status,
        official=change.after.status is TeamStatus.OFFICIAL,
        waitlist_changed=bool(change.queued or change.unqueued),
        alerts_claimed=bool(alerts_claimed),
    )

    def follow_up() -> None:
        rt.bus.publish(event)

    return follow_up


def _nothing() -> None:
    return None


def after_change(rt: Runtime, proposal: Proposal, change: Change) -> None:
    """A team change, recorded and followed up at once (outside a batch)."""
    record_change(rt, proposal, change)()


def apply_reactions(rt: Runtime, events: list[dict[str, Any]]) -> FollowUp:
    """A batch of reaction events, applied in the caller's transaction (the worker marks them
    done in the same one); returns the follow-ups, to run once it is committed."""
    follow_ups: list[FollowUp] = []
    posts: dict[str, Proposal | None] = {}
    for request in events:
        event = dict(request["event"])
        signal = join_in_reaction(rt, event, added=bool(request["added"]))
        if signal is None:
            continue
        ts = str(event["item"]["ts"])
        if ts not in posts:
            posts[ts] = rt.proposals.by_message(rt.channel_id, ts)
        proposal = posts[ts]
        if proposal is None:
            if rt.proposals.posting_now():
                raise PostNotRecordedYet("a proposal is being posted")
            continue
        if not proposal.is_live or _closed_to(rt, signal):
            continue
        if _asks_official(rt, proposal, signal):
            join_requests.ask(rt, proposal, signal.user_id)
            continue
        follow_ups.append(record_change(rt, proposal, rt.memberships.apply(proposal, signal)))

    def follow_up() -> None:
        for each in follow_ups:
            each()

    return follow_up


def show_change(rt: Runtime, proposal_id: int, users: set[str] | None = None) -> None:
    """A project changed: redraw its post and the Home tabs of those concerned (and the
    organizers')."""
    rt.updates.mark(proposal_id)
    rt.updates.mark_homes((users or set()) | rt.organizers.everyone())
