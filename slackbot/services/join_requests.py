"""Asking to join an official team: the request is recorded once, and each organizer gets it
(through the notices outbox) with Approve and Decline; the first decision wins, every copy
shows it, and the person is told."""

from __future__ import annotations

import logging
from typing import cast

from slack_sdk.errors import SlackApiError

from slackbot.blocks.notice_messages import join_request_message
from slackbot.domain.answers import Answer, say
from slackbot.domain.proposal import Proposal, Status
from slackbot.services.notices import JOIN_REQUEST, notices
from slackbot.services.outcome import Outcome
from slackbot.services.runtime import Runtime
from slackbot.slack.direct_messages import DELIVERY_ERRORS
from slackbot.store.join_request_records import JoinRequests

log = logging.getLogger("slackbot.join_requests")


def requests(rt: Runtime) -> JoinRequests:
    return cast(JoinRequests, rt.uow.join_requests)


def ask(rt: Runtime, proposal: Proposal, user: str) -> Outcome:
    """Record `user`'s request to join an official team (once) and queue it to the organizers."""
    if proposal.status is not Status.OFFICIAL:
        return Outcome(False, say(Answer.NOT_OFFICIAL_TEAM, name=proposal.name))
    if rt.memberships.place(proposal, user) is not None:
        return Outcome(True, say(Answer.ALREADY_IN, name=proposal.name))
    with rt.uow:
        if not requests(rt).ask(proposal.id, user):
            return Outcome(True, say(Answer.ALREADY_ASKED, name=proposal.name))
        for organizer in rt.organizers.everyone():
            notices(rt).add(organizer, proposal.id, JOIN_REQUEST, {"about": user})
        rt.uow.commit()
    log.info("join_requested proposal_id=%s user=%s", proposal.id, user)
    return Outcome(True, say(Answer.ASKED, name=proposal.name))


def decide(rt: Runtime, proposal: Proposal, user: str, organizer: str, outcome: str) -> bool:
    """Record the first decision on a request; False if it was decided already."""
    with rt.uow:
        decided = requests(rt).decide(proposal.id, user, organizer, outcome)
        rt.uow.commit()
    return decided


def decision(rt: Runtime, proposal_id: int, user: str) -> tuple[str, str] | None:
    """(outcome, organizer) of a decided request."""
    return requests(rt).decision(proposal_id, user)


def refresh_copies(rt: Runtime, proposal: Proposal, user: str) -> None:
    """Every organizer's copy of the request shows the decision (and drops its buttons)."""
    decided = decision(rt, proposal.id, user)
    text, blocks = join_request_message(
        proposal, rt.memberships.team(proposal), user, decided=decided
    )
    for channel, ts in notices(rt).copies(proposal.id, JOIN_REQUEST, user):
        try:
            rt.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        except SlackApiError as exc:
            log.warning("request_copy_not_updated error=%s", exc.response.get("error"))
        except DELIVERY_ERRORS as exc:
            log.warning("request_copy_not_updated error=%s", exc)
