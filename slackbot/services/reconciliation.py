"""Teams made to match the reactions on their posts, for the events Slack never delivered (or
delivered while the bot was down): at start-up for every open post, then periodically.

Commands: `ReconcileAll` (one whole pass), `ReconcileAtStart` (the start-up pass, once the
reaction events acknowledged before the start are applied), `ReconcileDue` (the periodic job).
Each post's change is stored in a unit of work of its own, with what it leaves behind
(`joining.record_change`); the bus hands out the TeamChanged events once the pass is done.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slackbot.config import Settings
from slackbot.domain.proposal import Proposal
from slackbot.domain.teams import Change, base_emoji
from slackbot.machinery.refresher import Refresher
from slackbot.services.directory import OrganizerDirectory
from slackbot.services.joining import record_change
from slackbot.services.ports import History, Messenger, SlackUnreachable
from slackbot.services.posting import post_gone
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.reconciliation")


@dataclass(frozen=True)
class ReconcileAll:
    page_size: int = 200


@dataclass(frozen=True)
class ReconcileAtStart:
    wait: float = 60.0


@dataclass(frozen=True)
class ReconcileDue:
    older_than: float | None = None  # seconds; None: RECONCILE_MINUTES


@dataclass(frozen=True)
class Pass:
    """What a pass works with (built once by the bootstrap, named `reconciler` by the
    handlers)."""

    uow: UnitOfWork
    history: History
    messenger: Messenger
    updates: Refresher
    organizers: OrganizerDirectory
    join_emoji: list[str]
    bot_user_id: str


def _present(each: Pass, reactions: list[dict[str, Any]]) -> tuple[set[tuple[str, str]], bool]:
    """{(user, emoji)} of the join reactions listed, and whether a list was cut short."""
    present: set[tuple[str, str]] = set()
    cut = False
    for reaction in reactions:
        emoji = base_emoji(str(reaction.get("name", "")))
        if emoji not in each.join_emoji:
            continue
        users = [u for u in reaction.get("users") or [] if isinstance(u, str)]
        cut = cut or int(reaction.get("count") or 0) > len(users)
        present.update((u, emoji) for u in users if u != each.bot_user_id)
    return present, cut


def _match(each: Pass, proposal: Proposal, present: set[tuple[str, str]], at: float) -> Change:
    """The team made to match `present`, and what that change leaves behind, in one unit."""
    with each.uow:
        change = each.uow.memberships.reconcile(proposal, present, each.join_emoji, at)
        record_change(each.uow, each.updates, each.organizers, proposal, change)
        each.uow.commit()
    return change


def reconcile(each: Pass, proposal: Proposal) -> Change | None:
    """Make one post's team match its reactions (reactions.get, the full list)."""
    if proposal.channel is None or proposal.ts is None or not proposal.is_live:
        return None
    at = time.time()
    present, _ = _present(each, each.history.reactions(proposal.channel, proposal.ts))
    return _match(each, proposal, present, at)


def reconcile_all(each: Pass, channel_id: str, *, page_size: int = 200) -> int:
    """Make every open post's team match its reactions, newest posts first.

    conversations.history returns up to 200 messages with their reactions per call (Tier 3),
    so a pass over thousands of posts takes a few calls; only a post whose reacting users were
    cut from the page (a very popular one) costs a reactions.get of its own. Reactions made,
    and events lost, while the bot was down are applied here: start-up runs a whole pass."""
    open_posts = each.uow.proposals.live_posts(channel_id)
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
            page = each.history.page(channel_id, oldest=oldest, limit=page_size, cursor=cursor)
        except SlackUnreachable as exc:
            log.warning("reconcile_failed error=%s done=%s", exc, done)
            break
        for message in page.get("messages") or []:
            seen.add(str(message.get("ts")))
            proposal_id = open_posts.get(str(message.get("ts")))
            if proposal_id is None:
                continue
            proposal = each.uow.proposals.get(proposal_id)
            if proposal is None or not proposal.is_live:
                continue
            present, cut = _present(each, message.get("reactions") or [])
            try:
                if cut:
                    reconcile(each, proposal)
                else:
                    _match(each, proposal, present, at)
            except SlackUnreachable as exc:
                log.warning("reconcile_failed proposal_id=%s error=%s", proposal_id, exc)
                continue
            done += 1
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor or not page.get("has_more", True):
            complete = True
            break
    if complete:  # a whole pass: an open post it did not meet was deleted in Slack
        for ts, proposal_id in open_posts.items():
            gone = each.uow.proposals.get(proposal_id) if ts not in seen else None
            if gone is not None and gone.is_live:
                post_gone(gone, uow=each.uow, messenger=each.messenger, organizers=each.organizers)
    log.info("reconciled posts=%s of=%s", done, len(open_posts))
    return done


def _ts_key(ts: str) -> tuple[int, int]:
    seconds, _, micros = ts.partition(".")
    return int(seconds), int(micros or 0)


def whole_pass(cmd: ReconcileAll, reconciler: Pass, channel_id: str) -> int:
    return reconcile_all(reconciler, channel_id, page_size=cmd.page_size)


def at_start(
    cmd: ReconcileAtStart,
    reconciler: Pass,
    channel_id: str,
    pending_events_before: Callable[[float], bool],
) -> int:
    """The start-up pass: a whole pass, once the reaction events acknowledged before the
    start (by a process that then stopped) are applied. Applied after the snapshot, such an
    event would undo what the snapshot says (a join, then its undoing while the bot was down)."""
    started, deadline = time.time(), time.monotonic() + cmd.wait
    while pending_events_before(started) and time.monotonic() < deadline:
        time.sleep(0.1)
    return reconcile_all(reconciler, channel_id)


def when_due(cmd: ReconcileDue, reconciler: Pass, settings: Settings, channel_id: str) -> int:
    """The periodic job: a whole pass when the last one is older than RECONCILE_MINUTES
    (`older_than` seconds); at start-up, whatever the last pass."""
    every = settings.RECONCILE_MINUTES * 60 if cmd.older_than is None else cmd.older_than
    last = reconciler.uow.proposals.last_reconciled(channel_id)
    if last is not None and time.time() - last < every:
        return 0
    return reconcile_all(reconciler, channel_id)


COMMANDS = {ReconcileAll: whole_pass, ReconcileAtStart: at_start, ReconcileDue: when_due}
