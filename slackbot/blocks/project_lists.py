"""Lists of projects: the digest, `/projects` pages and the Home tab share these lines."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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

from slackbot.blocks.answer_links import flax_mark_of
from slackbot.blocks.limits import SECTION_TEXT_MAX, as_dicts, clip
from slackbot.blocks.mrkdwn import escape, link
from slackbot.domain.hub import HubFacts
from slackbot.domain.proposal import Proposal
from slackbot.domain.ranking import DigestPlan, DigestSections, Standing
from slackbot.domain.teams import size_words
from slackbot.domain.vocabulary import LANGUAGE_LABELS

# A digest stays about 25 lines whatever the week's size: these caps, one line of counts and
# one or two of languages, a header and a footer (tests/services/test_digest_scale.py).
DIGEST_CLOSEST_MAX = 8
DIGEST_NEW_MAX = 6
DIGEST_LANGUAGE_LINES = 2
DIGEST_LINE_CHARS = 72  # a compact line that a laptop's Slack window shows unwrapped
# Shorter words than the form's for the choices that are not one language.
DIGEST_LANGUAGE_WORDS = {"code": "Code", "none": "No language (vision, audio)", "other": "Other"}


def project_line(proposal: Proposal, standing: Standing | None, hub: HubFacts | None = None) -> str:
    """One project on one line: link, language, model (✓ when the Hub, in `hub`, holds its
    Flax weights), team size, what it needs."""
    parts = [f"*{link(proposal.permalink, clip(proposal.name, 90))}*"]
    parts.append(escape(clip(", ".join(proposal.language_names), 60)))
    model = proposal.answers.get("model", "")
    parts.append(escape(clip(model, 50)) + flax_mark_of(model, hub) if model.strip() else "")
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
    standings: list[Standing],
    proposals: dict[int, Proposal],
    bullet: str,
    hub: HubFacts | None = None,
) -> list[Any]:
    lines = [
        f"{bullet} {project_line(proposals[s.proposal_id], s, hub)}"
        for s in standings
        if s.proposal_id in proposals
    ]
    return [SectionBlock(text=MarkdownTextObject(text=chunk)) for chunk in pack(lines)]


def language_word(slug: str) -> str:
    return DIGEST_LANGUAGE_WORDS.get(slug) or LANGUAGE_LABELS.get(slug) or slug.title()


def counts_lines(
    items: list[str], *, lines: int, width: int, more: Callable[[int], str]
) -> list[str]:
    """`items` joined by " · " on at most `lines` lines of about `width` characters; what does
    not fit is summed up at the end by `more(n)`."""
    rows: list[list[str]] = [[]]
    for item in items:
        if rows[-1] and len(" · ".join([*rows[-1], item])) > width:
            if len(rows) == lines:
                break
            rows.append([])
        rows[-1].append(item)
    left = len(items) - sum(len(row) for row in rows)
    while left and len(rows[-1]) > 1 and len(" · ".join([*rows[-1], more(left)])) > width:
        rows[-1].pop()
        left += 1
    if left:
        rows[-1].append(more(left))
    return [" · ".join(row) for row in rows if row]


def language_lines(counts: Sequence[tuple[str, int]]) -> list[str]:
    """How many projects look for members in each language, on one or two lines:
    `Hindi 12 · Spanish 9 · … · +5 more languages`."""
    return counts_lines(
        [escape(f"{language_word(slug)} {n}") for slug, n in counts],
        lines=DIGEST_LANGUAGE_LINES,
        width=DIGEST_LINE_CHARS,
        more=lambda n: f"+{n} more language{'s' if n != 1 else ''}",
    )


def new_line(proposal: Proposal) -> str:
    """A new project on a compact line: its link and language."""
    name = f"*{link(proposal.permalink, clip(proposal.name, 90))}*"
    languages = escape(clip(", ".join(proposal.language_names), 40))
    return f"{name} — {languages}" if languages else name


def _section_blocks(head: str, lines: list[str]) -> list[Any]:
    return [SectionBlock(text=MarkdownTextObject(text=t)) for t in pack([head, *lines])]


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def digest_message(
    plan: DigestPlan,
    sections: DigestSections,
    proposals: dict[int, Proposal],
    *,
    title: str = "Community week digest",
    deadlines: Sequence[str] = (),
    hub: HubFacts | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    """The digest: counts (and the time left before a deadline); the projects closest to
    starting; how many look for members in each language; what is new. Each project once,
    about 25 lines however many there are."""
    summary = (
        f"*{plan.open}* open · *{plan.forming}* waiting for organizers · *{plan.official}* official"
    )
    if deadlines:
        summary += " · :hourglass: " + " · ".join(deadlines)
    blocks: list[Any] = [
        HeaderBlock(text=title),
        SectionBlock(text=MarkdownTextObject(text=summary)),
    ]
    closest = [s for s in sections.closest if s.proposal_id in proposals]
    if closest:
        head = ":fire: *Closest to starting*: the fewest people still needed"
        if plan.need_total > len(closest):
            head += f" · {len(closest)} of {plan.need_total} looking for members"
        lines = [f"• {project_line(proposals[s.proposal_id], s, hub)}" for s in closest]
        blocks.append(DividerBlock())
        blocks.extend(_section_blocks(head, lines))
    if plan.languages:
        blocks.append(DividerBlock())
        blocks.extend(
            _section_blocks(
                ":busts_in_silhouette: *Looking for members, by language*",
                language_lines(plan.languages),
            )
        )
        example = next((slug for slug, _ in plan.languages if slug not in ("other", "none")), "")
        pointer = "Find yours: `/projects LANGUAGE`"
        blocks.append(_context(pointer + (f", e.g. `/projects {example}`" if example else "")))
    fresh = [s for s in sections.fresh if s.proposal_id in proposals]
    if fresh:
        blocks.append(DividerBlock())
        lines = [f"• {new_line(proposals[s.proposal_id])}" for s in fresh]
        blocks.extend(_section_blocks(":new: *New since the last digest*", lines))
        if sections.fresh_total > len(fresh):
            blocks.append(_context(f"+{sections.fresh_total - len(fresh)} more in `/projects`"))
    blocks.append(
        _context("Join a project by reacting to its post · propose yours with `/propose`")
    )
    text = (
        f"Community week digest: {plan.open} open, {plan.forming} waiting for organizers, "
        f"{plan.official} official projects"
    )
    return text, as_dicts(blocks)


def digest_parent_message() -> tuple[str, list[dict[str, Any]]]:
    """The pinned message each day's digest replies under (DIGEST_MODE=thread)."""
    text = "Community week digest: each day's digest is a reply in this thread"
    body = (
        ":calendar: *Community week digest*\n"
        "Each day's digest is a reply in this thread: the projects closest to starting, how "
        "many look for members in each language, and what is new."
    )
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=body)),
        _context("Find projects any time with `/projects` · propose yours with `/propose`"),
    ]
    return text, as_dicts(blocks)


def results_message(
    standings: list[Standing],
    proposals: dict[int, Proposal],
    *,
    query: str,
    page: int,
    pages: int,
    total: int,
    hub: HubFacts | None = None,
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
    blocks.extend(_lines_blocks(standings, proposals, "•", hub))
    buttons = []
    if page > 0:
        buttons.append(
            ButtonElement(
                text="◀ Previous",
                action_id="projects_prev",
                value=_page_value(query, page - 1),
                accessibility_label=f"Previous page of projects, page {page} of {pages}",
            )
        )
    if page + 1 < pages:
        buttons.append(
            ButtonElement(
                text="Next ▶",
                action_id="projects_next",
                value=_page_value(query, page + 1),
                accessibility_label=f"Next page of projects, page {page + 2} of {pages}",
            )
        )
    if buttons:
        blocks.append(ActionsBlock(block_id="projects_pages", elements=buttons))
    # The notification and screen readers get a sentence, without the emoji.
    text = head.split(" ", 1)[1].replace("*", "") + "."
    return text, as_dicts(blocks)


def _page_value(query: str, page: int) -> str:
    import json
    import re

    # Only the words search uses: a button value is at most 2000 characters, and JSON escapes
    # each non-ASCII character as 6-12 of them.
    words = " ".join(re.findall(r"\w+", query)[:12])[:300]
    return json.dumps({"q": words, "p": page}, ensure_ascii=False)
