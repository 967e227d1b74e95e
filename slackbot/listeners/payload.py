"""Reading Slack's payloads: the fields a listener needs, or `Malformed`.

A signed request can still carry a body Slack would never send (a fuzzer, a bug in a proxy).
Every listener reads what it needs through these helpers, and the app's error handler answers
`Malformed` with a 400 and a log line: never a 500, never a traceback.
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


class Malformed(ValueError):
    """The payload lacks a field Slack always sends, or has it in the wrong shape."""


def get(obj: Any, *path: str | int, kind: type[T]) -> T:
    """`obj[path[0]][path[1]]…`, which must be a `kind`."""
    value = obj
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            raise Malformed(f"no {'.'.join(map(str, path))}") from None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise Malformed(f"{'.'.join(map(str, path))} is not a {kind.__name__}")
    return value


def text(obj: Any, *path: str | int) -> str:
    return get(obj, *path, kind=str)


def optional_text(obj: Any, *path: str | int) -> str:
    """A string field that may be missing or null ("" then)."""
    try:
        return get(obj, *path, kind=str)
    except Malformed:
        return ""


def mapping(obj: Any, *path: str | int) -> dict[str, Any]:
    return get(obj, *path, kind=dict)


def user_of(body: dict[str, Any]) -> str:
    """Who acted: `user_id` in a slash command, `user.id` in interactivity."""
    if "user_id" in body:
        return text(body, "user_id")
    return text(body, "user", "id")


def action_value(body: dict[str, Any]) -> str:
    return optional_text(body, "actions", 0, "value")


def number(value: str) -> int:
    """A project number from a button's value or a menu option."""
    if not (value.isascii() and value.isdigit()) or len(value) > 12:  # "²".isdigit() is True
        raise Malformed(f"not a project number: {value[:20]!r}")
    return int(value)
