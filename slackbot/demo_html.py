"""`slackbot demo --html FILE`: the scripted week as one self-contained HTML page that looks like
Slack: the channel with its threads, each person's DMs, the modals people saw, the Home tabs.
For people who would rather look than read. No network: inline CSS and a few lines of script
to switch between conversations.

Each view has an anchor, so `week.html#home-suzana` opens suzana's Home tab; the sidebar is the
page's table of contents, one link per view (and per modal)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from slackbot.blocks.team_welcome import markdown_to_mrkdwn
from slackbot.terminal import EMOJI

_TOKEN = re.compile(r"<([^<>]+)>")
_CODE = re.compile(r"`([^`\n]+)`")
_EMOJI = re.compile(r":([a-z0-9_+\-]+)(?:::skin-tone-\d)?:")
# While styles are applied, each link, mention and code span stands in the text as one opaque
# "hole" (private-use marks around its number), so `*<https://…|name>*` is bold around a hole.
_HOLE = re.compile("\ue000(\\d+)\ue001")


def _style(mark: str) -> re.Pattern[str]:
    """Slack's inline style: the marks hug their text (no space just inside them), the opening
    mark follows no letter or digit, the closing one is followed by none, and it stays on one
    line. `_*both*_` and `*_both_*` nest."""
    m = re.escape(mark)
    return re.compile(rf"(?<![^\W_])(?<!{m}){m}(?=\S)([^{m}\n]+?)(?<=\S){m}(?![^\W_])(?!{m})")


_STYLES = ((_style("*"), "b"), (_style("_"), "i"), (_style("~"), "s"))

CSS = """
body{margin:0;font:15px/1.45 -apple-system,Segoe UI,Helvetica,Arial,sans-serif,
"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji";color:#1d1c1d;
display:flex;height:100vh}
code{font-family:ui-monospace,Menlo,Consolas,monospace,
"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji"}
nav{width:250px;background:#3f0e40;color:#d1c4d2;overflow:auto;padding:10px 0}
nav h1{font-size:17px;color:#fff;margin:4px 16px 12px}
nav h2{font-size:13px;margin:14px 16px 4px;font-weight:600;color:#c7b9c8}
nav a{display:block;padding:3px 16px;color:#d1c4d2;text-decoration:none;cursor:pointer}
nav a.sub{padding-left:30px;font-size:13px}
nav a.on{background:#1164a3;color:#fff}
main{flex:1;overflow:auto}
section.pane{display:none;padding:0 24px 40px}
section.pane.on{display:block}
.pane>h2{position:sticky;top:0;background:#fff;margin:0 -24px;padding:14px 24px;
border-bottom:1px solid #ddd;font-size:18px}
.msg{display:flex;gap:10px;padding:10px 0;border-bottom:1px solid #f3f3f3}
.avatar{width:36px;height:36px;border-radius:6px;background:#611f69;color:#fff;flex:none;
display:flex;align-items:center;justify-content:center;font-weight:700}
.who{font-weight:700}.when{color:#616061;font-size:12px;margin-left:6px}
.thread{margin:6px 0 0 20px;border-left:3px solid #ddd;padding-left:12px}
.block{margin:4px 0}.header{font-size:18px;font-weight:800;margin:6px 0}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px}
.context{color:#616061;font-size:13px}
hr{border:none;border-top:1px solid #ddd;margin:8px 0}
button{font:inherit;font-size:13px;font-weight:600;border:1px solid #bbb;background:#fff;
border-radius:4px;padding:3px 10px;margin:2px 6px 2px 0}
button.primary{background:#007a5a;border-color:#007a5a;color:#fff}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
a{color:#1264a3}code{background:#f6f6f6;border:1px solid #ddd;border-radius:3px;padding:0 3px}
.modal{max-width:620px;border:1px solid #ccc;border-radius:8px;margin:18px 0;
box-shadow:0 4px 12px rgba(0,0,0,.12)}.view{scroll-margin-top:64px}
.modal .title{font-weight:800;font-size:18px;padding:14px 18px;border-bottom:1px solid #ddd}
.modal .body{padding:10px 18px}.modal .foot{padding:10px 18px;border-top:1px solid #ddd;
text-align:right}
.input label{font-weight:700;display:block}.input .box{border:1px solid #bbb;
border-radius:4px;padding:6px;min-height:18px;color:#1d1c1d;white-space:pre-wrap}
.input .hint{color:#616061;font-size:12px}.reactions span{border:1px solid #ddd;
border-radius:12px;padding:0 6px;font-size:13px;margin-right:4px}
.home{max-width:760px}
"""

SCRIPT = """
// The address's #anchor picks the view: a pane (a conversation, a Home tab, the modals) or a
// modal inside one. No anchor, or an unknown one: the first pane.
function show(id) {
  var target = id ? document.getElementById(id) : null;
  var pane = target ? target.closest('section.pane') : null;
  if (!pane) {
    pane = document.querySelector('section.pane');
    target = pane;
  }
  document.querySelectorAll('section.pane').forEach(function (el) {
    el.classList.toggle('on', el === pane);
  });
  document.querySelectorAll('nav a').forEach(function (link) {
    var to = link.getAttribute('href').slice(1);
    link.classList.toggle('on', to === target.id || (to === pane.id && target !== pane));
  });
  document.querySelector('main').scrollTop = 0;
  if (target !== pane) {
    target.scrollIntoView();
  }
}
function fromAddress() {
  show(decodeURIComponent(window.location.hash.slice(1)));
}
window.addEventListener('hashchange', fromAddress);
fromAddress();
document.body.dataset.ready = 'yes';
"""


class HtmlPage:
    """Renders Slack's blocks and mrkdwn as HTML with the workspace's names."""

    def __init__(self, names: Mapping[str, str], channel_names: Mapping[str, str]) -> None:
        self.names = names
        self.channel_names = channel_names

    # --- text ------------------------------------------------------------------------------
    def mrkdwn(self, text: str) -> str:
        """Slack mrkdwn (already &amp;-escaped by its writer) as HTML: links and mentions, `code`,
        *bold*, _italic_ and ~strike~ (also around a link or a mention), and emoji codes."""
        holes: list[str] = []

        def hole(markup: str) -> str:
            holes.append(markup)
            return f"\ue000{len(holes) - 1}\ue001"

        text = _TOKEN.sub(
            lambda m: hole(self._token(m.group(1))), re.sub("[\ue000\ue001]", "", text)
        )
        # mrkdwn keeps &amp; &lt; &gt; as entities; anything else is escaped here.
        text = html.escape(html.unescape(text), quote=False)
        # Inside `code` nothing is styled and no emoji code is converted.
        text = _CODE.sub(lambda m: hole(f"<code>{m.group(1)}</code>"), text)
        for pattern, tag in _STYLES:
            text = pattern.sub(rf"<{tag}>\1</{tag}>", text)
        text = _emoji(text)

        def fill(match: re.Match[str]) -> str:  # a code span may hold a link: fill it too
            return _HOLE.sub(fill, holes[int(match.group(1))])

        return _HOLE.sub(fill, text).replace("\n", "<br>")

    def _token(self, token: str) -> str:
        target, _, label = token.partition("|")
        if target.startswith("@"):
            name = self.names.get(target[1:], label or target[1:])
            return f'<span class="mention">@{html.escape(name)}</span>'
        if target.startswith("#"):
            name = self.channel_names.get(target[1:], label or target[1:])
            return f'<span class="mention">#{html.escape(name)}</span>'
        if target.startswith("!date^"):  # a Slack date: its fallback, the date on hover
            stamp = target.split("^")[1]
            shown = html.escape(html.unescape(label)) if label else stamp
            return f'<time class="when" data-ts="{html.escape(stamp)}">{shown}</time>'
        if target.startswith("!"):
            return f'<span class="mention">@{html.escape(target[1:].split("^")[0])}</span>'
        url = html.unescape(target)
        if not url.startswith(("http://", "https://")):
            return html.escape(html.unescape(label or url))
        shown = html.escape(html.unescape(label or url))
        return f'<a href="{html.escape(url)}" target="_blank" rel="noopener">{shown}</a>'

    def text(self, obj: Any) -> str:
        if not obj:
            return ""
        if isinstance(obj, str):
            return self.mrkdwn(obj)
        raw = str(obj.get("text", ""))
        if obj.get("type") == "plain_text":
            return _emoji(html.escape(raw))
        return self.mrkdwn(raw)

    # --- blocks ----------------------------------------------------------------------------
    def blocks(self, blocks: Sequence[Mapping[str, Any]]) -> str:
        return "".join(self.block(b) for b in blocks)

    def block(self, block: Mapping[str, Any]) -> str:
        kind = block.get("type")
        if kind == "header":
            return f'<div class="block header">{self.text(block.get("text"))}</div>'
        if kind == "divider":
            return "<hr>"
        if kind == "context":
            inner = " ".join(self.text(e) for e in block.get("elements") or [])
            return f'<div class="block context">{inner}</div>'
        if kind == "actions":
            return f'<div class="block">{"".join(self.element(e) for e in block["elements"])}</div>'
        if kind == "input":
            return self.input(block)
        if kind == "section":
            out = ""
            if block.get("text"):
                out += f"<div>{self.text(block['text'])}</div>"
            if block.get("fields"):
                cells = "".join(f"<div>{self.text(f)}</div>" for f in block["fields"])
                out += f'<div class="fields">{cells}</div>'
            if block.get("accessory"):
                out += self.element(block["accessory"])
            return f'<div class="block">{out}</div>'
        if kind == "markdown":  # Slack renders standard Markdown; read it as mrkdwn here
            text = markdown_to_mrkdwn(str(block.get("text") or ""))
            return f'<div class="block markdown">{self.mrkdwn(text)}</div>'
        return ""

    def element(self, element: Mapping[str, Any]) -> str:
        kind = element.get("type")
        if kind == "button":
            style = ' class="primary"' if element.get("style") == "primary" else ""
            return f"<button{style} disabled>{self.text(element.get('text'))}</button>"
        if kind == "overflow":
            return '<button disabled title="More actions">⋯</button>'
        return ""

    def input(self, block: Mapping[str, Any]) -> str:
        element = block.get("element") or {}
        value = element.get("initial_value")
        if value is None:
            chosen = element.get("initial_options") or (
                [element["initial_option"]] if element.get("initial_option") else []
            )
            value = ", ".join(str((o.get("text") or {}).get("text", "")) for o in chosen)
        placeholder = (element.get("placeholder") or {}).get("text", "")
        shown = (
            html.escape(value)
            if value
            else f'<span class="context">{html.escape(placeholder)}</span>'
        )
        hint = self.text(block.get("hint"))
        return (
            f'<div class="block input"><label>{self.text(block.get("label"))}</label>'
            f'<div class="box">{shown}</div><div class="hint">{hint}</div></div>'
        )

    # --- surfaces --------------------------------------------------------------------------
    def message(self, message: Mapping[str, Any], replies: Sequence[Mapping[str, Any]] = ()) -> str:
        who = self.names.get(str(message.get("user", "")), str(message.get("user", "")))
        body = (
            self.blocks(message["blocks"])
            if message.get("blocks")
            else f"<div>{self.mrkdwn(str(message.get('text', '')))}</div>"
        )
        reactions = "".join(
            f"<span>{_emoji(':' + html.escape(name) + ':')} {count}</span>"
            for name, count in _reactions(message.get("reactions"))
        )
        if reactions:
            body += f'<div class="reactions">{reactions}</div>'
        if replies:
            body += '<div class="thread">' + "".join(self.message(r) for r in replies) + "</div>"
        initial = html.escape(who[:1].upper() or "?")
        return (
            f'<div class="msg"><div class="avatar">{initial}</div><div>'
            f'<span class="who">{html.escape(who)}</span>{_when(message.get("ts"))}{body}'
            "</div></div>"
        )

    def modal(self, who: str, view: Mapping[str, Any], anchor: str = "") -> str:
        foot = "".join(
            f'<button class="{c}" disabled>{self.text(view.get(k))}</button>'
            for k, c in (("close", ""), ("submit", "primary"))
            if view.get(k)
        )
        ident = f' id="{anchor}"' if anchor else ""
        return (
            f'<div class="view"{ident}>'
            f'<div class="context">Shown to @{html.escape(who)}</div><div class="modal">'
            f'<div class="title">{self.text(view.get("title"))}</div>'
            f'<div class="body">{self.blocks(view.get("blocks") or [])}</div>'
            f'<div class="foot">{foot}</div></div></div>'
        )


def page(
    *,
    title: str,
    channel: tuple[str, list[tuple[dict[str, Any], list[dict[str, Any]]]]],
    dms: dict[str, list[dict[str, Any]]],
    modals: list[tuple[str, dict[str, Any]]],
    homes: dict[str, dict[str, Any]],
    names: Mapping[str, str],
    channel_names: Mapping[str, str],
) -> str:
    """The whole page: a sidebar of conversations (the table of contents) and one pane each.
    Every pane, and every modal in the modals' pane, has an id unique on the page."""
    r = HtmlPage(names, channel_names)
    anchor = _anchors()
    # (id, group, label, html, [(id, label) of the views inside the pane])
    panes: list[tuple[str, str, str, str, list[tuple[str, str]]]] = []
    channel_name, messages = channel
    panes.append(
        (
            anchor("channel"),
            "Channels",
            f"# {channel_name}",
            "".join(r.message(m, replies) for m, replies in messages),
            [],
        )
    )
    for who, received in dms.items():
        if received:
            body = "".join(r.message(m) for m in received)
            panes.append((anchor(f"dm-{who}"), "Direct messages", who, body, []))
    if modals:
        pane_id = anchor("modals")
        inner: list[tuple[str, str]] = []
        shown = []
        for who, view in modals:
            heading = view.get("title")
            title_text = str(
                (heading.get("text") if isinstance(heading, Mapping) else heading) or "modal"
            )
            inner.append((anchor(f"modal-{len(inner) + 1}-{who}"), f"{who}: {title_text}"))
            shown.append(r.modal(who, view, inner[-1][0]))
        panes.append((pane_id, "Modals", "What people saw", "".join(shown), inner))
    for who, view in homes.items():
        body = f'<div class="home">{r.blocks(view.get("blocks") or [])}</div>'
        panes.append((anchor(f"home-{who}"), "Home tabs", who, body, []))
    nav: list[str] = [f"<h1>{html.escape(title)}</h1>"]
    group = ""
    for index, (pane_id, pane_group, label, _, views) in enumerate(panes):
        if pane_group != group:
            nav.append(f"<h2>{html.escape(pane_group)}</h2>")
            group = pane_group
        on = ' class="on"' if index == 0 else ""
        nav.append(f'<a{on} href="#{pane_id}">{html.escape(label)}</a>')
        nav.extend(
            f'<a class="sub" href="#{view_id}">{_emoji(html.escape(view_label))}</a>'
            for view_id, view_label in views
        )
    sections = "".join(
        f'<section id="{pane_id}" class="pane{" on" if i == 0 else ""}" data-group='
        f'"{html.escape(group)}"><h2>{html.escape(label)}</h2>{body}</section>'
        for i, (pane_id, group, label, body, _) in enumerate(panes)
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
        f'<nav aria-label="Contents">{"".join(nav)}</nav><main>{sections}</main>'
        f"<script>{SCRIPT}</script></body></html>\n"
    )


def _emoji(text: str) -> str:
    """Emoji codes the bot uses as the emoji themselves; any other ":code:" stays as written."""
    return _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)


def _when(ts: Any) -> str:
    """A message's time as Slack shows it beside the name: "14:05 UTC" (UTC, as the terminal
    demo's headers, so the page reads the same everywhere); the date too on hover."""
    try:
        moment = datetime.fromtimestamp(float(ts), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return ""
    return (
        f'<time class="when" datetime="{moment.strftime("%Y-%m-%dT%H:%M:%SZ")}" '
        f'title="{moment.strftime("%Y-%m-%d %H:%M UTC")}">{moment.strftime("%H:%M UTC")}</time>'
    )


def _anchors() -> Callable[[str], str]:
    """Gives each view an id made of its name ("home-suzana"), unique on the page: a second
    "home-suzana" (two people whose names slug alike) becomes "home-suzana-2"."""
    taken: set[str] = set()

    def anchor(name: str) -> str:
        base = _slug(name)
        ident, n = base, 1
        while ident in taken:
            n += 1
            ident = f"{base}-{n}"
        taken.add(ident)
        return ident

    return anchor


def _reactions(reactions: Any) -> list[tuple[str, int]]:
    """(name, count) from the API's list of {"name", "count", "users"} or {name: [users]}."""
    if not reactions:
        return []
    if isinstance(reactions, Mapping):
        return [(str(k).split("::")[0], len(v)) for k, v in reactions.items()]
    return [
        (str(r.get("name", "")).split("::")[0], int(r.get("count") or len(r.get("users") or [])))
        for r in reactions
    ]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"
