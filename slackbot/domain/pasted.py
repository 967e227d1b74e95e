"""A proposal pasted as text, split into the template's sections.

2021 proposers wrote their idea in the guide's Markdown template (`# Name`, `## 2. Language`,
…) and bent it: their own headings ("Background", "Roadmap", "Model to Use", "Suggested
Reading"), singular forms, no numbers, bold lines or "Model:" lines instead of headings,
sections in any order, the language only in the title, datasets listed inside a roadmap.
`parse_pasted` reads all of these into a `Draft`, and says which sections it filled, which are
still empty and which are longer than the template allows (never cut here: the form says so).

The sections, their headings and their limits come from `template.SECTIONS`; nothing here
knows about Slack beyond the shape of the text Slack hands over (`<url|label>` links, `&lt;`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from slackbot.domain.template import (
    GUIDE_TEMPLATE,
    LANGUAGE_OTHER_ID,
    LANGUAGE_OTHER_MAX,
    SECTIONS,
    SECTIONS_BY_ID,
    Kind,
)
from slackbot.domain.validation import Draft
from slackbot.domain.vocabulary import LANGUAGE_LABELS, fold, languages_in, singular, words

# ---- what a line of the paste is ------------------------------------------------------------

_PLACEHOLDER = re.compile(r"<\s*(?:\(\s*optional(?:ly)?\s*\)\s*)?fill\s*me\b[^>]*>+", re.I)
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_HASH = re.compile(r"^\s{0,3}(#\s+|#{2,6}\s*)(\S.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__|\*)\s*([^*_]+?)\s*(:)?\s*\1\s*(:)?\s*$")
_BOLD_LEAD = re.compile(r"^\s*(\*\*|__|\*)\s*([^*_:]{1,60}?)\s*(:)?\s*\1\s*(:)?\s*(\S.*)$")
_LABEL = re.compile(r"^\s*(?:[-•*]\s+)?([A-Za-z][^:/]{0,40}?)\s*:\s*(.*)$")
_NUMBERED = re.compile(r"^\s*(?:section\s*)?\d{1,2}\s*[.):]\s*(\S.*?)\s*:?\s*$", re.I)
_NUMBER_PREFIX = re.compile(r"^\s*(?:section\s*)?\(?\d{1,2}\s*[.):]?\s+", re.I)
_OPTIONAL = re.compile(r"\(\s*optional(?:ly)?\s*\)|^\s*optional(?:ly)?\s*[:-]\s*", re.I)
_BULLET = re.compile(r"^(\s*)(?:[•◦▪‣+]|[-*](?=\s))\s*")
_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>")
_MD_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")
_URL = re.compile(r"https?://[^\s<>()\[\]]+")
_DATASET_URL = re.compile(r"https?://huggingface\.co/datasets/[^\s<>()\[\]]+")

# Headings a section is known by, folded: its title, its label and its aliases.
_EXACT: dict[str, str] = {}
for _section in SECTIONS:
    for _heading in (_section.title, _section.label, *_section.aliases):
        _EXACT.setdefault(fold(_heading.replace("(s)", "s")), _section.id)
_EXACT[fold("Project")] = "name"

# Words that make a marked heading a section's, tried in this order: "Training data" is data,
# "Language model" a model, "Training scripts" scripts, a lone "Training" scripts too.
_KEYWORD_ORDER: tuple[tuple[str, str], ...] = (
    ("training_scripts", "script"),
    *(
        (s.id, k)
        for sid in ("datasets", "challenges", "outcome", "reads", "model", "languages")
        for s in (SECTIONS_BY_ID[sid],)
        for k in s.keywords
        if (s.id, k) != ("training_scripts", "training")
    ),
    *(("description", k) for k in SECTIONS_BY_ID["description"].keywords),
    ("training_scripts", "training"),
)

# The headings under which a description needs no heading of its own.
_PLAIN_DESCRIPTION = {fold("Description"), fold("Project description"), fold("A clear description")}
_PLAIN_DESCRIPTION.add(fold(SECTIONS_BY_ID["description"].label))

# Other names of languages in the form's list.
_LANGUAGE_ALIASES = {
    "bangla": "bengali",
    "farsi": "persian",
    "mandarin": "chinese",
    "cantonese": "chinese",
    "tagalog": "filipino",
}


def _skeleton() -> frozenset[str]:
    """The guide template's own sentences ("The model will be trained in <FILL ME>."), folded
    with their placeholders taken out: a paste keeps them around its answers."""
    found = set()
    for line in GUIDE_TEMPLATE.splitlines():
        if line.lstrip().startswith("#"):
            continue
        folded = fold(_PLACEHOLDER.sub(" ", line))
        if folded:
            found.add(folded)
    return frozenset(found)


_SKELETON = _skeleton()
_LANGUAGE_SENTENCE = re.compile(r"^\s*the model will be trained (?:in|on)\s+", re.I)


@dataclass(frozen=True)
class Heading:
    """A line that starts a section: which one (None: a heading the template does not know),
    its text, and what followed it on the same line ("Model: t5-base")."""

    section_id: str | None
    text: str
    rest: str = ""
    level: int = 0  # 1 for "# …", the level of a Markdown heading; 0 otherwise


def _clean_heading(text: str) -> str:
    text = _OPTIONAL.sub(" ", text.strip().strip("*_").strip())
    text = _NUMBER_PREFIX.sub("", text)
    return text.strip().rstrip(":?.").strip().strip("*_").strip()


def section_of_heading(text: str, *, loose: bool) -> str | None:
    """The section a heading names: exactly (a title, label or alias, folded), or `loose`ly by
    its words (only for lines marked as headings: `## Model to use`, a bold line)."""
    cleaned = _clean_heading(text)
    folded = fold(cleaned.replace("(s)", "s"))
    if not folded:
        return None
    if folded in _EXACT:
        return _EXACT[folded]
    if not loose or len(folded.split()) > 6:
        return None
    heading_words = {singular(w) for w in folded.split()}
    return next((sid for sid, word in _KEYWORD_ORDER if word in heading_words), None)


def classify(line: str) -> Heading | None:
    """The heading this line is, or None for a line of content."""
    if match := _HASH.match(line):
        level = len(match.group(1).strip())
        text = match.group(2)
        if _PLACEHOLDER.fullmatch(text.strip()):
            return Heading(None, "", level=level)
        inner = _BOLD_LINE.match(text)
        text = inner.group(2) if inner else text
        return Heading(section_of_heading(text, loose=True), _clean_heading(text), level=level)
    if match := _BOLD_LINE.match(line):
        sid = section_of_heading(match.group(2), loose=True)
        return Heading(sid, _clean_heading(match.group(2))) if sid else None
    if (match := _BOLD_LEAD.match(line)) and (match.group(3) or match.group(4)):
        sid = section_of_heading(match.group(2), loose=True)
        if sid:
            return Heading(sid, _clean_heading(match.group(2)), match.group(5))
    if (match := _LABEL.match(line)) and (sid := section_of_heading(match.group(1), loose=False)):
        return Heading(sid, _clean_heading(match.group(1)), match.group(2))
    if (match := _NUMBERED.match(line)) and (
        sid := section_of_heading(match.group(1), loose=False)
    ):
        return Heading(sid, _clean_heading(match.group(1)))
    stripped = line.strip()
    if len(stripped) > 40 or stripped.endswith("."):  # a sentence, not a heading
        return None
    if sid := section_of_heading(stripped, loose=False):
        return Heading(sid, _clean_heading(stripped))
    return None


# ---- cleaning text -------------------------------------------------------------------------


def _normalise(text: str) -> list[str]:
    """Lines of the paste as plain text: Slack's `<url|label>` links and `&lt;` escapes read
    back, code fences dropped (people pasted the template with its fence)."""
    text = _SLACK_LINK.sub(lambda m: _link(m.group(2) or "", m.group(1)), text)
    text = html.unescape(text).replace("\r\n", "\n").replace("\r", "\n")
    # Markdown's own `<https://…>` links, and Slack's pasted back as text.
    text = _SLACK_LINK.sub(lambda m: _link(m.group(2) or "", m.group(1)), text)
    return [line.rstrip() for line in text.split("\n") if not _FENCE.match(line)]


def _link(label: str, url: str) -> str:
    label = label.strip()
    url = url.removeprefix("mailto:") if url.startswith("mailto:") else url
    return url if not label or label == url else f"{label} ({url})"


def _content_line(line: str) -> str | None:
    """A line of content cleaned: placeholders out, bullets as "- ", links as "label (url)".
    None when nothing of the person's own is left (a template sentence, an empty bullet)."""
    had_placeholder = bool(_PLACEHOLDER.search(line))
    line = _PLACEHOLDER.sub("", line).replace("\u00a0", " ").rstrip()
    if not line.strip():
        return None if had_placeholder else ""
    folded = fold(line)
    if folded in _SKELETON or (had_placeholder and not folded):
        return None
    line = _MD_LINK.sub(lambda m: _link(m.group(1), m.group(2)), line)
    line = _BULLET.sub(lambda m: m.group(1) + "- ", line, count=1)
    if had_placeholder and re.fullmatch(r"\s*(?:-|\d+[.)])?\s*[.>:]*\s*", line):
        return None
    return line.rstrip(">").rstrip() if had_placeholder else line


def _join(lines: list[str]) -> str:
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# ---- the result ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TooLong:
    """A section whose pasted text is longer than the template allows."""

    section_id: str
    length: int
    limit: int

    @property
    def over(self) -> int:
        return self.length - self.limit


@dataclass
class Pasted:
    """A paste read into the template: the draft (whole texts, never cut), the sections it
    filled (template order), the ones still empty, and the ones too long."""

    draft: Draft
    filled: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    too_long: list[TooLong] = field(default_factory=list)

    @property
    def missing_required(self) -> list[str]:
        return [sid for sid in self.empty if SECTIONS_BY_ID[sid].required]


@dataclass
class _Chunk:
    section_id: str
    heading: str  # "" when none
    known: bool = True  # the heading names a section of the template
    lines: list[str] = field(default_factory=list)


def parse_pasted(text: str) -> Pasted:
    """Split `text` (Markdown, or Slack's rendering of it) into the template's sections."""
    name = ""
    name_from_heading = False
    chunks: list[_Chunk] = [_Chunk("description", "")]
    for line in _normalise(text):
        heading = classify(line)
        if heading is None:
            cleaned = _content_line(line)
            if cleaned is not None:
                chunks[-1].lines.append(cleaned)
            continue
        if heading.level == 1 and not name_from_heading and heading.section_id in (None, "name"):
            # The guide's "# Name of project": the first top-level heading is the name.
            name_from_heading = True
            name = heading.text if heading.section_id is None else ""
            # What follows it describes the project, wherever the name comes.
            chunks.append(_Chunk("name" if heading.section_id == "name" else "description", ""))
            continue
        if heading.section_id == "name":
            name_from_heading = True
            name = _content_line(heading.rest) or ""
            chunks.append(_Chunk("name" if not name else "description", ""))
            continue
        chunk = _Chunk(
            heading.section_id or "description", heading.text, heading.section_id is not None
        )
        rest = _content_line(heading.rest) if heading.rest else None
        if rest:
            chunk.lines.append(rest)
        chunks.append(chunk)

    # A "Name" heading whose name is on the next line.
    for chunk in chunks:
        if chunk.section_id == "name":
            content = [line for line in chunk.lines if line.strip()]
            name = name or (content[0].strip() if content else "")
            chunk.section_id, chunk.lines = "description", content[1:]
    return _assemble(_plain(name), name_from_heading, chunks)


def _plain(text: str) -> str:
    return text.strip().strip("*_").strip()


def _assemble(name: str, name_from_heading: bool, chunks: list[_Chunk]) -> Pasted:
    draft = Draft()
    by_section: dict[str, list[_Chunk]] = {}
    for chunk in chunks:
        by_section.setdefault(chunk.section_id, []).append(chunk)

    description_chunks = [c for c in by_section.get("description", []) if _join(c.lines)]
    if not name and not name_from_heading and description_chunks:
        # No heading names the project: a short first line does, as people write a title.
        first = description_chunks[0]
        head = next(i for i, line in enumerate(first.lines) if line.strip())
        candidate = _plain(first.lines[head])
        if not first.heading and not candidate.startswith("- ") and len(candidate) <= 150:
            name = candidate
            rest = first.lines[head + 1 :]
            if _join(rest) or len(description_chunks) > 1:
                first.lines = rest
                description_chunks = [c for c in description_chunks if _join(c.lines)]
    if name:
        draft.answers["name"] = name

    spill: list[_Chunk] = []
    for section in SECTIONS:
        if section.id in ("name", "description"):
            continue
        texts = [c for c in by_section.get(section.id, []) if _join(c.lines)]
        if not texts:
            continue
        if section.kind is Kind.LANGUAGES:
            _read_languages(draft, "\n".join(_join(c.lines) for c in texts))
        elif section.kind is Kind.LINKS:
            links, notes = _links(texts)
            if links:
                draft.answers[section.id] = "\n".join(links)
            spill += notes
        else:
            draft.answers[section.id] = "\n\n".join(_join(c.lines) for c in texts)

    description_chunks += spill
    described = [
        c
        for c in description_chunks
        if _join(c.lines) or (c.heading and fold(c.heading) not in _PLAIN_DESCRIPTION)
    ]
    titled = len([c for c in described if _join(c.lines)]) > 1
    parts = []
    for chunk in described:
        body = _join(chunk.lines)
        parts.append(f"{chunk.heading}:\n{body}".strip() if _keeps_heading(chunk, titled) else body)
    description = "\n\n".join(p for p in parts if p)
    if description:
        draft.answers["description"] = description

    if not draft.get("datasets"):
        # Datasets named inside a roadmap or a description: the form's datasets field too.
        found = list(
            dict.fromkeys(m.group(0).rstrip(".,;:") for m in _DATASET_URL.finditer(description))
        )
        if found:
            draft.answers["datasets"] = "\n".join(found)
    if not draft.languages and name:
        _read_languages(draft, name, loose=False)
    return _report(draft)


def _keeps_heading(chunk: _Chunk, titled: bool) -> bool:
    """Whether a part of the description shows its heading: always for headings the template
    does not know ("Team") and notes from other sections; for "Background", "Roadmap"… when
    the description has more than one part."""
    if not chunk.heading:
        return False
    if chunk.section_id != "description" or not chunk.known:
        return True
    return titled and fold(chunk.heading) not in _PLAIN_DESCRIPTION


def _links(chunks: list[_Chunk]) -> tuple[list[str], list[_Chunk]]:
    """A links section: the links, one per line; lines without one are notes, kept in the
    description under the section's heading."""
    links: list[str] = []
    notes: list[_Chunk] = []
    for chunk in chunks:
        rest = []
        for line in chunk.lines:
            urls = [u.rstrip(".,;:") for u in _URL.findall(line)]
            if urls:
                links += urls
            elif line.strip():
                rest.append(line)
        if rest:
            notes.append(
                _Chunk("reads", chunk.heading or SECTIONS_BY_ID["reads"].title, lines=rest)
            )
    return list(dict.fromkeys(links)), notes


def _read_languages(draft: Draft, text: str, *, loose: bool = True) -> None:
    """Languages named in `text`, as the form's choices; others as "Other" with their names.
    A language section that names none the bot knows is taken whole as "Other" (`loose`)."""
    lowered = text.lower()
    found = sorted(languages_in(text), key=lambda w: (lowered.find(w) % (len(lowered) + 1), w))
    slugs: list[str] = []
    others: list[str] = []
    for word in found:
        slug = _LANGUAGE_ALIASES.get(word, word)
        if slug == "multilingual":  # "mT5", "mBART": a model's name, said below if meant
            continue
        if slug in LANGUAGE_LABELS:
            slugs.append(slug)
        else:
            others.append(word.title())
    if "multilingual" in words(text) and "multilingual" not in slugs:
        slugs.append("multilingual")
    if not slugs and not others and loose:
        stated = _LANGUAGE_SENTENCE.sub("", " ".join(text.split())).strip(" .")
        if stated:
            others.append(stated)
    if others:
        slugs.append("other")
        draft.language_other = ", ".join(others)
    draft.languages = list(dict.fromkeys(slugs))


def _report(draft: Draft) -> Pasted:
    pasted = Pasted(draft)
    for section in SECTIONS:
        value = draft.languages if section.kind is Kind.LANGUAGES else draft.get(section.id)
        (pasted.filled if value else pasted.empty).append(section.id)
        if section.kind is not Kind.LANGUAGES and len(draft.get(section.id)) > section.max_length:
            pasted.too_long.append(
                TooLong(section.id, len(draft.get(section.id)), section.max_length)
            )
    if len(draft.language_other) > LANGUAGE_OTHER_MAX:
        pasted.too_long.append(
            TooLong(LANGUAGE_OTHER_ID, len(draft.language_other), LANGUAGE_OTHER_MAX)
        )
    return pasted
