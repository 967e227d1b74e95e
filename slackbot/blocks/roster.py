"""The team part of a proposal's post: its status, members, waitlist and what to do to join."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from slackbot.blocks.limits import clip
from slackbot.blocks.mrkdwn import channel, mentions
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
