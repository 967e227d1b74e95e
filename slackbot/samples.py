"""Realistic sample proposals in the style of the 2021 week, for tests, benchmarks and the demo.

`seed()` stores posted proposals and team members straight into the database (no Slack), so a
test or a benchmark can start from thousands of projects in a second.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from slackbot.bootstrap import build_runtime
from slackbot.config import Settings
from slackbot.domain.similarity import SIMILAR_AT, idea_of, same_language, score
from slackbot.domain.teams import Signal
from slackbot.domain.validation import Draft
from slackbot.services.runtime import Runtime
from slackbot.store.sample_data import date_posts_at_creation

IDEAS = [
    ("PreTrain RoBERTa from scratch in {lang}", "roberta-base", "oscar"),
    ("GPT2 for {lang} poetry generation", "gpt2", "mc4"),
    ("T5 summarization of {lang} news", "t5-base", "xsum"),
    ("CLIP for zero-shot image retrieval in {lang}", "openai/clip-vit-base-patch32", "wit"),
    ("Image captioning in {lang} with a ViT and GPT2", "vision-encoder-decoder", "coco"),
    ("Wav2Vec2 speech recognition in {lang}", "facebook/wav2vec2-base", "common_voice"),
    (
        "Code generation from {lang} docstrings with GPT-Neo",
        "EleutherAI/gpt-neo-125M",
        "code_search_net",
    ),
    (
        "BERT sentiment classification of {lang} tweets",
        "bert-base-multilingual-cased",
        "tweet_eval",
    ),
    ("mT5 question answering in {lang}", "google/mt5-small", "tydiqa"),
    ("BART grammar correction in {lang}", "facebook/bart-base", "c4"),
]
LANGS = [
    "english",
    "french",
    "german",
    "spanish",
    "hindi",
    "bengali",
    "arabic",
    "chinese",
    "japanese",
    "korean",
    "swahili",
    "turkish",
    "italian",
    "dutch",
    "persian",
    "indonesian",
]


def sample_draft(n: int) -> Draft:
    idea = IDEAS[n % len(IDEAS)]
    lang = LANGS[(n // len(IDEAS)) % len(LANGS)]
    name = idea[0].format(lang=lang.title())
    return Draft(
        answers={
            "name": name,
            "description": f"{name}: we fine-tune {idea[1]} and publish a demo. (#{n})",
            "model": idea[1],
            "datasets": idea[2],
            "training_scripts": "run_mlm_flax.py from the transformers examples",
        },
        languages=[lang],
    )


def seed(
    rt: Runtime,
    count: int,
    *,
    channel: str = "C0SEED",
    rng: random.Random | None = None,
) -> list[int]:
    """Store `count` posted proposals with random teams in the runtime's database (with its
    team-size defaults); returns their ids."""
    rng = rng or random.Random(7)
    store, proposals, memberships = rt.store, rt.uow.proposals, rt.uow.memberships
    ids = []
    base = time.time() - count
    users = [f"U{n:07d}" for n in range(2000)]
    with rt.uow:  # one unit for the whole seeding (and thousands of rows in one commit)
        for n in range(count):
            proposal, _ = proposals.create(
                sample_draft(n), rng.choice(users), submission_key=f"seed-{n}-{base}"
            )
            proposals.mark_posted(
                proposal.id,
                channel=channel,
                ts=f"{base + n:.6f}",
                permalink=f"https://example.slack.com/archives/{channel}/p{n}",
            )
            ids.append(proposal.id)
            for k, user in zip(range(rng.randint(0, 4)), itertools.cycle(rng.sample(users, 4))):
                memberships.apply(proposal, Signal(user, "raised_hand", True, base + n + k))
        date_posts_at_creation(store)
        rt.uow.commit()
    return ids


def similarity_report(
    cases: dict[str, Any],
    *,
    model_tasks: Mapping[str, list[str]] | None = None,
    modalities: bool = True,
) -> dict[str, Any]:
    """Precision and recall of the same-language duplicate flag on a labelled set (see
    tests/data/similarity_cases.json), and how many other-language variants it would block.
    `model_tasks`: the Hub's pipeline_tag of each proposal's models (by proposal id);
    `modalities=False` scores as before modalities were read (the figures to compare with)."""
    ideas = {
        p["id"]: idea_of(
            p["name"],
            p["description"],
            p["model"],
            p["datasets"],
            p["languages"],
            (model_tasks or {}).get(p["id"], ()),
        )
        for p in cases["proposals"]
    }
    if not modalities:
        ideas = {k: replace(idea, modalities=frozenset()) for k, idea in ideas.items()}
    counts = {"tp": 0, "fp": 0, "fn": 0, "blocked_variants": 0, "variants": 0, "linked": 0}
    mistakes = []
    for pair in cases["pairs"]:
        a, b = ideas[pair["a"]], ideas[pair["b"]]
        similar = score(a, b) >= SIMILAR_AT
        flagged = similar and same_language(a, b)
        label = pair["label"]
        if label == "same_idea_same_language":
            counts["tp" if flagged else "fn"] += 1
        elif flagged:
            counts["fp"] += 1
        if label == "same_idea_other_language":
            counts["variants"] += 1
            counts["blocked_variants"] += flagged
            counts["linked"] += similar
        if flagged != (label == "same_idea_same_language"):
            mistakes.append((pair["a"], pair["b"], label, round(score(a, b), 2)))
    flagged_total = counts["tp"] + counts["fp"]
    positives = counts["tp"] + counts["fn"]
    return {
        **counts,
        "precision": counts["tp"] / flagged_total if flagged_total else 1.0,
        "recall": counts["tp"] / positives if positives else 1.0,
        "mistakes": mistakes,
    }


def offline_runtime(database: Path, **settings: Any) -> Runtime:
    """A runtime on `database` that never talks to Slack (benchmarks, offline commands)."""
    values: dict[str, Any] = {
        "SLACK_BOT_TOKEN": "xoxb-offline",
        "SLACK_SIGNING_SECRET": "offline",
        "DATABASE_PATH": str(database),
        "HUB_CHECKS": False,  # benchmarks and offline commands never ask the real Hub
        **settings,
    }
    chosen = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    return build_runtime(chosen, offline=True, create=True)
