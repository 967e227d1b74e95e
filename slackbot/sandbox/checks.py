"""Request checks of the Slack sandbox: what real Slack would refuse, or silently mishandle.

Each check returns :class:`Issue` objects. An issue with an ``error`` is one Slack answers with
``{"ok": false, "error": ...}``; an issue without one is accepted by Slack but is still a bug
(blocks without a top-level ``text`` leave notifications and screen readers empty). The sandbox
records every issue in ``FakeSlack.violations`` so that tests can assert there were none.

- :func:`check_arguments`: the method exists and its required arguments are present, from the
  table vendored by ``tools/vendor_slack_specs.py`` (``slack_methods.json``).
- :func:`check_message`: Block Kit and text limits of a message (``chat.*``, ``response_url``).
- :func:`check_view`: Block Kit limits of a modal or Home tab (``views.*``).

slack_sdk's models enforce most Block Kit limits when serialised (``to_dict()``), but they accept
what Slack does not: unknown fields (dropped without a word), plain strings where Slack wants a
text object, more than 50 blocks in a message, ``max_length`` above 3000, ``markdown`` blocks over
12,000 characters together or outside a message. Those are checked here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

SPEC_FILE = Path(__file__).with_name("slack_methods.json")

MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100
MESSAGE_TEXT_MAX = 40_000
# Slack documents "250kb"; the decimal reading is the safe one.
VIEW_MAX_BYTES = 250_000
VIEW_TITLE_MAX = 24
PRIVATE_METADATA_MAX = 3000
INPUT_MAX_LENGTH = 3000
# All the `markdown` blocks of one message together (Slack's markdown block reference).
MARKDOWN_MAX = 12_000
ID_MAX = 255

# Fields Slack adds to a stored view. A bot that sends back a view it received carries them;
# slack_sdk drops some of them, which is harmless, so they are not reported as unknown.
VIEW_READONLY_FIELDS = frozenset(
    {
        "id",
        "team_id",
        "state",
        "hash",
        "previous_view_id",
        "root_view_id",
        "app_id",
        "app_installed_team_id",
        "bot_id",
    }
)

# Elements whose value the user can change: Slack reports them in `state.values`.
INPUT_ELEMENT_TYPES = frozenset(
    {
        "plain_text_input",
        "email_text_input",
        "url_text_input",
        "number_input",
        "rich_text_input",
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
        "checkboxes",
        "radio_buttons",
        "datepicker",
        "timepicker",
        "datetimepicker",
        "file_input",
    }
)
TEXT_INPUT_TYPES = frozenset(
    {"plain_text_input", "email_text_input", "url_text_input", "rich_text_input"}
)


@dataclass(frozen=True)
class Issue:
    """One thing wrong with a request. ``error`` is Slack's answer; None if Slack accepts it."""

    message: str
    error: str | None = "invalid_arguments"


@dataclass(frozen=True)
class MethodSpec:
    """What the vendored table says about one Web API method."""

    name: str
    required: tuple[str, ...]
    any_of: tuple[tuple[str, ...], ...]
    tier: str
    needs_token: bool = True
    retired: str | None = None


@lru_cache(maxsize=4)
def load_methods(path: Path = SPEC_FILE) -> Mapping[str, MethodSpec]:
    """Read the vendored method table (cached: it never changes while tests run)."""
    raw = json.loads(path.read_text(encoding="utf-8"))["methods"]
    return {
        name: MethodSpec(
            name=name,
            required=tuple(entry["required"]),
            any_of=tuple(tuple(group) for group in entry.get("any_of", ())),
            tier=entry["tier"],
            needs_token=entry.get("token", True),
            retired=entry.get("retired"),
        )
        for name, entry in raw.items()
    }


def is_present(value: object) -> bool:
    """Slack treats an empty string (or an empty JSON list) like an argument left out."""
    return value is not None and value != "" and value != [] and value != "[]"


def check_arguments(spec: MethodSpec, args: Mapping[str, object]) -> list[Issue]:
    """Required arguments, and at least one complete alternative of ``any_of``."""
    issues = [
        Issue(f"{spec.name}: missing required argument {name!r}")
        for name in spec.required
        if not is_present(args.get(name))
    ]
    if spec.any_of and not any(
        all(is_present(args.get(name)) for name in group) for group in spec.any_of
    ):
        alternatives = " or ".join("+".join(group) for group in spec.any_of)
        # Slack's own answer for a message without content.
        error = "no_text" if "text" in spec.any_of[0] else "invalid_arguments"
        issues.append(Issue(f"{spec.name}: needs {alternatives}", error))
    return issues


def parse_json_argument(value: object) -> object:
    """Form bodies carry JSON arguments as strings; JSON bodies carry them as they are."""
    if isinstance(value, str | bytes):
        return json.loads(value)
    return value


def iter_elements(block: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The elements of a block that can carry an ``action_id``."""
    if isinstance(block.get("accessory"), dict):
        yield block["accessory"]
    if isinstance(block.get("element"), dict):
        yield block["element"]
    if block.get("type") in ("actions", "context_actions"):
        for element in block.get("elements") or ():
            if isinstance(element, dict):
                yield element


def check_message(where: str, payload: Mapping[str, object]) -> list[Issue]:
    """Checks for a message body: ``where`` names the method (or ``response_url``)."""
    issues: list[Issue] = []
    text = payload.get("text")
    blocks_value = payload.get("blocks")
    if isinstance(text, str) and len(text) > MESSAGE_TEXT_MAX:
        issues.append(
            Issue(
                f"{where}: text is {len(text)} characters (max {MESSAGE_TEXT_MAX})", "msg_too_long"
            )
        )

    if is_present(blocks_value):
        try:
            blocks = parse_json_argument(blocks_value)
        except ValueError as exc:
            return [*issues, Issue(f"{where}: blocks is not valid JSON ({exc})", "invalid_blocks")]
        if not isinstance(blocks, list):
            return [*issues, Issue(f"{where}: blocks must be a JSON list", "invalid_blocks")]
        if len(blocks) > MESSAGE_MAX_BLOCKS:
            issues.append(
                Issue(
                    f"{where}: {len(blocks)} blocks in a message (max {MESSAGE_MAX_BLOCKS})",
                    "invalid_blocks",
                )
            )
        issues.extend(_check_blocks(where, blocks, "blocks", "invalid_blocks"))
        markdown = sum(
            len(str(b.get("text") or ""))
            for b in blocks
            if isinstance(b, dict) and b.get("type") == "markdown"
        )
        if markdown > MARKDOWN_MAX:
            issues.append(
                Issue(
                    f"{where}: markdown blocks hold {markdown} characters together "
                    f"(max {MARKDOWN_MAX})",
                    "invalid_blocks",
                )
            )
        if not (isinstance(text, str) and text.strip()):
            issues.append(
                Issue(
                    f"{where}: blocks sent without a top-level text; Slack accepts it, but "
                    "notifications and screen readers get nothing",
                    None,
                )
            )

    attachments = payload.get("attachments")
    if is_present(attachments):
        try:
            parsed = parse_json_argument(attachments)
        except ValueError:
            parsed = None
        if not isinstance(parsed, list):
            issues.append(Issue(f"{where}: attachments must be a JSON list", "invalid_attachments"))

    metadata = payload.get("metadata")
    if is_present(metadata):
        issues.extend(_check_metadata(where, metadata))
    return issues


def _check_metadata(where: str, metadata: object) -> list[Issue]:
    try:
        parsed = parse_json_argument(metadata)
    except ValueError:
        parsed = None
    if (
        not isinstance(parsed, dict)
        or not isinstance(parsed.get("event_type"), str)
        or not isinstance(parsed.get("event_payload"), dict)
    ):
        return [
            Issue(
                f"{where}: metadata must be {{'event_type': str, 'event_payload': dict}}",
                "invalid_metadata_format",
            )
        ]
    return []


def check_view(
    where: str, value: object, *, types: Sequence[str]
) -> tuple[dict[str, Any] | None, list[Issue]]:
    """Checks for a ``view`` argument; returns the parsed view (None if unusable) and issues."""
    try:
        view = parse_json_argument(value)
    except ValueError as exc:
        return None, [Issue(f"{where}: view is not valid JSON ({exc})")]
    if not isinstance(view, dict):
        return None, [Issue(f"{where}: view must be a JSON object")]

    issues: list[Issue] = []
    size = len(json.dumps(view, ensure_ascii=False).encode("utf-8"))
    if size >= VIEW_MAX_BYTES:
        issues.append(Issue(f"{where}: view is {size} bytes (max {VIEW_MAX_BYTES})"))
    view_type = view.get("type")
    if view_type not in types:
        issues.append(Issue(f"{where}: view type {view_type!r}, expected one of {list(types)}"))

    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        issues.append(Issue(f"{where}: view.blocks must be a list"))
        blocks = []
    elif len(blocks) > VIEW_MAX_BLOCKS:
        issues.append(Issue(f"{where}: {len(blocks)} blocks in a view (max {VIEW_MAX_BLOCKS})"))

    if view_type == "modal":
        for field in ("title", "submit", "close"):
            text = _text_of(view.get(field))
            if text is not None and len(text) > VIEW_TITLE_MAX:
                issues.append(
                    Issue(
                        f"{where}: modal {field} is {len(text)} characters (max {VIEW_TITLE_MAX})"
                    )
                )
        if view.get("title") is None:
            issues.append(Issue(f"{where}: a modal needs a title"))
        has_inputs = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
        if has_inputs and view.get("submit") is None:
            issues.append(Issue(f"{where}: a modal with input blocks needs a submit button"))
    metadata = view.get("private_metadata")
    if isinstance(metadata, str) and len(metadata) > PRIVATE_METADATA_MAX:
        issues.append(
            Issue(
                f"{where}: private_metadata is {len(metadata)} characters "
                f"(max {PRIVATE_METADATA_MAX})"
            )
        )

    # The blocks are checked one by one below, for precise messages; the rest goes through View.
    top_level = {k: v for k, v in view.items() if k != "blocks"}
    try:
        model = View(**top_level)
        model.blocks = None  # type: ignore[assignment]  # or View insists on 1..100 blocks
        rendered = model.to_dict()
    except Exception as exc:  # slack_sdk raises several types; each is a refusal
        issues.append(Issue(f"{where}: slack_sdk rejects the view: {exc}"))
    else:
        sent = {k: v for k, v in top_level.items() if k not in VIEW_READONLY_FIELDS}
        issues.extend(
            Issue(f"{where}: {problem}")
            for problem in _lost_in_serialisation(sent, rendered, "view")
        )
    issues.extend(
        Issue(
            f"{where}: view.blocks[{i}]: markdown blocks are for messages only", "invalid_arguments"
        )
        for i, b in enumerate(blocks)
        if isinstance(b, dict) and b.get("type") == "markdown"
    )
    issues.extend(_check_blocks(where, blocks, "view.blocks", "invalid_arguments"))
    return view, issues


def _check_blocks(where: str, blocks: list[Any], path: str, error: str) -> list[Issue]:
    issues: list[Issue] = []
    block_ids: dict[str, int] = {}
    for index, block in enumerate(blocks):
        here = f"{path}[{index}]"
        if not isinstance(block, dict) or "type" not in block:
            issues.append(Issue(f"{where}: {here} is not a block object", error))
            continue
        parsed = Block.parse(block)
        if parsed is None:
            issues.append(Issue(f"{where}: {here} has unknown block type {block['type']!r}", error))
            continue
        try:
            rendered = parsed.to_dict()
        except Exception as exc:  # SlackObjectFormationError, or a TypeError from bad input
            issues.append(Issue(f"{where}: {here} ({block['type']}): {exc}", error))
        else:
            issues.extend(
                Issue(f"{where}: {problem}", error)
                for problem in _lost_in_serialisation(block, rendered, here)
            )

        block_id = block.get("block_id")
        if isinstance(block_id, str):
            if len(block_id) > ID_MAX:
                issues.append(Issue(f"{where}: {here}.block_id longer than {ID_MAX}", error))
            if block_id in block_ids:
                issues.append(
                    Issue(
                        f"{where}: block_id {block_id!r} used by blocks "
                        f"{block_ids[block_id]} and {index}",
                        error,
                    )
                )
            block_ids.setdefault(block_id, index)
        issues.extend(_check_elements(where, block, here, error))
    return issues


def _check_elements(where: str, block: Mapping[str, Any], here: str, error: str) -> list[Issue]:
    issues: list[Issue] = []
    action_ids: set[str] = set()
    for element in iter_elements(block):
        action_id = element.get("action_id")
        if isinstance(action_id, str):
            if len(action_id) > ID_MAX:
                issues.append(Issue(f"{where}: {here} action_id longer than {ID_MAX}", error))
            # Slack wants action_ids unique within their block.
            if action_id in action_ids:
                issues.append(Issue(f"{where}: {here} repeats action_id {action_id!r}", error))
            action_ids.add(action_id)
        if element.get("type") in TEXT_INPUT_TYPES:
            for field in ("max_length", "min_length"):
                limit = element.get(field)
                if isinstance(limit, int) and limit > INPUT_MAX_LENGTH:
                    issues.append(
                        Issue(
                            f"{where}: {here} {element['type']} {field}={limit} "
                            f"(max {INPUT_MAX_LENGTH})",
                            error,
                        )
                    )
    return issues


def _lost_in_serialisation(original: object, rendered: object, path: str) -> list[str]:
    """What slack_sdk dropped or had to convert: fields Slack itself would refuse."""
    problems: list[str] = []
    if isinstance(original, dict) and isinstance(rendered, dict):
        for key, value in original.items():
            if key not in rendered:
                if _is_blank(value):
                    continue
                problems.append(
                    f"{path}.{key}: unknown field (slack_sdk drops it, Slack refuses it)"
                )
            else:
                problems.extend(_lost_in_serialisation(value, rendered[key], f"{path}.{key}"))
    elif isinstance(original, list) and isinstance(rendered, list):
        for index, (item, out) in enumerate(zip(original, rendered, strict=False)):
            if out is None and item is not None:
                kind = item.get("type") if isinstance(item, dict) else item
                problems.append(f"{path}[{index}]: unknown element type {kind!r}")
            else:
                problems.extend(_lost_in_serialisation(item, out, f"{path}[{index}]"))
    elif isinstance(original, str) and isinstance(rendered, dict):
        problems.append(f"{path}: a plain string where Slack wants a text object")
    return problems


def _is_blank(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _text_of(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("text")
    return value if isinstance(value, str) else None
