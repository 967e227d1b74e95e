"""The vocabulary's tables: data files in slackbot/domain/data/, loaded by the domain."""

from __future__ import annotations

import json
from collections import Counter
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from slackbot.domain import vocabulary
from slackbot.domain.vocabulary import (
    ARCHITECTURE_MODALITIES,
    ARCHITECTURES,
    DOMAINS,
    FLAX_EXAMPLE_SCRIPTS,
    GENERIC_METHODS,
    GENERIC_TASKS,
    HUB_ORGS,
    KNOWN_DATASETS,
    LANGUAGE_LABELS,
    LANGUAGE_PREFIXES,
    LANGUAGE_WORDS,
    LANGUAGES,
    MODALITY_WORDS,
    OTHER_LANGUAGE_WORDS,
    PIPELINE_MODALITIES,
    TASK_MODALITIES,
    TASKS,
    TRANSFORMERS_FAMILIES,
    TRANSFORMERS_TREE,
    architecture_of,
    fold,
    glued_names,
    is_hub_id,
    languages_in,
    normalise_model_token,
    tasks_in,
)

DATA = resources.files("slackbot.domain") / "data"
ROOT = Path(__file__).parents[2]

# Each file's tables: all of them read by vocabulary.py (a table added here must be read there).
TABLES = {
    "languages.json": {"languages", "other_language_words", "language_prefixes"},
    "models.json": {"architectures", "transformers_families", "suffix_architectures"},
    "tasks.json": {
        "tasks",
        "generic_tasks",
        "generic_methods",
        "domains",
        "modality_words",
        "task_modalities",
        "pipeline_modalities",
        "architecture_modalities",
    },
    "hub.json": {"hub_orgs", "known_datasets", "flax_example_scripts"},
}


def no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    repeated = [key for key, n in Counter(key for key, _ in pairs).items() if n > 1]
    assert not repeated, f"a key written twice (JSON keeps the last one): {repeated}"
    return dict(pairs)


def load(name: str) -> dict[str, Any]:
    text = (DATA / name).read_text(encoding="utf-8")
    tables: dict[str, Any] = json.loads(text, object_pairs_hook=no_duplicate_keys)
    return tables


def test_the_data_folder_holds_the_files_and_their_readme() -> None:
    names = {item.name for item in DATA.iterdir() if item.name.endswith(".json")}
    assert names == set(TABLES)
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name, tables in TABLES.items():
        assert f"`{name}`" in readme
        for table in tables:
            assert f"`{table}`" in readme


@pytest.mark.parametrize("name", sorted(TABLES))
def test_each_file_loads_with_a_note_and_entries_per_table(name: str) -> None:
    tables = load(name)
    assert set(tables) == TABLES[name]
    for table, content in tables.items():
        assert isinstance(content.get("note"), str) and content["note"], table
        entries = content["entries"]
        assert entries, table
        if isinstance(entries, list):
            assert all(isinstance(e, str) and e for e in entries), table
            repeated = [e for e, n in Counter(entries).items() if n > 1]
            assert not repeated, f"{table}: written twice: {repeated}"
        else:
            assert isinstance(entries, dict), table
            assert all(isinstance(v, str) and v for v in entries.values()), table


def test_the_module_keeps_its_names_and_their_types() -> None:
    assert isinstance(LANGUAGES, tuple) and all(isinstance(p, tuple) for p in LANGUAGES)
    for mapping in (
        LANGUAGE_LABELS,
        LANGUAGE_PREFIXES,
        ARCHITECTURES,
        TASKS,
        FLAX_EXAMPLE_SCRIPTS,
        MODALITY_WORDS,
        TASK_MODALITIES,
        PIPELINE_MODALITIES,
        ARCHITECTURE_MODALITIES,
    ):
        assert type(mapping) is dict
    for words in (
        OTHER_LANGUAGE_WORDS,
        LANGUAGE_WORDS,
        TRANSFORMERS_FAMILIES,
        GENERIC_TASKS,
        GENERIC_METHODS,
        DOMAINS,
        HUB_ORGS,
        KNOWN_DATASETS,
    ):
        assert type(words) is frozenset
    assert isinstance(vocabulary._SUFFIX_ARCHITECTURES, tuple)
    assert isinstance(TRANSFORMERS_TREE, str)


def test_known_entries_are_there() -> None:
    assert LANGUAGE_LABELS["hindi"] == "Hindi"
    assert LANGUAGES[0] == ("english", "English")  # the select's order is the file's
    assert [slug for slug, _ in LANGUAGES[-3:]] == ["code", "none", "other"]
    assert {"wolof", "sanskrit"} <= OTHER_LANGUAGE_WORDS
    assert {"hindi", "wolof"} <= LANGUAGE_WORDS and "other" not in LANGUAGE_WORDS
    assert LANGUAGE_PREFIXES["ko"] == "korean"
    assert ARCHITECTURES["roberta"] == "roberta"
    assert ARCHITECTURES["xlmr"] == "xlm-roberta"
    assert "roberta" in TRANSFORMERS_FAMILIES and "gan" not in TRANSFORMERS_FAMILIES
    glued = vocabulary._SUFFIX_ARCHITECTURES
    assert glued.index("roberta") < glued.index("bert")  # tried in the file's order
    assert TASKS["summarise"] == "summarization"
    assert "generation" in GENERIC_TASKS and "finetuning" in GENERIC_METHODS
    assert "medical" in DOMAINS
    assert "flax-community" in HUB_ORGS
    assert "oscar" in KNOWN_DATASETS
    assert FLAX_EXAMPLE_SCRIPTS["run_mlm_flax.py"] == (
        "https://github.com/huggingface/transformers/blob/v4.30.0/"
        "examples/flax/language-modeling/run_mlm_flax.py"
    )
    assert all(link.startswith(TRANSFORMERS_TREE) for link in FLAX_EXAMPLE_SCRIPTS.values())


def test_the_tables_point_at_one_another() -> None:
    assert set(LANGUAGE_PREFIXES.values()) <= set(LANGUAGE_LABELS)
    assert set(ARCHITECTURES.values()) >= TRANSFORMERS_FAMILIES
    assert set(ARCHITECTURES) >= set(vocabulary._SUFFIX_ARCHITECTURES)
    assert set(TASKS.values()) >= GENERIC_TASKS | GENERIC_METHODS
    assert set(TASKS.values()) >= set(TASK_MODALITIES)
    assert set(ARCHITECTURES.values()) >= set(ARCHITECTURE_MODALITIES)
    modalities = {"image", "audio", "text"}
    for table in (MODALITY_WORDS, TASK_MODALITIES, PIPELINE_MODALITIES, ARCHITECTURE_MODALITIES):
        assert set(table.values()) <= modalities
    assert all(fold(w) == w for w in MODALITY_WORDS)
    # written the way the code compares them
    assert all(normalise_model_token(name) == name for name in ARCHITECTURES)
    for words in (OTHER_LANGUAGE_WORDS, DOMAINS, frozenset(TASKS), frozenset(LANGUAGE_PREFIXES)):
        assert all(fold(w) == w for w in words)


def test_the_functions_read_the_tables() -> None:
    assert architecture_of("xlm-roberta-base") == {"roberta", "xlm-roberta"}
    assert glued_names("AraBERT") == {("arabic", "bert")}
    assert languages_in("PreTrain RoBERTa from scratch in Hindi") == {"hindi"}
    assert tasks_in("Summarising news articles") == {"summarization"}
    assert is_hub_id("roberta-base") and is_hub_id("google/mt5-small")
    # Checkpoints from before organisations, by their shape (the Hub says if they exist).
    assert is_hub_id("RoBERTa-base") and is_hub_id("albert-base-v2") and is_hub_id("t5-11b")
    assert not is_hub_id("bert-like") and not is_hub_id("gpt-neo") and not is_hub_id("BERT")
    assert is_hub_id("roberta-bse", alone=True) and not is_hub_id("roberta-bse")


def test_pip_install_ships_the_data_files() -> None:
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["slackbot"]
    data = ROOT / "slackbot" / "domain" / "data"
    for path in data.iterdir():
        if path.suffix in {".json", ".md"}:
            shipped = path.relative_to(ROOT / "slackbot").as_posix()
            assert any(fnmatch(shipped, pattern) for pattern in patterns), shipped
