"""What follows a team change, as handlers of `TeamChanged` run by the message bus once the
change is committed (no use case calls these down a chain any more):

- the Home tabs of those concerned are refreshed (the organizers' too when a team's standing
  changed or it is official: their dashboard lists it);
- people who joined an official team are invited to its channel;
- the organizers' alert about the team is kept current (an official team's members, a
  waitlist's people), and a newly claimed alert is sent;
- an official team's joins and leaves are said as events of their own (compute and Hub
  access follow those).

Each handler is safe to run again: marks and invitations are idempotent."""

from __future__ import annotations

from collections.abc import Iterator

from slackbot.domain.events import (
    Event,
    MemberJoinedOfficialTeam,
    MemberLeftOfficialTeam,
    TeamChanged,
)
from slackbot.machinery.refresher import Refresher
from slackbot.services.directory import Organizers
from slackbot.services.ports import Messenger
from slackbot.store.unit_of_work import UnitOfWork


def refresh_homes(event: TeamChanged, updates: Refresher, organizers: Organizers) -> None:
    affected = {event.proposer_id, *event.people}
    if event.status_changed or event.official:
        affected |= organizers.everyone()
    updates.mark_homes(affected)


def invite_to_team_channel(event: TeamChanged, uow: UnitOfWork, messenger: Messenger) -> None:
    if not (event.official and event.joined):
        return
    channel = uow.memberships.official_channel(event.proposal_id)
    if channel is not None:
        messenger.invite(channel, list(event.joined))


def keep_alerts_current(event: TeamChanged, updates: Refresher) -> None:
    # Organizers act on their alerts: an official team's members (they hand out compute per
    # team) and a waitlist's people (a second team takes them) are kept current there.
    if event.official or event.waitlist_changed:
        updates.mark_alerts(event.proposal_id)
    if event.alerts_claimed:
        updates.alerts_due()


def official_members_changed(event: TeamChanged) -> Iterator[Event]:
    if not event.official:
        return
    for user in event.joined:
        yield MemberJoinedOfficialTeam(event.proposal_id, user)
    for user in event.left:
        yield MemberLeftOfficialTeam(event.proposal_id, user)


EVENTS = {
    TeamChanged: [
        refresh_homes,
        invite_to_team_channel,
        keep_alerts_current,
        official_members_changed,
    ],
}
