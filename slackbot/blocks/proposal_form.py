"""The `/propose` modal, built from the proposal template."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from slackbot.blocks.limits import text_section
from slackbot.blocks.mrkdwn import channel, link
from slackbot.blocks.project_lists import project_line
from slackbot.domain.pasted import Pasted
from slackbot.domain.proposal import Proposal
from slackbot.domain.ranking import Standing
from slackbot.domain.template import (
    AWESOME_JAX,
    GUIDE_EXAMPLES,
    HUB_JAX_CHECKPOINTS,
    LANGUAGE_OPTIONS,
    LANGUAGE_OTHER_ID,
    LANGUAGE_OTHER_MAX,
    QUICKSTART,
    SECTIONS,
    SECTIONS_BY_ID,
    SEQ2SEQ_SCRIPT,
    TEAM_SIZE_ADVICE,
    Kind,
)
from slackbot.domain.validation import Draft
from slackbot.domain.vocabulary import FLAX_EXAMPLE_SCRIPTS

CALLBACK_ID = "proposal_submit"
MIN_TEAM_ID = "min_team_size"
ACTION_ID = "value"


def _language_options() -> list[Option]:
    return [Option(value=value, label=label) for value, label in LANGUAGE_OPTIONS]


@dataclass(frozen=True)
class Week:
    """What the form says about this week: its team sizes, where proposals go, how to join."""

    threshold: int = 3
    max_team: int = 10
    channel_id: str = ""
    join_emoji: str = "raised_hand"


@lru_cache(maxsize=8)
def _blank_modal_json(week: Week) -> str:
    return json.dumps(proposal_modal(week=week).to_dict())


def blank_modal(week: Week) -> dict[str, Any]:
    """The empty form, built and checked once: `/propose` at the kickoff only copies it."""
    return dict(json.loads(_blank_modal_json(week)))


def _context(text: str, block_id: str | None = None) -> ContextBlock:
    return ContextBlock(block_id=block_id, elements=[MarkdownTextObject(text=text)])


# The guide's pointers, shown just above the question they help with.
_GUIDE_NOTES = {
    "model": (
        f"Adapting a model? Pick one of the {link(HUB_JAX_CHECKPOINTS, 'JAX checkpoints')} on "
        "the Hub. Training from scratch? Name the architecture; the "
        f"{link(QUICKSTART, 'Quickstart')} lists what 🤗 Transformers supports. Other JAX "
        f"models are welcome too ({link(AWESOME_JAX, 'awesome-jax')}), with less help from "
        "the 🤗 team."
    ),
    "training_scripts": (
        "A seq2seq task? "
        f"{link(FLAX_EXAMPLE_SCRIPTS[SEQ2SEQ_SCRIPT], SEQ2SEQ_SCRIPT)} is close to any "
        f"seq2seq training; the {link(QUICKSTART, 'Quickstart')} lists the other Flax scripts."
    ),
}


def what_happens_next(week: Week) -> str:
    where = channel(week.channel_id) if week.channel_id else "the channel"
    return (
        f"*What happens next:* your proposal is posted in {where}. People join with its button "
        f"or by reacting with :{week.join_emoji}:. When the team reaches its size, the "
        "organizers are told and make it official: an official team gets its own channel, "
        "compute and help from the 🤗 team, and demos its project at the end of the week."
    )


def proposal_modal(
    prefill: Draft | None = None,
    *,
    proposal_id: int | None = None,
    notice: str | None = None,
    week: Week = Week(),
    seen: list[int] | None = None,
    advised: list[str] | None = None,
) -> View:
    """The template as a modal. `proposal_id` makes it the edit form of that proposal;
    `notice` is shown at the top (e.g. "a project with this name exists"); `seen` and
    `advised` are the similar projects and the advice the proposer was already shown."""
    prefill = prefill or Draft()
    options = _language_options()
    by_value = {o.value: o for o in options}
    blocks: list[Any] = [
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=(
                        "A clear, specific proposal finds a team faster: say the task, the model "
                        f"and the language, like {GUIDE_EXAMPLES[0]} or {GUIDE_EXAMPLES[1]}."
                    )
                )
            ]
        )
    ]
    if notice:
        blocks.append(SectionBlock(block_id="notice", text=MarkdownTextObject(text=notice)))
    for section in SECTIONS:
        if section.id in _GUIDE_NOTES:
            blocks.append(_context(_GUIDE_NOTES[section.id], block_id=f"guide_{section.id}"))
        if section.kind is Kind.LANGUAGES:
            initial = [by_value[v] for v in prefill.languages if v in by_value]
            blocks.append(
                InputBlock(
                    block_id=section.id,
                    label=section.label,
                    hint=section.hint,
                    optional=not section.required,
                    element=StaticMultiSelectElement(
                        action_id=ACTION_ID,
                        placeholder=section.placeholder,
                        options=options,
                        initial_options=initial or None,
                    ),
                )
            )
            blocks.append(
                InputBlock(
                    block_id=LANGUAGE_OTHER_ID,
                    label="Other language(s)",
                    hint="Only if you picked “Other”: type the language(s), comma-separated.",
                    optional=True,
                    element=PlainTextInputElement(
                        action_id=ACTION_ID,
                        max_length=LANGUAGE_OTHER_MAX,
                        initial_value=prefill.language_other[:LANGUAGE_OTHER_MAX] or None,
                        placeholder="e.g. Icelandic",
                    ),
                )
            )
            continue
        blocks.append(
            InputBlock(
                block_id=section.id,
                label=section.label,
                hint=section.hint,
                optional=not section.required,
                element=PlainTextInputElement(
                    action_id=ACTION_ID,
                    multiline=section.multiline,
                    max_length=section.max_length,
                    placeholder=section.placeholder[:150],
                    initial_value=prefill.get(section.id)[: section.max_length] or None,
                ),
            )
        )
    sizes = [Option(value=str(n), label=f"{n} people") for n in range(2, week.max_team + 1)]
    chosen = next((o for o in sizes if o.value == str(prefill.min_team_size)), None)
    low, high = TEAM_SIZE_ADVICE
    blocks.append(
        InputBlock(
            block_id=MIN_TEAM_ID,
            label="Team size you need to start",
            hint=f"{low} to {high} people work best, {week.max_team} at most. Organizers are "
            "alerted when the team (you included) reaches this size. Leave empty for this "
            f"week's {week.threshold}.",
            optional=True,
            element=StaticSelectElement(
                action_id=ACTION_ID,
                placeholder=f"{week.threshold} people (this week's size)",
                options=sizes,
                initial_option=chosen,
            ),
        )
    )
    if not proposal_id:
        blocks.append(_context(what_happens_next(week), block_id="next"))
    metadata: dict[str, object] = {"proposal_id": proposal_id} if proposal_id else {}
    if seen:
        metadata["seen"] = seen  # similar projects already shown: not shown again
    if advised:
        metadata["advised"] = advised  # advice already shown on these words: not again
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title="Edit proposal" if proposal_id else "Propose a project",
        submit="Save changes" if proposal_id else "Post proposal",
        close="Cancel",
        private_metadata=json.dumps(metadata),
        blocks=blocks,
    )


def draft_from_state(values: dict[str, dict[str, dict[str, Any]]]) -> Draft:
    """Read a submitted modal's `view.state.values` back into a Draft. A value of a type Slack
    never sends (a list where text belongs, an option without its value) is a ValueError: the
    caller answers it with a 400, and nothing of it reaches the rules."""
    draft = Draft()
    if not isinstance(values, dict):
        raise ValueError("state.values is not an object")
    for block_id, actions in values.items():
        element = _dict(_dict(actions).get(ACTION_ID))
        if block_id == "languages":
            options = element.get("selected_options") or []
            if not isinstance(options, list):
                raise ValueError("selected_options is not a list")
            draft.languages = [_text(_dict(o).get("value")) for o in options]
        elif block_id == LANGUAGE_OTHER_ID:
            draft.language_other = _text(element.get("value"))
        elif block_id == MIN_TEAM_ID:
            value = _text(_dict(element.get("selected_option")).get("value"))
            draft.min_team_size = int(value) if value.isdigit() and len(value) < 4 else None
        elif element.get("type") == "plain_text_input":
            draft.answers[block_id] = _text(element.get("value"))
    return draft


def _dict(value: object) -> dict[str, Any]:
    """An object of the payload (None: absent, read as empty)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{type(value).__name__} where an object belongs")
    return value


def _text(value: object) -> str:
    """A text of the payload (None: empty)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{type(value).__name__} where text belongs")
    return value


def status_view(title: str, text: str, callback_id: str = "proposal_status") -> View:
    """A one-message modal shown after a submission (posting…, posted, saved for later; a
    demo's or a judge's form uses it too, with its own callback_id)."""
    return View(
        type="modal",
        callback_id=callback_id,
        title=title[:24],
        close="Close",
        blocks=[text_section(text)],
    )


def similar_notice(matches: list[tuple[Proposal, Standing | None]]) -> str:
    """The warning at the top of `/propose Name` when that name exists already."""
    lines = [":mag: *Similar projects exist.* Join one by reacting to its post, or go on:"]
    lines += [f"• {project_line(p, s)}" for p, s in matches]
    return "\n".join(lines)


def section_name(section_id: str) -> str:
    """How the form names a section to the person: "Project name", "Language", "Model"…"""
    if section_id == LANGUAGE_OTHER_ID:
        return "Other language(s)"
    if section_id == "name":
        return SECTIONS_BY_ID["name"].label
    return SECTIONS_BY_ID[section_id].title


def _names(section_ids: list[str]) -> str:
    return ", ".join(section_name(s) for s in section_ids)


def paste_notice(pasted: Pasted) -> str:
    """The top of a form opened from a message or a pasted proposal: which sections were filled
    from the text, which still need filling, and which were too long to fit."""
    required = pasted.missing_required
    optional = [s for s in pasted.empty if s not in required]
    lines = [
        f"*Filled from your text:* {_names(pasted.filled)}."
        if pasted.filled
        else "*Nothing in your text matched a section of the template:* fill the form below."
    ]
    if required:
        lines.append(f"*Still to fill:* {_names(required)}.")
    if optional:
        lines.append(f"Optional, still empty: {_names(optional)}.")
    for too_long in pasted.too_long:
        lines.append(
            f":warning: *Too long: {section_name(too_long.section_id)}* has {too_long.length:,} "
            f"characters, {too_long.over:,} over the {too_long.limit:,} it can hold. The field "
            f"holds only the first {too_long.limit:,}: shorten it before posting."
        )
    lines.append("Check each field before you post.")
    return "\n".join(lines)
