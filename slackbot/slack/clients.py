"""Web API clients.

Two clients share one token and one set of rate budgets (`slack.budgets`): `client` for
background work waits for room in a method's budget, then retries 429s (sleeping Retry-After
seconds) and 5xx answers; `ui_client` is for calls inside the 3-second window of a trigger_id
(views.open), where waiting for a budget or sleeping through a retry would only make the trigger
expire, so it spends without waiting and fails fast.
"""

from __future__ import annotations

from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from slackbot.slack.budgets import BudgetedClient, Budgets

BACKGROUND_TIMEOUT = 15
UI_TIMEOUT = 3  # seconds; a trigger_id is dead after 3 s anyway


def background_client(token: str, base_url: str, budgets: Budgets | None = None) -> BudgetedClient:
    return BudgetedClient(
        token=token,
        base_url=base_url,
        timeout=BACKGROUND_TIMEOUT,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
        budgets=budgets,
    )


def startup_client(token: str, base_url: str) -> BudgetedClient:
    """For the start-up checks (auth.test, the channels): waits out a rate limit, but an
    unreachable Slack is said at once, in one sentence, by the caller."""
    return BudgetedClient(
        token=token,
        base_url=base_url,
        timeout=BACKGROUND_TIMEOUT,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=3)],
    )


def ui_client(token: str, base_url: str, budgets: Budgets | None = None) -> BudgetedClient:
    return BudgetedClient(
        token=token,
        base_url=base_url,
        timeout=UI_TIMEOUT,
        retry_handlers=[],
        budgets=budgets,
        wait=False,
    )
