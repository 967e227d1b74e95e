"""What an official team is told next: the organizers' text (TEAM_WELCOME_FILE, Markdown with
placeholders) or the default drawn from the 2021 week, as mrkdwn. The organizers' own words
are theirs (their links and formatting stay); what fills the placeholders is escaped."""

from __future__ import annotations

import re

from slackbot.blocks.mrkdwn import channel, escape, link, mentions

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
Questions for the organizers ({organizers}): ask here or in the week's channel.
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
        "compute": compute or "the organizers hand it out through me, by DM to each of you.",
        "hub_org": hub_org or "the organizers invite each of you to the week's organisation.",
    }
    body = markdown_to_mrkdwn(template or DEFAULT_WELCOME)
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], body).strip()


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
