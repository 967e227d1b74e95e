"""Laying text out in a terminal: display width (wide and combining characters), wrapping,
flowing items across a line, and Slack timestamps as readable times. Used by `terminal`."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

RESET = "\x1b[0m"
ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")


def display_width(text: str) -> int:
    """Columns the text takes in a terminal: escape codes take none, wide (CJK, most emoji)
    characters two, combining marks and variation selectors none. Best effort; terminals
    disagree about some emoji."""
    width = previous = 0
    for char in ANSI_RE.sub("", text):
        if char == "\ufe0f":
            # Emoji presentation selector: "⚠" alone is narrow, "⚠️" is drawn as an emoji, wide.
            width += 1 if previous == 1 else 0
            previous = 2
            continue
        if unicodedata.combining(char) or char in "\u200b\u200c\u200d\ufe0e":
            continue
        previous = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        width += previous
    return width


def flow(items: Sequence[str], width: int, sep: str = "  ") -> list[str]:
    """Pack items (buttons, options) onto lines, never splitting one: textwrap would happily
    break "[ Post proposal ]" after "[ Post"."""
    lines: list[str] = []
    current = ""
    for item in items:
        candidate = f"{current}{sep}{item}" if current else item
        if current and display_width(candidate) > width:
            lines.append(current)
            current = item
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def wrap(text: str, width: int) -> list[str]:
    """textwrap per existing line (so newlines in the text are kept), aware of ANSI codes.

    Long words are not broken and hyphens are not break points: an over-long URL stays whole
    (and clickable) and "GPT-2" stays together, at the cost of the odd line over `width`."""
    width = max(width, 1)
    lines: list[str] = []
    for paragraph in text.replace("\t", "    ").split("\n"):
        lines += wrap_paragraph(paragraph, width)
    return lines


def wrap_paragraph(paragraph: str, width: int) -> list[str]:
    def wrap(plain: str) -> list[str]:
        return textwrap.wrap(plain, width, break_long_words=False, break_on_hyphens=False) or [""]

    if "\x1b" not in paragraph:
        return wrap(paragraph)
    # textwrap counts escape codes as characters, so wrap the text without them and put them
    # back where they were. textwrap's lines are contiguous pieces of its input with only the
    # whitespace between them dropped, so each line can be located in the plain text.
    codes: list[tuple[int, str]] = []
    pieces: list[str] = []
    length = last = 0
    for match in ANSI_RE.finditer(paragraph):
        pieces.append(paragraph[last : match.start()])
        length += match.start() - last
        codes.append((length, match.group()))
        last = match.end()
    pieces.append(paragraph[last:])
    plain = "".join(pieces)

    result: list[str] = []
    active: list[str] = []  # codes in effect at the start of the next line
    cursor = index = 0
    for line in wrap(plain):
        start = cursor
        if not plain.startswith(line, start):
            while start < len(plain) and plain[start].isspace():
                start += 1
            if not plain.startswith(line, start):  # cannot happen; never garble the text
                return wrap(plain)
        end = start + len(line)
        parts = active.copy()
        position = start
        while index < len(codes) and codes[index][0] <= end:
            at, code = codes[index]
            at = max(at, start)
            parts += [plain[position:at], code]
            position = at
            active = [] if code == RESET else [*active, code]
            index += 1
        parts.append(plain[position:end])
        # Close each line and reopen on the next, so a style never leaks into whatever the
        # caller puts around the line (a box border, an indent).
        if active:
            parts.append(RESET)
        result.append("".join(parts))
        cursor = end
    return result


def format_ts(ts: Any) -> str:
    try:
        moment = datetime.fromtimestamp(float(ts), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return str(ts)
    # UTC, not local time: the same message renders the same everywhere (tests, CI, laptops).
    return moment.strftime("%Y-%m-%d %H:%M UTC")
