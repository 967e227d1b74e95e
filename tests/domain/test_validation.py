"""The proposal rules, without Slack."""

from __future__ import annotations

import pytest

from slackbot.domain.template import SECTIONS
from slackbot.domain.validation import Draft, validate

GOOD = {
    "name": "Using a T5 model to learn grammar correction in French",
    "description": "Fine-tune T5 on a French grammatical error corpus.",
    "model": "t5-base",
    "datasets": "https://huggingface.co/datasets/oscar\nmc4",
    "training_scripts": "We can use https://github.com/huggingface/transformers/run_t5_mlm_flax.py",
    "challenges": "",
    "outcome": "A Streamlit demo",
    "reads": "- https://arxiv.org/abs/1910.10683",
}


def draft(**changes: str) -> Draft:
    answers = {**GOOD, **changes}
    return Draft(answers=answers, languages=["french"])


def test_a_good_draft_is_valid() -> None:
    assert validate(draft()) == {}


@pytest.mark.parametrize("section", [s for s in SECTIONS if s.required and s.id != "languages"])
def test_required_sections(section) -> None:  # type: ignore[no-untyped-def]
    assert section.id in validate(draft(**{section.id: "  "}))


@pytest.mark.parametrize(
    "name",
    ["Train a language model", "Image classification", "DALL-E mini", "KoCLIP", "NLP"],
)
def test_no_name_is_refused_for_its_wording(name: str) -> None:
    """Vague or brand-like, a name is the proposer's: advice (advice.py), never an error."""
    assert "name" not in validate(draft(name=name))


@pytest.mark.parametrize(
    "model",
    [
        "google/mt5-small",
        "my cool model",
        "NeRF",
        "https://huggingface.co/models?filter=jax",
        "https://github.com/google-research/google-research/tree/master/jaxnerf",
    ],
)
def test_no_model_is_refused_for_its_origin(model: str) -> None:
    assert "model" not in validate(draft(model=model))


def test_a_model_link_must_be_http() -> None:
    assert "model" in validate(draft(model="ftp://models.example.org/t5"))


def test_reads_must_be_http_links() -> None:
    assert "reads" in validate(draft(reads="see the T5 paper"))
    assert "reads" in validate(draft(reads="ftp://example.com/paper.pdf"))


def test_links_in_datasets_and_scripts_must_be_http() -> None:
    assert "datasets" in validate(draft(datasets="oscar\nftp://data.example.org/x"))
    # a name, then its link, on one line: how people list datasets
    assert "datasets" not in validate(draft(datasets="RSICD https://github.com/x/RSICD"))
    assert "training_scripts" in validate(draft(training_scripts="see javascript://alert(1)"))


def test_lengths_are_limited() -> None:
    assert "Too long" in validate(draft(description="x" * 2501))["description"]


def test_languages_required_and_other_needs_text() -> None:
    assert "languages" in validate(Draft(answers=GOOD, languages=[]))
    assert "language_other" in validate(Draft(answers=GOOD, languages=["other"]))
    assert validate(Draft(answers=GOOD, languages=["other"], language_other="Icelandic")) == {}
    assert "languages" in validate(Draft(answers=GOOD, languages=["klingon"]))


def test_a_broken_ipv6_host_is_not_a_link_and_not_a_crash() -> None:
    from slackbot.domain.validation import is_http_url

    assert is_http_url("http://[::1") is False
    assert is_http_url("https://huggingface.co/datasets/oscar") is True
