"""What the notices outbox says. Each notice is a line of one person's DM: their place in a team
(joined, waitlisted, moved up, moved by an organizer, approved, leading a second team), the
team made official, a request declined, the proposer's news and the organizers' word of official
teams that change. A message of its own: an organizer's copy of a request to join an official
team, with Approve and Decline until someone decides. What people typed is escaped."""

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
from slackbot.blocks.mrkdwn import channel, escape, link, mention, mentions
from slackbot.domain.proposal import Proposal, Status
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


def place_line(
    proposal: Proposal,
    reason: str,
    team: Team,
    *,
    waitlist_place: int | None,
    team_channel: str | None,
) -> str:
    """A person's place in a team, told once: `reason` is why they are there (joined,
    promoted, lead, moved, approved); `waitlist_place` their place if they wait (from 1)."""
    name = link(proposal.permalink, proposal.name)
    if waitlist_place is not None:
        return (
            f":hourglass_flowing_sand: {name} is full: you're on the waitlist, "
            f"#{waitlist_place}. You move up when someone leaves."
        )
    if reason == "promoted":
        return f":tada: A place opened in {name}: you're now a member ({team.words})."
    if reason == "lead":
        return (
            f":star: An organizer started {name} as a second team of the same idea, and you "
            f"lead it ({team.words})."
        )
    if reason == "moved":
        return f"An organizer moved you into {name} ({team.words})."
    if reason == "approved":
        return f":white_check_mark: The organizers approved your request: you're in {name}."
    if proposal.status is Status.OFFICIAL:
        where_now = f" Its channel: {channel(team_channel)}." if team_channel else ""
        return f":raised_hand: You're in the official team {name}.{where_now}"
    then = (
        "The team is complete: the organizers have been told and make it official."
        if team.size >= team.threshold
        else f"When it has {team.threshold} members, the organizers make it official."
    )
    return f":raised_hand: You joined {name} ({team.words}). {then}"


def made_official_line(proposal: Proposal, team_channel: str | None) -> str:
    """To each member: their team is official (and where it works now)."""
    where = f" Your team channel: {channel(team_channel)}." if team_channel else ""
    return (
        f":white_check_mark: {link(proposal.permalink, proposal.name)} is now an "
        f"official team.{where}"
    )


def request_declined_line(proposal: Proposal) -> str:
    return (
        f"The organizers declined your request to join "
        f"{link(proposal.permalink, proposal.name)}. `/projects` lists the teams that "
        "still need members."
    )


def proposer_news_line(proposal: Proposal, joined: list[str], left: list[str], team: Team) -> str:
    """To the proposer: who joined and who left their team since the last news."""
    return (
        f"News for {link(proposal.permalink, proposal.name)}: "
        f"{_who(joined, 'joined', left, 'left')}. The team now: {team.words}."
    )


def official_team_changed_line(
    proposal: Proposal, joined: list[str], left: list[str], members: list[str]
) -> str:
    """To each organizer: an official team's members changed."""
    return (
        f":busts_in_silhouette: Official team {link(proposal.permalink, proposal.name)} "
        f"changed: {_who(joined, 'in', left, 'out')}. Members now: {mentions(members)}."
    )


def _who(joined: list[str], came: str, left: list[str], went: str) -> str:
    """ "@a, @b joined; @c left" (either part may be missing)."""
    parts = [
        f"{mentions(joined)} {came}" if joined else "",
        f"{mentions(left)} {went}" if left else "",
    ]
    return "; ".join(p for p in parts if p)
