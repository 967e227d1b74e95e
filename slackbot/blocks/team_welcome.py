"""What an official team is told next: the organizers' text (TEAM_WELCOME_FILE, Markdown with
placeholders) or the default drawn from the 2021 week. Slack's own `markdown` block renders the
Markdown (`welcome_message`); the hand-written conversion to mrkdwn is left for a text too long
for that block. The organizers' own words are theirs (their links and formatting stay); what
fills the placeholders is escaped."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, ContextBlock, HeaderBlock, MarkdownTextObject

from slackbot.blocks.compute import hub_button
from slackbot.blocks.limits import as_dicts, clip
from slackbot.blocks.mrkdwn import channel, escape, link, mentions
from slackbot.blocks.project_lists import pack
from slackbot.blocks.proposal_post import section_blocks
from slackbot.blocks.submission import submit_button
from slackbot.domain.hub import HubFacts
from slackbot.domain.proposal import Proposal

# One line per bullet: Slack keeps a line break inside a bullet.
DEFAULT_WELCOME = """\
**Welcome, team {team_name}!** :tada:
Members: {members}. The proposal is pinned here: {project_link}.

What happens next:
- Refine the project together in this channel: who does what, which data, which script.
- Compute: {compute}
- Hub: {hub_org}
- Share progress here; ask the 🤗 team in the week's channel when you are stuck.
- At the end of the week, every team demos its project (e.g. a Streamlit app on the Hub).
Questions for the organizers: ask {organizers} here or in the week's channel.
"""

_PLACEHOLDER = re.compile(
    r"\{(team_name|members|project_link|team_channel|organizers|compute|hub_org)\}"
)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.MULTILINE)
_BULLET = re.compile(r"^[-*]\s+", re.MULTILINE)


def markdown_to_mrkdwn(text: str) -> str:
    """The Markdown organizers write, as Slack shows it: bold, links, headings, bullets."""
    text = _LINK.sub(lambda m: link(m.group(2), m.group(1)), text)
    text = _HEADING.sub(lambda m: f"*{m.group(1).strip()}*", text)
    text = _BOLD.sub(r"*\1*", text)
    return _BULLET.sub("• ", text)


def welcome_text(
    template: str | None,
    *,
    team_name: str,
    members: list[str],
    project_link: str | None,
    team_channel: str | None,
    organizers: list[str],
    compute: str = "",
    hub_org: str = "",
) -> str:
    """`compute` and `hub_org` are the bot's own sentences (blocks/compute.py), not a
    person's text: they go in as they are."""
    values = {
        "team_name": escape(team_name),
        "members": mentions(members),
        "project_link": link(project_link, team_name) if project_link else escape(team_name),
        "team_channel": channel(team_channel) if team_channel else "the team's channel",
        "organizers": mentions(organizers) if organizers else "the organizers",
        **_bot_lines(compute, hub_org),
    }
    body = markdown_to_mrkdwn(template or DEFAULT_WELCOME)
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], body).strip()


def _bot_lines(compute: str, hub_org: str) -> dict[str, str]:
    """`{compute}` and `{hub_org}`: the bot's own sentences (blocks/compute.py), not a
    person's text, so they go in as they are."""
    return {
        "compute": compute or "the organizers hand it out through me, by DM to each of you.",
        "hub_org": hub_org or "the organizers invite each of you to the week's organisation.",
    }


# Slack's limit for all the markdown blocks of one message, together.
MARKDOWN_MAX = 12_000
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]~#|])")


def _markdown_escape(text: str) -> str:
    """A person's text inside Markdown: no emphasis, link, heading or mention of its own."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escape(text))


def _plain_names(people: list[str], names: Mapping[str, str]) -> str | None:
    """The people's names as plain Markdown text, or None when one is not known yet."""
    if not people or any(not names.get(p) for p in people):
        return None
    return ", ".join(_markdown_escape(names[p]) for p in people)


def welcome_message(
    template: str | None,
    *,
    team_name: str,
    members: list[str],
    project_link: str | None,
    team_channel: str | None,
    organizers: list[str],
    compute: str = "",
    hub_org: str = "",
    names: Mapping[str, str] | None = None,
    team_channel_name: str | None = None,
) -> tuple[str, list[dict[str, object]]]:
    """The team channel's first message: a sentence as its `text` (notifications, screen
    readers), and the organizers' Markdown in a `markdown` block, which Slack renders itself.

    Slack documents Markdown in that block, not its own `<@U…>` mentions and `<#C…>` links:
    the placeholders for people and the channel are plain names there (`names`, from the
    people directory; "those named below" when one is not known yet), and the mentions and the
    channel's link are in a mrkdwn context block under it, where Slack renders them and
    notifies the people named. Over Slack's 12,000 characters for markdown blocks: the
    mrkdwn conversion, in sections (mentions and all)."""
    known = names or {}
    name = _markdown_escape(team_name)
    values = {
        "team_name": name,
        "members": _plain_names(members, known) or "those named below",
        "project_link": f"[{name}]({project_link})" if project_link else name,
        "team_channel": f"#{_markdown_escape(team_channel_name.lstrip('#'))}"
        if team_channel and team_channel_name
        else "this channel"
        if team_channel
        else "the team's channel",
        "organizers": _plain_names(organizers, known) or "those named below"
        if organizers
        else "the organizers",
        **_bot_lines(compute, hub_org),
    }
    body = _PLACEHOLDER.sub(lambda m: values[m.group(1)], template or DEFAULT_WELCOME).strip()
    text = f"Welcome to your team channel, {escape(team_name)}: here is what happens next."
    if len(body) <= MARKDOWN_MAX:
        return text, [
            {"type": "markdown", "text": body},
            who_and_where(members, organizers, team_channel),
        ]
    fallback = welcome_text(
        template,
        team_name=team_name,
        members=members,
        project_link=project_link,
        team_channel=team_channel,
        organizers=organizers,
        compute=compute,
        hub_org=hub_org,
    )
    pieces = pack(fallback.splitlines())[:40]  # a message holds 50 blocks
    return text, [{"type": "section", "text": {"type": "mrkdwn", "text": p}} for p in pieces]


def who_and_where(
    members: list[str], organizers: list[str], team_channel: str | None
) -> dict[str, object]:
    """Under the welcome's Markdown: the members, the organizers and the team channel as
    Slack's own mentions and link (mrkdwn), which Slack renders and notifies."""
    parts = [f"Members: {mentions(members)}"]
    if organizers:
        parts.append(f"Organizers: {mentions(organizers)}")
    if team_channel:
        parts.append(f"Team channel: {channel(team_channel)}")
    return ContextBlock(
        block_id="welcome-people",
        elements=[MarkdownTextObject(text=clip(" · ".join(parts), 3000))],
    ).to_dict()


def announcement_text(*, team_name: str, members: list[str], team_channel: str | None) -> str:
    """What the proposals channel's thread is told when a team becomes official: who, where
    the team works now, and what comes next for it and for everyone else. (The team channel's
    welcome is for the team; this is for the thread's readers.)"""
    text = (
        f"The team “{escape(team_name)}”, with {mentions(members)}, is officially created! :tada:"
    )
    if team_channel:
        text += (
            f"\nThe team works in {channel(team_channel)} from now on: "
            "follow along or offer help there."
        )
    text += (
        "\nNext: the team gets its compute and access to the week's Hub organisation, "
        "then builds its project and shows a demo at the end of the week."
    )
    return text


def announcement_message(
    *, team_name: str, members: list[str], team_channel: str | None
) -> tuple[str, list[dict[str, Any]]]:
    """`announcement_text` as the message posted in the proposal's thread."""
    text = announcement_text(team_name=team_name, members=members, team_channel=team_channel)
    return text, [{"type": "section", "text": {"type": "mrkdwn", "text": clip(text, 3000)}}]


def proposal_summary_message(
    proposal: Proposal, hub: HubFacts | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """The team channel's second message, pinned: the proposal the team was made from, whole."""
    blocks, _ = section_blocks(proposal, clipped=False, hub=hub)
    summary = [HeaderBlock(text=clip(proposal.name, 150)), *blocks]
    return f"The proposal this team was made from: {escape(proposal.name)}.", as_dicts(summary)


def team_channel_actions(proposal_id: int, team_name: str = "") -> dict[str, Any]:
    """Under the team channel's welcome: the two things each member does there (give their
    Hub username; at the week's end, submit the team's demo)."""
    return ActionsBlock(
        block_id="welcome-actions",
        elements=[hub_button(), submit_button(proposal_id, project=team_name)],
    ).to_dict()
