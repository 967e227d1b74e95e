"""The similar-project step of proposing: same idea, same language (join or post anyway)."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from slackbot.blocks.mrkdwn import escape, link, mention
from slackbot.blocks.project_lists import project_line
from slackbot.domain.proposal import Proposal
from slackbot.domain.ranking import Standing

CALLBACK_ID = "proposal_similar"
JOIN_ACTION = "join_similar"
BACK_ACTION = "back_to_draft"


def similar_view(
    name: str,
    matches: list[tuple[Proposal, Standing | None]],
    *,
    draft_key: str,
    seen: list[int],
) -> View:
    blocks: list[Any] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=(
                    f"*{escape(name)}* looks like "
                    f"{'a project' if len(matches) == 1 else 'projects'}"
                    " already proposed in the same language. Join one of them, or post yours "
                    "anyway if it is different. Your answers are kept either way."
                )
            )
        )
    ]
    for proposal, standing in matches:
        blocks.append(
            SectionBlock(
                block_id=f"similar-{proposal.id}",
                text=MarkdownTextObject(
                    text=f"{project_line(proposal, standing)}\nProposed by "
                    f"{mention(proposal.proposer_id)}"
                ),
                accessory=ButtonElement(
                    text="Join this team", action_id=JOIN_ACTION, value=str(proposal.id)
                ),
            )
        )
    blocks.append(
        ActionsBlock(
            block_id="similar_back",
            elements=[
                ButtonElement(text="◀ Back to my proposal", action_id=BACK_ACTION, value=draft_key)
            ],
        )
    )
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title="Similar projects",
        submit="Post mine anyway",
        close="Cancel",
        private_metadata=json.dumps({"draft": draft_key, "seen": seen}),
        blocks=blocks,
    )


def joined_view(proposal: Proposal, *, draft_key: str, seen: list[int]) -> View:
    return View(
        type="modal",
        callback_id="similar_joined",
        title="You joined",
        close="Close",
        private_metadata=json.dumps({"draft": draft_key, "seen": seen}),
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text=f":raised_hand: You joined {link(proposal.permalink, proposal.name)}. "
                    "Its proposer will hear about it."
                )
            ),
            ActionsBlock(
                block_id="similar_back",
                elements=[
                    ButtonElement(
                        text="◀ Back to my proposal", action_id=BACK_ACTION, value=draft_key
                    )
                ],
            ),
            ContextBlock(elements=[MarkdownTextObject(text="Your own proposal was not posted.")]),
        ],
    )


def similar_notice(matches: list[tuple[Proposal, Standing | None]]) -> str:
    """The warning at the top of `/propose Name` when that name exists already."""
    lines = [":mag: *Similar projects exist.* Join one by reacting to its post, or go on:"]
    lines += [f"• {project_line(p, s)}" for p, s in matches]
    return "\n".join(lines)


def variants_line(variants: list[Proposal]) -> str:
    """The post's pointer to the same idea in other languages."""
    parts = [
        f"{link(v.permalink, v.name)} ({escape(', '.join(v.language_names))})" for v in variants
    ]
    return "The same idea in other languages: " + ", ".join(parts)
