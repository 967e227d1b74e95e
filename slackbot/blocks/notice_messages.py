"""Messages of the notices outbox that are more than a line: an organizer's copy of a request
to join an official team, with Approve and Decline until someone decides."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from slackbot.blocks.accessibility import action_label
from slackbot.blocks.limits import as_dicts
from slackbot.blocks.mrkdwn import escape, link, mention, mentions
from slackbot.domain.proposal import Proposal
from slackbot.domain.teams import Team

APPROVE = "approve_join"
DECLINE = "decline_join"


def join_request_message(
    proposal: Proposal, team: Team, user: str, *, decided: tuple[str, str] | None
) -> tuple[str, list[dict[str, Any]]]:
    text = (
        f":raising_hand: {mention(user)} asks to join the official team "
        f"*{link(proposal.permalink, proposal.name)}* ({team.words}).\n"
        f"*Members:* {mentions(team.members)}"
    )
    blocks: list[Any] = [SectionBlock(text=MarkdownTextObject(text=text))]
    name = proposal.name
    if decided is None:
        value = f"{proposal.id}:{user}"
        blocks.append(
            ActionsBlock(
                block_id=f"request-{proposal.id}-{user}",
                elements=[
                    ButtonElement(
                        text="Approve",
                        action_id=APPROVE,
                        value=value,
                        style="primary",
                        accessibility_label=action_label("Approve the request to join", name),
                    ),
                    ButtonElement(
                        text="Decline",
                        action_id=DECLINE,
                        value=value,
                        accessibility_label=action_label("Decline the request to join", name),
                    ),
                ],
            )
        )
    else:
        outcome, by = decided
        verb = ":white_check_mark: Approved" if outcome == "approved" else ":x: Declined"
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"{verb} by {mention(by)}")]))
    fallback = f"{mention(user)} asks to join the official team {escape(proposal.name)}."
    return fallback, as_dicts(blocks)
