"""The team part of a proposal's post: its status, members, waitlist and what to do to join."""

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
from slackbot.blocks.limits import clip
from slackbot.blocks.mrkdwn import channel, mentions
from slackbot.domain.teams import STATUS_LABELS, Team, TeamStatus

STATUS_EMOJI = {
    TeamStatus.LOOKING: ":seedling:",
    TeamStatus.READY: ":hourglass_flowing_sand:",
    TeamStatus.FULL: ":busts_in_silhouette:",
    TeamStatus.OFFICIAL: "",  # the label says it: "Official team ✅"
    TeamStatus.WITHDRAWN: ":wastebasket:",
    TeamStatus.CLOSED: ":lock:",
}


def status_text(status: TeamStatus) -> str:
    """The status as every surface shows it: its emoji, then its words."""
    return f"{STATUS_EMOJI[status]} {STATUS_LABELS[status]}".strip()


JOIN_BUTTON = "join_team"
LEAVE_BUTTON = "leave_team"
ASK_BUTTON = "ask_to_join"


def team_buttons(team: Team, name: str = "") -> ActionsBlock | None:
    """Join and Leave on an open post (the same as reacting, for mobile and screen readers);
    on an official team's post, a request to join that the organizers decide on. `name`, the
    project's, goes into what each button says to a screen reader."""
    value = str(team.proposal_id)
    if team.status in (TeamStatus.WITHDRAWN, TeamStatus.CLOSED):
        return None
    if team.status is TeamStatus.OFFICIAL:
        elements = [
            ButtonElement(
                text="Ask to join",
                action_id=ASK_BUTTON,
                value=value,
                accessibility_label=action_label("Ask to join the official team", name),
            )
        ]
    else:
        full = team.size >= team.max_size
        elements = [
            ButtonElement(
                text="Join the waitlist" if full else "Join the team",
                action_id=JOIN_BUTTON,
                value=value,
                style="primary",
                accessibility_label=action_label(
                    "Join the waitlist of" if full else "Join the team", name
                ),
            ),
            ButtonElement(
                text="Leave",
                action_id=LEAVE_BUTTON,
                value=value,
                accessibility_label=action_label("Leave the team", name),
            ),
        ]
    return ActionsBlock(block_id=f"team-buttons-{team.proposal_id}", elements=elements)


def team_blocks(
    team: Team, *, join_emoji: str, channel_id: str | None = None, name: str = ""
) -> list[Any]:
    status = f"*{status_text(team.status)}* · {team.words}"
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
    elif team.status is TeamStatus.OFFICIAL:
        hint = (
            "This team is official: the organizers decide on new members. Ask to join, and "
            "they will tell you."
        )
    elif team.size >= team.max_size:
        hint = (
            f"The team is full: join the waitlist with the button or by reacting with "
            f":{join_emoji}:; you move up when someone leaves."
        )
    else:
        hint = (
            f"Join with the button or by reacting with :{join_emoji}:; leave with Leave or by "
            "removing your reaction."
        )
    buttons = team_buttons(team, name)
    if buttons is not None:
        blocks.append(buttons)
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=hint)]))
    return blocks
