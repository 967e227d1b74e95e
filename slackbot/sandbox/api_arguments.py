"""Reading Web API arguments the way Slack's methods do, and the error a method answers with.

An app sends arguments as form fields or as JSON, so a value may be a string, a bool, a number
or JSON already parsed; these helpers read any of them.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any, TypeVar

from .checks import is_present, parse_json_argument

JSON = dict[str, Any]
T = TypeVar("T")


class ApiError(Exception):
    """Raised by a method handler: becomes ``{"ok": false, "error": error, **extra}``."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


def arg_str(args: Mapping[str, Any], key: str) -> str | None:
    value = args.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def arg_bool(args: Mapping[str, Any], key: str) -> bool:
    return args.get(key) in (True, 1, "1", "true", "True")


def arg_json_list(args: Mapping[str, Any], key: str) -> list[Any]:
    value = args.get(key)
    if not is_present(value):
        return []
    try:
        parsed = parse_json_argument(value)
    except ValueError:
        raise ApiError("invalid_arguments") from None
    if not isinstance(parsed, list):
        raise ApiError("invalid_arguments")
    return parsed


def arg_json_dict(args: Mapping[str, Any], key: str) -> JSON | None:
    value = args.get(key)
    if not is_present(value):
        return None
    try:
        parsed = parse_json_argument(value)
    except ValueError:
        raise ApiError("invalid_arguments") from None
    if not isinstance(parsed, dict):
        raise ApiError("invalid_arguments")
    return parsed


def paginate(items: list[T], args: Mapping[str, Any], *, default_limit: int) -> tuple[list[T], str]:
    """Slack's cursor pagination; the cursor is opaque to the app (here: an offset)."""
    try:
        limit = int(args.get("limit") or default_limit)
    except (TypeError, ValueError):
        raise ApiError("invalid_limit") from None
    limit = min(limit if limit > 0 else default_limit, 1000)
    start = 0
    cursor = arg_str(args, "cursor")
    if cursor:
        try:
            start = int(base64.urlsafe_b64decode(cursor.encode()).decode().removeprefix("next:"))
        except ValueError:
            raise ApiError("invalid_cursor") from None
    end = start + limit
    next_cursor = (
        base64.urlsafe_b64encode(f"next:{end}".encode()).decode() if end < len(items) else ""
    )
    return items[start:end], next_cursor
