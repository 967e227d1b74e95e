"""What Slack's libraries may not write to the logs: the bodies of requests and answers.

At DEBUG, slack_sdk logs every Web API request with its arguments and every answer with its
body (a compute DM's text and blocks, the history a lookup reads), Socket Mode logs each
envelope whole (a click carries the message clicked), and Bolt logs its acks. Those carry what
people wrote and the compute details, which must reach no log line at any level. The filter
keeps such a line up to where its first dump begins (`url: …, query_params: {…withheld}`):
what was called stays visible, never what was said.
"""

from __future__ import annotations

import logging

SLACK_LOGGERS = ("slack_sdk", "slack_bolt", "slack")
# The Socket Mode client writes through the logger the bot hands it (slackbot/socket_mode.py).
HANDED_LOGGERS = ("slackbot.socket_mode",)
WITHHELD = "{…withheld: bodies are not logged}"


class SlackBodiesWithheld(logging.Filter):
    """Cut the dumped bodies out of slack_sdk's and Bolt's records (installed on the handlers
    `setup_logging` configures, so it sees every record whatever logger made it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.split(".", 1)[0] not in SLACK_LOGGERS and record.name not in HANDED_LOGGERS:
            return True
        message = record.getMessage()
        cut = min((i for i in (message.find("{"), message.find("[")) if i >= 0), default=-1)
        if cut >= 0:
            record.msg, record.args = message[:cut] + WITHHELD, ()
            record.exc_text = None  # a traceback is formatted again, from exc_info
        return True


def install(handlers: list[logging.Handler] | None = None) -> None:
    """Put the filter on `handlers` (the root logger's by default), once each."""
    for handler in logging.getLogger().handlers if handlers is None else handlers:
        if not any(isinstance(f, SlackBodiesWithheld) for f in handler.filters):
            handler.addFilter(SlackBodiesWithheld())
