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

from slackbot.blocks.accessibility import action_label
from slackbot.blocks.dates import slack_date
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
    decided: tuple[str, str, float] | None = None,
    second: Proposal | None = None,
    second_members: list[str] | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    """The organizers' alert: a team reached its threshold, or is over-subscribed. `doubles`:
    the names of the official teams each member is already in; `decided`: what an organizer
    decided of the "ready" alert (outcome, who, when)."""
    if kind == "oversubscribed":
        head = (
            f":fire: *{link(proposal.permalink, proposal.name)}* is over-subscribed: "
            f"{team.words}. A second team for this idea?"
        )
        text = f"The team {escape(proposal.name)} is over-subscribed: a second team?"
    else:
        head = (
            f":bell: *{link(proposal.permalink, proposal.name)}* reached its team size "
            f"({team.words}). Make it official?"
        )
        text = f"The team {escape(proposal.name)} reached its size: make it official?"
    lines = [head, f"*Members:* {mentions(team.members)}"]
    if team.waitlist:
        lines.append(f"*Waitlist:* {mentions(team.waitlist)}")
    for user, teams in doubles.items():
        names = ", ".join(f"“{escape(name)}”" for name in teams)
        lines.append(f":warning: {mention(user)} is already in official team {names}")
    blocks: list[Any] = [SectionBlock(text=MarkdownTextObject(text=clip("\n".join(lines), 3000)))]
    if decided is not None:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=decision_line(*decided))]))
    if kind == "oversubscribed" and second is not None:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=f":busts_in_silhouette: Second team started: "
                        f"{link(second.permalink, second.name)}"
                        + _second_team_people(second_members or [])
                    )
                ]
            )
        )
    elif kind == "oversubscribed" and team.waitlist:
        value = str(proposal.id)
        first = team.waitlist[0]
        blocks.append(
            ActionsBlock(
                block_id=f"second-{proposal.id}",
                elements=[
                    ButtonElement(
                        text="Start a second team, led by the proposer",
                        action_id="second_team_proposer",
                        value=value,
                        accessibility_label=action_label(
                            "Second team, led by the proposer, for", proposal.name
                        ),
                    ),
                    ButtonElement(
                        text="…led by the first who waited",
                        action_id="second_team_waitlist",
                        value=value,
                        accessibility_label=action_label(
                            "Second team, led by the first who waited, for", proposal.name
                        ),
                    ),
                ],
            )
        )
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=f"The waitlist, in order of arrival, becomes its members; "
                        f"{mention(first)} waited first. Both posts link each other."
                    )
                ]
            )
        )
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
                        accessibility_label=action_label("Make this team official:", proposal.name),
                    ),
                    ButtonElement(
                        text="Not yet",
                        action_id="not_yet",
                        value=value,
                        accessibility_label=action_label("Not yet, keep waiting:", proposal.name),
                    ),
                ],
            )
        )
    return text, as_dicts(blocks)


def decision_line(outcome: str, by: str, at: float) -> str:
    """Under the alert, on every copy: what an organizer decided, who, and when."""
    verb = {"official": ":white_check_mark: Made official", "not_yet": ":hourglass: Not yet"}
    action = verb.get(outcome, escape(outcome))
    return f"{action} by {mention(by)}, {slack_date(at)}"


def reminder_message(
    alert: tuple[str, list[dict[str, Any]]], hours: float
) -> tuple[str, list[dict[str, Any]]]:
    """The alert raised again to an organizer, REALERT_HOURS after "Not yet"."""
    text, blocks = alert
    head = {
        "type": "context",
        "elements": [
            {
                "type": "mrkdwn",
                "text": f":alarm_clock: Reminder: this team is still waiting for you, "
                f"{hours:g} h after “Not yet”.",
            }
        ],
    }
    return f"Reminder: {text}", [head, *blocks]


def _second_team_people(members: list[str]) -> str:
    """Who the second team took, as it was made (led by its first member)."""
    if not members:
        return ""
    lead, *others = members
    with_them = f", with {mentions(others)}" if others else ""
    return f", led by {mention(lead)}{with_them}"
