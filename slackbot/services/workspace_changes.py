"""Changes made in Slack behind the bot's back, each with a defined outcome (the post of a
project deleted is `posting.post_gone`; the app uninstalled is `slack_access`):

- a team channel renamed: the bot shows the new name everywhere (the export too);
- a team channel archived: the organizers are told once (a new member can no longer be added
  to it) and the export says so; the team stays official;
- a person's account deactivated: they leave every team that is not official yet (their
  places go to whoever waited, as after any leave); an official team keeps them listed, and
  the organizers are told once which official teams and which of their own projects need a
  decision.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slackbot.blocks.organizer_news import account_deactivated, team_channel_archived
from slackbot.domain.proposal import Status
from slackbot.machinery.refresher import Refresher
from slackbot.services.directory import OrganizerDirectory
from slackbot.services.joining import record_change
from slackbot.services.ports import Messenger
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.workspace")


# --- commands -----------------------------------------------------------------------------
@dataclass(frozen=True)
class RenameTeamChannel:
    """`channel_rename` / `group_rename`: a channel has a new name."""

    channel: str
    name: str


@dataclass(frozen=True)
class ArchiveTeamChannel:
    """`channel_archive` / `group_archive`: a channel was archived (by `by`, if Slack says)."""

    channel: str
    by: str


@dataclass(frozen=True)
class PersonDeactivated:
    """`user_change` with the account deleted."""

    user: str
    name: str


# --- handlers -----------------------------------------------------------------------------
def channel_renamed(cmd: RenameTeamChannel, uow: UnitOfWork, updates: Refresher) -> None:
    with uow.writing():
        proposal_id = uow.memberships.rename_team_channel(cmd.channel, cmd.name)
    if proposal_id is not None:
        log.info("team_channel_renamed proposal_id=%s channel=%s", proposal_id, cmd.channel)
        updates.mark(proposal_id)  # the post names the team channel


def channel_archived(
    cmd: ArchiveTeamChannel,
    uow: UnitOfWork,
    messenger: Messenger,
    organizers: OrganizerDirectory,
    channel_id: str,
) -> None:
    if cmd.channel == channel_id:
        log.error(
            "proposals_channel_archived channel=%s by=%s: the bot cannot post there until "
            "it is unarchived (or PROPOSALS_CHANNEL names another channel)",
            cmd.channel,
            cmd.by,
        )
        return
    with uow.writing():
        proposal_id = uow.memberships.archive_team_channel(cmd.channel)
    if proposal_id is None:
        return
    proposal = uow.proposals.get(proposal_id)
    log.warning("team_channel_archived proposal_id=%s channel=%s", proposal_id, cmd.channel)
    name = proposal.name if proposal else None
    text = team_channel_archived(cmd.channel, proposal_id, name, cmd.by)
    for organizer in sorted(organizers.everyone()):
        messenger.dm(organizer, text)


def person_deactivated(
    cmd: PersonDeactivated,
    uow: UnitOfWork,
    messenger: Messenger,
    organizers: OrganizerDirectory,
    updates: Refresher,
) -> None:
    """They leave every team not official yet, each leave in its own unit (its TeamChanged is
    handled once the bus has this command's answer); the organizers hear of the rest."""
    user = cmd.user
    with uow:
        if not uow.people.claim_once(f"deactivated:{user}"):
            return
        uow.people.remember(user, cmd.name, deleted=True)  # no longer counted as a participant
        uow.commit()
    kept, left = [], []
    for proposal_id in uow.memberships.joined_by(user):
        proposal = uow.proposals.get(proposal_id)
        if proposal is None or not proposal.is_live:
            continue
        if proposal.status is Status.OFFICIAL:
            kept.append(proposal)
            continue
        with uow:
            change = uow.memberships.leave(proposal, user)
            record_change(uow, updates, organizers, proposal, change)
            uow.commit()
        left.append(proposal)
    own = [p for p in uow.proposals.by_proposer(user) if p.is_live]
    log.info(
        "person_deactivated user=%s left_teams=%s official_kept=%s own=%s",
        user,
        ",".join(str(p.id) for p in left),
        ",".join(str(p.id) for p in kept),
        ",".join(str(p.id) for p in own),
    )
    if not kept and not own:
        return
    text = account_deactivated(user, kept, own)
    for organizer in sorted(organizers.everyone()):
        messenger.dm(organizer, text)


COMMANDS: dict[type, Callable[..., Any]] = {
    RenameTeamChannel: channel_renamed,
    ArchiveTeamChannel: channel_archived,
    PersonDeactivated: person_deactivated,
}
