"""Changes made in Slack behind the bot's back, each with a defined outcome (the post of a
project deleted is `posting.post_gone`; the app uninstalled is `slack_access`):

- a team channel renamed: the bot shows the new name everywhere (the export too);
- a team channel archived: the organizers are told once (a new member can no longer be added
  to it) and the export says so; the team stays official.
"""

from __future__ import annotations

import logging

from slackbot.blocks.mrkdwn import channel, escape, mention
from slackbot.services.runtime import Runtime
from slackbot.slack.direct_messages import dm

log = logging.getLogger("slackbot.workspace")


def channel_renamed(rt: Runtime, channel_id: str, name: str) -> None:
    proposal_id = rt.memberships.rename_team_channel(channel_id, name)
    if proposal_id is not None:
        log.info("team_channel_renamed proposal_id=%s channel=%s", proposal_id, channel_id)
        rt.updates.mark(proposal_id)  # the post names the team channel


def channel_archived(rt: Runtime, channel_id: str, by: str) -> None:
    if channel_id == rt.channel_id:
        log.error(
            "proposals_channel_archived channel=%s by=%s: the bot cannot post there until "
            "it is unarchived (or PROPOSALS_CHANNEL names another channel)",
            channel_id,
            by,
        )
        return
    proposal_id = rt.memberships.archive_team_channel(channel_id)
    if proposal_id is None:
        return
    proposal = rt.proposals.get(proposal_id)
    name = escape(proposal.name) if proposal else f"project #{proposal_id}"
    log.warning("team_channel_archived proposal_id=%s channel=%s", proposal_id, channel_id)
    who = f" by {mention(by)}" if by else ""
    for organizer in sorted(rt.organizers.everyone()):
        dm(
            rt.client,
            organizer,
            f":file_cabinet: The team channel {channel(channel_id)} of *{name}* was archived"
            f"{who}. The team stays official; new members can no longer be added to that "
            "channel until it is unarchived.",
        )
