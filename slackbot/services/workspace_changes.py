"""Changes made in Slack behind the bot's back, each with a defined outcome (the post of a
project deleted is `posting.post_gone`; the app uninstalled is `slack_access`):

- a team channel renamed: the bot shows the new name everywhere (the export too);
- a team channel archived: the organizers are told once (a new member can no longer be added
  to it) and the export says so; the team stays official;
- a person's account deactivated: they leave every team that is not official yet (their
  places go to whoever waited, as after any leave); an official team keeps them listed, and
  the organizers are told once which official teams and which of their own projects need a
  decision.
"""

from __future__ import annotations

import logging

from slackbot.blocks.mrkdwn import channel, escape, link, mention
from slackbot.domain.proposal import Status
from slackbot.services.joining import record_change
from slackbot.services.runtime import Runtime
from slackbot.slack.direct_messages import dm

log = logging.getLogger("slackbot.workspace")


def channel_renamed(rt: Runtime, channel_id: str, name: str) -> None:
    with rt.uow.writing():
        proposal_id = rt.uow.memberships.rename_team_channel(channel_id, name)
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
    with rt.uow.writing():
        proposal_id = rt.uow.memberships.archive_team_channel(channel_id)
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


def person_deactivated(rt: Runtime, user: str, name: str) -> None:
    with rt.uow:
        if not rt.uow.people.claim_once(f"deactivated:{user}"):
            return
        rt.uow.people.remember(user, name, deleted=True)  # no longer counted as a participant
        rt.uow.commit()
    kept, left = [], []
    for proposal_id in rt.memberships.joined_by(user):
        proposal = rt.proposals.get(proposal_id)
        if proposal is None or not proposal.is_live:
            continue
        if proposal.status is Status.OFFICIAL:
            kept.append(proposal)
            continue
        with rt.uow:
            change = rt.uow.memberships.leave(proposal, user)
            record_change(rt.uow, rt.updates, rt.organizers, proposal, change)
            rt.uow.commit()
        rt.bus.publish_committed()
        left.append(proposal)
    own = [p for p in rt.proposals.by_proposer(user) if p.is_live]
    log.info(
        "person_deactivated user=%s left_teams=%s official_kept=%s own=%s",
        user,
        ",".join(str(p.id) for p in left),
        ",".join(str(p.id) for p in kept),
        ",".join(str(p.id) for p in own),
    )
    if not kept and not own:
        return
    lines = [f":bust_in_silhouette: {mention(user)}'s Slack account was deactivated."]
    if kept:
        teams = ", ".join(link(p.permalink, p.name) for p in kept)
        lines.append(f"They stay listed in official team {teams}: decide with the team.")
    if own:
        projects = ", ".join(f"#{p.id} {link(p.permalink, p.name)}" for p in own)
        lines.append(
            f"Their own project {projects} stays open: `/organize close N` if nobody takes it on."
        )
    for organizer in sorted(rt.organizers.everyone()):
        dm(rt.client, organizer, "\n".join(lines))
