"""Is a new proposal the same idea as an existing one?

Two steps. SQLite's FTS5 index (BM25) finds a few dozen candidates among thousands; then each
candidate is scored on what makes two community-week ideas the same: the model family (GPT2 ==
GPT-2 == gpt2-medium), the task (pre-train == pretraining == "from scratch"), and the rest of
the words of the name and description after normalising case, punctuation, hyphens and plurals.
What the project works on (image, audio, text) tells ideas apart that share a generic word:
"zero-shot image classification" with CLIP and "sentiment classification of tweets" with BERT
are two projects. It is read from the Hub's `pipeline_tag` of the model when the Hub told it
(`model_tasks`), else from the architecture, and from the task and the words.
Languages are deliberately not part of the score: the same idea in another language is welcome
(the guide says so), so the caller decides what to do with a match by comparing languages.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from slackbot.domain.vocabulary import (
    ARCHITECTURE_MODALITIES,
    ARCHITECTURES,
    GENERIC_TASKS,
    LANGUAGE_WORDS,
    MODALITY_WORDS,
    PIPELINE_MODALITIES,
    TASK_MODALITIES,
    TASKS,
    architecture_of,
    tasks_in,
    words,
)

SIMILAR_AT = 0.52  # best F1 on tests/data/similarity_cases.json (the tuning set)

# Tasks where the model is the project: the same task with another model family is another
# project (pretraining RoBERTa vs pretraining GPT-2 in Hindi). For other tasks (NER, ASR,
# summarisation…) two teams doing it in one language are the same idea whatever the encoder.
MODEL_DEFINED_TASKS = frozenset({"pretraining"})

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "for",
        "to",
        "with",
        "and",
        "or",
        "from",
        "using",
        "use",
        "by",
        "into",
        "as",
        "at",
        "is",
        "are",
        "be",
        "we",
        "our",
        "this",
        "that",
        "it",
        "its",
        "model",
        "models",
        "train",
        "training",
        "trained",
        "fine",
        "tune",
        "tuned",
        "tuning",
        "finetune",
        "finetuning",
        "project",
        "based",
        "text",
        "data",
        "dataset",
        "language",
        "languages",
        "new",
        "via",
        "will",
        "can",
        "task",
        "pre",
        "scratch",
        "pretrained",
        "pretrain",
        "pretraining",
        "flax",
        "jax",
        "huggingface",
        "hf",
        "transformer",
        "transformers",
        "base",
        "small",
        "large",
        "medium",
    ]
)


@dataclass(frozen=True)
class Idea:
    """What a proposal is about, normalised for comparison."""

    architectures: frozenset[str]
    tasks: frozenset[str]
    terms: frozenset[str]  # distinctive words of the name and description
    name_terms: frozenset[str]
    datasets: frozenset[str]
    languages: frozenset[str]
    # image / audio / text; empty when nothing says (an idea stored before modalities were)
    modalities: frozenset[str] = frozenset()


IDEA_FIELDS = tuple(Idea.__dataclass_fields__)

# Words already scored as a task or a model family are not distinctive words as well.
SCORED_WORDS = frozenset(w for phrase in TASKS for w in phrase.split()) | frozenset(ARCHITECTURES)


def _terms(text: str) -> frozenset[str]:
    return frozenset(
        w
        for w in words(text)
        if len(w) > 2
        and w not in STOPWORDS
        and w not in LANGUAGE_WORDS
        and w not in SCORED_WORDS
        and not w.isdigit()
    )


def modalities_of(
    text: str, architectures: Iterable[str], tasks: Iterable[str], model_tasks: Iterable[str] = ()
) -> frozenset[str]:
    """What a project works on: the Hub's pipeline_tag of its model (else what its architecture
    works on), its task's, and its words'."""
    from_hub = {PIPELINE_MODALITIES[t] for t in model_tasks if t in PIPELINE_MODALITIES}
    from_model = from_hub or {
        ARCHITECTURE_MODALITIES[a] for a in architectures if a in ARCHITECTURE_MODALITIES
    }
    from_task = {TASK_MODALITIES[t] for t in tasks if t in TASK_MODALITIES}
    from_words = {MODALITY_WORDS[w] for w in words(text) if w in MODALITY_WORDS}
    return frozenset(from_model | from_task | from_words)


def idea_of(
    name: str,
    description: str,
    model: str,
    datasets: str,
    languages: list[str],
    model_tasks: Iterable[str] = (),
) -> Idea:
    """`model_tasks`: the Hub's pipeline_tag of the models named, when the Hub answered."""
    architectures = architecture_of(f"{name} {model}") or architecture_of(description)
    model_terms = frozenset(architecture_of(model))
    tasks = frozenset(tasks_in(name) or tasks_in(description))
    return Idea(
        architectures=frozenset(architectures),
        tasks=tasks,
        terms=_terms(f"{name} {description}") - model_terms,
        name_terms=_terms(name),
        datasets=_terms(datasets.replace("/", " ")),
        languages=frozenset(languages),
        modalities=modalities_of(f"{name} {description}", architectures, tasks, model_tasks),
    )


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared part of the smaller set: a long description does not dilute a short name."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def score(a: Idea, b: Idea) -> float:
    """0..1: how much `a` and `b` are the same idea, whatever their languages."""
    if a.modalities and b.modalities and not (a.modalities & b.modalities):
        return 0.0  # images vs text: another project, whatever words they share
    specific_a, specific_b = a.tasks - GENERIC_TASKS, b.tasks - GENERIC_TASKS
    if specific_a and specific_b:
        tasks_a, tasks_b = specific_a, specific_b  # poetry vs story, not "generation" vs itself
        if not (tasks_a & tasks_b):
            return 0.0  # different tasks: different projects (pretraining vs summarisation)
    else:
        # A generic task ("text generation", "classification") on one side does not tell
        # two projects apart, nor together.
        tasks_a, tasks_b = a.tasks, b.tasks
    families_differ = bool(
        a.architectures and b.architectures and not (a.architectures & b.architectures)
    )
    model_is_the_project = bool((a.tasks | b.tasks) & MODEL_DEFINED_TASKS) or not (
        a.tasks or b.tasks
    )
    if families_differ and model_is_the_project:
        return 0.0  # pretraining RoBERTa vs pretraining GPT-2 in Hindi are two projects
    total = 0.0
    if a.architectures & b.architectures:
        total += 0.35
    else:
        total += 0.15  # one side names no model, or a model-independent task is shared
    if tasks_a & tasks_b:
        total += 0.35 * _overlap(tasks_a, tasks_b)
    elif not (specific_a and specific_b):
        total += 0.15  # a task on one side only, or only a generic one: no evidence either way
    if a.terms and b.terms:
        total += 0.2 * max(_overlap(a.name_terms, b.name_terms), _overlap(a.terms, b.terms))
    else:
        total += 0.1  # nothing beyond model and task to compare: no evidence either way
    total += 0.1 * _overlap(a.datasets, b.datasets)
    return total


def same_language(a: Idea, b: Idea) -> bool:
    """Sharing any language counts as the same language ("multilingual" shares none)."""
    shared = a.languages & b.languages
    return bool(shared - {"multilingual", "other", "none"}) or (
        "none" in a.languages and "none" in b.languages
    )


def idea_to_json(idea: Idea) -> str:
    """The idea as stored beside its proposal: derived once, when the answers are saved."""
    return json.dumps({k: sorted(v) for k, v in vars(idea).items()}, sort_keys=True)


def idea_from_json(text: str) -> Idea:
    data = json.loads(text)
    return Idea(**{field: frozenset(data.get(field, ())) for field in IDEA_FIELDS})


def idea_terms(idea: Idea) -> str:
    """The idea as words for the full-text index: what candidates are looked up by."""
    return " ".join(
        sorted(idea.architectures) + sorted(idea.tasks) + sorted(idea.terms | idea.datasets)
    )


def search_words(idea: Idea, limit: int = 12) -> list[str]:
    """Words to find candidates with in the full-text index (any of them may match)."""
    chosen = sorted(idea.architectures) + sorted(idea.tasks) + sorted(idea.name_terms)
    return list(dict.fromkeys(w for w in chosen if w.isascii()))[:limit]
