"""What happens when a listener fails: a 400 for a payload Slack would never send, otherwise a
traceback in the log and a short apology to the person (with a reference to quote). Deferred
work that fails is machinery/workers.py's `on_work_failed`."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from slack_bolt import BoltResponse

from slackbot.listeners.payload import Malformed
from slackbot.services.replies import Apologize
from slackbot.services.runtime import Runtime

log = logging.getLogger("slackbot.errors")


def raised_in_bolt(error: BaseException) -> bool:
    """Did Bolt's own code raise this while reading the request (not our listener)?"""
    tb = error.__traceback__
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    return last is not None and "slack_bolt" in last.tb_frame.f_code.co_filename


def on_listener_error(rt: Runtime, error: Exception, body: dict[str, Any]) -> BoltResponse:
    """Bolt's error handler: a listener or middleware failed before Slack got an answer."""
    kind = body.get("type") or body.get("command")
    unreadable = isinstance(error, (TypeError, AttributeError, KeyError, IndexError, ValueError))
    if isinstance(error, Malformed) or (unreadable and raised_in_bolt(error)):
        log.info("request_malformed type=%s problem=%r", str(kind)[:40], error)
        return BoltResponse(status=400, body="")
    ref = uuid.uuid4().hex[:8]
    log.error("listener_failed ref=%s type=%s", ref, kind, exc_info=error)
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    if isinstance(user, str) and body.get("type") != "event_callback":
        rt.bus.handle(Apologize(user, ref))
    return BoltResponse(status=500, body="")
