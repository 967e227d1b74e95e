"""What the organizers are told by DM without asking: how the week stands when teams close, and
the changes made in Slack behind the bot's back (a team channel archived, a person's account
deactivated, a project's post deleted). What people typed is escaped."""

from __future__ import annotations

from collections.abc import Sequence

from slackbot.blocks.dates import slack_date
from slackbot.blocks.mrkdwn import channel, escape, link, mention, mentions
from slackbot.domain.proposal import Proposal


def teams_closed_summary(
    closed_at: float | None,
    official: Sequence[Proposal],
    waiting: Sequence[Proposal],
    alone: Sequence[str],
) -> str:
    """Once, after TEAMS_CLOSE_AT: the official teams, the teams still waiting for the
    organizers, and the people in the channel who are in no team."""
    when = "" if closed_at is None else slack_date(closed_at)
    lines = [
        f":lock: *Teams closed* ({when}): joining has stopped.",
        f"*{len(official)}* official: "
        + (", ".join(link(p.permalink, p.name) for p in official[:30]) or "none"),
        f"*{len(waiting)}* still waiting for you: "
        + (", ".join(link(p.permalink, p.name) for p in waiting[:30]) or "none"),
        f"*{len(alone)}* people in the channel are in no team"
        + (f": {mentions(alone[:40])}" if alone else "."),
    ]
    return "\n".join(lines)


def team_channel_archived(
    channel_id: str, proposal_id: int, name: str | None, archived_by: str
) -> str:
    """A team channel was archived (`name`: its project's, None if the project is gone;
    `archived_by`: who did it, "" if Slack did not say)."""
    project = escape(name) if name is not None else f"project #{proposal_id}"
    who = f" by {mention(archived_by)}" if archived_by else ""
    return (
        f":file_cabinet: The team channel {channel(channel_id)} of *{project}* was archived"
        f"{who}. The team stays official; new members can no longer be added to that "
        "channel until it is unarchived."
    )


def account_deactivated(
    user: str, official_teams: Sequence[Proposal], own_projects: Sequence[Proposal]
) -> str:
    """A person's account was deactivated: the official teams that keep them listed and their
    own projects still open, each for the organizers to decide."""
    lines = [f":bust_in_silhouette: {mention(user)}'s Slack account was deactivated."]
    if official_teams:
        teams = ", ".join(link(p.permalink, p.name) for p in official_teams)
        lines.append(f"They stay listed in official team {teams}: decide with the team.")
    if own_projects:
        projects = ", ".join(f"#{p.id} {link(p.permalink, p.name)}" for p in own_projects)
        lines.append(
            f"Their own project {projects} stays open: `/organize close N` if nobody takes it on."
        )
    return "\n".join(lines)


def post_deleted(proposal: Proposal) -> str:
    """A project's post was deleted in Slack (the proposer's word is `proposal_status`'s)."""
    return (
        f":warning: The post of project #{proposal.id} *{escape(proposal.name)}* (by "
        f"{mention(proposal.proposer_id)}) was deleted in Slack. The project and its team "
        "are kept in the bot and the export; the Home tab's dashboard lists it."
    )
