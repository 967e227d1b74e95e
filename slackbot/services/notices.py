"""Telling people where they stand, once: joining, the waitlist (and their place on it), moving
up, being moved by an organizer, the team becoming official, a request to join an official
team decided; the proposer's news; the organizers' word of official teams that change.

A membership change queues notices in the outbox (store/notices.py) with the change. The
refresher sends what is due: everything for one person in one short DM, written from the
team as it is when sent (a person who joined and left meanwhile hears nothing; a waitlist
place is the current one), paced by the chat.postMessage budget. A DM Slack refuses for good
(a deactivated person) is given up and logged; a network failure is tried again.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from slackbot.blocks.notice_messages import (
    join_request_message,
    made_official_line,
    official_team_changed_line,
    place_line,
    proposer_news_line,
    request_declined_line,
)
from slackbot.blocks.organizer_alert import reminder_message
from slackbot.config import Settings
from slackbot.domain.delivery import ACCESS_LOST
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import Change
from slackbot.services.alerting import THRESHOLD, render_alert
from slackbot.services.directory import OrganizerDirectory
from slackbot.services.ports import Messenger
from slackbot.store.notices import REMINDER, Notice, Notices
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.notices")

PLACE = "place"  # detail: reason = joined | promoted | moved | waitlisted | approved
NEWS = "news"  # to the proposer: joined, left
OFFICIAL = "official"  # to each member, when the team is made official
DECLINED = "declined"  # a request to join an official team, declined
JOIN_REQUEST = "join_request"  # to each organizer: about = who asks
OFFICIAL_CHANGE = "official_change"  # to each organizer: joined, left
OWN_MESSAGE = (JOIN_REQUEST, REMINDER)  # sent as a message of their own, with buttons
NEWS_DELAY = 30.0  # the proposer's news is batched: one DM per 30 s at most
# A person's place is told a few seconds after the change: who reacts and un-reacts at once
# hears nothing, and a kickoff flood's DMs go out after its peak, not during it.
PLACE_DELAY = 5.0
HOLD = 120.0  # a claimed notice is someone's for this long
RETRY = 30.0


def queue_for_change(
    uow: UnitOfWork, organizers: OrganizerDirectory, proposal: Proposal, change: Change
) -> None:
    """The notices a team change calls for (in the caller's unit of work, if any)."""
    outbox: Notices = uow.notices
    promoted = set(change.unqueued)
    for user in change.joined:
        if user != proposal.proposer_id:
            reason = "promoted" if user in promoted else "joined"
            outbox.add(user, proposal.id, PLACE, {"reason": reason}, delay=PLACE_DELAY)
    for user in change.queued:
        outbox.add(user, proposal.id, PLACE, {"reason": "waitlisted"}, delay=PLACE_DELAY)
    joined = [u for u in change.joined if u != proposal.proposer_id]
    left = [u for u in change.left if u != proposal.proposer_id]
    if joined or left:
        outbox.add(
            proposal.proposer_id,
            proposal.id,
            NEWS,
            {"joined": joined, "left": left},
            delay=NEWS_DELAY,
        )
        if proposal.status is Status.OFFICIAL:
            for organizer in organizers.everyone():
                outbox.add(
                    organizer, proposal.id, OFFICIAL_CHANGE, {"joined": joined, "left": left}
                )


def send_notices(now: float, *, uow: UnitOfWork, messenger: Messenger, settings: Settings) -> int:
    """Send every due notice, one DM per person; returns how many DMs went out."""
    outbox: Notices = uow.notices
    with uow.writing():  # now: inf when flushing
        due = outbox.claim_due(min(now, time.time() + 10**9), hold=HOLD)
    # A notice about a project not posted yet (a second team's people, told as it is created)
    # waits for its post: said now, it would read as "nothing to say" and be dropped.
    unposted = {
        p.id
        for p in uow.proposals.get_many(list({n.proposal_id for n in due})).values()
        if p.status is Status.PENDING
    }
    if unposted:
        later = [n.id for n in due if n.proposal_id in unposted]
        with uow.writing():
            outbox.retry(later, at=time.time() + PLACE_DELAY)
        due = [n for n in due if n.proposal_id not in unposted]
    by_user: dict[str, list[Notice]] = {}
    for notice in due:
        by_user.setdefault(notice.user_id, []).append(notice)
    sent = 0
    for user, theirs in by_user.items():
        own = [n for n in theirs if n.kind in OWN_MESSAGE]
        others = [n for n in theirs if n.kind not in OWN_MESSAGE]
        for notice in own:
            message = _own_message(uow, settings, notice)
            if message is None:
                with uow.writing():
                    outbox.sent([notice.id])  # moot: the project is gone or decided
                continue
            sent += _deliver(messenger, uow, user, [notice], *message)
        if others:
            text = _digest(uow, user, others)
            if text:
                sent += _deliver(messenger, uow, user, others, text, None)
            else:
                with uow.writing():
                    outbox.sent([n.id for n in others])  # nothing left to say
    return sent


def _deliver(
    messenger: Messenger,
    uow: UnitOfWork,
    user: str,
    batch: list[Notice],
    text: str,
    blocks: list[dict[str, Any]] | None,
) -> int:
    ids, outbox = [n.id for n in batch], uow.notices
    if not messenger.may_send("chat.postMessage", user):
        with uow.writing():
            outbox.retry(ids, time.time() + 1.0)  # no room in the budget now: soon
        return 0
    sent = messenger.send(user, text, blocks)
    if sent.error == ACCESS_LOST:  # the app uninstalled: kept for the next start
        with uow.writing():
            outbox.retry(ids, time.time() + 3600)
        return 0
    if sent.error is not None and sent.status is not None:  # Slack refused: for good
        log.warning("notice_given_up user=%s error=%s", user, sent.error)
        with uow.writing():
            outbox.sent(ids)
        return 0
    if sent.error is not None:  # Slack not reached
        log.warning("notice_failed user=%s error=%s", user, sent.error)
        with uow.writing():
            outbox.retry(ids, time.time() + RETRY)
        return 0
    with uow.writing():
        outbox.sent(ids, sent.channel or "", sent.ts or "")
    log.info("notice_sent user=%s kinds=%s", user, ",".join(sorted({n.kind for n in batch})))
    return 1


def _own_message(
    uow: UnitOfWork, settings: Settings, notice: Notice
) -> tuple[str, list[dict[str, Any]]] | None:
    proposal = uow.proposals.get(notice.proposal_id)
    if proposal is None or not proposal.is_live:
        return None
    if notice.kind == REMINDER:
        if proposal.status is Status.OFFICIAL:
            return None
        return reminder_message(render_alert(uow, proposal, THRESHOLD), settings.REALERT_HOURS)
    return join_request_message(
        proposal,
        uow.memberships.team(proposal),
        str(notice.detail.get("about", "")),
        decided=None,
    )


def _digest(uow: UnitOfWork, user: str, batch: list[Notice]) -> str:
    """One DM's lines for a person's notices, from the teams as they are now."""
    lines: list[str] = []
    latest_place: dict[int, Notice] = {}
    news: dict[int, tuple[list[str], list[str]]] = {}
    changes: dict[int, tuple[list[str], list[str]]] = {}
    for notice in batch:
        if notice.kind == PLACE:
            latest_place[notice.proposal_id] = notice
        elif notice.kind in (NEWS, OFFICIAL_CHANGE):
            into = news if notice.kind == NEWS else changes
            joined, left = into.setdefault(notice.proposal_id, ([], []))
            _net(joined, left, notice.detail.get("joined") or [], notice.detail.get("left") or [])
    proposals = uow.proposals.get_many(list({n.proposal_id for n in batch}))
    for notice in batch:
        proposal = proposals.get(notice.proposal_id)
        if proposal is None:
            continue
        if notice.kind == PLACE and latest_place.get(notice.proposal_id) is notice:
            lines += _place_line(uow, proposal, user, str(notice.detail.get("reason")))
        elif notice.kind == OFFICIAL:
            team_channel = uow.memberships.official_channel(proposal.id)
            lines.append(made_official_line(proposal, team_channel))
        elif notice.kind == DECLINED:
            lines.append(request_declined_line(proposal))
    for pid, (joined, left) in news.items():
        proposal = proposals.get(pid)
        if proposal is None or not (joined or left) or not proposal.is_live:
            continue
        lines.append(proposer_news_line(proposal, joined, left, uow.memberships.team(proposal)))
    for pid, (joined, left) in changes.items():
        proposal = proposals.get(pid)
        if proposal is None or not (joined or left):
            continue
        members = uow.memberships.team(proposal).members
        lines.append(official_team_changed_line(proposal, joined, left, members))
    return "\n".join(lines)


def _place_line(uow: UnitOfWork, proposal: Proposal, user: str, reason: str) -> list[str]:
    place = uow.memberships.place(proposal, user)
    if place is None or not proposal.is_live:
        return []  # left again meanwhile, or the project is gone: nothing to say
    where, position = place
    team = uow.memberships.team(proposal)
    official = proposal.status is Status.OFFICIAL
    team_channel = uow.memberships.official_channel(proposal.id) if official else None
    return [
        place_line(
            proposal,
            reason,
            team,
            waitlist_place=position if where == "waitlist" else None,
            team_channel=team_channel,
        )
    ]


def _net(joined: list[str], left: list[str], more_joined: list[str], more_left: list[str]) -> None:
    """Add a later change to a running one: who joined then left (or the reverse) is no news."""
    for user in more_joined:
        if user in left:
            left.remove(user)
        elif user not in joined:
            joined.append(user)
    for user in more_left:
        if user in joined:
            joined.remove(user)
        elif user not in left:
            left.append(user)
