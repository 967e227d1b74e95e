"""Making a team official: once, by an organizer, with its channel and announcements.

Commands: `MakeOfficial` (the alert's and the dashboard's button, `/organize official 12`) and
`NotYet` (the alert's other button). Both are refused to anyone but an organizer
(`refusal`, which the other organizer controls in services/organizing.py use too)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slackbot.blocks.compute import hub_line
from slackbot.blocks.team_welcome import (
    announcement_message,
    proposal_summary_message,
    team_channel_actions,
    welcome_message,
)
from slackbot.config import Settings
from slackbot.domain.answers import Answer, Person, say
from slackbot.domain.events import TeamMadeOfficial
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import channel_name
from slackbot.machinery.refresher import Refresher
from slackbot.services import compute
from slackbot.services.alerting import record_decision, redraw_alerts
from slackbot.services.directory import Organizers
from slackbot.services.hub_checks import HubChecks
from slackbot.services.notices import OFFICIAL
from slackbot.services.outcome import Outcome, require_organizer
from slackbot.services.ports import Messenger
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.official")

OFFICIAL_DELAY = 5.0


# --- commands -----------------------------------------------------------------------------
@dataclass(frozen=True)
class MakeOfficial:
    organizer: str
    proposal_id: int


@dataclass(frozen=True)
class NotYet:
    """An organizer saw the alert and leaves the team as it is for now."""

    organizer: str
    proposal_id: int


# --- handlers -----------------------------------------------------------------------------
def make_official(
    cmd: MakeOfficial,
    uow: UnitOfWork,
    messenger: Messenger,
    settings: Settings,
    organizers: Organizers,
    updates: Refresher,
    hub: HubChecks,
    bot_user_id: str,
) -> Outcome:
    """The team as it is now becomes official (its members told once its channel exists);
    then its channel, the welcome there, and the announcement in the post's thread."""
    proposal_id, organizer = cmd.proposal_id, cmd.organizer
    refused = require_organizer(organizers, organizer)
    if refused is not None:
        return refused
    proposal = uow.proposals.get(proposal_id)
    if proposal is None:
        return Outcome(False, say(Answer.PROJECT_GONE))
    with uow:
        current = uow.proposals.get(proposal_id)
        assert current is not None
        if current.status is Status.OFFICIAL:
            made_by = uow.memberships.made_official_by(proposal_id)
            if not made_by:
                return Outcome(False, say(Answer.ALREADY_OFFICIAL, name=current.name))
            by = Person(made_by)
            return Outcome(False, say(Answer.ALREADY_OFFICIAL_BY, name=current.name, organizer=by))
        if current.status is not Status.OPEN:
            status = current.status.value
            return Outcome(False, say(Answer.CANNOT_BE_OFFICIAL, name=current.name, status=status))
        team = uow.memberships.team(current)
        uow.memberships.record_official(current, team, organizer)
        uow.proposals.set_status(proposal_id, Status.OFFICIAL)
        for member in team.members:
            # told once its channel exists (created just after this transaction)
            uow.notices.add(member, proposal_id, OFFICIAL, delay=OFFICIAL_DELAY)
        uow.audit.record(
            organizer,
            "make_official",
            proposal_id,
            {"status": current.status.value},
            {"status": Status.OFFICIAL.value, "members": team.members},
        )
        uow.commit()
    log.info("team_made_official proposal_id=%s by=%s size=%s", proposal_id, organizer, team.size)
    record_decision(uow, proposal_id, organizer, "official")
    announced = _announce(
        proposal_id,
        team.members,
        uow=uow,
        messenger=messenger,
        settings=settings,
        organizers=organizers,
        hub=hub,
        bot_user_id=bot_user_id,
    )
    if announced:
        updates.mark(proposal_id)
        redraw_alerts(proposal_id, uow=uow, messenger=messenger)
        with uow.writing():  # heard once this handler is done (compute is handed out)
            uow.emit(TeamMadeOfficial(proposal_id, tuple(team.members), announced.channel_id))
    return Outcome(True, say(Answer.MADE_OFFICIAL, name=proposal.name))


def not_yet(cmd: NotYet, uow: UnitOfWork, messenger: Messenger, organizers: Organizers) -> Outcome:
    refused = require_organizer(organizers, cmd.organizer)
    if refused is not None:
        return refused
    record_decision(uow, cmd.proposal_id, cmd.organizer, "not_yet")
    redraw_alerts(cmd.proposal_id, uow=uow, messenger=messenger)
    return Outcome(True, say(Answer.NOTED_NOT_YET))


COMMANDS = {MakeOfficial: make_official, NotYet: not_yet}


# --- the team's channel and announcements -------------------------------------------------
@dataclass(frozen=True)
class Announced:
    channel_id: str | None  # the team's own channel (None: none made)


def _create_channel(uow: UnitOfWork, messenger: Messenger, name: str) -> tuple[str, str] | None:
    # Names the bot's own team channels hold are known taken: no call is spent to hear it.
    taken = uow.memberships.team_channel_names()
    for _ in range(10):
        candidate = channel_name(name, taken)
        channel_id, error = messenger.create_channel(candidate)
        if channel_id is not None:
            return channel_id, candidate
        if error == "name_taken":
            taken.add(candidate)
            continue
        log.warning("team_channel_failed name=%s error=%s", candidate, error)
        return None
    return None


def _announce(
    proposal_id: int,
    members: list[str],
    *,
    uow: UnitOfWork,
    messenger: Messenger,
    settings: Settings,
    organizers: Organizers,
    hub: HubChecks,
    bot_user_id: str,
) -> Announced | None:
    """The team's channel (made, or kept from an undone official), its members invited and
    welcomed there, and the announcement in the post's thread (None: the post is gone)."""
    proposal = uow.proposals.get(proposal_id)
    if proposal is None or proposal.channel is None or proposal.ts is None:
        return None
    channel_id = uow.memberships.official_channel(proposal_id)  # kept from an undone official
    if settings.CREATE_TEAM_CHANNELS:
        created = None if channel_id else _create_channel(uow, messenger, proposal.name)
        if created:
            channel_id, name = created
            with uow.writing():
                uow.memberships.set_team_channel(proposal_id, channel_id, name)
        if channel_id:
            others = [m for m in members if m != bot_user_id]
            if not messenger.invite(channel_id, others):
                log.warning("team_invite_failed proposal_id=%s", proposal_id)
    everyone = sorted(organizers.everyone())
    welcome = welcome_message(
        settings.team_welcome(),
        team_name=proposal.name,
        members=members,
        project_link=proposal.permalink,
        team_channel=channel_id,
        organizers=everyone,
        compute=compute.welcome_line(uow, settings, proposal_id, len(members)),
        hub_org=hub_line(settings.HUB_ORG),
        names=uow.people.names([*members, *everyone]),
        team_channel_name=uow.memberships.official_channel_name(proposal_id),
    )
    text, blocks = announcement_message(
        team_name=proposal.name, members=members, team_channel=channel_id
    )
    if channel_id:
        _welcome_in_channel(messenger, hub, proposal, channel_id, welcome)
    if messenger.post(proposal.channel, text, blocks, thread_ts=proposal.ts) is None:
        log.warning("official_announce_failed proposal_id=%s", proposal_id)
    return Announced(channel_id)


def _welcome_in_channel(
    messenger: Messenger,
    hub: HubChecks,
    proposal: Proposal,
    channel_id: str,
    welcome: tuple[str, list[dict[str, Any]]],
) -> None:
    """The team channel's first messages: what happens next, then the proposal, pinned (each
    only if the one before it was sent)."""
    summary = proposal_summary_message(proposal, hub.known_of([proposal]))
    text, welcome_blocks = welcome
    sent = messenger.post(
        channel_id, text, [*welcome_blocks, team_channel_actions(proposal.id, proposal.name)]
    )
    if sent is not None:
        sent = messenger.post(channel_id, *summary)
    if sent is None or not messenger.pin(channel_id, sent):
        log.warning("team_welcome_failed proposal_id=%s", proposal.id)
