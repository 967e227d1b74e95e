"""Answers as mrkdwn with the links a reader wants: a Hub model id to its Hub page, a 🤗
Datasets name to its dataset page, a Flax example script to its source. Plain words stay
plain, and all typed text is escaped (see mrkdwn.py). What the Hub said of an id (`hub`, when
it has answered) adds to it: a model with Flax weights is marked ✓, a gated dataset says so, and
an id the Hub does not have is not linked."""

from __future__ import annotations

import re
from collections.abc import Callable

from slackbot.blocks.mrkdwn import escape, link, url_text
from slackbot.domain.hub import (
    DATASET,
    MODEL,
    HubFacts,
    canonical_model_id,
    dataset_refs,
    model_refs,
)
from slackbot.domain.validation import is_http_url, lines_of
from slackbot.domain.vocabulary import FLAX_EXAMPLE_SCRIPTS, is_dataset_id, is_hub_id

HUB = "https://huggingface.co/"
FLAX_MARK = " ✓ Flax weights"
GATED_MARK = " (gated: accept its conditions on the Hub)"
_TOKEN = re.compile(r"\S+")
_EDGE = ".,;:!?()[]\"'`*"


def _flax_mark(hub: HubFacts | None, repo_id: str) -> str:
    answer = (hub or {}).get((MODEL, canonical_model_id(repo_id)))
    return FLAX_MARK if answer is not None and answer.found and answer.flax else ""


def flax_mark_of(model_answer: str, hub: HubFacts | None) -> str:
    """The ✓ a list line shows beside a model answer when the Hub holds Flax weights of the
    model it names (as the post shows it beside the link)."""
    if not hub:
        return ""
    return next((FLAX_MARK for ref in model_refs(model_answer) if _flax_mark(hub, ref.id)), "")


def _linked_tokens(
    text: str, linker: Callable[[str], str | None], mark: Callable[[str], str] | None = None
) -> str:
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
            out.append(
                escape(token[:start])
                + link(url, core)
                + (mark(core) if mark else "")
                + escape(token[start + len(core) :])
            )
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _model_url(token: str) -> str | None:
    return HUB + token if is_hub_id(token) else None


def _script_url(token: str) -> str | None:
    return FLAX_EXAMPLE_SCRIPTS.get(token)


def model_markup(text: str, hub: HubFacts | None = None) -> str:
    """The model answer: a link as typed, a lone "org/name" to the Hub, ids in prose too;
    ✓ beside a model the Hub holds Flax weights of, no link to one it does not have."""
    value = text.strip()
    if is_http_url(value):
        named = model_refs(value)
        mark = _flax_mark(hub, named[0].id) if named else ""
        return link(value, value.removeprefix(HUB)) + mark
    missing = {rid for (kind, rid), a in (hub or {}).items() if kind == MODEL and not a.found}
    if is_hub_id(value, alone=True) and value not in missing:
        return link(HUB + value, value) + _flax_mark(hub, value)

    def model_url(token: str) -> str | None:
        return None if token in missing else _model_url(token)

    return _linked_tokens(value, model_url, lambda core: _flax_mark(hub, core))


def dataset_line_markup(line: str, hub: HubFacts | None = None) -> str:
    """One dataset line: a link, or a dataset name (first word) linked to its Hub page; a name
    the Hub has is linked, one it does not have is not, a gated one says so."""
    answers = {
        ref.id: (hub or {}).get(ref.key) for ref in dataset_refs(line) if ref.kind == DATASET
    }
    gated = any(a is not None and a.found and a.gated for a in answers.values())
    mark = GATED_MARK if gated else ""
    if is_http_url(line):
        return url_text(line) + mark
    first, space, rest = line.partition(" ")
    core = first.strip(_EDGE)
    answer = answers.get(core)
    known = is_dataset_id(core) if answer is None else answer.found
    if core and known and first.startswith(core):
        return (
            link(f"{HUB}datasets/{core}", core) + mark + escape(first[len(core) :] + space + rest)
        )
    return escape(line)


def _plain_line(line: str) -> str:
    return url_text(line) if is_http_url(line) else escape(line)


def items_markup(value: str, *, datasets: bool, hub: HubFacts | None = None) -> str:
    """A list answer, one bullet per line; links linked (and dataset names, for datasets)."""
    if datasets:
        return "\n".join(f"• {dataset_line_markup(line, hub)}" for line in lines_of(value))
    return "\n".join(f"• {_plain_line(line)}" for line in lines_of(value))


def scripts_markup(text: str) -> str:
    """Free text where the Flax example scripts it names are linked."""
    return _linked_tokens(text, _script_url)
