"""Finding a message the bot posted earlier, by the metadata it carries.

Posts and alerts are sent with message metadata naming what they are. When an attempt may have
reached Slack without the bot hearing back (a timeout, a crash), the next attempt looks for that
metadata in the conversation's recent history and adopts the message instead of posting twice.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

PAGES = 10  # 2,000 messages back at the most: an interrupted attempt is minutes old


def find_marked(
    client: WebClient,
    channel: str,
    *,
    since: float,
    event_type: str,
    payload: dict[str, Any],
    thread_ts: str | None = None,
) -> str | None:
    """The ts of a message in `channel` (in the thread of `thread_ts` if given) posted after
    `since` whose metadata has `event_type` and all of `payload`'s keys and values, or None."""
    cursor = None
    for _ in range(PAGES):
        if thread_ts is None:
            page = client.conversations_history(
                channel=channel,
                oldest=f"{since:.6f}",
                limit=200,
                include_all_metadata=True,
                cursor=cursor,
            )
        else:
            page = client.conversations_replies(
                channel=channel,
                ts=thread_ts,
                oldest=f"{since:.6f}",
                limit=200,
                include_all_metadata=True,
                cursor=cursor,
            )
        for message in page.get("messages") or []:
            metadata = message.get("metadata") or {}
            found = metadata.get("event_payload") or {}
            if metadata.get("event_type") == event_type and all(
                found.get(key) == value for key, value in payload.items()
            ):
                return str(message["ts"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    return None
