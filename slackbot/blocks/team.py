"""The team part of a proposal's post, and the organizers' alert."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from slackbot.blocks.common import as_dicts, clip
from slackbot.blocks.text import channel, escape, link, mention, mentions
from slackbot.domain.proposal import Proposal
from slackbot.domain.teams import STATUS_LABELS, Team, TeamStatus

STATUS_EMOJI = {
    TeamStatus.LOOKING: ":seedling:",
    TeamStatus.READY: ":bell:",
    TeamStatus.FULL: ":no_entry:",
    TeamStatus.OFFICIAL: ":trophy:",
    TeamStatus.WITHDRAWN: ":wastebasket:",
    TeamStatus.CLOSED: ":lock:",
}


def size_line(team: Team) -> str:
    line = f"{team.size}/{team.threshold} needed (max {team.max_size})"
    if team.status in (TeamStatus.WITHDRAWN, TeamStatus.CLOSED):
        return f"team of {team.size}"
    if team.needed:
        line += f" · needs {team.needed} more"
    return line


def team_blocks(team: Team, *, join_emoji: str, channel_id: str | None = None) -> list[Any]:
    status = f"{STATUS_EMOJI[team.status]} *{STATUS_LABELS[team.status]}* · {size_line(team)}"
    lines = [status, f"*Team:* {mentions(team.members)}"]
    if team.waitlist:
        lines.append(f"*Waitlist:* {mentions(team.waitlist)}")
    if channel_id:
        lines.append(f"*Team channel:* {channel(channel_id)}")
    blocks: list[Any] = [
        SectionBlock(block_id="team", text=MarkdownTextObject(text=clip("\n".join(lines), 3000)))
    ]
    if team.status in (TeamStatus.WITHDRAWN, TeamStatus.CLOSED):
        hint = "This project no longer takes members; reactions do not count."
    elif team.status is TeamStatus.FULL or team.size >= team.max_size:
        hint = f"The team is full: react with :{join_emoji}: to join the waitlist."
    else:
        hint = f"React with :{join_emoji}: to join the team; remove it to leave."
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=hint)]))
    return blocks


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
