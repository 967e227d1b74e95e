"""The shape of what Slack sends, checked before Bolt reads it.

Bolt builds each request's context from the payload (team, user, channel, enterprise,
authorizations, event, view, actions…) assuming Slack's shapes: a signed body with a number
where Slack puts an object makes it raise, and the server would answer 500. HTTP mode checks the
fields Bolt and the listeners read against Slack's shapes first and answers 400 to the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _optional(check: Check) -> Check:
    return lambda value: value is None or check(value)


def _flag(value: Any) -> bool:
    return value is None or isinstance(value, bool) or value in ("true", "false")


def _obj(fields: Mapping[str, Check], *, required: tuple[str, ...] = ()) -> Check:
    """A dict whose listed fields, when present, pass their checks."""

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return False
        if any(key not in value for key in required):
            return False
        return all(key not in value or test(value[key]) for key, test in fields.items())

    return check


def _id_or_obj(value: Any) -> bool:
    """Slack writes teams, users, channels and enterprises as an ID or as {"id": …}."""
    return value is None or _text(value) or _obj({"id": _optional(_text)})(value)


def _list_of(check: Check) -> Check:
    return lambda value: isinstance(value, list) and all(check(v) for v in value)


_AUTHORIZATION = _obj(
    {
        "team_id": _optional(_text),
        "enterprise_id": _optional(_text),
        "user_id": _optional(_text),
        "is_enterprise_install": _flag,
    }
)
_REFERENCES: dict[str, Check] = {
    "team": _id_or_obj,
    "user": _id_or_obj,
    "channel": _id_or_obj,
    "enterprise": _id_or_obj,
    "team_id": _optional(_text),
    "user_id": _optional(_text),
    "channel_id": _optional(_text),
    "enterprise_id": _optional(_text),
    "user_team": _optional(_text),
    "thread_ts": _optional(_text),
    "is_enterprise_install": _flag,
    "is_ext_shared_channel": _flag,
    "function_execution_id": _optional(_text),
    "bot_access_token": _optional(_text),
}
_ITEM = _obj({"type": _text, "channel": _text, "ts": _text})
_EVENT = _obj(
    {**_REFERENCES, "type": _text, "item": _ITEM, "tab": _text, "event_ts": _text},
    required=("type",),
)
_VIEW = _obj(
    {
        "type": _text,
        "id": _text,
        "hash": _text,
        "callback_id": _text,
        "private_metadata": _text,
        "team_id": _optional(_text),
        "app_installed_team_id": _optional(_text),
        "state": _obj({"values": _obj({})}),
    }
)
_ACTION = _obj(
    {
        "type": _text,
        "action_id": _text,
        "block_id": _text,
        "value": _text,
        "selected_option": _optional(_obj({"value": _text})),
    },
    required=("action_id",),
)
_MESSAGE = _obj({**_REFERENCES, "ts": _text, "text": _optional(_text)})
PAYLOAD = _obj(
    {
        **_REFERENCES,
        "type": _text,
        "authorizations": _optional(_list_of(_AUTHORIZATION)),
        "event": _EVENT,
        "event_id": _text,
        "view": _VIEW,
        "actions": _list_of(_ACTION),
        "message": _MESSAGE,
        "previous_message": _MESSAGE,
        "container": _obj({}),
        "item": _ITEM,
        "response_url": _text,
        "response_urls": _list_of(_obj({"response_url": _optional(_text)})),
        "trigger_id": _text,
        "callback_id": _text,
        "message_ts": _text,
        "challenge": _text,
        "assistant_thread": _obj({"channel_id": _optional(_text)}),
        "function_data": _obj({}),
    },
    required=("type",),
)


def payload_problem(payload: Any) -> str | None:
    """Why `payload` (an Events API body or an interactivity payload) is not shaped like
    Slack's, or None."""
    if not PAYLOAD(payload):
        return "unexpected_shape"
    if payload["type"] == "event_callback" and "event" not in payload:
        return "event_callback_without_event"
    if payload["type"] == "block_actions" and not payload.get("actions"):
        return "block_actions_without_actions"  # Bolt reads actions[0] before any listener
    if payload["type"] in ("view_submission", "view_closed") and "type" not in (
        payload.get("view") or {}
    ):
        return "view_without_type"  # Bolt reads view.type before any listener
    return None
