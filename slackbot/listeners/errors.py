"""What happens when a listener fails: a traceback in the log, a short apology to the person.

Bolt's `@app.error` handler covers failures before the ack. A failure *after* the ack must not
reach Bolt: its thread runner then resets the acknowledged response to None, and if that happens
before the request thread has sent it, Slack gets no answer (a 404 after 3 s, and a modal's
`response_action` is lost). `after_ack_reported` keeps such failures on this side.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from slackbot.runtime import Runtime
from slackbot.services.notify import dm

log = logging.getLogger("slackbot.errors")

APOLOGY = (
    "Sorry, something went wrong on our side (reference {ref}). Nothing you had saved is lost; "
    "please try again in a minute, or tell an organizer with that reference."
)

F = TypeVar("F", bound=Callable[..., Any])


def report_failure(rt: Runtime, error: BaseException, body: dict[str, Any]) -> None:
    """Log the failure with its traceback and tell the person, if we know who it was."""
    ref = uuid.uuid4().hex[:8]
    kind = body.get("type") or body.get("command")
    log.error("listener_failed ref=%s type=%s", ref, kind, exc_info=error)
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    if isinstance(user, str) and body.get("type") != "event_callback":
        dm(rt.client, user, APOLOGY.format(ref=ref))


def after_ack_reported(rt: Runtime) -> Callable[[F], F]:
    """Decorate a listener that calls ack(): a failure after its ack is reported here."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def listener(**kwargs: Any) -> Any:
            try:
                return func(**kwargs)
            except Exception as error:
                ack = kwargs.get("ack")
                if ack is None or getattr(ack, "response", None) is None:
                    raise  # not acknowledged yet: Bolt's error handler answers Slack
                report_failure(rt, error, kwargs.get("body") or {})
                return None

        return listener  # type: ignore[return-value]

    return decorate
