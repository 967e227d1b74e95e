"""Pasted proposals split into the template's sections (no Slack, milliseconds)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from slackbot.domain.pasted import classify, parse_pasted, section_of_heading
from slackbot.domain.template import GUIDE_TEMPLATE, SECTIONS
from slackbot.domain.validation import validate
from slackbot.domain.vocabulary import fold

FILLED_TEMPLATE = """\
# Pretrain RoBERTa in Hindi

We want to pretrain a RoBERTa model from scratch on Hindi text.

## 2. Language

The model will be trained in Hindi.

## 3. Model

roberta-base

## 4. Datasets

Possible links to publicly available datasets include:
- [OSCAR](https://huggingface.co/datasets/oscar)
- mc4
- <FILL ME: Link 3 to dataset>

## 5. Training scripts

We can make use of run_mlm_flax.py to train the model.

## 6. (Optional) Challenges

<(Optionally) FILL ME: 6. What are possible challenges?>

## 7. (Optional) Desired project outcome

A fill-mask demo.

## 8. (Optional) Reads

The following links can be useful to better understand the project and
what has previously been done.

- https://arxiv.org/abs/1907.11692
- <FILL ME: Link 2 to read>
"""


def test_the_guide_template_filled_in_fills_every_section_it_answers() -> None:
    pasted = parse_pasted(FILLED_TEMPLATE)
    draft = pasted.draft
    assert draft.get("name") == "Pretrain RoBERTa in Hindi"
    assert draft.get("description") == (
        "We want to pretrain a RoBERTa model from scratch on Hindi text."
    )
    assert draft.languages == ["hindi"]
    assert draft.get("model") == "roberta-base"
    assert draft.get("datasets") == "- OSCAR (https://huggingface.co/datasets/oscar)\n- mc4"
    assert draft.get("training_scripts") == "We can make use of run_mlm_flax.py to train the model."
    assert draft.get("outcome") == "A fill-mask demo."
    assert draft.get("reads") == "https://arxiv.org/abs/1907.11692"
    assert pasted.empty == ["challenges"] and pasted.missing_required == []
    assert validate(draft) == {}
    assert "FILL ME" not in str(draft.answers)


def test_the_empty_template_fills_nothing() -> None:
    pasted = parse_pasted(GUIDE_TEMPLATE)
    assert pasted.filled == [] and pasted.draft.answers == {}
    assert pasted.empty == [s.id for s in SECTIONS]


def test_slack_escaped_template_placeholders_are_dropped() -> None:
    text = FILLED_TEMPLATE.replace("<", "&lt;").replace(">", "&gt;")
    pasted = parse_pasted(text)
    assert "FILL ME" not in str(pasted.draft.answers)
    assert pasted.draft.get("model") == "roberta-base"


VARIANT_BOLD = """\
*Swahili speech recognition with wav2vec2*
*Background*
Swahili has 100M speakers but little ASR.
*Roadmap*
1. Collect Common Voice: <https://huggingface.co/datasets/common_voice|Common Voice>
2. Fine-tune XLSR
*Model to Use*
facebook/wav2vec2-large-xlsr-53
*Available Training Scripts*
• run_wav2vec2_pretrain_flax.py
*Suggested Reading*
• <https://arxiv.org/abs/2006.11477|wav2vec 2.0 paper>
"""


def test_slack_bold_lines_and_the_common_synonyms() -> None:
    pasted = parse_pasted(VARIANT_BOLD)
    draft = pasted.draft
    assert draft.get("name") == "Swahili speech recognition with wav2vec2"
    assert draft.languages == ["swahili"]  # only in the title
    assert draft.get("model") == "facebook/wav2vec2-large-xlsr-53"
    assert draft.get("training_scripts") == "- run_wav2vec2_pretrain_flax.py"
    assert draft.get("reads") == "https://arxiv.org/abs/2006.11477"
    # Background and Roadmap both describe the project: each keeps its heading.
    description = draft.get("description")
    assert description.startswith("Background:\nSwahili has 100M speakers")
    assert "Roadmap:\n1. Collect Common Voice" in description
    # The dataset was only listed inside the roadmap.
    assert draft.get("datasets") == "https://huggingface.co/datasets/common_voice"


VARIANT_LABELS = """\
Project name: Code generation with GPT-Neo
Language: Python code and English
Model: EleutherAI/gpt-neo-1.3B
Data: the-stack subset, https://huggingface.co/datasets/code_search_net
Training script: run_clm_flax.py
Challenges: the context length
We want a model that writes docstrings from code.
"""


def test_label_lines_with_their_answer_on_the_same_line() -> None:
    draft = parse_pasted(VARIANT_LABELS).draft
    assert draft.get("name") == "Code generation with GPT-Neo"
    assert draft.languages == ["english"]
    assert draft.get("model") == "EleutherAI/gpt-neo-1.3B"
    assert "code_search_net" in draft.get("datasets")
    assert draft.get("training_scripts") == "run_clm_flax.py"
    # What follows the challenge line is still the challenge's: there is no other heading.
    assert draft.get("challenges").startswith("the context length")


VARIANT_REORDERED = """\
## Datasets
* https://huggingface.co/datasets/mc4 (Italian part)

## Model
t5-small

# IT5: T5 for Italian

### Suggested readings
1. https://arxiv.org/abs/1910.10683

### Team
Looking for 3 people, any time zone.
"""


def test_sections_in_any_order_and_an_unknown_heading_stays_in_the_description() -> None:
    pasted = parse_pasted(VARIANT_REORDERED)
    draft = pasted.draft
    assert draft.get("name") == "IT5: T5 for Italian"
    assert draft.get("datasets") == "- https://huggingface.co/datasets/mc4 (Italian part)"
    assert draft.get("model") == "t5-small"
    assert draft.get("reads") == "https://arxiv.org/abs/1910.10683"
    assert draft.get("description") == "Team:\nLooking for 3 people, any time zone."
    assert draft.languages == ["italian"]
    assert pasted.missing_required == ["training_scripts"]


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("## 2. Language", "languages"),
        ("## Languages", "languages"),
        ("**Language(s):**", "languages"),
        ("### 3) Model", "model"),
        ("## Model to Use", "model"),
        ("## Pre-trained model", "model"),
        ("**Which model should be used?**", "model"),
        ("## 4. Dataset", "datasets"),
        ("## Training data", "datasets"),
        ("Data:", "datasets"),
        ("4. Datasets", "datasets"),
        ("## 5. Training script", "training_scripts"),
        ("## Available Training Scripts", "training_scripts"),
        ("__Scripts__", "training_scripts"),
        ("## 6. (Optional) Challenges", "challenges"),
        ("## Possible difficulties", "challenges"),
        ("## Risks", "challenges"),
        ("## 7. (Optional) Desired project outcome", "outcome"),
        ("## Expected outcome", "outcome"),
        ("## 8. (Optional) Reads", "reads"),
        ("## Suggested Reading", "reads"),
        ("**References**", "reads"),
        ("## Background", "description"),
        ("## Roadmap", "description"),
        ("Description", "description"),
        ("## Timeline", None),
    ],
)
def test_headings_people_wrote(heading: str, section: str | None) -> None:
    found = classify(heading)
    assert found is not None
    assert found.section_id == section


@pytest.mark.parametrize(
    "line",
    [
        "We will fine-tune the model on the data.",
        "1. Pretrain the model",
        "- Collect the data",
        "*We will use a lot of data for this*",
        "Note: this is hard",
        "https://huggingface.co/datasets/oscar",
    ],
)
def test_content_lines_are_not_headings(line: str) -> None:
    assert classify(line) is None


def test_a_loose_match_needs_a_marked_heading() -> None:
    assert section_of_heading("Model to use", loose=False) == "model"
    assert section_of_heading("Links to the datasets", loose=True) == "datasets"
    assert section_of_heading("Links to the datasets", loose=False) is None


def test_a_message_without_headings_is_a_name_and_a_description() -> None:
    pasted = parse_pasted("Swahili ASR with wav2vec2\nWho wants to fine-tune XLSR on Common Voice?")
    assert pasted.draft.get("name") == "Swahili ASR with wav2vec2"
    assert pasted.draft.get("description") == "Who wants to fine-tune XLSR on Common Voice?"
    assert pasted.draft.languages == ["swahili"]


def test_a_one_line_message_is_the_name_and_the_description() -> None:
    pasted = parse_pasted("GPT2 for Bengali poetry generation")
    assert pasted.draft.get("name") == "GPT2 for Bengali poetry generation"
    assert pasted.draft.get("description") == "GPT2 for Bengali poetry generation"
    assert pasted.draft.languages == ["bengali"]


def test_lists_and_links_are_kept() -> None:
    text = "# X in French\n## Datasets\n- a\n- [b](https://b.org/x)\n  * nested\n1. c\n"
    expected = "- a\n- b (https://b.org/x)\n  - nested\n1. c"
    assert parse_pasted(text).draft.get("datasets") == expected


def test_a_language_the_form_does_not_list_is_other_with_its_name() -> None:
    draft = parse_pasted("# Wolof ASR\n## Language\nWolof").draft
    assert draft.languages == ["other"] and draft.language_other == "Wolof"
    draft = parse_pasted("# X\n## Language\nKlingon and Vulcan").draft
    assert draft.languages == ["other"] and draft.language_other == "Klingon and Vulcan"
    draft = parse_pasted("# X\n## Language\nThe model will be trained in Farsi and English.").draft
    assert draft.languages == ["persian", "english"]
    draft = parse_pasted("# X\n## Language\nMultilingual: 100 languages of mC4").draft
    assert "multilingual" in draft.languages


def test_a_section_longer_than_its_limit_is_reported_never_cut() -> None:
    long_model = "t5-base " * 50  # 400 characters, the limit is 300
    pasted = parse_pasted(f"# T5 in French\n## Model\n{long_model}\n## Datasets\nmc4")
    (too_long,) = pasted.too_long
    assert (too_long.section_id, too_long.limit) == ("model", 300)
    assert too_long.over == too_long.length - 300 > 0
    assert pasted.draft.get("model") == long_model.strip()


def test_reads_without_a_link_stay_in_the_description() -> None:
    draft = parse_pasted("# X\nIdea.\n## Reads\n- https://a.org/p\n- the T5 paper").draft
    assert draft.get("reads") == "https://a.org/p"
    assert draft.get("description") == "Idea.\n\nReads:\n- the T5 paper"


def test_the_template_pasted_inside_a_code_fence() -> None:
    draft = parse_pasted("```\n" + FILLED_TEMPLATE + "```").draft
    assert draft.get("name") == "Pretrain RoBERTa in Hindi"
    assert draft.get("model") == "roberta-base"


def test_text_after_a_late_name_heading_is_the_description() -> None:
    draft = parse_pasted("## Model\nt5-small\n# IT5 for Italian\nPretrain T5 on web text.").draft
    assert draft.get("model") == "t5-small"
    assert draft.get("description") == "Pretrain T5 on web text."


def _labelled() -> list[dict[str, object]]:
    path = Path(__file__).resolve().parents[1] / "data" / "pasted_proposals.json"
    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    return [c for c in cases if not c.get("holdout")]  # the held-out ones are bench-only


@pytest.mark.parametrize("case", _labelled(), ids=lambda c: str(c["id"]))
def test_the_labelled_pastes_fill_their_sections(case: dict[str, Any]) -> None:
    draft = parse_pasted(str(case["text"])).draft
    expected = case["expected"]
    for section in SECTIONS:
        if section.id not in expected:
            continue
        if section.id == "languages":
            assert draft.languages == expected["languages"], case["id"]
            assert draft.language_other == (expected.get("language_other") or "")
        else:
            got = " ".join(fold(draft.get(section.id)).split())
            assert got == " ".join(fold(expected[section.id] or "").split()), section.id
