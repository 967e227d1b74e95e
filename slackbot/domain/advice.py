"""Advice on a proposal before it is posted: the seed's guidance, never a refusal.

The 2021 guide asks for a name that says the task, the model and the language, and a model
one can find (a checkpoint on the Hub, or an architecture to train from scratch); it welcomes
models outside 🤗 Transformers with a note. A vocabulary will always miss real names ("DALL-E
mini", "KoCLIP"), so what it does not recognise is advice the proposer may ignore, not an error.

`advise(draft)` lists what to suggest. Blocking advice shows the "Before you post" step; a note
is only told (in that step if it shows, else once the proposal is posted). Given what the Hub
said of the models and datasets the draft names (`hub`, see `slackbot.domain.hub`), it adds the
Hub's remarks: a model or dataset the Hub does not know (a typo?), a model without Flax weights
(the guide's `from_pt=True`), a gated dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlparse

from slackbot.domain.hub import DATASET, MODEL, HubFacts, hub_refs
from slackbot.domain.validation import Draft, is_http_url
from slackbot.domain.vocabulary import (
    GENERIC_METHODS,
    TRANSFORMERS_FAMILIES,
    architecture_of,
    domains_in,
    is_hub_id,
    languages_in,
    tasks_in,
)

HUB_HOSTS = frozenset({"huggingface.co", "www.huggingface.co", "hf.co"})
NAME_PARTS = ("task", "model", "language", "domain")


class Code(str, Enum):
    VAGUE_NAME = "vague_name"  # the name states fewer than two of task/model/language/domain
    UNKNOWN_MODEL = "unknown_model"  # neither a Hub checkpoint nor a known architecture
    MODEL_LIST_PAGE = "model_list_page"  # a Hub search page, not one checkpoint
    MODEL_IS_DATASET = "model_is_dataset"  # a dataset or Space page where the model goes
    OUTSIDE_TRANSFORMERS = "outside_transformers"  # welcome, with the seed's note
    # What the Hub said (only when it answered in time):
    HUB_MODEL_MISSING = "hub_model_missing"  # no such model on the Hub (a typo? private?)
    HUB_MODEL_NO_FLAX = "hub_model_no_flax"  # on the Hub, without Flax weights: from_pt=True
    HUB_DATASET_MISSING = "hub_dataset_missing"  # no such dataset on the Hub
    HUB_DATASET_GATED = "hub_dataset_gated"  # each member accepts its conditions first


NOTES = frozenset({Code.OUTSIDE_TRANSFORMERS, Code.HUB_MODEL_NO_FLAX, Code.HUB_DATASET_GATED})


@dataclass(frozen=True)
class Advice:
    code: Code
    section_id: str
    subject: str  # what was typed, as typed
    stated: tuple[str, ...] = ()  # for a vague name: what the name does say
    missing: tuple[str, ...] = ()  # …and what it could add
    closest: tuple[str, ...] = ()  # a Hub id not found: the nearest ids the Hub's search offers

    @property
    def blocking(self) -> bool:
        """Whether it is worth a step before posting (a note is only told)."""
        return self.code not in NOTES

    @property
    def key(self) -> str:
        """Same advice on the same words: shown once per draft, not again after "Edit"."""
        return f"{self.code.value}:{self.subject.strip().lower()}"


def name_parts(name: str) -> tuple[str, ...]:
    """Which of task, model, language and domain a project name states, in that order."""
    found = {
        "task": bool(tasks_in(name) - GENERIC_METHODS),
        "model": bool(architecture_of(name)),
        "language": bool(languages_in(name)),
        "domain": bool(domains_in(name)),
    }
    return tuple(part for part in NAME_PARTS if found[part])


class ModelKind(str, Enum):
    HUB = "hub"  # a checkpoint on the Hub (id or link)
    TRANSFORMERS = "transformers"  # an architecture 🤗 Transformers implements
    ELSEWHERE = "elsewhere"  # a known architecture or a link outside the Hub
    LIST_PAGE = "list_page"
    NOT_A_MODEL = "not_a_model"  # a dataset or Space page
    UNKNOWN = "unknown"


def model_kind(text: str) -> ModelKind:
    value = text.strip()
    if is_http_url(value):
        parsed = urlparse(value)
        path = [p for p in parsed.path.split("/") if p]
        if parsed.netloc.lower() not in HUB_HOSTS:
            return ModelKind.ELSEWHERE  # a GitHub repo, a paper: the model lives there
        if not path or path[0] == "models" or parsed.query:
            return ModelKind.LIST_PAGE
        if path[0] in {"datasets", "spaces", "docs", "blog", "tasks", "organizations"}:
            return ModelKind.NOT_A_MODEL
        return ModelKind.HUB
    tokens = [t.strip(".,;:()[]\"'") for t in value.split()]
    if is_hub_id(value, alone=True) or any(is_hub_id(t) for t in tokens):
        return ModelKind.HUB
    families = architecture_of(value)
    if families & TRANSFORMERS_FAMILIES and not families - TRANSFORMERS_FAMILIES:
        return ModelKind.TRANSFORMERS
    if families:
        return ModelKind.ELSEWHERE
    if "github.com/" in value.lower():
        return ModelKind.ELSEWHERE
    return ModelKind.UNKNOWN


def advise(draft: Draft, hub: HubFacts | None = None) -> list[Advice]:
    """What to suggest before posting, name first (empty answers are validation's job); with
    `hub`, what the Hub said of the ids the draft names (an id it has not answered for yet gets
    no remark)."""
    advice: list[Advice] = []
    name = draft.get("name")
    if name:
        stated = name_parts(name)
        if len(stated) < 2:
            missing = tuple(p for p in ("task", "model", "language") if p not in stated)
            advice.append(Advice(Code.VAGUE_NAME, "name", name, stated, missing))
    model = draft.get("model")
    if model:
        kind = model_kind(model)
        code = {
            ModelKind.UNKNOWN: Code.UNKNOWN_MODEL,
            ModelKind.LIST_PAGE: Code.MODEL_LIST_PAGE,
            ModelKind.NOT_A_MODEL: Code.MODEL_IS_DATASET,
            ModelKind.ELSEWHERE: Code.OUTSIDE_TRANSFORMERS,
        }.get(kind)
        if code is not None:
            advice.append(Advice(code, "model", model))
    if hub:
        confirmed = any(
            r.kind == MODEL and (a := hub.get(r.key)) is not None and a.found
            for r in hub_refs(draft.answers)
        )
        if confirmed:  # the Hub knows it, whatever the vocabulary says
            advice = [a for a in advice if a.code is not Code.UNKNOWN_MODEL]
        advice += hub_advice(draft, hub)
    return advice


def hub_advice(draft: Draft, hub: HubFacts) -> list[Advice]:
    """The Hub's remarks on the models and datasets the draft names."""
    advice: list[Advice] = []
    for ref in hub_refs(draft.answers):
        answer = hub.get(ref.key)
        if answer is None:
            continue
        if ref.kind == MODEL and not answer.found and ref.explicit:
            advice.append(Advice(Code.HUB_MODEL_MISSING, "model", ref.id, closest=answer.closest))
        elif ref.kind == MODEL and answer.found and not answer.flax:
            advice.append(Advice(Code.HUB_MODEL_NO_FLAX, "model", ref.id))
        elif ref.kind == DATASET and not answer.found and ref.explicit:
            advice.append(Advice(Code.HUB_DATASET_MISSING, "datasets", ref.id))
        elif ref.kind == DATASET and answer.found and answer.gated:
            advice.append(Advice(Code.HUB_DATASET_GATED, "datasets", ref.id))
    return advice


def step_advice(draft: Draft, already_shown: set[str], hub: HubFacts | None = None) -> list[Advice]:
    """The advice worth a "Before you post" step: blocking, and not shown for these words yet.
    When the step shows, the notes come with it."""
    advice = advise(draft, hub)
    if not any(a.blocking and a.key not in already_shown for a in advice):
        return []
    return advice
