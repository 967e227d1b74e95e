"""A proposal already written, brought in by the message shortcut or pasted after `/propose`:
the form opens with each section filled and says what is filled, what is not, what is too long.
Over signed HTTP against the Slack stand-in."""

from __future__ import annotations

import re
from typing import Any

import pytest

from slackbot.local import CHANNEL, LocalBot
from slackbot.sandbox import FakeSlack


def as_slack_sends(markdown: str) -> str:
    """A message's text as Slack hands it to apps: `&`, `<` and `>` escaped, links as
    `<url|label>`."""
    escaped = markdown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"&lt;(https?://[^\s&]+(?:\|[^&]*)?)&gt;", r"<\1>", escaped)


TEMPLATE = """\
# Pretrain RoBERTa in Hindi

We want to pretrain a RoBERTa model from scratch on Hindi news & Wikipedia.

## 2. Language

The model will be trained in Hindi.

## 3. Model

roberta-base

## 4. Datasets

Possible links to publicly available datasets include:
- https://huggingface.co/datasets/oscar
- mc4
- <FILL ME: Link 3 to dataset>

## 5. Training scripts

We can make use of run_mlm_flax.py to train the model.

## 6. (Optional) Challenges

<(Optionally) FILL ME: 6. What are possible challenges?>

## 7. (Optional) Desired project outcome

A fill-mask demo on Spaces.

## 8. (Optional) Reads

- https://arxiv.org/abs/1907.11692
"""

BOLD_AND_SYNONYMS = """\
*Swahili speech recognition with wav2vec2*
*Background*
Swahili has 100M speakers but little ASR.
*Roadmap*
1. Collect <https://huggingface.co/datasets/common_voice|Common Voice>
2. Fine-tune XLSR
*Model to Use*
facebook/wav2vec2-large-xlsr-53
*Available Training Scripts*
• run_wav2vec2_pretrain_flax.py
*Suggested Reading*
• <https://arxiv.org/abs/2006.11477|wav2vec 2.0 paper>
"""

LABEL_LINES = """\
Project name: Docstrings from code with GPT-Neo
Language: English
Model to use: EleutherAI/gpt-neo-125M
Dataset: https://huggingface.co/datasets/code_search_net
Training script: run_clm_flax.py
Outcome: a VS Code extension demo
"""

REORDERED_NO_NUMBERS = """\
### Datasets
- https://huggingface.co/datasets/mc4 (Italian part)
### Model
t5-small
# IT5: T5 for Italian
Pretrain T5 on Italian web text.
### Training script
run_t5_mlm_flax.py
"""

# (text, section -> expected prefill; "languages" -> expected selected option values)
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "template": (
        TEMPLATE,
        {
            "name": "Pretrain RoBERTa in Hindi",
            "description": "We want to pretrain a RoBERTa model from scratch on Hindi news "
            "& Wikipedia.",
            "languages": ["hindi"],
            "model": "roberta-base",
            "datasets": "- https://huggingface.co/datasets/oscar\n- mc4",
            "training_scripts": "We can make use of run_mlm_flax.py to train the model.",
            "challenges": None,
            "outcome": "A fill-mask demo on Spaces.",
            "reads": "https://arxiv.org/abs/1907.11692",
        },
    ),
    "bold lines and synonyms": (
        BOLD_AND_SYNONYMS,
        {
            "name": "Swahili speech recognition with wav2vec2",
            "languages": ["swahili"],
            "model": "facebook/wav2vec2-large-xlsr-53",
            "datasets": "https://huggingface.co/datasets/common_voice",
            "training_scripts": "- run_wav2vec2_pretrain_flax.py",
            "reads": "https://arxiv.org/abs/2006.11477",
            "outcome": None,
        },
    ),
    "label lines": (
        LABEL_LINES,
        {
            "name": "Docstrings from code with GPT-Neo",
            "languages": ["english"],
            "model": "EleutherAI/gpt-neo-125M",
            "datasets": "https://huggingface.co/datasets/code_search_net",
            "training_scripts": "run_clm_flax.py",
            "outcome": "a VS Code extension demo",
            "description": None,
        },
    ),
    "reordered, no numbers": (
        REORDERED_NO_NUMBERS,
        {
            "name": "IT5: T5 for Italian",
            "description": "Pretrain T5 on Italian web text.",
            "languages": ["italian"],
            "model": "t5-small",
            "datasets": "- https://huggingface.co/datasets/mc4 (Italian part)",
            "training_scripts": "run_t5_mlm_flax.py",
        },
    ),
}


def prefilled(view: dict[str, Any]) -> dict[str, Any]:
    """What the modal shows in each field: text, or the selected option values."""
    found: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        if "initial_options" in element:
            found[block["block_id"]] = [o["value"] for o in element["initial_options"]]
        else:
            found[block["block_id"]] = element.get("initial_value")
    return found


def notice(view: dict[str, Any]) -> str:
    block = next(b for b in view["blocks"] if b.get("block_id") == "notice")
    return str(block["text"]["text"])


def check(view: dict[str, Any], expected: dict[str, Any]) -> None:
    fields = prefilled(view)
    for section, value in expected.items():
        assert fields.get(section) == value, section
    filled_line = notice(view).splitlines()[0]
    for section, value in expected.items():
        label = {"name": "Project name", "languages": "Language"}.get(section)
        if label and value:
            assert label in filled_line


@pytest.mark.parametrize("case", list(CASES))
def test_the_message_shortcut_fills_each_section(
    bot: LocalBot, slack: FakeSlack, case: str
) -> None:
    text, expected = CASES[case]
    channel = slack.channel_id(CHANNEL)
    ts = slack.add_message(channel, "U0CAROL", as_slack_sends(text))
    response = slack.message_shortcut(
        "U0CAROL", "propose_from_message", channel=channel, message_ts=ts
    )
    assert response.status == 200
    (view,) = slack.views("U0CAROL")[-1:]
    check(view, expected)
    assert "FILL ME" not in str(prefilled(view))


@pytest.mark.parametrize("case", list(CASES))
def test_propose_with_a_pasted_proposal_fills_each_section(
    bot: LocalBot, slack: FakeSlack, case: str
) -> None:
    text, expected = CASES[case]
    response = slack.slash_command("U0ALICE", "/propose", as_slack_sends(text))
    assert response.status == 200
    (view,) = slack.views("U0ALICE")[-1:]
    check(view, expected)


def test_the_form_says_what_is_filled_and_what_is_still_to_fill(
    bot: LocalBot, slack: FakeSlack
) -> None:
    slack.slash_command("U0ALICE", "/propose", as_slack_sends(REORDERED_NO_NUMBERS))
    (view,) = slack.views("U0ALICE")[-1:]
    text = notice(view)
    assert text.startswith(
        "*Filled from your text:* Project name, Description, Language, Model, Datasets, "
        "Training scripts."
    )
    assert "Optional, still empty: Challenges, Desired project outcome, Reads." in text
    assert "Still to fill" not in text

    slack.slash_command("U0BOB", "/propose", "# Hindi GPT-2\n## Model\ngpt2")
    (view,) = slack.views("U0BOB")[-1:]
    assert "*Still to fill:* Description, Datasets, Training scripts." in notice(view)


def test_a_section_too_long_is_reported_and_the_field_holds_what_fits(
    bot: LocalBot, slack: FakeSlack
) -> None:
    challenges = "Convergence may take longer than the week. " * 40  # 1,720 characters
    text = TEMPLATE.replace(
        "<(Optionally) FILL ME: 6. What are possible challenges?>", challenges.strip()
    )
    slack.slash_command("U0ALICE", "/propose", as_slack_sends(text))
    (view,) = slack.views("U0ALICE")[-1:]
    length = len(challenges.strip())
    assert (
        f":warning: *Too long: Challenges* has {length:,} characters, {length - 1500:,} over "
        "the 1,500 it can hold."
    ) in notice(view)
    assert prefilled(view)["challenges"] == challenges.strip()[:1500]


def test_propose_with_a_name_still_only_fills_the_name(bot: LocalBot, slack: FakeSlack) -> None:
    slack.slash_command("U0ALICE", "/propose", "Spanish CLIP for image retrieval")
    (view,) = slack.views("U0ALICE")
    assert prefilled(view)["name"] == "Spanish CLIP for image retrieval"
    assert prefilled(view)["description"] is None
    assert not any(b.get("block_id") == "notice" for b in view["blocks"])
