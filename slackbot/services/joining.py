"""Joining and leaving: a join signal (a reaction, a button, an organizer's move) applied to
a team, and what it leaves behind: the post marked for a redraw, the notices (the person's
place, the proposer's news), the organizer alerts it calls for, and `TeamChanged`, whose
handlers (services/team_followups.py) do the rest once the change is committed. Joining an
official team is a request the organizers decide on (services/join_requests.py).

Commands: `JoinTeam` (the Join and Ask to join buttons) and `ApplyReactions` (a batch of join
reactions, parsed by the listener). One path, `take_signal`, applies a signal to a team for
both, and for the similar project's Join button."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from slackbot.config import Settings
from slackbot.domain.answers import Answer, Moment, say
from slackbot.domain.events import TeamChanged
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import BUTTON, ORGANIZER, Change, Signal, TeamStatus
from slackbot.machinery.refresher import Refresher
from slackbot.services import join_requests
from slackbot.services.alerting import claim_alerts
from slackbot.services.deadlines import TEAMS
from slackbot.services.directory import OrganizerDirectory
from slackbot.services.notices import queue_for_change
from slackbot.services.outcome import Outcome
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.teams")


class PostNotRecordedYet(OSError):
    """A join on a message that may be a post whose ts is being recorded: try again soon."""


# --- commands -----------------------------------------------------------------------------
@dataclass(frozen=True)
class JoinTeam:
    """The Join button on a post, or Ask to join on an official team's (one command for both:
    a post redrawn between the click and its handling still gets what the person meant)."""

    user: str
    proposal_id: int
    at: float | None = None  # the click's time in Slack (None: now)


@dataclass(frozen=True)
class ReactionSignal:
    """A join emoji added to (or taken off) the message `ts` in the proposals channel, by
    someone other than the bot, at Slack's event time."""

    ts: str
    user: str
    emoji: str
    added: bool
    at: float

    @property
    def signal(self) -> Signal:
        return Signal(self.user, self.emoji, self.added, self.at)


@dataclass(frozen=True)
class ApplyReactions:
    """Join reactions, applied to the teams of the posts they are on in one unit of work (a
    flood comes as one batch; inside the worker's unit, it is marked done in the same one)."""

    signals: tuple[ReactionSignal, ...]


# --- handlers -----------------------------------------------------------------------------
def join_team(
    cmd: JoinTeam,
    uow: UnitOfWork,
    settings: Settings,
    organizers: OrganizerDirectory,
    updates: Refresher,
) -> Outcome:
    """Join by button: the same signal as a reaction (last writer wins by Slack's time), or,
    for an official team, a request the organizers decide."""
    with uow:
        outcome = _join(cmd, uow, settings, organizers, updates)
        uow.commit()
    return outcome


def _join(
    cmd: JoinTeam,
    uow: UnitOfWork,
    settings: Settings,
    organizers: OrganizerDirectory,
    updates: Refresher,
) -> Outcome:
    proposal: Proposal | None = uow.proposals.get(cmd.proposal_id)
    if proposal is None or not proposal.is_live:
        return Outcome(False, say(Answer.NO_LONGER_TAKES))
    if proposal.proposer_id == cmd.user:
        return Outcome(False, say(Answer.OWN_PROJECT, name=proposal.name))
    closed_at = settings.deadline(TEAMS)
    if closed_at is not None and time.time() >= closed_at:
        return Outcome(False, say(Answer.TEAMS_CLOSED, at=Moment(closed_at)))
    if proposal.status is Status.OFFICIAL:
        return join_requests.ask(uow, organizers, proposal, cmd.user)
    at = time.time() if cmd.at is None else cmd.at
    take_signal(uow, settings, organizers, updates, proposal, Signal(cmd.user, BUTTON, True, at))
    return Outcome(True, None)


def apply_reactions(
    cmd: ApplyReactions,
    uow: UnitOfWork,
    settings: Settings,
    organizers: OrganizerDirectory,
    updates: Refresher,
    channel_id: str,
) -> None:
    """Each reaction applied to the team of the post it is on; a reaction on a message that is
    no post is ignored, unless a post is being recorded right now (PostNotRecordedYet: the
    whole batch is tried again soon)."""
    with uow:
        posts: dict[str, Proposal | None] = {}
        for each in cmd.signals:
            if each.ts not in posts:
                posts[each.ts] = uow.proposals.by_message(channel_id, each.ts)
            proposal = posts[each.ts]
            if proposal is None:
                if uow.proposals.posting_now():
                    # Someone reacted between Slack storing a post and the bot recording its ts.
                    raise PostNotRecordedYet("a proposal is being posted")
                continue  # a reaction on some other message
            take_signal(uow, settings, organizers, updates, proposal, each.signal)
        uow.commit()


# --- the one path of a signal -------------------------------------------------------------
def take_signal(
    uow: UnitOfWork,
    settings: Settings,
    organizers: OrganizerDirectory,
    updates: Refresher,
    proposal: Proposal,
    signal: Signal,
) -> Change | None:
    """Apply a join signal to a live proposal, in the caller's unit of work; withdrawn or
    closed ones ignore it. A person joining an official team by reaction or button asks the
    organizers instead."""
    if not proposal.is_live or _closed_to(settings, signal):
        return None
    if _asks_official(uow, proposal, signal):
        join_requests.ask(uow, organizers, proposal, signal.user_id)
        return None
    change: Change = uow.memberships.apply(proposal, signal)
    record_change(uow, updates, organizers, proposal, change)
    return change


def _closed_to(settings: Settings, signal: Signal) -> bool:
    """After TEAMS_CLOSE_AT joining stops (leaving, and an organizer's move, still work)."""
    closed_at = settings.deadline(TEAMS)
    return (
        signal.present
        and signal.source != ORGANIZER
        and closed_at is not None
        and signal.at >= closed_at
    )


def _asks_official(uow: UnitOfWork, proposal: Proposal, signal: Signal) -> bool:
    """A wish to join an official team from someone not in it: a request, not a join."""
    return (
        proposal.status is Status.OFFICIAL
        and signal.present
        and signal.source != ORGANIZER
        and uow.memberships.place(proposal, signal.user_id) is None
    )


def record_change(
    uow: UnitOfWork,
    updates: Refresher,
    organizers: OrganizerDirectory,
    proposal: Proposal,
    change: Change,
) -> None:
    """What a team change leaves in the database (its post marked for a redraw, the alerts it
    calls for claimed, the notices queued), in the caller's `with uow`, and `TeamChanged`,
    heard once that unit commits (alerts, invitations, Home tabs follow it)."""
    if not change.changed:
        return
    log.info(
        "team_changed proposal_id=%s size=%s joined=%s left=%s",
        proposal.id,
        change.after.size,
        ",".join(change.joined),
        ",".join(change.left),
    )
    updates.mark(proposal.id)
    alerts_claimed = claim_alerts(uow, organizers, proposal, change.after)
    queue_for_change(uow, organizers, proposal, change)
    uow.emit(
        TeamChanged(
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
    )


def show_change(
    updates: Refresher,
    organizers: OrganizerDirectory,
    proposal_id: int,
    users: set[str] | None = None,
) -> None:
    """A project changed: redraw its post and the Home tabs of those concerned (and the
    organizers')."""
    updates.mark(proposal_id)
    updates.mark_homes((users or set()) | organizers.everyone())


COMMANDS = {JoinTeam: join_team, ApplyReactions: apply_reactions}
