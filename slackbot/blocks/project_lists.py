"""Lists of projects: the digest, `/projects` pages and the Home tab share these lines."""

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

from slackbot.blocks.limits import SECTION_TEXT_MAX, as_dicts, clip
from slackbot.blocks.mrkdwn import escape, link
from slackbot.domain.proposal import Proposal
from slackbot.domain.ranking import DigestPlan, Standing
from slackbot.domain.teams import size_words

DIGEST_NEED_MAX = 20
DIGEST_NEW_MAX = 10


def project_line(proposal: Proposal, standing: Standing | None) -> str:
    """One project on one line: link, language, model, team size, what it needs."""
    parts = [f"*{link(proposal.permalink, clip(proposal.name, 90))}*"]
    parts.append(escape(clip(", ".join(proposal.language_names), 60)))
    parts.append(escape(clip(proposal.answers.get("model", ""), 50)))
    if standing is not None:
        words = size_words(standing.size, standing.threshold, standing.max_size)
        if standing.needed == 1:
            words = words.replace("needs 1 more", "*needs 1 more!*")
        parts.append(words)
    return " — ".join(p for p in parts if p)


def pack(lines: list[str], limit: int = SECTION_TEXT_MAX) -> list[str]:
    """Lines into as few section texts as fit Slack's 3000-character limit."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        line = clip(line, limit)
        if current and len(current) + 1 + len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    return chunks


def _lines_blocks(
    standings: list[Standing], proposals: dict[int, Proposal], bullet: str
) -> list[Any]:
    lines = [
        f"{bullet} {project_line(proposals[s.proposal_id], s)}"
        for s in standings
        if s.proposal_id in proposals
    ]
    return [SectionBlock(text=MarkdownTextObject(text=chunk)) for chunk in pack(lines)]


def digest_message(
    plan: DigestPlan, proposals: dict[int, Proposal], *, title: str = "Community week digest"
) -> tuple[str, list[dict[str, Any]]]:
    summary = (
        f"*{plan.open}* open · *{plan.forming}* forming (waiting for organizers) · "
        f"*{plan.official}* official"
    )
    blocks: list[Any] = [
        HeaderBlock(text=title),
        SectionBlock(text=MarkdownTextObject(text=summary)),
    ]
    sections = (
        (
            ":busts_in_silhouette: *Projects that need members*",
            plan.need_members,
            plan.need_total,
            DIGEST_NEED_MAX,
        ),
        (":new: *New since the last digest*", plan.newest, plan.newest_total, DIGEST_NEW_MAX),
    )
    for title, standings, total, limit in sections:
        if not standings:
            continue
        shown = standings[:limit]
        blocks.append(DividerBlock())
        blocks.append(SectionBlock(text=MarkdownTextObject(text=title)))
        blocks.extend(_lines_blocks(shown, proposals, "•"))
        if total > len(shown):
            more = f"…and {total - len(shown)} more — try `/projects`"
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="Join a project by reacting to its post · propose yours with `/propose`"
                )
            ]
        )
    )
    text = (
        f"Community week digest: {plan.open} open, {plan.forming} forming, "
        f"{plan.official} official projects"
    )
    return text, as_dicts(blocks)


def results_message(
    standings: list[Standing],
    proposals: dict[int, Proposal],
    *,
    query: str,
    page: int,
    pages: int,
    total: int,
) -> tuple[str, list[dict[str, Any]]]:
    """One page of `/projects` results, with buttons to the other pages."""
    if query:
        plural = "s" if total != 1 else ""
        head = f":mag: *{total}* project{plural} matching “{escape(clip(query, 100))}”"
    else:
        plural = "s" if total != 1 else ""
        head = f":busts_in_silhouette: *{total}* project{plural} you can join"
    if pages > 1:
        head += f" · page {page + 1} of {pages}"
    blocks: list[Any] = [SectionBlock(text=MarkdownTextObject(text=head))]
    if not standings:
        hint = "Nothing found. Try other words, or `/projects` for every open project."
        blocks.append(SectionBlock(text=MarkdownTextObject(text=hint)))
    blocks.extend(_lines_blocks(standings, proposals, "•"))
    buttons = []
    if page > 0:
        buttons.append(
            ButtonElement(
                text="◀ Previous", action_id="projects_prev", value=_page_value(query, page - 1)
            )
        )
    if page + 1 < pages:
        buttons.append(
            ButtonElement(
                text="Next ▶", action_id="projects_next", value=_page_value(query, page + 1)
            )
        )
    if buttons:
        blocks.append(ActionsBlock(block_id="projects_pages", elements=buttons))
    text = head.replace("*", "")
    return text, as_dicts(blocks)


def _page_value(query: str, page: int) -> str:
    import json
    import re

    # Only the words search uses: a button value is at most 2000 characters, and JSON escapes
    # each non-ASCII character as 6-12 of them.
    words = " ".join(re.findall(r"\w+", query)[:12])[:300]
    return json.dumps({"q": words, "p": page}, ensure_ascii=False)
