"""Words the community week knows: languages, model architectures, tasks, domains.

Used to validate proposals (is a name specific? is a model a model?) and to compare them
(similar-project check). The tables are data files in `data/` (see its README.md), read once
here; this module holds the tokenizer and the functions that use them. Nothing here knows
about Slack.
"""

from __future__ import annotations

import json
import re
import unicodedata
from importlib import resources
from typing import Any


class _DataFile:
    """One JSON file of `data/`: tables by name, each a `note` and its `entries`. Read through
    `importlib.resources`, so it loads from an installed wheel as from the source tree."""

    def __init__(self, name: str) -> None:
        self.name = name
        text = (resources.files("slackbot.domain") / "data" / name).read_text(encoding="utf-8")
        tables = json.loads(text)
        if not isinstance(tables, dict):
            raise ValueError(f"{name}: not a JSON object of tables")
        self.tables: dict[str, Any] = tables

    def table(self, table: str) -> dict[str, Any]:
        found = self.tables.get(table)
        if not isinstance(found, dict) or "entries" not in found:
            raise ValueError(f"{self.name}: no table {table!r} with entries")
        return found

    def words(self, table: str) -> tuple[str, ...]:
        """A table of words (a JSON list of strings), in the file's order."""
        entries = self.table(table)["entries"]
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            raise ValueError(f"{self.name}: table {table!r} is not a list of strings")
        return tuple(entries)

    def mapping(self, table: str) -> dict[str, str]:
        """A table of pairs (a JSON object of strings), in the file's order."""
        entries = self.table(table)["entries"]
        if not isinstance(entries, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in entries.items()
        ):
            raise ValueError(f"{self.name}: table {table!r} is not an object of strings")
        return dict(entries)

    def text(self, table: str, key: str) -> str:
        """A string beside a table's entries (a link's base, say)."""
        value = self.table(table).get(key)
        if not isinstance(value, str):
            raise ValueError(f"{self.name}: table {table!r} has no string {key!r}")
        return value


_LANGUAGES_FILE = _DataFile("languages.json")
_MODELS_FILE = _DataFile("models.json")
_TASKS_FILE = _DataFile("tasks.json")
_HUB_FILE = _DataFile("hub.json")

# (value, label). Values are stable slugs stored in the database; labels are shown.
LANGUAGES: tuple[tuple[str, str], ...] = tuple(_LANGUAGES_FILE.mapping("languages").items())
LANGUAGE_LABELS: dict[str, str] = dict(LANGUAGES)
# Languages (and groups of them) people name, beyond the select's list: a project in Wolof or in
# Sanskrit states its language as clearly as one in French.
OTHER_LANGUAGE_WORDS: frozenset[str] = frozenset(_LANGUAGES_FILE.words("other_language_words"))
LANGUAGE_WORDS: frozenset[str] = (
    frozenset(v for v, _ in LANGUAGES if v not in {"other", "none", "code", "multilingual"})
    | OTHER_LANGUAGE_WORDS
)
# Language prefixes of names like "KoCLIP", "AraBERT"; the value is the language's slug.
LANGUAGE_PREFIXES: dict[str, str] = _LANGUAGES_FILE.mapping("language_prefixes")

# Architecture names, normalised (see `normalise_model_token`). Variants map to one family so
# "GPT2", "GPT-2" and "gpt2-medium" compare equal.
ARCHITECTURES: dict[str, str] = _MODELS_FILE.mapping("architectures")
# Families 🤗 Transformers implements (the seed: the 🤗 team helps most with these). The rest of
# ARCHITECTURES is known to the week but lives elsewhere (awesome-jax).
TRANSFORMERS_FAMILIES: frozenset[str] = frozenset(_MODELS_FILE.words("transformers_families"))
# Architectures people glue a language onto ("KoCLIP", "AraBERT", "RuGPT", "IT5"), in the order
# they are tried ("roberta" before "bert").
_SUFFIX_ARCHITECTURES: tuple[str, ...] = _MODELS_FILE.words("suffix_architectures")

# Task phrases (normalised, singular). The value is a canonical task used for comparisons.
TASKS: dict[str, str] = _TASKS_FILE.mapping("tasks")
# Tasks too broad to tell two projects apart on their own ("generation" of poems or of code).
GENERIC_TASKS: frozenset[str] = frozenset(_TASKS_FILE.words("generic_tasks"))
# Ways of training rather than tasks: "Fine-tune BERT" says the model and nothing of the task.
GENERIC_METHODS: frozenset[str] = frozenset(_TASKS_FILE.words("generic_methods"))
DOMAINS: frozenset[str] = frozenset(_TASKS_FILE.words("domains"))
# What a project works on (image, audio, text): said by its words, its task, the Hub's
# pipeline_tag of its model, or its architecture. Different ones: different projects.
MODALITY_WORDS: dict[str, str] = _TASKS_FILE.mapping("modality_words")
TASK_MODALITIES: dict[str, str] = _TASKS_FILE.mapping("task_modalities")
PIPELINE_MODALITIES: dict[str, str] = _TASKS_FILE.mapping("pipeline_modalities")
ARCHITECTURE_MODALITIES: dict[str, str] = _TASKS_FILE.mapping("architecture_modalities")

# Organisations whose "org/name" is a checkpoint even when written inside a sentence.
HUB_ORGS: frozenset[str] = frozenset(_HUB_FILE.words("hub_orgs"))
# 🤗 Datasets people name by their bare id.
KNOWN_DATASETS: frozenset[str] = frozenset(_HUB_FILE.words("known_datasets"))
# The Flax example scripts of 🤗 Transformers the guide points to, by file name. Pinned to a
# release that still has them (later releases dropped Flax).
TRANSFORMERS_TREE: str = _HUB_FILE.text("flax_example_scripts", "tree")
FLAX_EXAMPLE_SCRIPTS: dict[str, str] = {
    script: TRANSFORMERS_TREE + path
    for script, path in _HUB_FILE.mapping("flax_example_scripts").items()
}

_PUNCT = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lowercase, strip accents, turn punctuation into spaces, squeeze spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("-", "").replace("_", " ").replace("’", "'")
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def singular(word: str) -> str:
    """A crude English singular: enough for "datasets", "captions", "summaries"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normalise_model_token(token: str) -> str:
    """ "GPT-2" / "gpt2" / "GPT 2" -> "gpt2"; hub ids keep their last path part."""
    token = token.rsplit("/", 1)[-1].lower()
    return re.sub(r"[^a-z0-9]", "", token)


def architecture_of(text: str) -> set[str]:
    """Architecture families named anywhere in `text` (model ids, links or prose)."""
    found: set[str] = set()
    lowered = text.lower()
    # Hub ids and names: split on separators but also try joined neighbours ("GPT 2", "gpt-neo").
    pieces = [p for p in re.split(r"[\s/,;()]+", lowered) if p]
    candidates: list[str] = []
    for i, piece in enumerate(pieces):
        candidates.append(piece)
        if i + 1 < len(pieces):
            candidates.append(piece + pieces[i + 1])
    for candidate in candidates:
        norm = re.sub(r"^(?:jax|flax)(?=[a-z]{3})", "", normalise_model_token(candidate))
        if norm in ARCHITECTURES:
            found.add(ARCHITECTURES[norm])
            continue
        # "roberta-base", "gpt2-medium", "t5-small", "clip-vit-base-patch32", "mt5-small"
        for part in re.split(r"[-_.]", candidate):
            part_norm = normalise_model_token(part)
            if part_norm in ARCHITECTURES and len(part_norm) >= 2:
                found.add(ARCHITECTURES[part_norm])
        # "gpt-neo-1.3B", "xlm-roberta-base": longest known prefix of the joined token
        for size in range(len(norm), 1, -1):
            if norm[:size] in ARCHITECTURES and size >= 3:
                found.add(ARCHITECTURES[norm[:size]])
                break
    for _language, family in glued_names(text):
        found.add(ARCHITECTURES[family])
    # "BioBERT", "StoryGPT", "EsperBERTo": an architecture in capitals at the end of a word
    for part in re.split(r"[\s/,;()_.-]+", text):
        match = _CAPITALS_AT_END.search(part)
        if match and normalise_model_token(part) not in ARCHITECTURES:
            norm = normalise_model_token(match.group(1))
            if norm in ARCHITECTURES:
                found.add(ARCHITECTURES[norm])
    return found


_CAPITALS_AT_END = re.compile(r"[A-Za-z]([A-Z][A-Z0-9]+)[ao]?$")


def _language_of_prefix(prefix: str) -> str | None:
    """The language a name's prefix stands for: a code ("ko", "ara") or the start of the
    language's name ("Esper" in "EsperBERTo", "Sinhala")."""
    if prefix in LANGUAGE_PREFIXES:
        return LANGUAGE_PREFIXES[prefix]
    if len(prefix) >= 4:
        return next((w for w in sorted(LANGUAGE_WORDS) if w.startswith(prefix)), None)
    return None


def glued_names(text: str) -> set[tuple[str, str]]:
    """(language slug, architecture) of names like "KoCLIP", "AraBERT", "CLIP-Italian" glued
    into one word. The architecture must be written in capitals or follow a prefix of three
    letters or more, so that "Robert" stays a name."""
    found: set[tuple[str, str]] = set()
    for word in re.split(r"[\s/,;()_.]+", text):
        # "roberta-base-sw", "gpt2-small-it": a language code beside an architecture
        parts = [p.lower() for p in word.split("-")]
        if len(parts) > 1 and any(normalise_model_token(p) in ARCHITECTURES for p in parts):
            arch = next(p for p in parts if normalise_model_token(p) in ARCHITECTURES)
            codes = [p for p in parts if len(p) <= 3 and p in LANGUAGE_PREFIXES]
            if codes and arch in _SUFFIX_ARCHITECTURES:
                found.add((LANGUAGE_PREFIXES[codes[-1]], arch))
    for token in re.split(r"[\s/,;()_.-]+", text):
        norm = re.sub(r"[^a-z0-9]", "", token.lower())
        if norm.endswith(("berto", "berta")) and not norm.startswith(("roberta", "deberta")):
            norm = norm[:-1]  # "EsperBERTo", "SinhalaBERTo": RoBERTa's family, Italian-style
        for arch in _SUFFIX_ARCHITECTURES:
            if len(norm) <= len(arch):
                continue
            prefix, shown = norm[: -len(arch)], token.rstrip("oa")[-len(arch) :]
            language = _language_of_prefix(prefix) if norm.endswith(arch) else None
            if language and (len(prefix) >= 3 or shown != shown.lower()):
                found.add((language, arch))
                break
            suffix = norm[len(arch) :]  # "CLIPItalian", "GPT2Bengali"
            if norm.startswith(arch) and suffix in LANGUAGE_WORDS:
                found.add((suffix, arch))
                break
    return found


def words(text: str) -> list[str]:
    """Normalised words; a hyphenated word counts both joined and apart ("pre-train" gives
    "pretrain", "pre" and "train"; "docstring-to-code" gives "docstring", "code"…)."""
    joined = fold(text).split()
    apart = fold(text.replace("-", " ")).split()
    return [singular(w) for w in dict.fromkeys(joined + apart)]


def tasks_in(text: str) -> set[str]:
    """Canonical tasks named in `text`, matching one- to four-word phrases."""
    tokens = words(text.replace("-", " "))
    joined = " " + " ".join(tokens) + " "
    squashed = " " + " ".join(fold(text).split()) + " "
    found: set[str] = set()
    for phrase, task in TASKS.items():
        needle = " " + phrase + " "
        if needle in joined or needle in squashed:
            found.add(task)
    return found


def languages_in(text: str) -> set[str]:
    found = {w for w in words(text) if w in LANGUAGE_WORDS}
    return found | {language for language, _ in glued_names(text)}


def domains_in(text: str) -> set[str]:
    return {w for w in words(text) if w in DOMAINS}


_HUB_ID = re.compile(r"^([A-Za-z0-9][\w.-]*)/([\w.-]*[A-Za-z0-9])$")


_LEGACY_SHAPE = re.compile(r"^[a-z0-9][a-z0-9._]*(?:-[a-z0-9._]+)+$")
_SIZE = re.compile(r"^(?:\d+[bmk]?|v\d+)$")  # 11b, 125m, 53, v2
_SIZE_WORDS = frozenset(
    {"base", "small", "large", "medium", "xl", "xxl", "tiny", "mini", "cased", "uncased"}
)


def is_architecture_name(token: str) -> bool:
    """ "BERT", "GPT-2", "t5", "gpt-neo": an architecture, not a checkpoint."""
    return "/" not in token and re.sub(r"[^a-z0-9]", "", token.lower()) in ARCHITECTURES


def looks_like_legacy_id(token: str, *, alone: bool = False) -> bool:
    """A checkpoint from before organisations, by its shape: hyphenated, with an architecture
    of 🤗 Transformers among its parts ("roberta-base", "gpt2-medium", "RoBERTa-base";
    "roberta-bse" too: the Hub says whether it exists). Inside a sentence it also needs a size
    or a number ("bert-like" is prose)."""
    lowered = token.lower()
    if not _LEGACY_SHAPE.match(lowered) or is_architecture_name(lowered):
        return False
    parts = re.split(r"[-_.]", lowered)
    families = {ARCHITECTURES.get(re.sub(r"[^a-z0-9]", "", p)) for p in parts}
    if not families & TRANSFORMERS_FAMILIES:  # "BigGAN-deep" lives elsewhere
        return False
    return alone or any(p in _SIZE_WORDS or _SIZE.match(p) for p in parts)


def is_hub_id(token: str, *, alone: bool = False) -> bool:
    """Whether `token` reads as a Hub id: "google/mt5-small", or a legacy "roberta-base".
    Inside a sentence ("and/or", "TCP/IP") an "org/name" counts only for a known organisation
    or a name with a digit or a hyphen; `alone` (the whole answer) accepts any "org/name"."""
    if looks_like_legacy_id(token, alone=alone):
        return True
    match = _HUB_ID.match(token)
    if not match or "//" in token:
        return False
    org, name = match.groups()
    return alone or org.lower() in HUB_ORGS or bool(re.search(r"[\d-]", name))


def is_dataset_id(token: str) -> bool:
    return token.lower() in KNOWN_DATASETS or bool(_HUB_ID.match(token) and "//" not in token)
