"""What Slack said of one message: its ts, or why it was not delivered (a value the Messenger
port answers with, for the callers that must tell one failure from another)."""

from __future__ import annotations

from dataclasses import dataclass

ACCESS_LOST = "AccessLost"  # not tried: Slack no longer lets the bot act (no call was made)


@dataclass(frozen=True)
class Delivery:
    """What Slack said of a message whose failure the caller must tell apart (a proposal's
    post: its reason is stored; its redraw: a 429 waits, a 5xx retries, a refusal is final)."""

    ts: str | None = None  # the message's (None: not sent)
    error: str | None = None  # Slack's error code, or the failure's class name
    status: int | None = None  # the HTTP status of Slack's refusal (None: Slack not reached)
    retry_after: float | None = None  # what a 429 said to wait
    channel: str | None = None  # where it landed (a DM's own channel id, for a user id)


class SlackUnreachable(Exception):
    """Slack refused a read or could not be reached (the adapter logs which); whoever asked
    tries again on its next pass."""
