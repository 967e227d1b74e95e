"""When Slack no longer lets the bot act: the app uninstalled, its token revoked (the events
`app_uninstalled` and `tokens_revoked`, or any call answered `token_revoked`, `invalid_auth`,
`account_inactive`…).

The bot stops writing at once and says why, once, in the log: its clients make no more calls
(each raises AccessLost without touching the network), the refresher stops, scheduled jobs are
skipped and deferred work waits in the inbox for the next start. It keeps answering Slack's
requests (a 200 costs nothing and spares Slack's retries) and never loops on the refusals. A
start with the old token is refused at once by auth.test, with what to do.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Protocol

from slackbot.services.ports import Messenger

log = logging.getLogger("slackbot.access")


@dataclass(frozen=True)
class AccessRevoked:
    """Slack said the bot may no longer act (`app_uninstalled`, the bot's `tokens_revoked`)."""

    reason: str


class AccessFlag(Protocol):
    """A Slack client's record of why it may no longer act (None: it may)."""

    access_lost: str | None


class Stoppable(Protocol):
    def stop(self, *, drain: float = ...) -> None: ...


def revoked(cmd: AccessRevoked, messenger: Messenger) -> None:
    """Slack said so (an event): the same as a call refused for a revoked token."""
    messenger.lose_access(cmd.reason)


def lost(reason: str, *, ui: AccessFlag, updates: Stoppable) -> None:
    """Stop writing to Slack: the background client's `on_access_lost`, called once by it
    (the UI client, `ui`, passes its loss on to it); safe from any thread, the refresher's
    own included."""
    ui.access_lost = ui.access_lost or reason
    log.error(
        "slack_access_lost reason=%s: the bot stops writing to Slack. Reinstall the app, set "
        "SLACK_BOT_TOKEN to its new Bot User OAuth Token and start the bot again; what was "
        "waiting is done then.",
        reason,
    )
    threading.Thread(target=lambda: updates.stop(drain=0), name="access-lost", daemon=True).start()


def writing_stopped(messenger: Messenger) -> bool:
    return messenger.access_lost() is not None


COMMANDS = {AccessRevoked: revoked}
