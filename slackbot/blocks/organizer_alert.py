"""The organizers' alert: a team reached its size, or is over-subscribed."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from slackbot.blocks.limits import as_dicts, clip
from slackbot.blocks.mrkdwn import escape, link, mention, mentions
from slackbot.domain.proposal import Proposal
from slackbot.domain.teams import Team, TeamStatus


def alert_message(
    proposal: Proposal,
    team: Team,
    *,
    kind: str,
    doubles: dict[str, list[str]],
    handled: str | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    """The organizers' alert: a team reached its threshold, or is over-subscribed."""
    if kind == "oversubscribed":
        head = (
            f":fire: *{link(proposal.permalink, proposal.name)}* is over-subscribed: "
            f"{team.size} members (max {team.max_size}) and {len(team.waitlist)} waiting. "
            "A second team for this idea?"
        )
        text = f"{escape(proposal.name)} is over-subscribed"
    else:
        head = (
            f":bell: *{link(proposal.permalink, proposal.name)}* reached its team size "
            f"({team.size}/{team.threshold}). Make it official?"
        )
        text = f"Team ready for organizers: {escape(proposal.name)}"
    lines = [head, f"*Members:* {mentions(team.members)}"]
    if team.waitlist:
        lines.append(f"*Waitlist:* {mentions(team.waitlist)}")
    for user, teams in doubles.items():
        lines.append(f":warning: {mention(user)} is already in official team {', '.join(teams)}")
    blocks: list[Any] = [SectionBlock(text=MarkdownTextObject(text=clip("\n".join(lines), 3000)))]
    if handled:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=handled)]))
    if team.status is not TeamStatus.OFFICIAL and kind == "threshold":
        value = str(proposal.id)
        blocks.append(
            ActionsBlock(
                block_id=f"alert-{proposal.id}",
                elements=[
                    ButtonElement(
                        text="Make team official",
                        action_id="make_official",
                        value=value,
                        style="primary",
                    ),
                    ButtonElement(text="Not yet", action_id="not_yet", value=value),
                ],
            )
        )
    return text, as_dicts(blocks)
