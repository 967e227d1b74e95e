"""Render Slack messages, Block Kit blocks and views (modals, home tabs) as terminal text.

The sandbox, the local demo and failing tests all deal in Block Kit JSON, which is unreadable at a
glance. These functions turn it into roughly what a person would see in Slack: mentions resolved to
names, links spelled out, buttons drawn as "[ Join ]", a modal drawn as a box with its form fields.
It is a reading aid, not a faithful Slack client: anything it does not understand is named
("[video block]") rather than dropped, so nothing disappears silently.

With `color=False` (the default) the output is plain text with no ANSI escape codes at all, so it
can be compared in tests, written to logs or piped; `color=True` adds bold/italic/dim/red/green.

Everything is laid out for a `width` in columns (88 unless told; `terminal_width` says what fits
the terminal being written to): words are never cut unless wider than a whole line, and a box
(a modal, a home tab) keeps its right border straight whatever its content.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any, TextIO

from slack_sdk.models.basic_objects import JsonObject

from slackbot.blocks.team_welcome import markdown_to_mrkdwn as markdown_as_mrkdwn
from slackbot.text_layout import RESET, display_width, flow, format_ts, wrap

__all__ = [
    "DEFAULT_WIDTH",
    "EMOJI",
    "mrkdwn_to_text",
    "render_blocks",
    "render_message",
    "render_view",
    "terminal_width",
]

# The width of everything rendered when nothing says otherwise (and of output that is not a
# terminal: a pipe, a log, a test's golden file), and the bounds of a terminal's width: below
# MIN_WIDTH the boxes and columns stop making sense (the terminal folds the lines instead), and
# above MAX_WIDTH lines get too long to read.
DEFAULT_WIDTH, MIN_WIDTH, MAX_WIDTH = 88, 72, 100

# Anything block-shaped: the dicts Slack sends, or slack_sdk model objects (Block, View, …),
# which are serialised with to_dict() so callers need not do it themselves.
BlockLike = Mapping[str, Any] | JsonObject

# The emoji the bot itself uses, as unicode. Anything else stays as ":code:", which is still
# readable and avoids shipping a 3,000-entry table for a debugging aid.
EMOJI: Mapping[str, str] = {
    "tada": "🎉",
    "white_check_mark": "✅",
    "raised_hand": "✋",
    "bell": "🔔",
    "trophy": "🏆",
    "seedling": "🌱",
    "warning": "⚠️",
    "fire": "🔥",
    "hourglass": "⌛",
    "hourglass_flowing_sand": "⏳",
    "no_entry": "⛔",
    "lock": "🔒",
    "wastebasket": "🗑️",
    "mag": "🔍",
    "wave": "👋",
    "star": "⭐",
    "sparkles": "✨",
    "point_right": "👉",
    "busts_in_silhouette": "👥",
    "calendar": "📅",
    "new": "🆕",
    "pencil2": "✏️",
    "information_source": "ℹ️",
    "alarm_clock": "⏰",
    "raising_hand": "🙋",
    "zzz": "💤",
    "x": "❌",
    "hugging_face": "🤗",
}

_BOLD, _ITALIC, _DIM, _UNDERLINE, _STRIKE = "1", "3", "2", "4", "9"
_RED, _GREEN = "31", "32"


def _style_re(mark: str) -> re.Pattern[str]:
    """Slack's *bold*, _italic_ or ~strike~: the mark at a word boundary, no mark or newline
    inside, no space just inside the marks ("2*3*4", "* not bold *" and "snake_case_name" stay
    as they are). The "<…>" and "`…`" alternatives come first so that a mark inside a link, a
    mention or code is skipped over instead of starting a span; a link may be inside one."""
    m = re.escape(mark)
    return re.compile(
        r"<[^<>\n]*>|`[^`\n]*`"
        rf"|(?<![\w{m}]){m}(?=[^\s{m}])(?P<inner>(?:<[^<>\n]*>|[^{m}\n])+?)(?<=\S){m}(?![\w{m}])"
    )


# Each style is marked with a pair of private-use characters while the rest of the mrkdwn is
# converted, and only then turned into ANSI codes (or removed), so that the conversion never
# sees escape codes: (pattern, on, off, ANSI code).
_STYLES = [
    (_style_re("*"), "\ue000", "\ue001", _BOLD),
    (_style_re("_"), "\ue002", "\ue003", _ITALIC),
    (_style_re("~"), "\ue004", "\ue005", _STRIKE),
]
_MARKS = {mark: (code, on == mark) for _, on, off, code in _STYLES for mark in (on, off)}
_MARKS_RE = re.compile("[\ue000-\ue005]+")
_EMOJI_NAMES = "|".join(re.escape(name) for name in sorted(EMOJI, key=len, reverse=True))
# One pass for everything else, so a converted piece is never converted again: "&amp;lt;" must
# become "&lt;", not "<", and a URL containing ":tada:" must stay a URL.
_INLINE_RE = re.compile(
    r"<(?P<token>[^<>\n]*)>"
    rf"|:(?P<emoji>{_EMOJI_NAMES}):"
    # "::skin-tone-2:" after any emoji code, known or not: the lookbehind sees the closing ":"
    # of the emoji code (already consumed by the previous match, or skipped as unknown).
    r"|(?<=:)(?P<skin>:skin-tone-[1-6]:)"
    r"|&(?P<entity>amp|lt|gt);"
)
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_ENTITY_RE = re.compile(r"&(amp|lt|gt);")
_BROADCASTS = frozenset({"here", "channel", "everyone"})


# --------------------------------------------------------------------------------------------
# Public API


def terminal_width(out: TextIO | None = None) -> int:
    """The width to render at for `out`: its terminal's columns, kept between MIN_WIDTH and
    MAX_WIDTH, when it is a terminal; DEFAULT_WIDTH when it is not (a pipe, a file, a test),
    so that what is written there does not depend on the window it was run from."""
    try:
        is_terminal = out is not None and out.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        is_terminal = False
    if not is_terminal:
        return DEFAULT_WIDTH
    columns = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    return min(max(columns, MIN_WIDTH), MAX_WIDTH)


def mrkdwn_to_text(
    text: str,
    *,
    names: Mapping[str, str] | None = None,
    channel_names: Mapping[str, str] | None = None,
    color: bool = False,
    links: Mapping[str, str] | None = None,
) -> str:
    """Slack mrkdwn to terminal text: mentions and channels by name, links as "label (url)",
    entities unescaped, *bold*, _italic_ and ~strike~ as ANSI styles (or, without colour, just
    without their marks), common emoji as unicode."""
    return _Renderer(
        names=names or {}, channel_names=channel_names or {}, color=color, links=links
    ).mrkdwn(text)


def render_blocks(
    blocks: Sequence[BlockLike],
    *,
    width: int = DEFAULT_WIDTH,
    color: bool = False,
    names: Mapping[str, str] | None = None,
    channel_names: Mapping[str, str] | None = None,
    links: Mapping[str, str] | None = None,
) -> str:
    """Blocks of a message (or any list of blocks), one after the other, wrapped to `width`."""
    renderer = _Renderer(
        width=width, color=color, names=names or {}, channel_names=channel_names or {}, links=links
    )
    return "\n".join(renderer.blocks(blocks))


def render_message(
    message: Mapping[str, Any],
    *,
    names: Mapping[str, str] | None = None,
    channel_names: Mapping[str, str] | None = None,
    width: int = DEFAULT_WIDTH,
    color: bool = False,
    links: Mapping[str, str] | None = None,
) -> str:
    """A message as a conversation shows it: who and when (if the message says), its blocks
    (or its text when it has none), then its reactions, one per line."""
    r = _Renderer(
        width=width, color=color, names=names or {}, channel_names=channel_names or {}, links=links
    )
    lines = r.message_header(message)
    blocks = message.get("blocks")
    if blocks:
        lines += r.blocks(blocks)
    elif message.get("text"):
        lines += r.wrap(r.mrkdwn(message["text"]))
    for file in message.get("files") or []:
        lines.append(f"[file: {file.get('name') or file.get('title') or file.get('id', '?')}]")
    lines += r.reactions(message.get("reactions"))
    replies = message.get("reply_count")
    if replies:
        lines.append(r.paint(f"{replies} repl{'y' if replies == 1 else 'ies'} in thread", _DIM))
    return "\n".join(lines)


def render_view(
    view: Mapping[str, Any] | JsonObject,
    *,
    names: Mapping[str, str] | None = None,
    channel_names: Mapping[str, str] | None = None,
    width: int = DEFAULT_WIDTH,
    color: bool = False,
    errors: Mapping[str, str] | None = None,
    links: Mapping[str, str] | None = None,
) -> str:
    """A modal or home tab as a box: title, blocks (input blocks as form fields), then the
    submit/close buttons. `errors` is what a `response_action: "errors"` would send (block_id
    -> message); each is shown under its block, and any whose block is missing at the top."""
    view = _as_dict(view)
    all_errors = {**(view.get("errors") or {}), **(errors or {})}
    inner = max(width - 4, 10)  # "│ " + content + " │"
    r = _Renderer(
        width=inner,
        color=color,
        names=names or {},
        channel_names=channel_names or {},
        errors=all_errors,
        links=links,
        whole_urls=False,  # a URL wider than the box is cut: the border must stay in place
    )
    kind = view.get("type", "modal")
    title = r.text(view.get("title")) or ("Home" if kind == "home" else kind.capitalize())

    blocks = view.get("blocks") or []
    known_ids = {_as_dict(b).get("block_id") for b in blocks}
    body: list[str] = []
    for block_id, message in all_errors.items():
        if block_id not in known_ids:
            body += r.error_lines(f"{block_id}: {message}")
    if body:
        body.append("")
    # A blank line between blocks: a form with its labels, fields and hints run together is
    # hard to read, unlike a message, whose blocks are already short.
    body += r.blocks(blocks, gap=True)

    buttons: list[str] = []
    if kind == "modal":
        if view.get("submit"):
            buttons.append(r.paint(f"[ {r.text(view['submit'])} ]", _GREEN))
        # Slack shows a "Cancel" close button on every modal, even when the view names none.
        buttons.append(f"[ {r.text(view.get('close')) or 'Cancel'} ]")

    def rows(lines: list[str]) -> list[str]:
        # Whatever is still wider than the box (a button with a long label, a line of code,
        # which are otherwise kept whole) is wrapped here, so the border stays straight.
        fitted = [
            piece
            for line in lines
            for piece in (r.wrap(line) if display_width(line) > inner else [line])
        ]
        return [f"│ {line}{' ' * max(inner - display_width(line), 0)} │" for line in fitted]

    rule = "─" * (inner + 2)
    out = [f"╭{rule}╮"]
    out += rows([r.paint(line, _BOLD) for line in r.wrap(title)])
    out.append(f"├{rule}┤")
    out += rows(body or [""])
    if buttons:
        out.append(f"├{rule}┤")
        out += rows(flow(buttons, inner))
    out.append(f"╰{rule}╯")
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# Implementation


def _as_dict(obj: BlockLike | None) -> dict[str, Any]:
    if obj is None:
        return {}
    if isinstance(obj, JsonObject):
        return obj.to_dict()
    return dict(obj)


@dataclass(frozen=True)
class _Renderer:
    """The options of one rendering, shared by the functions that render the parts."""

    width: int = DEFAULT_WIDTH
    color: bool = False
    names: Mapping[str, str] = field(default_factory=dict)
    channel_names: Mapping[str, str] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)
    # Short forms of URLs (a post's permalink as "#channel › project #2"); when given, other
    # links show their label alone (a terminal cannot click them anyway).
    links: Mapping[str, str] | None = None
    # Whether a URL wider than a line stays whole (see text_layout.wrap): yes in a message,
    # where the terminal folds it; no in a box, whose border it would push out.
    whole_urls: bool = True

    # ---- text ------------------------------------------------------------------------------

    def paint(self, text: str, *codes: str) -> str:
        if not self.color or not codes or not text:
            return text
        start = f"\x1b[{';'.join(codes)}m"
        # Re-apply this style after any reset inside (a bold word in a dim line stays dim).
        return start + text.replace(RESET, RESET + start) + RESET

    def wrap(self, text: str, width: int | None = None) -> list[str]:
        return wrap(text, self.width if width is None else width, whole_urls=self.whole_urls)

    def mrkdwn(self, text: str) -> str:
        text = _MARKS_RE.sub("", text)
        for pattern, on, off in ((p, on, off) for p, on, off, _ in _STYLES):

            def mark(match: re.Match[str], on: str = on, off: str = off) -> str:
                inner = match.group("inner")
                return match.group(0) if inner is None else f"{on}{inner}{off}"

            text = pattern.sub(mark, text)
        return self.styles(self.inline(text))

    def styles(self, text: str) -> str:
        """The style marks as ANSI codes (or nothing, without colour). A style that ends inside
        another ("*bold _both* italic_") resets, then reopens the ones still in effect."""
        if not self.color:
            return _MARKS_RE.sub("", text)
        active: list[str] = []

        def codes(match: re.Match[str]) -> str:
            before = active.copy()
            for mark in match.group():
                code, on = _MARKS[mark]
                if on:
                    active.append(code)
                elif code in active:
                    active.remove(code)
            if all(code in active for code in before):  # only opened
                opened = [code for code in active if code not in before]
                return "".join(f"\x1b[{code}m" for code in opened)
            return RESET + "".join(f"\x1b[{code}m" for code in active)

        return _MARKS_RE.sub(codes, text)

    def inline(self, text: str) -> str:
        def convert(match: re.Match[str]) -> str:
            if match.group("token") is not None:
                return self.token(match.group("token"))
            if match.group("emoji") is not None:
                return EMOJI[match.group("emoji")]
            if match.group("entity") is not None:
                return _ENTITIES[match.group("entity")]
            return ""  # a skin tone

        text = _INLINE_RE.sub(convert, text)
        for url, short in (self.links or {}).items():  # a bare permalink in a sentence
            text = text.replace(url, short)
        return text

    def token(self, token: str) -> str:
        """The inside of one "<…>": a mention, channel, special mention or link."""
        target, _, label = token.partition("|")
        label = self.inline(label)
        if target.startswith("@"):
            return "@" + self.user(target[1:], label.lstrip("@"))
        if target.startswith("#"):
            channel = target[1:]
            return "#" + (self.channel_names.get(channel) or label.lstrip("#") or channel)
        if target.startswith("!"):
            command, _, argument = target[1:].partition("^")
            if command in _BROADCASTS:
                return "@" + command
            if label:  # "<!subteam^S1|@team>", "<!date^…|fallback>"
                return label
            if command == "date":
                return format_ts(argument.partition("^")[0])
            return "@" + (argument if command == "subteam" else command)
        # A URL only has its entities unescaped: ":tada:" in a path is not an emoji.
        url = _ENTITY_RE.sub(lambda m: _ENTITIES[m.group(1)], target)
        if self.links is not None:
            short = self.links.get(url)
            if short is not None:
                return short if not label or label == url else f"{label} ({short})"
            return label or re.sub(r"^https?://", "", url)
        if not label or label == url or url == f"mailto:{label}":
            return label or url
        return f"{label} ({url})"

    def user(self, user_id: str, fallback: str = "") -> str:
        return (self.names.get(user_id) or fallback or user_id).lstrip("@")

    def text(self, obj: Any) -> str:
        """A text object (plain_text or mrkdwn), or a bare string taken as mrkdwn."""
        if not obj:
            return ""
        if isinstance(obj, str):
            return self.mrkdwn(obj)
        obj = _as_dict(obj)
        raw = str(obj.get("text", ""))
        if obj.get("type") == "plain_text":
            # Plain text is shown as written: no mentions, links or entities; only emoji codes,
            # which Slack converts in plain_text too (its "emoji" flag defaults to on).
            return raw if obj.get("emoji") is False else self.inline_emoji(raw)
        return self.mrkdwn(raw)

    def inline_emoji(self, text: str) -> str:
        def convert(match: re.Match[str]) -> str:
            return EMOJI[match.group("emoji")] if match.group("emoji") else ""

        return re.sub(rf":(?P<emoji>{_EMOJI_NAMES}):|(?<=:):skin-tone-[1-6]:", convert, text)

    def error_lines(self, message: str) -> list[str]:
        return [self.paint(line, _RED) for line in self.wrap(f"  ! {message}")]

    # ---- blocks ----------------------------------------------------------------------------

    def blocks(self, blocks: Sequence[BlockLike], *, gap: bool = False) -> list[str]:
        lines: list[str] = []
        for block in blocks:
            block = _as_dict(block)
            if gap and lines:
                lines.append("")
            lines += self.block(block)
            block_id = block.get("block_id")
            if block_id and block_id in self.errors:
                lines += self.error_lines(self.errors[block_id])
        return lines

    def block(self, block: Mapping[str, Any]) -> list[str]:
        kind = block.get("type", "?")
        if kind == "header":
            return self.header(block)
        if kind == "section":
            return self.section(block)
        if kind == "divider":
            return [self.paint("─" * self.width, _DIM)]
        if kind == "context":
            return self.context(block)
        if kind == "actions":
            return flow([self.element(e) for e in block.get("elements") or []], self.width)
        if kind == "input":
            return self.input(block)
        if kind == "image":
            lines = self.wrap(self.text(block.get("title"))) if block.get("title") else []
            return lines + self.wrap(f"[{block.get('alt_text') or 'image'}]")
        if kind == "rich_text":
            return self.rich_text(block.get("elements") or [])
        if kind == "markdown":  # Slack renders standard Markdown; read it as mrkdwn here
            return self.wrap(self.mrkdwn(markdown_as_mrkdwn(str(block.get("text") or ""))))
        return [f"[{kind} block]"]

    def header(self, block: Mapping[str, Any]) -> list[str]:
        lines = self.wrap(self.text(block.get("text")))
        if self.color:
            return [self.paint(line, _BOLD, _UNDERLINE) for line in lines]
        # Without ANSI underline, draw it.
        return [*lines, "═" * max(display_width(line) for line in lines)]

    def section(self, block: Mapping[str, Any]) -> list[str]:
        lines = self.wrap(self.text(block.get("text"))) if block.get("text") else []
        accessory = block.get("accessory")
        if accessory:
            label = self.element(accessory)
            if lines and display_width(f"{lines[-1]}  {label}") <= self.width:
                lines[-1] = f"{lines[-1]}  {label}"
            else:
                lines.append(label)
        fields = [self.text(f) for f in block.get("fields") or []]
        return lines + self.fields(fields)

    def fields(self, fields: list[str]) -> list[str]:
        gap = 4
        column = (self.width - gap) // 2
        if not all(display_width(line) <= column for text in fields for line in text.split("\n")):
            # Too wide for two columns: one field after the other, each wrapped.
            return [line for text in fields for line in self.wrap(text)]
        lines: list[str] = []
        for left, right in zip_longest(fields[::2], fields[1::2], fillvalue=""):
            left_lines, right_lines = left.split("\n"), right.split("\n")
            for i in range(max(len(left_lines), len(right_lines))):
                a = left_lines[i] if i < len(left_lines) else ""
                b = right_lines[i] if i < len(right_lines) else ""
                padding = " " * (column - display_width(a) + gap) if b else ""
                lines.append(f"{a}{padding}{b}")
        return lines

    def context(self, block: Mapping[str, Any]) -> list[str]:
        parts = []
        for element in block.get("elements") or []:
            if element.get("type") == "image":
                parts.append(element.get("alt_text") or "image")
            else:
                parts.append(self.text(element))
        return [self.paint(line, _DIM) for line in self.wrap(" · ".join(parts))]

    def input(self, block: Mapping[str, Any]) -> list[str]:
        lines = self.wrap(self.paint(self.text(block.get("label")), _BOLD))
        if block.get("optional"):
            lines[-1] += self.paint(" [optional]", _DIM)
        lines += self.field(block.get("element") or {})
        if block.get("hint"):
            lines += [self.paint(line, _DIM) for line in self.wrap(self.text(block["hint"]))]
        return lines

    def field(self, element: Mapping[str, Any]) -> list[str]:
        """An input block's element, drawn as a form field."""
        kind = element.get("type", "")
        if kind in (
            "plain_text_input",
            "email_text_input",
            "url_text_input",
            "number_input",
            "rich_text_input",
        ):
            value = element.get("initial_value")
            if isinstance(value, Mapping):  # rich_text_input: a rich_text block
                value = "\n".join(self.rich_text(value.get("elements") or []))
            if value:
                text = str(value)
            else:
                # The "…" tells a placeholder from a value when there is no dim text to do it.
                placeholder = self.text(element.get("placeholder"))
                if not placeholder.endswith("…"):
                    placeholder = f"{placeholder} …".lstrip()
                text = self.paint(placeholder, _DIM)
            lines = self.wrap(text, self.width - 4)
            lines = [f"{'[' if i == 0 else ' '} {line}" for i, line in enumerate(lines)]
            lines[-1] += " ]"
            return lines
        if kind in ("checkboxes", "radio_buttons"):
            return flow(self.choices(element), self.width)
        if kind.startswith("multi_"):
            selected = self.selected(element)
            if selected:
                return flow([f"[x] {s}" for s in selected], self.width)
        return [self.element(element)]

    def choices(self, element: Mapping[str, Any]) -> list[str]:
        """Checkboxes or radio buttons: every option, the chosen ones marked."""
        radio = element.get("type") == "radio_buttons"
        initial = element.get("initial_options") or [element.get("initial_option") or {}]
        chosen = {o.get("value") for o in initial}
        out = []
        for option in element.get("options") or []:
            on = option.get("value") in chosen
            mark = ("(•)" if on else "( )") if radio else ("[x]" if on else "[ ]")
            out.append(f"{mark} {self.text(option.get('text'))}")
        return out

    def selected(self, element: Mapping[str, Any]) -> list[str]:
        """The initially selected values of a (multi-)select, as shown."""
        single = [element[k] for k in ("initial_option",) if element.get(k)]
        options = element.get("initial_options") or single
        users = element.get("initial_users") or (
            [element["initial_user"]] if element.get("initial_user") else []
        )
        channels = (
            element.get("initial_conversations")
            or element.get("initial_channels")
            or [element[k] for k in ("initial_conversation", "initial_channel") if element.get(k)]
        )
        return (
            [self.text(o.get("text")) for o in options]
            + ["@" + self.user(u) for u in users]
            + ["#" + (self.channel_names.get(c) or c) for c in channels]
        )

    def element(self, element: BlockLike) -> str:
        """An interactive element on one line, e.g. "[ Join ]", "[ Pick a team ▾ ]", "[⋯]"."""
        element = _as_dict(element)
        kind = element.get("type", "")
        if kind in ("button", "workflow_button"):
            styles = {"primary": (_GREEN,), "danger": (_RED,)}
            label = f"[ {self.text(element.get('text'))} ]"
            return self.paint(label, *styles.get(element.get("style", ""), ()))
        if kind == "overflow":
            return "[⋯]"
        if kind == "image":
            return f"[{element.get('alt_text') or 'image'}]"
        if kind in ("checkboxes", "radio_buttons"):
            return "  ".join(self.choices(element))
        placeholder = self.paint(self.text(element.get("placeholder")), _DIM)
        if kind.endswith("select"):
            selected = self.selected(element)
            if selected and kind.startswith("multi_"):
                return "  ".join(f"[x] {s}" for s in selected)
            return f"[ {(selected[0] if selected else placeholder) or 'Select'} ▾ ]"
        if kind == "datepicker":
            return f"[ {element.get('initial_date') or placeholder or 'Select a date'} ▾ ]"
        if kind == "timepicker":
            return f"[ {element.get('initial_time') or placeholder or 'Select time'} ▾ ]"
        if kind == "datetimepicker":
            moment = element.get("initial_date_time")
            return f"[ {format_ts(moment) if moment else 'Select date and time'} ▾ ]"
        if kind.endswith("input"):
            return self.field(element)[0]
        return f"[{kind or 'element'}]"

    def rich_text(self, elements: Sequence[Mapping[str, Any]]) -> list[str]:
        lines: list[str] = []
        for element in elements:
            kind = element.get("type")
            inner = element.get("elements") or []
            if kind == "rich_text_list":
                ordered = element.get("style") == "ordered"
                indent = "  " * int(element.get("indent") or 0)
                for number, item in enumerate(inner, start=int(element.get("offset") or 0) + 1):
                    marker = f"{number}. " if ordered else "• "
                    lines += self.indented(self.rich_inline(item), indent + marker)
            elif kind == "rich_text_preformatted":
                # Code keeps its own line breaks and spacing: indented, never re-wrapped.
                lines += ["    " + line for line in self.rich_inline(element).split("\n")]
            elif kind == "rich_text_quote":
                lines += [
                    "> " + line for line in self.wrap(self.rich_inline(element), self.width - 2)
                ]
            else:
                lines += self.wrap(self.rich_inline(element))
        return lines

    def indented(self, text: str, prefix: str) -> list[str]:
        lines = self.wrap(text, self.width - len(prefix))
        return [(prefix if i == 0 else " " * len(prefix)) + line for i, line in enumerate(lines)]

    def rich_inline(self, container: Mapping[str, Any]) -> str:
        """The plain text of a rich_text section's elements (best effort: unknown ones named)."""
        out = []
        for element in container.get("elements") or []:
            kind = element.get("type")
            if kind == "text":
                text = str(element.get("text", ""))
                style = element.get("style") or {}
                if style.get("code"):
                    text = f"`{text}`"
                if style.get("bold"):
                    text = self.paint(text, _BOLD)
                if style.get("italic"):
                    text = self.paint(text, _ITALIC)
                if style.get("strike"):
                    text = self.paint(text, _STRIKE)
                out.append(text)
            elif kind == "link":
                url = str(element.get("url", ""))
                text = element.get("text")
                out.append(f"{text} ({url})" if text and text != url else url)
            elif kind == "user":
                out.append("@" + self.user(str(element.get("user_id", ""))))
            elif kind == "usergroup":
                out.append("@" + str(element.get("usergroup_id", "")))
            elif kind == "channel":
                channel = str(element.get("channel_id", ""))
                out.append("#" + (self.channel_names.get(channel) or channel))
            elif kind == "broadcast":
                out.append("@" + str(element.get("range", "here")))
            elif kind == "emoji":
                out.append(self.emoji(element))
            elif kind == "date":
                out.append(element.get("fallback") or format_ts(element.get("timestamp")))
            elif kind in ("rich_text_section", "rich_text_preformatted", "rich_text_quote"):
                out.append(self.rich_inline(element))
            else:
                out.append(f"[{kind}]")
        return "".join(out)

    def emoji(self, element: Mapping[str, Any]) -> str:
        name = str(element.get("name", ""))
        code = element.get("unicode")
        if code:
            try:
                return "".join(chr(int(part, 16)) for part in str(code).split("-"))
            except ValueError:
                pass
        return EMOJI.get(name, f":{name}:")

    # ---- messages --------------------------------------------------------------------------

    def message_header(self, message: Mapping[str, Any]) -> list[str]:
        """ "alice  2024-06-01 12:00 UTC  (edited) · reply in thread", when the message says who
        or when; a message dict built by hand in a test may say neither."""
        parts = []
        user = message.get("user")
        who = self.user(user, message.get("username") or "") if user else message.get("username")
        if who:
            parts.append(self.paint(str(who), _BOLD))
        details = []
        if message.get("ts"):
            details.append(format_ts(message["ts"]))
        if message.get("edited"):
            details.append("(edited)")
        thread_ts = message.get("thread_ts")
        if thread_ts and thread_ts != message.get("ts"):
            details.append("· reply in thread")
        if details:
            parts.append(self.paint(" ".join(details), _DIM))
        return ["  ".join(parts)] if parts else []

    def reactions(self, reactions: Any) -> list[str]:
        """ ":raised_hand: 3 (alice, bob, carol)" per reaction. Accepts the API's list of
        {"name", "users", "count"} or a plain {name: [user ids]}."""
        if not reactions:
            return []
        if isinstance(reactions, Mapping):
            reactions = [{"name": k, "users": v} for k, v in reactions.items()]
        lines = []
        for reaction in reactions:
            name = str(reaction.get("name", "")).split("::", 1)[0]
            users = list(reaction.get("users") or [])
            # The API's "users" is capped; "count" is the real total.
            count = int(reaction.get("count") or len(users))
            who = ", ".join(self.user(u) for u in users)
            lines += self.wrap(f":{name}: {count}" + (f" ({who})" if who else ""))
        return lines
