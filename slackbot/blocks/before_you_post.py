"""The "Before you post" step of proposing: the guide's advice on the draft, and projects with
the same idea in the same language, in one view. The proposer posts as it is, edits first, or
joins a team instead; the draft is kept whichever they choose."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from slackbot.blocks.accessibility import action_label
from slackbot.blocks.limits import clip
from slackbot.blocks.mrkdwn import escape, link, mention
from slackbot.blocks.project_lists import project_line
from slackbot.domain.advice import Advice, Code
from slackbot.domain.proposal import Proposal
from slackbot.domain.ranking import Standing
from slackbot.domain.template import (
    AWESOME_JAX,
    GUIDE_EXAMPLES,
    HUB_JAX_CHECKPOINTS,
    QUICKSTART,
)

HUB = "https://huggingface.co/"
HUB_DATASETS = "https://huggingface.co/datasets"
# The value outlives a deploy: a step open during one still submits to this callback.
CALLBACK_ID = "proposal_similar"
JOIN_ACTION = "join_similar"
BACK_ACTION = "back_to_draft"
BACK_LABEL = "◀ Edit my proposal"


_STATED = {"task": "task", "model": "model", "language": "language", "domain": "domain"}
_MISSING = {"task": "what it does", "model": "with which model", "language": "in which language"}


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def outside_note(model: str) -> str:
    """The guide's note on a model outside 🤗 Transformers: welcome, with less help."""
    return (
        f"“{escape(clip(model, 80))}” is not part of 🤗 Transformers. That is welcome; the 🤗 "
        f"team can help less with it. {link(AWESOME_JAX, 'awesome-jax')} lists JAX libraries "
        f"and the {link(QUICKSTART, 'Quickstart')} what Transformers supports."
    )


def _hub_id(repo_id: str, *, dataset: bool = False) -> str:
    return link(HUB + ("datasets/" if dataset else "") + repo_id, repo_id)


def _model_missing(advice: Advice) -> str:
    closest = ", ".join(_hub_id(c) for c in advice.closest)
    return (
        f":mag: *Model:* no model `{escape(clip(advice.subject, 120))}` on the Hub — a typo?"
        + (f" The closest: {closest}." if closest else "")
        + " (A private model is not shown either.)"
    )


def _model_no_flax(advice: Advice) -> str:
    return (
        f":information_source: *Model:* {_hub_id(advice.subject)} is on the Hub without Flax "
        "weights. Flax can load it from its PyTorch weights: "
        f'`FlaxAutoModel.from_pretrained("{escape(advice.subject)}", from_pt=True)`; the '
        f"{link(QUICKSTART, 'Quickstart')} says which architectures 🤗 Transformers runs in Flax."
    )


def _dataset_missing(advice: Advice) -> str:
    return (
        f":mag: *Datasets:* no dataset `{escape(clip(advice.subject, 120))}` on the Hub — a "
        f"typo? Name it as {link(HUB_DATASETS, 'the Hub')} does, or describe the data."
    )


def _dataset_gated(advice: Advice) -> str:
    return (
        f":lock: *Datasets:* {_hub_id(advice.subject, dataset=True)} is gated: each member of "
        "the team accepts its conditions on its page before they can download it."
    )


_HUB_TEXTS = {
    Code.HUB_MODEL_MISSING: _model_missing,
    Code.HUB_MODEL_NO_FLAX: _model_no_flax,
    Code.HUB_DATASET_MISSING: _dataset_missing,
    Code.HUB_DATASET_GATED: _dataset_gated,
}


def advice_text(advice: Advice) -> str:
    """One piece of advice as mrkdwn (the typed words escaped)."""
    subject = f"“{escape(clip(advice.subject, 120))}”"
    if advice.code is Code.VAGUE_NAME:
        stated = [_STATED[p] for p in advice.stated]
        says = f"names the {_and(stated)}" if stated else "says little about the project yet"
        missing = [_MISSING[p] for p in advice.missing]
        return (
            f":pencil2: *Name:* {subject} {says}. People choose a team by its name: could it "
            f"also say {_and(missing)}? The guide's examples: {GUIDE_EXAMPLES[0]}, "
            f"{GUIDE_EXAMPLES[1]}."
        )
    if advice.code is Code.UNKNOWN_MODEL:
        return (
            f":mag: *Model:* I do not recognise {subject} as a checkpoint or an architecture. "
            f"Adapting a model? Link it (there are thousands of "
            f"{link(HUB_JAX_CHECKPOINTS, 'JAX checkpoints on the Hub')}). Training from "
            "scratch? Name the architecture (BERT, CLIP…). A model outside 🤗 Transformers is "
            f"welcome too ({link(AWESOME_JAX, 'awesome-jax')})."
        )
    if advice.code is Code.MODEL_LIST_PAGE:
        return (
            f":mag: *Model:* {subject} is a list of models. Link the one checkpoint you will "
            "start from (e.g. https://huggingface.co/roberta-base), or name the architecture "
            "to train from scratch."
        )
    if advice.code in _HUB_TEXTS:
        return _HUB_TEXTS[advice.code](advice)
    if advice.code is Code.MODEL_IS_DATASET:
        return (
            f":mag: *Model:* {subject} is a dataset or a Space, not a model. Put it under "
            "Datasets, and name the model here."
        )
    return f":information_source: *Model:* {outside_note(advice.subject)}"


def _numbered(advice: list[Advice]) -> list[tuple[Advice, int]]:
    seen: dict[Code, int] = {}
    numbered = []
    for a in advice:
        numbered.append((a, seen.get(a.code, 0)))
        seen[a.code] = seen.get(a.code, 0) + 1
    return numbered


def before_you_post_view(
    name: str,
    advice: list[Advice],
    matches: list[tuple[Proposal, Standing | None]],
    *,
    draft_key: str,
    seen: list[int],
    advised: list[str],
) -> View:
    intro = (
        f"A few suggestions for *{escape(name)}*, from the week's guide."
        if advice
        else f"*{escape(name)}* looks like "
        f"{'a project' if len(matches) == 1 else 'projects'} already proposed in the same "
        "language."
    )
    blocks: list[Any] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"{intro} Your answers are kept: post as it is, or edit them first."
            )
        )
    ]
    blocks += [
        SectionBlock(
            # One code can come twice (two datasets the Hub does not know): ids stay unique.
            block_id=f"advice-{a.code.value}" + (f"-{n}" if n else ""),
            text=MarkdownTextObject(text=advice_text(a)),
        )
        for a, n in _numbered(advice)
    ]
    if matches:
        if advice:
            blocks.append(DividerBlock())
            blocks.append(
                SectionBlock(
                    text=MarkdownTextObject(
                        text=":busts_in_silhouette: *The same idea in the same language:* "
                        "join a team instead, or post yours if it is different."
                    )
                )
            )
        for proposal, standing in matches:
            blocks.append(
                SectionBlock(
                    block_id=f"similar-{proposal.id}",
                    text=MarkdownTextObject(
                        text=f"{project_line(proposal, standing)}\nProposed by "
                        f"{mention(proposal.proposer_id)}"
                    ),
                    accessory=ButtonElement(
                        text="Join this team",
                        action_id=JOIN_ACTION,
                        value=str(proposal.id),
                        accessibility_label=action_label("Join the team", proposal.name),
                    ),
                )
            )
    blocks.append(
        ActionsBlock(
            block_id="similar_back",
            elements=[ButtonElement(text=BACK_LABEL, action_id=BACK_ACTION, value=draft_key)],
        )
    )
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title="Before you post",
        submit="Post as it is",
        close="Cancel",
        private_metadata=json.dumps({"draft": draft_key, "seen": seen, "advised": advised}),
        blocks=blocks,
    )


def joined_view(proposal: Proposal, *, draft_key: str, seen: list[int], advised: list[str]) -> View:
    return View(
        type="modal",
        callback_id="similar_joined",
        title="You joined",
        close="Close",
        private_metadata=json.dumps({"draft": draft_key, "seen": seen, "advised": advised}),
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text=f":raised_hand: You joined {link(proposal.permalink, proposal.name)}. "
                    "Its proposer will hear about it."
                )
            ),
            ActionsBlock(
                block_id="similar_back",
                elements=[ButtonElement(text=BACK_LABEL, action_id=BACK_ACTION, value=draft_key)],
            ),
            ContextBlock(elements=[MarkdownTextObject(text="Your own proposal was not posted.")]),
        ],
    )
