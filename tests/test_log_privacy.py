"""Slack's libraries' request and answer bodies are cut out of the logs (the whole-app check at
LOG_LEVEL=DEBUG, over the real `slackbot run`, is in tests/test_compute_restart.py)."""

from __future__ import annotations

import logging

import pytest

from slackbot import log_privacy


def test_slack_bodies_are_withheld_and_the_bots_own_lines_kept(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log_privacy.install([caplog.handler])
    log_privacy.install([caplog.handler])  # once per handler
    assert len(caplog.handler.filters) == 1
    caplog.set_level(logging.DEBUG)
    logging.getLogger("slack_sdk.web.base_client").debug(
        "Sending a request - url: %s, query_params: {}, body_params: %s",
        "http://127.0.0.1/api/chat.postMessage",
        {"channel": "U1", "text": "zone SECRET"},
    )
    logging.getLogger("slack_sdk.socket_mode.builtin.client").debug(
        'on_message invoked: (message: {"payload": {"message": {"text": "SECRET"}}})'
    )
    logging.getLogger("slackbot.socket_mode").debug(
        'on_message invoked: (message: {"payload": {"text": "compute add a | SECRET"}})'
    )
    logging.getLogger("slack_bolt.App").debug("Responding with status: 200 body: [SECRET]")
    logging.getLogger("slackbot.compute").info("compute_sent label=%s to=%s", "tpu-{a}", "U1")
    messages = [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if "SECRET" in m]
    assert messages[0].startswith("Sending a request - url: http://127.0.0.1/api/chat.postMessage")
    assert messages[-1] == "compute_sent label=tpu-{a} to=U1"
