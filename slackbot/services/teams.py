"""Join signals in, team consequences out: rosters, the proposer's news, organizer alerts,
and invitations to an official team's channel."""

from __future__ import annotations

import logging
import time
from typing import Any

from slackbot.blocks.team import team_blocks
from slackbot.blocks.text import link, mentions
from slackbot.domain.proposal import Proposal
from slackbot.domain.teams import Change, Signal, Team, TeamStatus, base_emoji
from slackbot.runtime import Runtime
from slackbot.services.alerts import check_alerts
from slackbot.services.notify import DELIVERY_ERRORS, dm

log = logging.getLogger("slackbot.teams")


def team_of(rt: Runtime, proposal: Proposal) -> Team:
    return rt.memberships.team(proposal)


def team_blocks_for(rt: Runtime, proposal: Proposal) -> list[Any]:
    return team_blocks(
        team_of(rt, proposal),
        join_emoji=rt.join_emoji[0],
        channel_id=rt.memberships.official_channel(proposal.id),
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
    """Apply a join signal to a live proposal; withdrawn or closed ones ignore it."""
    if not proposal.is_live:
        return None
    change = rt.memberships.apply(proposal, signal)
    after_change(rt, proposal, change)
    return change


def after_change(rt: Runtime, proposal: Proposal, change: Change) -> None:
    if not change.changed:
        return
    log.info(
        "team_changed proposal_id=%s size=%s joined=%s left=%s",
        proposal.id,
        change.after.size,
        ",".join(change.joined),
        ",".join(change.left),
    )
    rt.updates.mark(proposal.id)
    rt.updates.note(proposal.id, change.joined, change.left)
    affected = {proposal.proposer_id, *change.joined, *change.left}
    if change.before.status is not change.after.status:
        affected |= rt.organizers.everyone()
    rt.updates.mark_homes(affected)
    if change.after.status is TeamStatus.OFFICIAL and change.joined:
        invite_to_team_channel(rt, proposal.id, change.joined)
    check_alerts(rt, proposal, change.after)


def invite_to_team_channel(rt: Runtime, proposal_id: int, users: list[str]) -> None:
    channel = rt.memberships.official_channel(proposal_id)
    if channel is None or not users:
        return
    try:
        rt.client.conversations_invite(channel=channel, users=",".join(users))
    except DELIVERY_ERRORS as exc:
        log.warning("team_invite_failed proposal_id=%s error=%s", proposal_id, exc)


def tell_proposer(rt: Runtime, proposal_id: int, joined: list[str], left: list[str]) -> None:
    """One DM to the proposer with everything that changed since the last one."""
    proposal = rt.proposals.get(proposal_id)
    if proposal is None or not proposal.is_live:
        return
    joined = [u for u in joined if u != proposal.proposer_id]
    left = [u for u in left if u != proposal.proposer_id]
    if not joined and not left:
        return
    team = team_of(rt, proposal)
    parts = []
    if joined:
        parts.append(f"{mentions(joined)} joined")
    if left:
        parts.append(f"{mentions(left)} left")
    text = (
        f"News for {link(proposal.permalink, proposal.name)}: {'; '.join(parts)}. "
        f"The team is now {team.size} (threshold {team.threshold}, max {team.max_size})."
    )
    dm(rt.client, proposal.proposer_id, text)


def _present(rt: Runtime, reactions: list[dict[str, Any]]) -> tuple[set[tuple[str, str]], bool]:
    """{(user, emoji)} of the join reactions listed, and whether a list was cut short."""
    present: set[tuple[str, str]] = set()
    cut = False
    for reaction in reactions:
        emoji = base_emoji(str(reaction.get("name", "")))
        if emoji not in rt.join_emoji:
            continue
        users = [u for u in reaction.get("users") or [] if isinstance(u, str)]
        cut = cut or int(reaction.get("count") or 0) > len(users)
        present.update((u, emoji) for u in users if u != rt.bot_user_id)
    return present, cut


def reconcile(rt: Runtime, proposal: Proposal) -> Change | None:
    """Make one post's team match its reactions (reactions.get, the full list)."""
    if proposal.channel is None or proposal.ts is None or not proposal.is_live:
        return None
    if not rt.reactions_window.acquire(timeout=90):
        return None
    at = time.time()
    response = rt.client.reactions_get(channel=proposal.channel, timestamp=proposal.ts, full=True)
    present, _ = _present(rt, (response.get("message") or {}).get("reactions") or [])
    change = rt.memberships.reconcile(proposal, present, rt.join_emoji, at)
    after_change(rt, proposal, change)
    return change


def reconcile_all(rt: Runtime, *, page_size: int = 200) -> int:
    """Make every open post's team match its reactions, newest posts first.

    conversations.history returns up to 200 messages with their reactions per call (Tier 3),
    so a pass over thousands of posts takes a few calls; only a post whose reacting users were
    cut from the page (a very popular one) costs a reactions.get of its own. Reactions made,
    and events lost, while the bot was down are applied here: start-up runs a whole pass."""
    open_posts = rt.proposals.live_posts(rt.channel_id)
    if not open_posts:
        return 0
    oldest = min(open_posts, key=_ts_key)
    done = 0
    cursor = None
    while True:
        if not rt.history_window.acquire(timeout=90):
            log.warning("reconcile_stopped reason=budget done=%s", done)
            break
        at = time.time()
        try:
            page = rt.client.conversations_history(
                channel=rt.channel_id,
                oldest=oldest,
                inclusive=True,
                limit=page_size,
                cursor=cursor,
            )
        except DELIVERY_ERRORS as exc:
            log.warning("reconcile_failed error=%s done=%s", exc, done)
            break
        for message in page.get("messages") or []:
            proposal_id = open_posts.get(str(message.get("ts")))
            if proposal_id is None:
                continue
            proposal = rt.proposals.get(proposal_id)
            if proposal is None or not proposal.is_live:
                continue
            present, cut = _present(rt, message.get("reactions") or [])
            try:
                if cut:
                    reconcile(rt, proposal)
                else:
                    change = rt.memberships.reconcile(proposal, present, rt.join_emoji, at)
                    after_change(rt, proposal, change)
            except DELIVERY_ERRORS as exc:
                log.warning("reconcile_failed proposal_id=%s error=%s", proposal_id, exc)
                continue
            done += 1
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor or not page.get("has_more", True):
            break
    log.info("reconciled posts=%s of=%s", done, len(open_posts))
    return done


def _ts_key(ts: str) -> tuple[int, int]:
    seconds, _, micros = ts.partition(".")
    return int(seconds), int(micros or 0)


def reconcile_due(rt: Runtime, *, older_than: float | None = None) -> int:
    """The periodic job: a whole pass when the last one is older than RECONCILE_MINUTES
    (`older_than` seconds); at start-up, whatever the last pass."""
    every = rt.settings.RECONCILE_MINUTES * 60 if older_than is None else older_than
    last = rt.proposals.last_reconciled(rt.channel_id)
    if last is not None and time.time() - last < every:
        return 0
    return reconcile_all(rt)
