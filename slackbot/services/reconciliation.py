"""Teams made to match the reactions on their posts, for the events Slack never delivered (or
delivered while the bot was down): at start-up for every open post, then periodically."""

from __future__ import annotations

import logging
import time
from typing import Any

from slackbot.domain.proposal import Proposal
from slackbot.domain.teams import Change, base_emoji
from slackbot.services.joining import after_change
from slackbot.services.posting import post_gone
from slackbot.services.runtime import Runtime
from slackbot.slack.direct_messages import DELIVERY_ERRORS

log = logging.getLogger("slackbot.reconciliation")


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
    seen: set[str] = set()
    complete = False
    cursor = None
    while True:
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
            seen.add(str(message.get("ts")))
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
            complete = True
            break
    if complete:  # a whole pass: an open post it did not meet was deleted in Slack
        for ts, proposal_id in open_posts.items():
            gone = rt.proposals.get(proposal_id) if ts not in seen else None
            if gone is not None and gone.is_live:
                post_gone(gone, uow=rt.uow, messenger=rt.messenger, organizers=rt.organizers)
    log.info("reconciled posts=%s of=%s", done, len(open_posts))
    return done


def _ts_key(ts: str) -> tuple[int, int]:
    seconds, _, micros = ts.partition(".")
    return int(seconds), int(micros or 0)


def reconcile_at_start(rt: Runtime, *, wait: float = 60.0) -> int:
    """The start-up pass: a whole pass, once the reaction events acknowledged before the
    start (by a process that then stopped) are applied. Applied after the snapshot, such an
    event would undo what the snapshot says (a join, then its undoing while the bot was down)."""
    started, deadline = time.time(), time.monotonic() + wait
    while rt.inbox.pending_before("events", started) and time.monotonic() < deadline:
        time.sleep(0.1)
    return reconcile_all(rt)


def reconcile_due(rt: Runtime, *, older_than: float | None = None) -> int:
    """The periodic job: a whole pass when the last one is older than RECONCILE_MINUTES
    (`older_than` seconds); at start-up, whatever the last pass."""
    every = rt.settings.RECONCILE_MINUTES * 60 if older_than is None else older_than
    last = rt.proposals.last_reconciled(rt.channel_id)
    if last is not None and time.time() - last < every:
        return 0
    return reconcile_all(rt)
