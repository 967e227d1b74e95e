"""Slack's Block Kit limits, held where blocks are built: clipping text, counting blocks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

MAX_MESSAGE_BLOCKS = 50
SECTION_TEXT_MAX = 3000


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_dicts(blocks: Sequence[Block | dict[str, Any]]) -> list[dict[str, Any]]:
    """Serialise blocks; `to_dict()` runs slack_sdk's limit checks, and we add the ones it
    misses (the number of blocks in a message)."""
    out = [b.to_dict() if isinstance(b, Block) else b for b in blocks]
    if len(out) > MAX_MESSAGE_BLOCKS:
        raise ValueError(f"{len(out)} blocks in a message; Slack allows {MAX_MESSAGE_BLOCKS}")
    return out


def text_section(text: str, block_id: str | None = None, accessory: Any = None) -> SectionBlock:
    """A mrkdwn section whose text is held to Slack's 3,000 characters (`text` is mrkdwn
    already: user text in it went through blocks/mrkdwn.py)."""
    return SectionBlock(
        block_id=block_id, text=MarkdownTextObject(text=clip(text, 3000)), accessory=accessory
    )
