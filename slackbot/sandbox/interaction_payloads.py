"""The parts of interaction payloads Slack builds from what is on screen: the ``state.values`` of
a submitted modal, the ``actions`` of a click, the options chosen, and the block and action ids
Slack fills into the blocks an app sends.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from .api_arguments import JSON
from .checks import INPUT_ELEMENT_TYPES, iter_elements

UNSET: Any = object()  # an input the test left out: it holds its initial value


def normalise_blocks(blocks: list[JSON]) -> list[JSON]:
    """Fill in block_id and action_id where the app left them out, as Slack does."""
    result = copy.deepcopy(blocks)
    for block in result:
        if not isinstance(block, dict):
            continue
        block.setdefault("block_id", secrets.token_urlsafe(4))
        for element in iter_elements(block):
            if element.get("type") in INPUT_ELEMENT_TYPES or element.get("type") in (
                "button",
                "overflow",
                "workflow_button",
            ):
                element.setdefault("action_id", secrets.token_urlsafe(4))
    return result


def build_state(view: JSON, values: Mapping[str, object]) -> JSON:
    """A submitted modal's ``state``: ``values`` {block_id: value}, the rest as initially."""
    inputs = {b["block_id"]: b for b in view.get("blocks", []) if b.get("type") == "input"}
    unknown = sorted(set(values) - set(inputs))
    if unknown:
        raise ValueError(
            f"view {view['id']} has no input blocks {unknown}; it has {sorted(inputs)}"
        )
    state: JSON = {}
    for block_id, block in inputs.items():
        element = block["element"]
        value = values.get(block_id, UNSET)
        state[block_id] = {element["action_id"]: element_state(block_id, element, value)}
    return {"values": state}


def find_element(
    blocks: list[JSON],
    action_id: str,
    block_id: str | None,
    value: str | None,
    where: str,
) -> tuple[JSON, JSON]:
    found = [
        (block, element)
        for block in blocks
        for element in iter_elements(block)
        if element.get("action_id") == action_id
        and (block_id is None or block.get("block_id") == block_id)
    ]
    if len(found) > 1 and value is not None:
        found = [(b, e) for b, e in found if e.get("value") == value] or found
    if not found:
        shown = sorted({str(e.get("action_id")) for b in blocks for e in iter_elements(b)})
        raise ValueError(
            f"no element action_id={action_id!r}"
            + (f" in block {block_id!r}" if block_id else "")
            + f" in {where}; it shows {shown}"
        )
    if len(found) > 1:
        raise ValueError(
            f"{len(found)} elements with action_id={action_id!r} in {where}: "
            f"pass block_id (one of {[b.get('block_id') for b, _ in found]})"
        )
    return found[0]


def action(
    block: JSON, element: JSON, value: str | None, selected_option: str | None, *, action_ts: str
) -> JSON:
    """One entry of a block_actions payload's ``actions``: the element used, and what was chosen."""
    kind = element.get("type")
    result: JSON = {
        "type": kind,
        "action_id": element["action_id"],
        "block_id": block["block_id"],
        "action_ts": action_ts,
    }
    if kind == "button":
        result["text"] = copy.deepcopy(element.get("text"))
        chosen = value if value is not None else element.get("value")
        if chosen is not None:
            result["value"] = chosen
        if element.get("style"):
            result["style"] = element["style"]
    elif kind in ("overflow", "static_select", "radio_buttons"):
        if selected_option is None:
            raise ValueError(f"{kind} {element['action_id']!r}: pass selected_option")
        result["selected_option"] = find_option(element, selected_option, block["block_id"])
    elif kind in ("checkboxes", "multi_static_select"):
        chosen_values = [] if selected_option is None else [selected_option]
        result["selected_options"] = [
            find_option(element, v, block["block_id"]) for v in chosen_values
        ]
    elif kind == "users_select":
        result["selected_user"] = value
    elif kind == "conversations_select":
        result["selected_conversation"] = value
    elif kind == "channels_select":
        result["selected_channel"] = value
    elif kind == "datepicker":
        result["selected_date"] = value
    elif value is not None:
        result["value"] = value
    return result


def options(element: Mapping[str, Any]) -> list[JSON]:
    found = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        found.extend(group.get("options") or [])
    return found


def find_option(element: Mapping[str, Any], value: str, block_id: str) -> JSON:
    for option in options(element):
        if option.get("value") == value:
            return copy.deepcopy(option)
    known = [o.get("value") for o in options(element)]
    raise ValueError(f"{value!r} is not an option of {block_id!r}: {known}")


def element_state(block_id: str, element: Mapping[str, Any], value: object) -> JSON:
    """The state.values entry Slack sends for an input element holding ``value``.

    An input the test leaves out holds its initial value, as in Slack, or nothing.
    """
    kind = str(element.get("type"))
    state: JSON = {"type": kind}
    unset = value is UNSET
    if kind in ("plain_text_input", "email_text_input", "url_text_input", "number_input"):
        raw = element.get("initial_value") if unset else value
        state["value"] = None if raw is None else str(raw)
    elif kind == "rich_text_input":
        if unset:
            state["rich_text_value"] = copy.deepcopy(element.get("initial_value"))
        else:
            state["rich_text_value"] = {
                "type": "rich_text",
                "elements": [
                    {
                        "type": "rich_text_section",
                        "elements": [{"type": "text", "text": str(value)}],
                    }
                ],
            }
    elif kind in ("static_select", "radio_buttons"):
        if unset:
            state["selected_option"] = copy.deepcopy(element.get("initial_option"))
        else:
            state["selected_option"] = (
                None if value is None else find_option(element, str(value), block_id)
            )
    elif kind == "external_select":
        if unset:
            state["selected_option"] = copy.deepcopy(element.get("initial_option"))
        else:
            state["selected_option"] = None if value is None else _external_option(str(value))
    elif kind in ("multi_static_select", "checkboxes", "multi_external_select"):
        if unset:
            state["selected_options"] = copy.deepcopy(element.get("initial_options") or [])
        else:
            chosen = _value_list(block_id, value)
            state["selected_options"] = [
                _external_option(v)
                if kind == "multi_external_select"
                else find_option(element, v, block_id)
                for v in chosen
            ]
    elif kind in _SINGLE_PICKS:
        key, initial = _SINGLE_PICKS[kind]
        state[key] = element.get(initial) if unset else value
    elif kind in _MULTI_PICKS:
        key, initial = _MULTI_PICKS[kind]
        state[key] = list(element.get(initial) or []) if unset else _value_list(block_id, value)
    elif kind == "file_input":
        state["files"] = [] if unset else _value_list(block_id, value)
    else:
        raise ValueError(f"input {block_id!r}: element type {kind!r} is not supported")
    return state


_SINGLE_PICKS = {
    "users_select": ("selected_user", "initial_user"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "channels_select": ("selected_channel", "initial_channel"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
    "datetimepicker": ("selected_date_time", "initial_date_time"),
}
_MULTI_PICKS = {
    "multi_users_select": ("selected_users", "initial_users"),
    "multi_conversations_select": ("selected_conversations", "initial_conversations"),
    "multi_channels_select": ("selected_channels", "initial_channels"),
}


def _value_list(block_id: str, value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"input {block_id!r} takes several values: pass a list")
    return [str(v) for v in value]


def _external_option(value: str) -> JSON:
    return {"text": {"type": "plain_text", "text": value, "emoji": True}, "value": value}
