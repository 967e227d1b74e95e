"""Laying text out in a terminal: display width (wide and combining characters), wrapping,
flowing items across a line, and Slack timestamps as readable times. Used by `terminal`."""

from __future__ import annotations

import re
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
    return sum(_char_widths(ANSI_RE.sub("", text)))


def _char_widths(text: str) -> list[int]:
    """The columns each character of `text` (without escape codes) takes, in context."""
    widths: list[int] = []
    previous = 0
    for char in text:
        if char == "\ufe0f":
            # Emoji presentation selector: "⚠" alone is narrow, "⚠️" is drawn as an emoji, wide.
            widths.append(1 if previous == 1 else 0)
            previous = 2
            continue
        if unicodedata.combining(char) or char in "\u200b\u200c\u200d\ufe0e":
            widths.append(0)
            continue
        previous = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        widths.append(previous)
    return widths


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


def wrap(text: str, width: int, *, whole_urls: bool = False) -> list[str]:
    """Text wrapped to `width` columns per existing line (so newlines in the text are kept),
    aware of escape codes and of wide characters.

    Lines break at spaces only ("GPT-2" stays together); a word is cut only when it is wider
    than a whole line, and then on a line of its own. With `whole_urls`, a URL (or a file path)
    is never cut, even then: the terminal folds it at the same column anyway, and a URL cut by
    a newline can no longer be clicked or copied. Where a line must hold (a box), leave it off."""
    width = max(width, 1)
    lines: list[str] = []
    for paragraph in text.replace("\t", "    ").split("\n"):
        lines += wrap_paragraph(paragraph, width, whole_urls=whole_urls)
    return lines


def fit(text: str, width: int) -> str:
    """Each line of `text` that is wider than `width` wrapped (URLs kept whole); a line that
    fits is left exactly as it is (padding, columns and all). A wrapped line's continuation is
    indented under its text: past a "+ ", "- ", "• ", "1. " or "! " marker, or two columns
    further than an indented line ("  field: value" continues at column 4)."""
    out: list[str] = []
    for line in text.split("\n"):
        if display_width(line) <= width:
            out.append(line)
            continue
        match = _HANGING_RE.match(line)
        prefix = match.group() if match else ""
        hang = len(prefix) if match and match.group("marker") else len(prefix) + 2 * bool(prefix)
        if hang > width // 2:  # a deep indent would leave no room: no hanging indent
            prefix, hang = "", 0
        pieces = wrap(line[len(prefix) :], width - hang, whole_urls=True)
        out += [prefix + pieces[0]] + [" " * hang + piece for piece in pieces[1:]]
    return "\n".join(out)


# The indentation and list/diff/error marker of a line, in plain text (a line that starts with
# an escape code gets no hanging indent).
_HANGING_RE = re.compile(r" *(?P<marker>(?:[-+•!>]|\d{1,3}[.)]) +)?")
# textwrap's whitespace: where lines may break. A no-break space is not a break point.
_CHUNK_RE = re.compile(r"[ \t\n\x0b\x0c\r]+|[^ \t\n\x0b\x0c\r]+")
# What `whole_urls` keeps whole: URLs, and file paths (which are copied too).
_URL_RE = re.compile(r"[a-z][a-z0-9+.-]*://|\bwww\.|\bmailto:|^[(\"'“]?~?/\S*/", re.IGNORECASE)


def wrap_paragraph(paragraph: str, width: int, *, whole_urls: bool = False) -> list[str]:
    # Other whitespace is shown as a space, as textwrap did: a "\r" must not move the cursor.
    paragraph = paragraph.translate(_OTHER_SPACES)
    if "\x1b" not in paragraph:
        return [paragraph[start:end] for start, end in _spans(paragraph, width, whole_urls)]
    # Wrap the text without its escape codes (they take no room), then put them back where
    # they were: each line is a contiguous piece of the plain text.
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
    index = 0
    for start, end in _spans(plain, width, whole_urls):
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
    return result


_OTHER_SPACES = str.maketrans("\x0b\x0c\r", "   ")


def _spans(plain: str, width: int, whole_urls: bool) -> list[tuple[int, int]]:
    """Where each line of `plain` (one paragraph) starts and ends once wrapped to `width`
    columns, textwrap's way: spaces at the end and start of lines are dropped, the paragraph's
    own indentation is kept; but counted in columns, not characters."""
    columns = [0]
    for char_width in _char_widths(plain):
        columns.append(columns[-1] + char_width)

    # (start, end, is space); a word wider than a line is cut into pieces that each fill one.
    chunks: list[tuple[int, int, bool]] = []
    for match in _CHUNK_RE.finditer(plain):
        start, end = match.span()
        space = plain[start] in " \t\n\x0b\x0c\r"
        if space or columns[end] - columns[start] <= width:
            chunks.append((start, end, space))
        elif whole_urls and _URL_RE.search(match.group()):
            chunks.append((start, end, False))
        else:
            for i in range(start + 1, end):
                # Never cut before a mark that takes no room: it belongs to what precedes it.
                if columns[i + 1] - columns[start] > width and columns[i + 1] > columns[i]:
                    chunks.append((start, i, False))
                    start = i
            chunks.append((start, end, False))

    lines: list[tuple[int, int]] = []
    current: list[tuple[int, int, bool]] = []
    used = 0
    for chunk in chunks:
        start, end, space = chunk
        if space and not current and lines:
            continue  # spaces at the start of a line (but the first) are dropped
        if current and used + columns[end] - columns[start] > width:
            if current[-1][2]:
                current.pop()
            if current:
                lines.append((current[0][0], current[-1][1]))
            current, used = [], 0
            if space:
                continue
        current.append(chunk)
        used += columns[end] - columns[start]
    if current and current[-1][2]:
        current.pop()
    if current:
        lines.append((current[0][0], current[-1][1]))
    return lines or [(0, 0)]


def format_ts(ts: Any) -> str:
    try:
        moment = datetime.fromtimestamp(float(ts), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return str(ts)
    # UTC, not local time: the same message renders the same everywhere (tests, CI, laptops).
    return moment.strftime("%Y-%m-%d %H:%M UTC")
