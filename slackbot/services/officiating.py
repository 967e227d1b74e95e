"""Making a team official: once, by an organizer, with its channel and announcements."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import HeaderBlock

from slackbot.blocks.compute import hub_line
from slackbot.blocks.limits import as_dicts, clip
from slackbot.blocks.mrkdwn import escape
from slackbot.blocks.proposal_post import section_blocks
from slackbot.blocks.team_welcome import announcement_text, team_channel_actions, welcome_message
from slackbot.domain.answers import Answer, Person, say
from slackbot.domain.events import TeamMadeOfficial
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import channel_name
from slackbot.services import compute
from slackbot.services.alerting import record_outcome, refresh_alert_messages
from slackbot.services.notices import OFFICIAL, notices
from slackbot.services.outcome import Outcome, require_organizer
from slackbot.services.runtime import Runtime
from slackbot.slack.direct_messages import DELIVERY_ERRORS

log = logging.getLogger("slackbot.official")

OFFICIAL_DELAY = 5.0


def make_official(rt: Runtime, proposal_id: int, organizer: str) -> Outcome:
    refused = require_organizer(rt, organizer)
    if refused is not None:
        return refused
    proposal = rt.proposals.get(proposal_id)
    if proposal is None:
        return Outcome(False, say(Answer.PROJECT_GONE))
    with rt.uow:
        current = rt.proposals.get(proposal_id)
        assert current is not None
        if current.status is Status.OFFICIAL:
            made_by = rt.memberships.made_official_by(proposal_id)
            if not made_by:
                return Outcome(False, say(Answer.ALREADY_OFFICIAL, name=current.name))
            by = Person(made_by)
            return Outcome(False, say(Answer.ALREADY_OFFICIAL_BY, name=current.name, organizer=by))
        if current.status is not Status.OPEN:
            status = current.status.value
            return Outcome(False, say(Answer.CANNOT_BE_OFFICIAL, name=current.name, status=status))
        team = rt.memberships.team(current)
        rt.memberships.record_official(current, team, organizer)
        rt.proposals.set_status(proposal_id, Status.OFFICIAL)
        for member in team.members:
            # told once its channel exists (created just after this transaction)
            notices(rt).add(member, proposal_id, OFFICIAL, delay=OFFICIAL_DELAY)
        rt.audit.record(
            organizer,
            "make_official",
            proposal_id,
            {"status": current.status.value},
            {"status": Status.OFFICIAL.value, "members": team.members},
        )
        rt.uow.commit()
    log.info("team_made_official proposal_id=%s by=%s size=%s", proposal_id, organizer, team.size)
    record_outcome(rt, proposal_id, organizer, "official")
    _announce(rt, proposal_id, team.members)
    return Outcome(True, say(Answer.MADE_OFFICIAL, name=proposal.name))


def not_yet(rt: Runtime, proposal_id: int, organizer: str) -> Outcome:
    refused = require_organizer(rt, organizer)
    if refused is not None:
        return refused
    record_outcome(rt, proposal_id, organizer, "not_yet")
    refresh_alert_messages(rt, proposal_id)
    return Outcome(True, say(Answer.NOTED_NOT_YET))


def _create_channel(rt: Runtime, name: str) -> tuple[str, str] | None:
    # Names the bot's own team channels hold are known taken: no call is spent to hear it.
    taken = rt.memberships.team_channel_names()
    for _ in range(10):
        candidate = channel_name(name, taken)
        try:
            response = rt.client.conversations_create(name=candidate)
        except SlackApiError as exc:
            if exc.response.get("error") == "name_taken":
                taken.add(candidate)
                continue
            log.warning(
                "team_channel_failed name=%s error=%s", candidate, exc.response.get("error")
            )
            return None
        except DELIVERY_ERRORS as exc:
            log.warning("team_channel_failed name=%s error=%s", candidate, exc)
            return None
        return str(response["channel"]["id"]), candidate
    return None


def _announce(rt: Runtime, proposal_id: int, members: list[str]) -> None:
    proposal = rt.proposals.get(proposal_id)
    if proposal is None or proposal.channel is None or proposal.ts is None:
        return
    channel_id = rt.memberships.official_channel(proposal_id)  # kept from an undone official
    if rt.settings.CREATE_TEAM_CHANNELS:
        created = None if channel_id else _create_channel(rt, proposal.name)
        if created:
            channel_id, name = created
            with rt.uow.writing():
                rt.memberships.set_team_channel(proposal_id, channel_id, name)
        if channel_id:
            others = [m for m in members if m != rt.bot_user_id]
            try:
                rt.client.conversations_invite(channel=channel_id, users=",".join(others))
            except DELIVERY_ERRORS as exc:
                log.warning("team_invite_failed proposal_id=%s error=%s", proposal_id, exc)
    organizers = sorted(rt.organizers.everyone())
    welcome = welcome_message(
        rt.settings.team_welcome(),
        team_name=proposal.name,
        members=members,
        project_link=proposal.permalink,
        team_channel=channel_id,
        organizers=organizers,
        compute=compute.welcome_line(rt.uow, rt.settings, proposal_id, len(members)),
        hub_org=hub_line(rt.settings.HUB_ORG),
        names=rt.people.names([*members, *organizers]),
        team_channel_name=rt.memberships.official_channel_name(proposal_id),
    )
    text = announcement_text(team_name=proposal.name, members=members, team_channel=channel_id)
    if channel_id:
        _welcome_in_channel(rt, proposal, channel_id, welcome)
    try:
        rt.client.chat_postMessage(
            channel=proposal.channel,
            thread_ts=proposal.ts,
            text=text,
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": clip(text, 3000)}}],
            unfurl_links=False,
        )
    except DELIVERY_ERRORS as exc:
        log.warning("official_announce_failed proposal_id=%s error=%s", proposal_id, exc)
    rt.updates.mark(proposal_id)
    refresh_alert_messages(rt, proposal_id)
    rt.bus.publish(TeamMadeOfficial(proposal_id, tuple(members), channel_id))


def _welcome_in_channel(
    rt: Runtime, proposal: Proposal, channel_id: str, welcome: tuple[str, list[dict[str, Any]]]
) -> None:
    """The team channel's first messages: what happens next, then the proposal, pinned."""
    blocks, _ = section_blocks(proposal, clipped=False, hub=rt.hub.known_of([proposal]))
    summary = [HeaderBlock(text=clip(proposal.name, 150)), *blocks]
    try:
        text, blocks = welcome
        rt.client.chat_postMessage(
            channel=channel_id,
            text=text,
            blocks=[*blocks, team_channel_actions(proposal.id, proposal.name)],
            unfurl_links=False,
        )
        posted = rt.client.chat_postMessage(
            channel=channel_id,
            text=f"The proposal this team was made from: {escape(proposal.name)}.",
            blocks=as_dicts(summary),
            unfurl_links=False,
        )
        rt.client.pins_add(channel=channel_id, timestamp=str(posted["ts"]))
    except SlackApiError as exc:
        log.warning(
            "team_welcome_failed proposal_id=%s error=%s", proposal.id, exc.response.get("error")
        )
    except DELIVERY_ERRORS as exc:
        log.warning("team_welcome_failed proposal_id=%s error=%s", proposal.id, exc)
