"""The guide's advice, without Slack: measured on real proposals from the 2021 week.

tests/data/proposal_cases.json holds proposals written the way people wrote them (brand names,
models outside 🤗 Transformers, low-resource languages) and truly vague ones, the kind the guide
calls too vague. None may be refused; every vague one gets the advice.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from slackbot.domain.advice import Code, ModelKind, advise, model_kind, name_parts, step_advice
from slackbot.domain.validation import Draft, validate

CASES = json.loads((Path(__file__).parents[1] / "data" / "proposal_cases.json").read_text())


def as_draft(case: dict[str, Any]) -> Draft:
    return Draft.from_flat(case)


def test_the_sets_are_large_enough() -> None:
    assert len(CASES["realistic"]) >= 60
    assert len(CASES["vague"]) >= 20


def test_no_realistic_proposal_is_refused() -> None:
    refused = {c["name"]: validate(as_draft(c)) for c in CASES["realistic"]}
    assert {name: errors for name, errors in refused.items() if errors} == {}


def test_every_vague_proposal_gets_the_advice_step() -> None:
    missed = [
        c["name"]
        for c in CASES["vague"]
        if Code.VAGUE_NAME not in {a.code for a in step_advice(as_draft(c), set())}
    ]
    assert missed == []
    assert all(validate(as_draft(c)) == {} for c in CASES["vague"])


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Using a T5 model to learn grammar correction in French", ("task", "model", "language")),
        ("KoCLIP", ("model", "language")),
        ("CLIP-Italian", ("model", "language")),
        ("Speech recognition for Wolof", ("task", "language", "domain")),
        ("Summarize arXiv papers", ("task", "domain")),
        ("Fine-tune BERT", ("model",)),  # fine-tuning is a way to train, not a task
        ("Robert's project", ()),  # a person, not RoBERTa
        ("DALL-E mini", ("model",)),
    ],
)
def test_what_a_name_states(name: str, parts: tuple[str, ...]) -> None:
    assert name_parts(name) == parts


@pytest.mark.parametrize(
    ("model", "kind"),
    [
        ("google/mt5-small", ModelKind.HUB),
        ("roberta-base", ModelKind.HUB),
        ("We start from flax-community/gpt2-bengali", ModelKind.HUB),
        ("https://huggingface.co/roberta-base", ModelKind.HUB),
        ("RoBERTa, trained from scratch", ModelKind.TRANSFORMERS),
        ("NeRF", ModelKind.ELSEWHERE),
        ("BigGAN-deep", ModelKind.ELSEWHERE),
        ("A Neural ODE", ModelKind.ELSEWHERE),
        ("https://github.com/google-research/vision_transformer", ModelKind.ELSEWHERE),
        ("https://huggingface.co/models?filter=jax", ModelKind.LIST_PAGE),
        ("https://huggingface.co/models", ModelKind.LIST_PAGE),
        ("https://huggingface.co/datasets/oscar", ModelKind.NOT_A_MODEL),
        ("my cool model", ModelKind.UNKNOWN),
        ("and/or something", ModelKind.UNKNOWN),
    ],
)
def test_model_kinds(model: str, kind: ModelKind) -> None:
    assert model_kind(model) is kind


def test_a_model_outside_transformers_is_a_note_not_a_step() -> None:
    good = Draft(answers={"name": "Putting NeRF on a diet for few-shot 3D scenes", "model": "NeRF"})
    advice = advise(good)
    assert [a.code for a in advice] == [Code.OUTSIDE_TRANSFORMERS]
    assert not advice[0].blocking
    assert step_advice(good, set()) == []


def test_the_step_shows_the_notes_too_and_each_advice_once() -> None:
    draft = Draft(answers={"name": "NeRF diet", "model": "NeRF"})
    first = step_advice(draft, set())
    assert [a.code for a in first] == [Code.VAGUE_NAME, Code.OUTSIDE_TRANSFORMERS]
    assert step_advice(draft, {a.key for a in first}) == []  # seen, kept as it is: no step
    draft.answers["name"] = "NeRF"
    assert step_advice(draft, {a.key for a in first}) != []  # new words: advised again


def test_a_list_page_is_advice_to_link_one_checkpoint() -> None:
    draft = Draft(
        answers={
            "name": "Pretraining RoBERTa in Hindi",
            "model": "https://huggingface.co/models?filter=jax",
        }
    )
    assert [a.code for a in step_advice(draft, set())] == [Code.MODEL_LIST_PAGE]
