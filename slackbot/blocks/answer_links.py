"""Answers as mrkdwn with the links a reader wants: a Hub model id to its Hub page, a 🤗
Datasets name to its dataset page, a Flax example script to its source. Plain words stay
plain, and all typed text is escaped (see mrkdwn.py)."""

from __future__ import annotations

import re
from collections.abc import Callable

from slackbot.blocks.mrkdwn import escape, link, url_text
from slackbot.domain.validation import is_http_url, lines_of
from slackbot.domain.vocabulary import FLAX_EXAMPLE_SCRIPTS, is_dataset_id, is_hub_id

HUB = "https://huggingface.co/"
_TOKEN = re.compile(r"\S+")
_EDGE = ".,;:!?()[]\"'`*"


def _linked_tokens(text: str, linker: Callable[[str], str | None]) -> str:
    """`text` escaped, with each whitespace-separated token `linker` recognises linked (the
    punctuation around a token stays outside its link)."""
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        out.append(escape(text[last : match.start()]))
        token = match.group(0)
        core = token.strip(_EDGE)
        url = linker(core) if core else None
        if url is None:
            out.append(url_text(token) if is_http_url(token) else escape(token))
        else:
            start = token.index(core)
            out.append(escape(token[:start]) + link(url, core) + escape(token[start + len(core) :]))
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _model_url(token: str) -> str | None:
    return HUB + token if is_hub_id(token) else None


def _script_url(token: str) -> str | None:
    return FLAX_EXAMPLE_SCRIPTS.get(token)


def model_markup(text: str) -> str:
    """The model answer: a link as typed, a lone "org/name" to the Hub, ids in prose too."""
    value = text.strip()
    if is_http_url(value):
        return link(value, value.removeprefix(HUB))
    if is_hub_id(value, alone=True):
        return link(HUB + value, value)
    return _linked_tokens(value, _model_url)


def dataset_line_markup(line: str) -> str:
    """One dataset line: a link, or a dataset name (first word) linked to its Hub page."""
    if is_http_url(line):
        return url_text(line)
    first, space, rest = line.partition(" ")
    core = first.strip(_EDGE)
    if core and is_dataset_id(core) and first.startswith(core):
        return link(f"{HUB}datasets/{core}", core) + escape(first[len(core) :] + space + rest)
    return escape(line)


def _plain_line(line: str) -> str:
    return url_text(line) if is_http_url(line) else escape(line)


def items_markup(value: str, *, datasets: bool) -> str:
    """A list answer, one bullet per line; links linked (and dataset names, for datasets)."""
    render = dataset_line_markup if datasets else _plain_line
    return "\n".join(f"• {render(line)}" for line in lines_of(value))


def scripts_markup(text: str) -> str:
    """Free text where the Flax example scripts it names are linked."""
    return _linked_tokens(text, _script_url)
