"""Asking to join an official team: the request is recorded once, and each organizer gets it
(through the notices outbox) with Approve and Decline; the first decision wins, every copy
shows it, and the person is told.

Each function names what it works with: the unit of work (its `join_requests`, `notices` and
`memberships` repositories), the organizers, the Messenger."""

from __future__ import annotations

import logging

from slackbot.blocks.notice_messages import join_request_message
from slackbot.domain.answers import Answer, say
from slackbot.domain.proposal import Proposal, Status
from slackbot.services.directory import OrganizerDirectory
from slackbot.services.notices import JOIN_REQUEST
from slackbot.services.outcome import Outcome
from slackbot.services.ports import Messenger
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.join_requests")


def ask(uow: UnitOfWork, organizers: OrganizerDirectory, proposal: Proposal, user: str) -> Outcome:
    """Record `user`'s request to join an official team (once) and queue it to the organizers
    (in the caller's unit of work, if any)."""
    if proposal.status is not Status.OFFICIAL:
        return Outcome(False, say(Answer.NOT_OFFICIAL_TEAM, name=proposal.name))
    if uow.memberships.place(proposal, user) is not None:
        return Outcome(True, say(Answer.ALREADY_IN, name=proposal.name))
    with uow:
        if not uow.join_requests.ask(proposal.id, user):
            return Outcome(True, say(Answer.ALREADY_ASKED, name=proposal.name))
        for organizer in organizers.everyone():
            uow.notices.add(organizer, proposal.id, JOIN_REQUEST, {"about": user})
        uow.commit()
    log.info("join_requested proposal_id=%s user=%s", proposal.id, user)
    return Outcome(True, say(Answer.ASKED, name=proposal.name))


def decide(uow: UnitOfWork, proposal: Proposal, user: str, organizer: str, outcome: str) -> bool:
    """Record the first decision on a request; False if it was decided already."""
    with uow:
        decided: bool = uow.join_requests.decide(proposal.id, user, organizer, outcome)
        uow.commit()
    return decided


def decision(uow: UnitOfWork, proposal_id: int, user: str) -> tuple[str, str] | None:
    """(outcome, organizer) of a decided request."""
    found: tuple[str, str] | None = uow.join_requests.decision(proposal_id, user)
    return found


def refresh_copies(uow: UnitOfWork, messenger: Messenger, proposal: Proposal, user: str) -> None:
    """Every organizer's copy of the request shows the decision (and drops its buttons); a
    copy Slack does not update is logged (the decision is stored and told anyway)."""
    decided = decision(uow, proposal.id, user)
    text, blocks = join_request_message(
        proposal, uow.memberships.team(proposal), user, decided=decided
    )
    for channel, ts in uow.notices.copies(proposal.id, JOIN_REQUEST, user):
        if not messenger.update(channel, ts, text, blocks):
            log.warning("request_copy_not_updated channel=%s ts=%s", channel, ts)
