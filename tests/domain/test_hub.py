"""Which Hub ids a proposal names, and what the Hub's answers mean to its proposer: plain
functions, no Hub."""

from __future__ import annotations

import pytest

from slackbot.domain.advice import Code, advise, step_advice
from slackbot.domain.hub import (
    DATASET,
    MODEL,
    HubAnswer,
    HubRef,
    dataset_refs,
    has_flax_weights,
    model_refs,
    rank_closest,
    search_words,
)
from slackbot.domain.validation import Draft


def ids(refs: list[HubRef]) -> list[str]:
    return [r.id for r in refs]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("roberta-base", ["roberta-base"]),
        ("google/mt5-small", ["google/mt5-small"]),
        ("https://huggingface.co/google/mt5-small", ["google/mt5-small"]),
        ("https://huggingface.co/roberta-base", ["roberta-base"]),
        ("https://huggingface.co/flax-community/t5-base/tree/main", ["flax-community/t5-base"]),
        (
            "klue/roberta-large (text) + openai/clip-vit-base-patch32 (vision)",
            ["klue/roberta-large", "openai/clip-vit-base-patch32"],
        ),
        ("start from gpt2-medium and fine-tune", ["gpt2-medium"]),
        ("roberta-bse", ["roberta-bse"]),  # a typo is asked about: the Hub says it is one
        # Architectures stay architectures.
        ("BERT", []),
        ("CLIP", []),
        ("T5 from scratch", []),
        ("GPT-2", []),
        ("gpt-neo", []),
        ("a bert-like encoder, and/or a CNN", []),
        # Hub pages that are not one model.
        ("https://huggingface.co/models?filter=jax", []),
        ("https://huggingface.co/datasets/oscar", []),
        ("https://github.com/CompVis/taming-transformers", []),
    ],
)
def test_models_a_model_answer_names(answer: str, expected: list[str]) -> None:
    refs = model_refs(answer)
    assert ids(refs) == expected
    assert all(r.kind == MODEL and r.explicit for r in refs)


def test_datasets_a_datasets_answer_names() -> None:
    text = (
        "mc4 (hi)\n"
        "- oscar\n"
        "bigcode/the-stack\n"
        "https://huggingface.co/datasets/mozilla-foundation/common_voice_11_0\n"
        "news articles we scrape ourselves\n"
        "cc_news_hi (our own split)\n"
        "MSCOCO 2014 with Korean captions\n"
        "https://aihub.or.kr"
    )
    refs = dataset_refs(text)
    assert ids(refs) == [
        "mc4",
        "oscar",
        "bigcode/the-stack",
        "mozilla-foundation/common_voice_11_0",
        "cc_news_hi",
    ]
    assert all(r.kind == DATASET for r in refs)
    explicit = {r.id: r.explicit for r in refs}
    assert explicit["oscar"] and explicit["bigcode/the-stack"]
    assert explicit["mc4"]  # a name 🤗 Datasets is known by
    assert not explicit["cc_news_hi"]  # a bare id-shaped word: asked, remarked on only if found


def test_flax_weights_are_a_msgpack_file_or_the_jax_tag() -> None:
    assert has_flax_weights(["config.json", "flax_model.msgpack"], [])
    assert has_flax_weights(["flax_model.msgpack.index.json"], [])
    assert has_flax_weights(["unet/diffusion_flax_model.msgpack"], [])
    assert has_flax_weights(["config.json"], ["transformers", "jax"])
    assert not has_flax_weights(["pytorch_model.bin", "tf_model.h5"], ["pytorch", "tf"])


def test_closest_ids_to_a_typo() -> None:
    found = ["roberta-large", "xlm-roberta-base", "roberta-base", "distilroberta-base"]
    assert rank_closest("roberta-bse", found)[0] == "roberta-base"
    assert rank_closest("roberta-bse", ["t5-small"]) == ()
    assert search_words("roberta-bse") == ["roberta", "robe"]
    assert search_words("google/mt5-smal") == ["smal"]


def test_an_answer_survives_the_cache() -> None:
    answer = HubAnswer(found=False, closest=("roberta-base",))
    assert HubAnswer.from_json(answer.to_json()) == answer
    answer = HubAnswer(found=True, flax=True, pipeline_tag="fill-mask")
    assert HubAnswer.from_json(answer.to_json()) == answer


NAME = "Using a T5 model to learn grammar correction in French"


def draft(model: str, datasets: str = "oscar") -> Draft:
    return Draft(answers={"name": NAME, "model": model, "datasets": datasets})


def codes(advice: list) -> list[Code]:
    return [a.code for a in advice]


def test_what_the_hub_says_becomes_advice() -> None:
    facts = {
        (MODEL, "roberta-bse"): HubAnswer(found=False, closest=("roberta-base",)),
        (MODEL, "distilbert-base-uncased"): HubAnswer(found=True),
        (MODEL, "google/mt5-small"): HubAnswer(found=True, flax=True),
        (DATASET, "bigcode/the-stack"): HubAnswer(found=True, gated=True),
        (DATASET, "org/nothing-here"): HubAnswer(found=False),
        (DATASET, "mc4-typo"): HubAnswer(found=False),
    }
    missing = advise(draft("roberta-bse"), facts)
    assert codes(missing) == [Code.HUB_MODEL_MISSING]
    assert missing[0].closest == ("roberta-base",) and missing[0].blocking
    assert codes(advise(draft("distilbert-base-uncased"), facts)) == [Code.HUB_MODEL_NO_FLAX]
    assert advise(draft("google/mt5-small"), facts) == []
    gated = advise(draft("google/mt5-small", "bigcode/the-stack"), facts)
    assert codes(gated) == [Code.HUB_DATASET_GATED] and not gated[0].blocking
    assert codes(advise(draft("t5-base", "org/nothing-here"), facts)) == [Code.HUB_DATASET_MISSING]
    # A bare word the Hub does not know may be plain prose: no remark.
    assert advise(draft("t5-base", "mc4-typo (hi)"), facts) == []


def test_no_answer_no_remark_and_notes_alone_are_no_step() -> None:
    assert advise(draft("roberta-bse"), {}) == []
    assert advise(draft("roberta-bse")) == []
    facts = {(MODEL, "distilbert-base-uncased"): HubAnswer(found=True)}
    assert step_advice(draft("distilbert-base-uncased"), set(), facts) == []
