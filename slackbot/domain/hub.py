"""What the Hugging Face Hub can tell about a proposal: which models and datasets it names, and
what the Hub's answer about each means to a proposer.

The guide asks for "the link to one of the 4000 available checkpoints in JAX" and, ideally, "a
dataset in the 🤗 Datasets library". `hub_refs(answers)` finds the Hub ids a proposal names (an
id like `roberta-base` or `org/name`, or a `huggingface.co/…` link); an architecture name (BERT,
CLIP, "T5 from scratch") stays an architecture and is not asked about. `HubAnswer` is what the
Hub said of one id; the advice (`slackbot.domain.advice`) turns answers into remarks. Nothing
here asks the Hub: the services do, through the adapter in `slackbot.hubclient`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from slackbot.domain.validation import is_http_url, lines_of
from slackbot.domain.vocabulary import (
    KNOWN_DATASETS,
    is_architecture_name,
    is_hub_id,
    looks_like_legacy_id,
)

HUB_HOSTS = frozenset({"huggingface.co", "www.huggingface.co", "hf.co"})
HUB = "https://huggingface.co/"
# First path parts of huggingface.co that are pages, not a model's namespace.
_NOT_A_NAMESPACE = frozenset(
    {
        "models",
        "datasets",
        "spaces",
        "docs",
        "blog",
        "tasks",
        "organizations",
        "papers",
        "collections",
        "login",
        "join",
        "settings",
        "pricing",
        "learn",
        "posts",
        "api",
    }
)
# What follows a repository in a link: /tree/main, /blob/main/config.json…
_REPO_PAGES = frozenset({"tree", "blob", "resolve", "commit", "commits", "discussions", "raw"})
_ID_PART = re.compile(r"^[A-Za-z0-9][\w.-]*$")
_ONE_WORD = re.compile(r"^[A-Za-z0-9][\w.-]*$")
_ORG_NAME = re.compile(r"^([A-Za-z0-9][\w.-]*)/([\w.-]*[A-Za-z0-9])$")
_BARE_DATASET = re.compile(r"^[a-z0-9][a-z0-9_.-]*[a-z0-9]$")
_EDGE = ".,;:!?()[]{}<>\"'`*“”‘’"

MODEL = "model"
DATASET = "dataset"


@dataclass(frozen=True)
class HubRef:
    """One repository a proposal names."""

    kind: str  # MODEL or DATASET
    id: str
    # Written as an id or a link: its absence is worth a remark. A bare word in a datasets
    # answer ("mc4 (hi)") may be a plain word too: only a found one is remarked on (linked).
    explicit: bool = True

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.id)

    @property
    def url(self) -> str:
        return HUB + ("datasets/" if self.kind == DATASET else "") + self.id


@dataclass(frozen=True)
class HubAnswer:
    """What the Hub said of one repository (cached as JSON beside its id)."""

    found: bool
    flax: bool = False  # Flax weights (flax_model.msgpack) or the "jax" tag
    pipeline_tag: str | None = None  # the model's task, as the Hub names it
    gated: bool = False  # one must accept its conditions on the Hub before downloading
    closest: tuple[str, ...] = ()  # not found: the nearest ids the Hub's search offers

    def to_json(self) -> str:
        return json.dumps(
            {
                "found": self.found,
                "flax": self.flax,
                "pipeline_tag": self.pipeline_tag,
                "gated": self.gated,
                "closest": list(self.closest),
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> HubAnswer:
        data = json.loads(text)
        return cls(
            found=bool(data.get("found")),
            flax=bool(data.get("flax")),
            pipeline_tag=data.get("pipeline_tag") or None,
            gated=bool(data.get("gated")),
            closest=tuple(str(c) for c in data.get("closest") or ()),
        )


HubFacts = Mapping[tuple[str, str], HubAnswer]

FLAX_WEIGHTS = ("flax_model.msgpack", "flax_model.msgpack.index.json")


def has_flax_weights(files: Iterable[str], tags: Iterable[str]) -> bool:
    """Whether a model repository holds Flax weights: a `flax_model.msgpack` (or a sharded
    one's index), in any folder, or the "jax"/"flax" tag the Hub's JAX filter lists."""
    if any(f.rsplit("/", 1)[-1].endswith(FLAX_WEIGHTS) for f in files):
        return True
    return bool({t.lower() for t in tags} & {"jax", "flax"})


def _hub_link_id(url: str) -> tuple[str, str] | None:
    """(kind, id) of a huggingface.co link to one model or dataset; None for other pages."""
    parsed = urlparse(url.strip())
    if parsed.netloc.lower() not in HUB_HOSTS or parsed.query:
        return None
    path = [p for p in parsed.path.split("/") if p]
    kind = MODEL
    if path[:1] == ["datasets"]:
        kind, path = DATASET, path[1:]
    if not path or path[0] in _NOT_A_NAMESPACE:
        return None
    # org/name, or a legacy id ("roberta-base", "oscar") followed by nothing or a page
    parts = path[:2] if len(path) >= 2 and path[1] not in _REPO_PAGES else path[:1]
    if not all(_ID_PART.match(p) for p in parts):
        return None
    return kind, "/".join(parts)


def canonical_model_id(token: str) -> str:
    """The id as the Hub spells it: a legacy checkpoint typed in capitals ("RoBERTa-base") is
    the lowercase one."""
    return token.lower() if "/" not in token and looks_like_legacy_id(token) else token


def _is_model_name(token: str) -> bool:
    """Not an "org/name" that is a size or a version: "ViT-B/32", "B/16" (CLIP's names)."""
    return not ("/" in token and token.rsplit("/", 1)[1].isdigit())


def _tokens(text: str) -> list[str]:
    return [t.strip(_EDGE) for t in text.split() if t.strip(_EDGE)]


def model_refs(text: str) -> list[HubRef]:
    """The Hub models a model answer names, in order: links to one model, "org/name" ids and
    the legacy bare ids ("roberta-base"); architecture names are not among them."""
    value = text.strip()
    found: list[HubRef] = []
    if _ONE_WORD.match(value) and not (is_hub_id(value, alone=True) or is_architecture_name(value)):
        # One word the vocabulary does not know ("distilgpt2", "DALL-E"): the Hub may. Not
        # found, it is only "not recognised", as before.
        return [HubRef(MODEL, value, explicit=False)]
    if (
        is_hub_id(value, alone=True) or looks_like_legacy_id(value, alone=True)
    ) and not is_architecture_name(value):
        return [HubRef(MODEL, canonical_model_id(value))] if _is_model_name(value) else []
    for token in _tokens(value):
        if is_http_url(token):
            link = _hub_link_id(token)
            if link and link[0] == MODEL:
                found.append(HubRef(MODEL, link[1]))
        elif (
            (is_hub_id(token) or looks_like_legacy_id(token))
            and not is_architecture_name(token)
            and _is_model_name(token)
        ):
            found.append(HubRef(MODEL, canonical_model_id(token)))
    return list(dict.fromkeys(found))


def dataset_refs(text: str) -> list[HubRef]:
    """The Hub datasets a datasets answer names: links to a dataset anywhere, an "org/name" at
    the start of a line, and a bare id-shaped word there ("oscar", "mc4 (hi)")."""
    found: list[HubRef] = []
    for line in lines_of(text):
        tokens = _tokens(line)
        for token in tokens:
            if is_http_url(token):
                link = _hub_link_id(token)
                if link and link[0] == DATASET:
                    found.append(HubRef(DATASET, link[1]))
        first = line.split()[0].strip(_EDGE) if line.split() else ""
        if not first or is_http_url(first):
            continue
        if _ORG_NAME.match(first) and "//" not in first:
            found.append(HubRef(DATASET, first))
        elif _BARE_DATASET.match(first) and (
            first in KNOWN_DATASETS or re.search(r"[\d_-]", first)
        ):
            found.append(HubRef(DATASET, first, explicit=first in KNOWN_DATASETS))
    return list(dict.fromkeys(found))


def model_tasks(model_answer: str, hub: HubFacts) -> list[str]:
    """The Hub's task (pipeline_tag) of the models a model answer names, as far as `hub`
    holds its answers: what tells a proposal's modality when the model's name does not."""
    answers = [hub.get(ref.key) for ref in model_refs(model_answer)]
    return [a.pipeline_tag for a in answers if a is not None and a.pipeline_tag]


def hub_refs(answers: Mapping[str, str]) -> list[HubRef]:
    """Every Hub repository a proposal's answers name (its model, then its datasets)."""
    return model_refs(answers.get("model", "")) + dataset_refs(answers.get("datasets", ""))


# How long an answer is trusted: a repository that exists rarely vanishes within a day; one
# that does not may be created (or made public) within the hour.
FOUND_TTL_SECONDS = 24 * 3600.0
NOT_FOUND_TTL_SECONDS = 3600.0


def ttl_of(answer: HubAnswer) -> float:
    return FOUND_TTL_SECONDS if answer.found else NOT_FOUND_TTL_SECONDS


def rank_closest(wanted: str, candidates: Iterable[str], limit: int = 3) -> tuple[str, ...]:
    """The candidates nearest to a mistyped id, nearest first; only those close enough to be
    what was meant."""
    from difflib import SequenceMatcher

    def near(candidate: str) -> float:
        whole = SequenceMatcher(None, wanted.lower(), candidate.lower()).ratio()
        name = SequenceMatcher(
            None, wanted.lower().rsplit("/", 1)[-1], candidate.lower().rsplit("/", 1)[-1]
        ).ratio()
        return max(whole, name)

    scored = sorted(
        ((near(c), c) for c in dict.fromkeys(candidates) if c.lower() != wanted.lower()),
        key=lambda pair: -pair[0],
    )
    return tuple(c for s, c in scored if s >= 0.6)[:limit]


def search_words(repo_id: str) -> list[str]:
    """What to ask the Hub's search for the ids near a mistyped one, in order: the longest word
    of its name, then its first letters (the Hub's search matches a part of the id, so the typo
    itself finds nothing: "roberta-bse" is found by "roberta", "robeta-base" by "robe")."""
    name = repo_id.rsplit("/", 1)[-1]
    pieces = [p for p in re.split(r"[-_.]", name) if p]
    longest = max(pieces, key=len) if pieces else name
    return list(dict.fromkeys(w for w in (longest, longest[:4]) if len(w) >= 3))
