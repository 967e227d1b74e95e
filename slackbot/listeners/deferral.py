"""What every listener needs: the runtime, and `defer` for the work that follows the ack.

The app puts the runtime in each request's context. Listeners run before Bolt answers Slack
(process_before_response): they read the payload, answer what can be answered at once, and
`defer` the rest, which records it in the inbox before the answer goes out and queues it on a
worker. The deferred functions (`HANDLERS`, in each surface's module) get the stored payload.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, cast

from slack_bolt import BoltContext

from slackbot.services.runtime import Runtime

RUNTIME = "community_week"


def runtime(context: BoltContext) -> Runtime:
    return cast(Runtime, context[RUNTIME])


def work_key(body: dict[str, Any], prefix: str = "") -> str:
    """What makes a delivery the same one: Slack's event_id, or the action's trigger_id."""
    for field in ("event_id", "trigger_id"):
        value = body.get(field)
        if isinstance(value, str) and value:
            return f"{prefix}{field}:{value}"
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32]
    return f"{prefix}body:{digest}"


def defer(
    context: BoltContext,
    handler: str,
    payload: dict[str, Any],
    *,
    key: str | None = None,
    user: str | None = None,
) -> bool:
    """Record `handler(payload)` as work to do after the ack; False if it was recorded before
    (a duplicate delivery, which is acknowledged and dropped)."""
    rt = runtime(context)
    return rt.workers.defer(key or work_key(payload, handler + ":"), handler, payload, user_id=user)
