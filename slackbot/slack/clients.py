"""Web API clients.

Two clients share one token: `client` for background work retries 429s (sleeping Retry-After
seconds) and 5xx answers; `ui_client` is for calls inside the 3-second window of a trigger_id
(views.open), where sleeping through a retry would only make the trigger expire, so it fails fast.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

BACKGROUND_TIMEOUT = 15
UI_TIMEOUT = 3  # seconds; a trigger_id is dead after 3 s anyway


def background_client(token: str, base_url: str) -> WebClient:
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=BACKGROUND_TIMEOUT,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def ui_client(token: str, base_url: str) -> WebClient:
    return WebClient(token=token, base_url=base_url, timeout=UI_TIMEOUT, retry_handlers=[])
