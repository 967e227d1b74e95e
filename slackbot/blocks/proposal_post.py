"""The proposal as posted in the channel, rendered from the template."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    SectionBlock,
)

from slackbot.blocks.limits import SECTION_TEXT_MAX, as_dicts, clip
from slackbot.blocks.mrkdwn import escape, link, mention, url_text
from slackbot.domain.proposal import Proposal
from slackbot.domain.template import SECTIONS, SECTIONS_BY_ID, Kind
from slackbot.domain.validation import is_http_url, lines_of

MENU_ACTION = "proposal_menu"


def proposal_menu(proposal_id: int) -> OverflowMenuElement:
    """The proposer's menu on a post and on the Home tab; the server checks who uses it."""
    return OverflowMenuElement(
        action_id=MENU_ACTION,
        options=[
            Option(value=f"edit:{proposal_id}", label="Edit proposal"),
            Option(value=f"withdraw:{proposal_id}", label="Withdraw proposal"),
        ],
    )


HUB = "https://huggingface.co/"


_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def _model_text(model: str) -> str:
    model = model.strip()
    if is_http_url(model):
        return link(model, model.removeprefix(HUB))
    if _HUB_ID.match(model):
        return link(HUB + model, model)
    return escape(model)


def _lines_text(value: str) -> str:
    return "\n".join(
        f"• {url_text(line)}" if is_http_url(line) else f"• {escape(line)}"
        for line in lines_of(value)
    )


def section_text(proposal: Proposal, section_id: str) -> str:
    """One answer as mrkdwn, the same way in the post, the digest and the Home tab."""
    section = SECTIONS_BY_ID[section_id]
    if section.kind is Kind.LANGUAGES:
        return escape(", ".join(proposal.language_names)) or "—"
    value = proposal.answers.get(section_id, "").strip()
    if section.kind is Kind.MODEL:
        return _model_text(value)
    if section.kind in (Kind.ITEMS, Kind.LINKS):
        return _lines_text(value)
    return escape(value)


def proposal_message(
    proposal: Proposal,
    *,
    join_emoji: str,
    team_blocks: list[Any] | None = None,
    footer: str | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks) of a proposal's post."""
    blocks: list[Any] = [HeaderBlock(text=clip(proposal.name, 150))]
    live = proposal.is_editable
    blocks.append(
        SectionBlock(
            block_id="description",
            text=MarkdownTextObject(
                text=clip(escape(proposal.answers["description"]), SECTION_TEXT_MAX)
            ),
            accessory=proposal_menu(proposal.id) if live else None,
        )
    )
    blocks.append(
        SectionBlock(
            fields=[
                MarkdownTextObject(text=f"*Language*\n{section_text(proposal, 'languages')}"),
                MarkdownTextObject(text=f"*Model*\n{section_text(proposal, 'model')}"),
            ]
        )
    )
    for section in SECTIONS:
        if section.id in ("name", "description", "languages", "model"):
            continue
        body = section_text(proposal, section.id)
        if not body:
            continue
        text = f"*{section.number}. {section.title}*\n{body}"
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_TEXT_MAX))))
    blocks.append(DividerBlock())
    if team_blocks:
        blocks.extend(team_blocks)
    else:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"React with :{join_emoji}: to join this project's team."
                )
            )
        )
    context = f"Proposed by {mention(proposal.proposer_id)} · project #{proposal.id}"
    if proposal.edited_at:
        context += " · _edited_"
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=context)]))
    if footer:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=clip(footer, 3000))]))
    text = f"Project proposal: {escape(proposal.name)} by {mention(proposal.proposer_id)}"
    return text, as_dicts(blocks)
