"""The similar-project check's rules, and its quality on the labelled set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slackbot.domain.similarity import SIMILAR_AT, idea_of, same_language, score
from slackbot.samples import similarity_report

DATA = Path(__file__).parents[1] / "data"


def idea(name: str, model: str = "", languages: tuple[str, ...] = ("hindi",)):  # type: ignore[no-untyped-def]
    return idea_of(name, name, model, "", list(languages))


@pytest.mark.parametrize(
    ("a", "b", "similar"),
    [
        (
            "PreTrain RoBERTa from scratch in Hindi",
            "Pre-training a RoBERTa model on Hindi text from scratch",
            True,
        ),
        ("RoBERTa pretraining in Hindi", "T5 summarisation in Hindi", False),
        ("GPT2 for Bengali poetry generation", "Generating Bengali poems with GPT-2", True),
        ("GPT2 for Bengali poetry generation", "GPT2 story generation in Bengali", False),
        ("RoBERTa pretraining in Hindi", "GPT-2 pretraining in Hindi", False),
        ("Korean NER with BERT", "Named entity recognition in Korean with RoBERTa", True),
        (
            "mT5 question answering in Vietnamese",
            "Question generation from Vietnamese text with T5",
            False,
        ),
    ],
)
def test_the_issues_examples(a: str, b: str, similar: bool) -> None:
    assert (score(idea(a), idea(b)) >= SIMILAR_AT) is similar


def test_model_name_variants_are_one_family() -> None:
    assert score(idea("GPT2 poetry in Bengali"), idea("GPT-2 poetry in Bengali")) >= SIMILAR_AT
    assert score(idea("x", "roberta-base"), idea("x", "RoBERTa")) >= 0.35


def test_languages_decide_same_or_other() -> None:
    hindi, italian = idea("x", languages=("hindi",)), idea("x", languages=("italian",))
    assert same_language(hindi, idea("x", languages=("hindi", "urdu")))
    assert not same_language(hindi, italian)
    assert not same_language(
        idea("x", languages=("multilingual",)), idea("x", languages=("multilingual",))
    )


@pytest.mark.parametrize(
    ("name", "precision", "recall"),
    [
        # The tuning set: the issue's targets.
        ("similarity_cases.json", 0.9, 0.9),
        # Written apart and never tuned on (one rule change was made after a first look): it
        # shows what unseen phrasing does. Recall is below the 0.9 target; this is a floor
        # against regressions, not the goal.
        ("similarity_holdout.json", 0.9, 0.75),
    ],
)
def test_quality_on_the_labelled_sets(name: str, precision: float, recall: float) -> None:
    report = similarity_report(json.loads((DATA / name).read_text()))
    assert report["blocked_variants"] == 0  # the same idea in another language is never blocked
    assert report["precision"] >= precision, report["mistakes"]
    assert report["recall"] >= recall, report["mistakes"]


@pytest.mark.parametrize("language", ["hindi", "spanish", "german", "arabic", "korean", "french"])
def test_a_shared_generic_word_across_modalities_is_not_the_same_idea(language: str) -> None:
    name = language.capitalize()
    clip = idea_of(
        f"Adapt CLIP for zero-shot image classification in {name}", "", "CLIP", "", [language]
    )
    bert = idea_of(
        f"Fine-tune BERT for sentiment classification of tweets in {name}",
        "",
        "BERT",
        "",
        [language],
    )
    assert clip.modalities == {"image"} and bert.modalities == {"text"}
    assert score(clip, bert) == 0.0


def test_the_hubs_pipeline_tag_says_what_a_model_works_on() -> None:
    # Neither the name nor the model's id says it; the Hub's task of the model does.
    vision = idea_of("Classify Wolof street signs", "", "acme/wolof-signs", "", ["wolof"])
    assert vision.modalities == set()
    told = idea_of(
        "Classify Wolof street signs",
        "",
        "acme/wolof-signs",
        "",
        ["wolof"],
        ["image-classification"],
    )
    assert told.modalities == {"image"}
    # …and beats the architecture's guess (a BERT-named id that is an image model).
    assert idea_of("x", "", "bert-images", "", [], ["image-classification"]).modalities == {"image"}
