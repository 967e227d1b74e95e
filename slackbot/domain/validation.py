"""Validation of a proposal's answers, section by section: only what cannot be posted.

A missing required answer, an answer too long, a link that is not an http(s) URL where a link
is expected. Nothing is refused for its wording or its model's origin: that is advice
(`advice.py`), which the proposer may ignore.

`validate(draft)` returns {section id: message}; empty means valid. The ids are the modal's
block_ids, so the listener can hand the dict to Slack as inline errors unchanged.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from slackbot.domain.template import (
    LANGUAGE_OTHER_ID,
    LANGUAGE_OTHER_MAX,
    SECTIONS,
    Kind,
    Section,
)
from slackbot.domain.vocabulary import LANGUAGE_LABELS

_SCHEME = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]*)://\S*")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")


@dataclass
class Draft:
    """A proposal's answers as typed: section id -> text; languages as slugs."""

    answers: dict[str, str] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    language_other: str = ""
    min_team_size: int | None = None  # the proposer's own threshold, if they set one

    def to_json(self) -> str:
        return json.dumps(
            {
                "answers": self.answers,
                "languages": self.languages,
                "language_other": self.language_other,
                "min_team_size": self.min_team_size,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Draft:
        data = json.loads(text)
        return cls(
            answers=dict(data.get("answers") or {}),
            languages=list(data.get("languages") or []),
            language_other=str(data.get("language_other") or ""),
            min_team_size=data.get("min_team_size"),
        )

    @classmethod
    def from_flat(cls, data: dict[str, object]) -> Draft:
        """A draft from one flat mapping: section ids to answers, plus "languages" (slugs) and
        "language_other" (how the labelled sets in tests/data/ are written)."""
        languages = data.get("languages") or []
        return cls(
            answers={
                s.id: str(data[s.id])
                for s in SECTIONS
                if s.id in data and s.kind is not Kind.LANGUAGES
            },
            languages=[str(v) for v in languages] if isinstance(languages, list) else [],
            language_other=str(data.get("language_other") or ""),
        )

    def get(self, section_id: str) -> str:
        return (self.answers.get(section_id) or "").strip()

    def language_names(self) -> list[str]:
        """Labels of the chosen languages, with the typed "other" ones in place of "Other"."""
        names = [
            LANGUAGE_LABELS[v] for v in self.languages if v in LANGUAGE_LABELS and v != "other"
        ]
        names += [p.strip() for p in re.split(r"[,;/]", self.language_other) if p.strip()]
        return names


_NOT_IN_URL = re.compile(r"[\s<>|\x00-\x1f\x7f]")


def is_http_url(text: str) -> bool:
    """An http(s) link with a host, and nothing Slack's mrkdwn would read as markup: a link
    like "https://a.b/><!channel>" must not pass and then ping everyone."""
    text = text.strip()
    try:
        parsed = urlparse(text)
    except ValueError:  # "http://[…" (an unclosed IPv6 host) is no link anyone can open
        return False
    return (
        parsed.scheme in ("http", "https") and "." in parsed.netloc and not _NOT_IN_URL.search(text)
    )


def lines_of(text: str) -> list[str]:
    """Non-empty lines with list bullets ("- ", "1. ") removed."""
    return [_BULLET.sub("", line).strip() for line in text.splitlines() if line.strip()]


def _check_section(section: Section, value: str) -> str | None:
    if not value:
        return f"Please fill in “{section.title}”." if section.required else None
    if len(value) > section.max_length:
        return f"Too long: {len(value)} characters, at most {section.max_length}."
    if section.kind is Kind.LINKS:
        bad = [line for line in lines_of(value) if not is_http_url(line)]
        if bad:
            return f"One http(s) link per line; this is not one: {bad[0][:80]}"
    if section.kind in (Kind.TEXT, Kind.ITEMS, Kind.MODEL, Kind.NAME):
        for match in _SCHEME.finditer(value):
            if match.group(1).lower() not in ("http", "https") or not is_http_url(match.group(0)):
                return f"Links must be http(s) URLs: {match.group(0)[:80]}"
    return None


def validate(draft: Draft) -> dict[str, str]:
    """Every problem of the draft, keyed by section id (the modal's block_id)."""
    errors: dict[str, str] = {}
    for section in SECTIONS:
        if section.kind is Kind.LANGUAGES:
            continue
        problem = _check_section(section, draft.get(section.id))
        if problem:
            errors[section.id] = problem
    other = draft.language_other.strip()
    unknown = [v for v in draft.languages if v not in LANGUAGE_LABELS]
    if unknown:
        errors["languages"] = "Pick languages from the list."
    elif not draft.languages and not other:
        errors["languages"] = "Pick at least one language (or “No natural language”)."
    elif "other" in draft.languages and not other:
        errors[LANGUAGE_OTHER_ID] = "You picked “Other”: type the language here."
    if len(other) > LANGUAGE_OTHER_MAX:
        errors[LANGUAGE_OTHER_ID] = f"Too long: at most {LANGUAGE_OTHER_MAX} characters."
    return errors
