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

from slackbot.blocks.mrkdwn import channel, link, mentions
from slackbot.blocks.notice_messages import join_request_message
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
    due = outbox.claim_due(min(now, time.time() + 10**9), hold=HOLD)  # now: inf when flushing
    # A notice about a project not posted yet (a second team's people, told as it is created)
    # waits for its post: said now, it would read as "nothing to say" and be dropped.
    unposted = {
        p.id
        for p in uow.proposals.get_many(list({n.proposal_id for n in due})).values()
        if p.status is Status.PENDING
    }
    if unposted:
        later = [n.id for n in due if n.proposal_id in unposted]
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
                outbox.sent([notice.id])  # moot: the project is gone or decided
                continue
            sent += _deliver(messenger, outbox, user, [notice], *message)
        if others:
            text = _digest(uow, user, others)
            if text:
                sent += _deliver(messenger, outbox, user, others, text, None)
            else:
                outbox.sent([n.id for n in others])  # nothing left to say
    return sent


def _deliver(
    messenger: Messenger,
    outbox: Notices,
    user: str,
    batch: list[Notice],
    text: str,
    blocks: list[dict[str, Any]] | None,
) -> int:
    ids = [n.id for n in batch]
    if not messenger.may_send("chat.postMessage", user):
        outbox.retry(ids, time.time() + 1.0)  # no room in the budget now: soon
        return 0
    sent = messenger.send(user, text, blocks)
    if sent.error == ACCESS_LOST:  # the app uninstalled: kept for the next start
        outbox.retry(ids, time.time() + 3600)
        return 0
    if sent.error is not None and sent.status is not None:  # Slack refused: for good
        log.warning("notice_given_up user=%s error=%s", user, sent.error)
        outbox.sent(ids)
        return 0
    if sent.error is not None:  # Slack not reached
        log.warning("notice_failed user=%s error=%s", user, sent.error)
        outbox.retry(ids, time.time() + RETRY)
        return 0
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
        text, blocks = render_alert(uow, proposal, THRESHOLD)
        hours = settings.REALERT_HOURS
        head = {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f":alarm_clock: Reminder: this team is still waiting for you, "
                    f"{hours:g} h after “Not yet”.",
                }
            ],
        }
        return f"Reminder: {text}", [head, *blocks]
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
            where = f" Your team channel: {channel(team_channel)}." if team_channel else ""
            lines.append(
                f":white_check_mark: {link(proposal.permalink, proposal.name)} is now an "
                f"official team.{where}"
            )
        elif notice.kind == DECLINED:
            lines.append(
                f"The organizers declined your request to join "
                f"{link(proposal.permalink, proposal.name)}. `/projects` lists the teams that "
                "still need members."
            )
    for pid, (joined, left) in news.items():
        proposal = proposals.get(pid)
        if proposal is None or not (joined or left) or not proposal.is_live:
            continue
        team = uow.memberships.team(proposal)
        lines.append(
            f"News for {link(proposal.permalink, proposal.name)}: "
            f"{_who(joined, 'joined', left, 'left')}. The team now: {team.words}."
        )
    for pid, (joined, left) in changes.items():
        proposal = proposals.get(pid)
        if proposal is None or not (joined or left):
            continue
        team = uow.memberships.team(proposal)
        lines.append(
            f":busts_in_silhouette: Official team {link(proposal.permalink, proposal.name)} "
            f"changed: {_who(joined, 'in', left, 'out')}. Members now: {mentions(team.members)}."
        )
    return "\n".join(lines)


def _who(joined: list[str], came: str, left: list[str], went: str) -> str:
    """ "@a, @b joined; @c left" (either part may be missing)."""
    parts = [
        f"{mentions(joined)} {came}" if joined else "",
        f"{mentions(left)} {went}" if left else "",
    ]
    return "; ".join(p for p in parts if p)


def _place_line(uow: UnitOfWork, proposal: Proposal, user: str, reason: str) -> list[str]:
    place = uow.memberships.place(proposal, user)
    if place is None or not proposal.is_live:
        return []  # left again meanwhile, or the project is gone: nothing to say
    where, position = place
    name = link(proposal.permalink, proposal.name)
    team = uow.memberships.team(proposal)
    if where == "waitlist":
        return [
            f":hourglass_flowing_sand: {name} is full: you're on the waitlist, #{position}. "
            "You move up when someone leaves."
        ]
    if reason == "promoted":
        return [f":tada: A place opened in {name}: you're now a member ({team.words})."]
    if reason == "lead":
        return [
            f":star: An organizer started {name} as a second team of the same idea, and you "
            f"lead it ({team.words})."
        ]
    if reason == "moved":
        return [f"An organizer moved you into {name} ({team.words})."]
    if reason == "approved":
        return [f":white_check_mark: The organizers approved your request: you're in {name}."]
    if proposal.status is Status.OFFICIAL:
        team_channel = uow.memberships.official_channel(proposal.id)
        where_now = f" Its channel: {channel(team_channel)}." if team_channel else ""
        return [f":raised_hand: You're in the official team {name}.{where_now}"]
    then = (
        "The team is complete: the organizers have been told and make it official."
        if team.size >= team.threshold
        else f"When it has {team.threshold} members, the organizers make it official."
    )
    return [f":raised_hand: You joined {name} ({team.words}). {then}"]


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
