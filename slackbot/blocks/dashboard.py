"""The organizers' dashboard on their Home tab: counts, bar charts in text where a picture
reads faster than numbers (`▇▇▇▇▁ 12`), and the lists that matter, capped, with More."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from slackbot.blocks.limits import clip
from slackbot.blocks.mrkdwn import escape, link, mention
from slackbot.domain.dashboard import LIST_PAGE, Dashboard
from slackbot.domain.vocabulary import LANGUAGE_LABELS

MORE_ACTION = "dashboard_more"
BARS_SHOWN = 8
BAR_WIDTH = 8


def bar(n: int, top: int, width: int = BAR_WIDTH) -> str:
    """`▇▇▇▇▁▁▁▁` for n of top."""
    filled = 0 if top <= 0 else max(1 if n else 0, round(width * n / top))
    return "▇" * filled + "▁" * (width - filled)


def bars(title: str, rows: list[tuple[str, int]]) -> str:
    if not rows:
        return f"*{title}*\nnone yet"
    top = rows[0][1]
    lines = [f"`{bar(n, top)}` {n} {escape(label)}" for label, n in rows[:BARS_SHOWN]]
    if len(rows) > BARS_SHOWN:
        lines.append(f"…and {len(rows) - BARS_SHOWN} more")
    return f"*{title}*\n" + "\n".join(lines)


def _more(kind: str, offset: int, total: int) -> ActionsBlock | None:
    if offset + LIST_PAGE >= total:
        return None
    return ActionsBlock(
        block_id=f"more-{kind}",
        elements=[
            ButtonElement(
                text=f"More ({total - offset - LIST_PAGE})",
                accessibility_label=f"Show {total - offset - LIST_PAGE} more in this list",
                action_id=MORE_ACTION,
                value=f"{kind}:{offset + LIST_PAGE}",
            )
        ],
    )


def dashboard_blocks(board: Dashboard, pages: dict[str, int] | None = None) -> list[Any]:
    pages = pages or {}
    f = board.facts
    waiting = f.standings.get("ready", 0) + f.standings.get("full", 0)
    people = (
        f"*{len(f.participants)}* participants in the channel · *{f.proposers}* proposers · "
        f"*{board.in_a_team}* in a team · *{len(board.no_team)}* in no team · "
        f"*{len(board.several)}* in several teams"
        if f.channel_read
        else f"*{f.proposers}* proposers · *{board.in_a_team}* in a team · "
        f"*{len(board.several)}* in several teams (the channel's members are being read)"
    )
    teams = (
        f"*{f.standings.get('official', 0)}* official · *{waiting}* waiting for you · "
        f"*{f.standings.get('looking', 0)}* looking for members · "
        f"*{len(f.oversubscribed)}* over-subscribed · *{len(f.unjoined)}* nobody joined yet"
    )
    blocks: list[Any] = [
        SectionBlock(block_id="dash-people", text=MarkdownTextObject(text=people)),
        SectionBlock(block_id="dash-teams", text=MarkdownTextObject(text=teams)),
    ]
    if board.deadlines:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=" · ".join(board.deadlines))]))
    if board.gone:
        lines = [f"#{p.id} {escape(p.name)} (by {mention(p.proposer_id)})" for p in board.gone[:20]]
        blocks.append(
            SectionBlock(
                block_id="dash-gone",
                text=MarkdownTextObject(
                    text=clip(
                        f":warning: *Posts deleted in Slack* ({len(board.gone)}; the projects "
                        "are kept): " + "; ".join(lines),
                        3000,
                    )
                ),
            )
        )
    languages = [(LANGUAGE_LABELS.get(v, v), n) for v, n in f.languages]
    blocks.append(
        SectionBlock(
            block_id="dash-bars",
            fields=[
                MarkdownTextObject(text=clip(bars("Languages", languages), 2000)),
                MarkdownTextObject(text=clip(bars("Tasks", f.tasks), 2000)),
            ],
        )
    )
    offset = pages.get("no_team", 0)
    if board.no_team:
        shown = board.no_team[offset : offset + LIST_PAGE]
        blocks.append(
            SectionBlock(
                block_id="dash-no-team",
                text=MarkdownTextObject(
                    text=clip(
                        f"*In no team* ({len(board.no_team)}): "
                        + ", ".join(mention(u) for u in shown),
                        3000,
                    )
                ),
            )
        )
        more = _more("no_team", offset, len(board.no_team))
        if more:
            blocks.append(more)
    if board.several:
        shown_several = board.several[:LIST_PAGE]
        blocks.append(
            SectionBlock(
                block_id="dash-several",
                text=MarkdownTextObject(
                    text=f"*In several teams* ({len(board.several)}): "
                    + ", ".join(f"{mention(u)} ({n})" for u, n in shown_several)
                ),
            )
        )
    for kind, title, ids in (
        ("oversubscribed", ":fire: *Over-subscribed*", f.oversubscribed),
        ("unjoined", ":zzz: *Nobody joined yet*", f.unjoined),
    ):
        if not ids:
            continue
        offset = pages.get(kind, 0)
        names = [
            link(board.projects[i].permalink, board.projects[i].name)
            for i in ids[offset : offset + LIST_PAGE]
            if i in board.projects
        ]
        blocks.append(
            SectionBlock(
                block_id=f"dash-{kind}",
                text=MarkdownTextObject(
                    text=clip(f"{title} ({len(ids)}): " + " · ".join(names), 3000)
                ),
            )
        )
        more = _more(kind, offset, len(ids))
        if more:
            blocks.append(more)
    return blocks
