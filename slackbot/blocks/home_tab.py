"""The App Home tab: a participant's projects and teams, and the organizers' desk."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from slackbot.blocks.accessibility import action_label
from slackbot.blocks.limits import text_section
from slackbot.blocks.mrkdwn import link, mentions
from slackbot.blocks.project_lists import pack, project_line
from slackbot.blocks.proposal_form import Week
from slackbot.blocks.proposal_post import proposal_menu
from slackbot.blocks.roster import status_text
from slackbot.blocks.week_guide import how_it_works
from slackbot.domain.hub import HubFacts
from slackbot.domain.proposal import Proposal
from slackbot.domain.ranking import DigestPlan, Standing
from slackbot.domain.teams import Team

HOME_LIST_MAX = 10
WAITING_MAX = 15


def _team_line(proposal: Proposal, team: Team) -> str:
    return (
        f"*{link(proposal.permalink, proposal.name)}* — {status_text(team.status)} · "
        f"{team.words} · {mentions(team.members)}"
    )


def home_view(
    *,
    own: list[tuple[Proposal, Team]],
    joined: list[tuple[Proposal, Team]],
    need: list[Standing],
    proposals: dict[int, Proposal],
    organizer: bool,
    plan: DigestPlan | None = None,
    waiting: list[tuple[Proposal, Team]] | None = None,
    week: Week | None = None,
    deadlines: list[str] | None = None,
    dashboard: list[Any] | None = None,
    hub: list[Any] | None = None,
    demos: list[Any] | None = None,
    hub_facts: HubFacts | None = None,
) -> View:
    blocks: list[Any] = [
        HeaderBlock(text="Flax/JAX community week"),
        text_section(how_it_works(week or Week())),
        ActionsBlock(
            block_id="home_actions",
            elements=[
                ButtonElement(
                    text="Propose a project", action_id="home_propose", value="new", style="primary"
                )
            ],
        ),
        DividerBlock(),
        text_section("*Your proposals*"),
    ]
    if deadlines:
        blocks.insert(
            2,
            ContextBlock(
                elements=[MarkdownTextObject(text=":hourglass: " + " · ".join(deadlines))]
            ),
        )
    if own:
        for proposal, team in own[:HOME_LIST_MAX]:
            blocks.append(
                SectionBlock(
                    block_id=f"own-{proposal.id}",
                    text=MarkdownTextObject(text=_team_line(proposal, team)),
                    accessory=proposal_menu(proposal.id, editable=proposal.is_editable),
                )
            )
    else:
        blocks.append(text_section("You have not proposed a project yet. `/propose` starts one."))
    blocks.append(text_section("*Teams you joined*"))
    if joined:
        blocks.extend(
            SectionBlock(
                block_id=f"joined-{proposal.id}",
                text=MarkdownTextObject(text=_team_line(proposal, team)),
                accessory=ButtonElement(
                    text="Leave",
                    action_id="leave_team",
                    value=str(proposal.id),
                    accessibility_label=action_label("Leave the team", proposal.name),
                ),
            )
            for proposal, team in joined[:HOME_LIST_MAX]
        )
    else:
        blocks.append(text_section("None yet: react to a project's post to join its team."))
    blocks.extend(hub or [])  # an official member's Hub username (issue 26)
    if demos:  # the team's demo, and a judge's list (issue 27)
        blocks.append(DividerBlock())
        blocks.extend(demos)
    blocks.append(DividerBlock())
    blocks.append(text_section(":busts_in_silhouette: *Projects that need members*"))
    lines = [
        f"• {project_line(proposals[s.proposal_id], s, hub_facts)}"
        for s in need
        if s.proposal_id in proposals
    ]
    if lines:
        blocks.extend(text_section(t) for t in pack(lines))
    else:
        blocks.append(text_section("Every project has its team. Propose a new one?"))
    if organizer and plan is not None:
        blocks.append(DividerBlock())
        blocks.append(HeaderBlock(text="Organizers: the week at a glance"))
        if dashboard:
            blocks.extend(dashboard)
        else:
            blocks.append(
                text_section(
                    f"*{plan.open}* open · *{plan.forming}* waiting for you · "
                    f"*{plan.official}* official"
                )
            )
        blocks.append(text_section("*Waiting for you*"))
        for proposal, team in (waiting or [])[:WAITING_MAX]:
            blocks.append(
                SectionBlock(
                    block_id=f"waiting-{proposal.id}",
                    text=MarkdownTextObject(text=_team_line(proposal, team)),
                    accessory=ButtonElement(
                        text="Make official",
                        action_id="make_official",
                        value=str(proposal.id),
                        style="primary",
                        accessibility_label=action_label("Make this team official:", proposal.name),
                    ),
                )
            )
        if not waiting:
            blocks.append(text_section("No team is waiting for you."))
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(text="`slackbot digest` posts a digest now from the server.")
                ]
            )
        )
    return View(type="home", callback_id="home", blocks=blocks)
