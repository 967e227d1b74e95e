"""Every Web API call the bot makes spends from one budget per method, shared by its processes.

`PLAN` names the rate tier of each method the bot calls (as Slack documents it; a test checks
it against Slack's published table and against the calls in the code). A tier's budget is 95%
of its per-minute figure, in any 60 seconds: the margin absorbs clocks and network delays
between us and Slack. chat.postMessage is paced per channel instead: at most 3 in any 3 s and
60 in any minute into one channel (Slack allows about one per second, with short bursts), and
300 a minute in all.

`BudgetedClient` is a WebClient whose every call spends first, so no code path can forget to:
- background calls wait for room (on worker and scheduler threads, never in an ack);
- calls inside a trigger's 3 seconds (`wait=False`) spend without waiting, and later background
  calls wait for them;
- a part that must not block (the roster and Home refreshers) asks `try_spend` first: when it
  is granted, the next call of that method on the same thread is already paid for.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.slack_response import SlackResponse


class Window(NamedTuple):
    """At most `limit` calls under `key` in any `period` seconds."""

    key: str
    limit: int
    period: float


class Budgets(Protocol):
    """Where the calls are counted (store.rate_budgets: shared by every process)."""

    def spend(self, windows: Sequence[tuple[str, int, float]], *, force: bool = False) -> float:
        """0.0 when the call was logged, else the seconds to wait."""
        ...


TIER_PER_MINUTE = {"Tier1": 1, "Tier2": 20, "Tier3": 50, "Tier4": 100}
MARGIN = 0.95

# The tier of each method the bot calls. "exempt": not budgeted (auth.test is special-cased
# by Slack for start-up checks; apps.connections.open uses the app-level token and its own
# client). "per-channel": chat.postMessage's special tier.
PLAN: dict[str, str] = {
    "apps.connections.open": "exempt",
    "auth.test": "exempt",
    "chat.postEphemeral": "Tier4",
    "chat.postMessage": "per-channel",
    "chat.update": "Tier3",
    "conversations.create": "Tier2",
    "conversations.history": "Tier3",
    "conversations.info": "Tier3",
    "conversations.invite": "Tier3",
    "conversations.join": "Tier3",
    "conversations.list": "Tier2",
    "conversations.members": "Tier4",
    "conversations.open": "Tier3",
    "conversations.replies": "Tier3",
    "files.completeUploadExternal": "Tier4",
    "files.getUploadURLExternal": "Tier4",
    "pins.add": "Tier2",
    "reactions.get": "Tier3",
    "users.info": "Tier4",
    "views.open": "Tier4",
    "views.publish": "Tier4",
    "views.update": "Tier4",
}
UNPLANNED_TIER = "Tier3"  # a method missing from the plan still spends (a test keeps it empty)

POSTS_PER_CHANNEL = ((3, 3.0), (60, 60.0))
POSTS_IN_ALL = 300  # a minute, every channel together

MAX_WAIT = 90.0  # seconds a background call waits for room before it fails (and is retried)


class BudgetExhausted(SlackClientError):
    """No room in the method's budget within MAX_WAIT: the caller's retry handles it."""


def windows_for(method: str, channel: str | None = None) -> list[Window]:
    tier = PLAN.get(method, UNPLANNED_TIER)
    if tier == "exempt":
        return []
    if tier == "per-channel":
        key = f"{method}:{channel or '-'}"
        return [Window(key, limit, period) for limit, period in POSTS_PER_CHANNEL] + [
            Window(method, POSTS_IN_ALL, 60.0)
        ]
    per_minute = TIER_PER_MINUTE[tier]
    return [Window(method, max(1, math.floor(per_minute * MARGIN)), 60.0)]


def _channel_of(kwargs: dict[str, Any]) -> str | None:
    for part in ("json", "data", "params"):
        args = kwargs.get(part)
        if isinstance(args, dict) and args.get("channel"):
            return str(args["channel"])
    return None


# Slack's answers that mean the bot may no longer act in the workspace (the app uninstalled,
# its token revoked, the workspace gone): every later call would be refused the same way.
ACCESS_LOST = frozenset(
    {"token_revoked", "invalid_auth", "account_inactive", "app_uninstalled", "not_authed"}
)


class AccessLost(SlackClientError):
    """Slack no longer lets the bot act: no call is made (and none is retried)."""


class BudgetedClient(WebClient):
    def __init__(
        self,
        *args: Any,
        budgets: Budgets | None = None,
        wait: bool = True,
        max_wait: float = MAX_WAIT,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.budgets = budgets
        self.wait = wait
        self.max_wait = max_wait
        self._paid = threading.local()
        self._stopping = threading.Event()
        self.access_lost: str | None = None
        self.on_access_lost: Callable[[str], None] = lambda reason: None
        self._losing = threading.Lock()

    def stop_waiting(self) -> None:
        """The process is stopping: calls waiting for room give up at once (and are retried
        by whoever runs next), so shutdown is not held by a budget."""
        self._stopping.set()

    def try_spend(self, method: str, channel: str | None = None) -> bool:
        """Spend now if there is room (never waits); the next `method` call on this thread is
        then paid for."""
        if self.budgets is None:
            return True
        windows = windows_for(method, channel)
        if windows and self.budgets.spend(windows) > 0:
            return False
        self._paid.method = method
        return True

    def lose_access(self, reason: str) -> None:
        """From now on no call is made: each raises AccessLost (the app was uninstalled, its
        token revoked). Said once, by `on_access_lost`."""
        with self._losing:
            if self.access_lost is not None:
                return
            self.access_lost = reason
        self.on_access_lost(reason)

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        if self.access_lost is not None:
            raise AccessLost(f"{api_method}: Slack access lost ({self.access_lost})")
        self._spend(api_method, _channel_of(kwargs))
        try:
            return super().api_call(api_method, **kwargs)
        except SlackApiError as exc:
            error = exc.response.get("error")
            if error in ACCESS_LOST:
                self.lose_access(str(error))
            raise

    def _spend(self, method: str, channel: str | None) -> None:
        if getattr(self._paid, "method", None) == method:
            self._paid.method = None
            return
        if self.budgets is None:
            return
        windows = windows_for(method, channel)
        if not windows:
            return
        deadline = time.monotonic() + self.max_wait
        while True:
            wait = self.budgets.spend(windows, force=not self.wait)
            if wait <= 0:
                return
            if time.monotonic() + wait > deadline or self._stopping.is_set():
                raise BudgetExhausted(f"{method}: no room in its rate budget now")
            self._stopping.wait(min(wait, 1.0))
