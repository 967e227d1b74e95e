"""The proposal as posted in the channel, rendered from the template.

Every section appears the same way wherever a proposal is shown: its template title in bold,
then the answer (`section_blocks`). The post shortens long answers; "View full proposal" in its
⋯ menu shows them whole, to anyone.
"""

from __future__ import annotations

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
from slack_sdk.models.views import View

from slackbot.blocks.answer_links import items_markup, model_markup, scripts_markup
from slackbot.blocks.limits import SECTION_TEXT_MAX, as_dicts, clip
from slackbot.blocks.mrkdwn import escape, link, mention
from slackbot.domain.hub import HubFacts
from slackbot.domain.proposal import Proposal
from slackbot.domain.template import SECTIONS, Kind, Section
from slackbot.domain.validation import lines_of

MENU_ACTION = "proposal_menu"
VIEW_FULL = "view"
# How much of an answer the post shows; the rest is one click away ("View full proposal").
POST_TEXT_MAX = 600
POST_LINES_MAX = 6
CLIPPED_NOTE = "Long answers are shortened here: ⋯ › *View full proposal* shows them whole."
SIDE_BY_SIDE = ("languages", "model")  # short answers, shown as two fields


def proposal_menu(proposal_id: int, *, editable: bool = True) -> OverflowMenuElement:
    """The ⋯ menu on a post and on the Home tab: anyone can read the whole proposal; only the
    proposer's edit or withdraw does anything (the server checks who uses it)."""
    options = [Option(value=f"{VIEW_FULL}:{proposal_id}", label="View full proposal")]
    if editable:
        options += [
            Option(value=f"edit:{proposal_id}", label="Edit proposal"),
            Option(value=f"withdraw:{proposal_id}", label="Withdraw proposal"),
        ]
    return OverflowMenuElement(action_id=MENU_ACTION, options=options)


def _clip_answer(section: Section, value: str) -> tuple[str, bool]:
    """The answer as the post shows it: at most POST_LINES_MAX lines of a list and
    POST_TEXT_MAX characters, cut at a word; and whether anything was cut."""
    value = value.strip()
    if section.kind in (Kind.ITEMS, Kind.LINKS):
        lines = lines_of(value)
        if len(lines) > POST_LINES_MAX:
            return "\n".join([*lines[:POST_LINES_MAX], "…"]), True
    if len(value) <= POST_TEXT_MAX:
        return value, False
    cut = value[:POST_TEXT_MAX].rsplit(" ", 1)[0].rstrip(" ,.;:")
    return cut + " …", True


def answer_markup(
    proposal: Proposal, section: Section, value: str, hub: HubFacts | None = None
) -> str:
    """One answer as mrkdwn, the same on every surface: links and Hub names linked (with what
    the Hub said of them, when `hub` holds its answers)."""
    if section.kind is Kind.LANGUAGES:
        return escape(", ".join(proposal.language_names)) or "—"
    if section.kind is Kind.MODEL:
        return model_markup(value, hub)
    if section.kind in (Kind.ITEMS, Kind.LINKS):
        return items_markup(value, datasets=section.id == "datasets", hub=hub)
    if section.id == "training_scripts":
        return scripts_markup(value)
    return escape(value)


def heading(section: Section) -> str:
    """The one way a section is titled on every surface."""
    return f"*{section.title}*"


def section_blocks(
    proposal: Proposal,
    *,
    clipped: bool,
    menu: OverflowMenuElement | None = None,
    hub: HubFacts | None = None,
) -> tuple[list[Any], bool]:
    """Every answered section under its heading, in the template's order (the name is the
    header); `clipped` shortens long answers. Returns the blocks and whether any was cut."""
    blocks: list[Any] = []
    cut_any = False
    fields: list[MarkdownTextObject] = []
    for section in SECTIONS:
        if section.kind is Kind.NAME:
            continue
        value = proposal.answers.get(section.id, "")
        if section.kind is not Kind.LANGUAGES and not value.strip():
            continue
        if clipped:
            value, cut = _clip_answer(section, value)
            cut_any = cut_any or cut
        text = f"{heading(section)}\n{answer_markup(proposal, section, value, hub)}"
        if section.id in SIDE_BY_SIDE:
            fields.append(MarkdownTextObject(text=clip(text, 2000)))
            if section.id == SIDE_BY_SIDE[-1]:
                blocks.append(SectionBlock(fields=fields))
                fields = []
            continue
        blocks.append(
            SectionBlock(
                block_id=section.id,
                text=MarkdownTextObject(text=clip(text, SECTION_TEXT_MAX)),
                accessory=menu if section.id == "description" else None,
            )
        )
    return blocks, cut_any


def variants_line(variants: list[Proposal]) -> str:
    """The post's pointer to the same idea in other languages."""
    parts = [
        f"{link(v.permalink, v.name)} ({escape(', '.join(v.language_names))})" for v in variants
    ]
    return "The same idea in other languages: " + ", ".join(parts)


def other_teams_line(teams: list[Proposal]) -> str:
    """The post's pointer to the other teams working on the same idea."""
    return "Other teams on this idea: " + ", ".join(link(t.permalink, t.name) for t in teams)


def full_proposal_view(proposal: Proposal, hub: HubFacts | None = None) -> View:
    """Every answer, whole: what "View full proposal" opens, for anyone (with what the Hub
    said of its models and datasets, as on the post)."""
    blocks, _ = section_blocks(proposal, clipped=False, hub=hub)
    context = f"Proposed by {mention(proposal.proposer_id)} · project #{proposal.id}"
    if proposal.permalink:
        context += f" · {link(proposal.permalink, 'the post')}"
    return View(
        type="modal",
        callback_id="proposal_full",
        title="Project proposal",
        close="Close",
        blocks=[
            HeaderBlock(text=clip(proposal.name, 150)),
            *blocks,
            ContextBlock(elements=[MarkdownTextObject(text=context)]),
        ],
    )


def proposal_message(
    proposal: Proposal,
    *,
    join_emoji: str,
    team_blocks: list[Any] | None = None,
    footer: str | None = None,
    hub: HubFacts | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks) of a proposal's post."""
    menu = proposal_menu(proposal.id, editable=proposal.is_editable)
    sections, cut = section_blocks(proposal, clipped=True, menu=menu, hub=hub)
    blocks: list[Any] = [HeaderBlock(text=clip(proposal.name, 150)), *sections]
    if cut:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=CLIPPED_NOTE)]))
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
    text = f"{mention(proposal.proposer_id)} proposes a project: {escape(proposal.name)}."
    return text, as_dicts(blocks)
