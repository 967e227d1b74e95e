"""Request signing: forged or stale requests are refused and change nothing."""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

import pytest

from slackbot.local import CHANNEL, LocalBot, open_propose_modal, proposal_values
from slackbot.sandbox import FakeSlack


def submission_body(slack: FakeSlack, view_id: str) -> bytes:
    view = slack.view(view_id)
    payload = {
        "type": "view_submission",
        "team": {"id": "T0SANDBOX"},
        "user": {"id": "U0ALICE"},
        "api_app_id": "A0SANDBOX",
        "view": {**view, "state": {"values": {}}},
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def count(bot: LocalBot) -> int:
    return int(bot.rt.store.conn.execute("SELECT COUNT(*) FROM proposals").fetchone()[0])


def test_forged_signature_is_refused_with_401(bot: LocalBot, slack: FakeSlack) -> None:
    body = urlencode({"command": "/propose", "user_id": "U0ALICE", "trigger_id": "x"}).encode()
    response = slack.post_signed(
        body, "application/x-www-form-urlencoded", signature="v0=" + "0" * 64
    )
    assert response.status == 401
    assert slack.calls_to("views.open") == []


def test_stale_timestamp_is_refused_even_with_a_valid_signature(
    bot: LocalBot, slack: FakeSlack
) -> None:
    view_id = open_propose_modal(slack, "U0ALICE")
    response = slack.post_signed(
        submission_body(slack, view_id),
        "application/x-www-form-urlencoded",
        timestamp=int(time.time()) - 6 * 60,
    )
    assert response.status == 401
    assert count(bot) == 0 and slack.messages(CHANNEL) == []


def test_a_body_changed_after_signing_is_refused(bot: LocalBot, slack: FakeSlack) -> None:
    view_id = open_propose_modal(slack, "U0ALICE")
    slack.submit_view("U0ALICE", view_id, proposal_values("GPT2 poetry generation in German"))
    assert count(bot) == 1
    ts = int(time.time())
    good = b'{"type": "event_callback"}'
    from slack_sdk.signature import SignatureVerifier

    signature = SignatureVerifier(slack.signing_secret).generate_signature(
        timestamp=str(ts), body=good
    )
    tampered = b'{"type": "event_callback", "x": 1}'
    response = slack.post_signed(tampered, "application/json", timestamp=ts, signature=signature)
    assert response.status == 401
    assert count(bot) == 1


def test_a_signed_click_without_actions_is_refused_not_crashed(
    bot: LocalBot, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """Found by the fuzzer: Bolt reads actions[0] before any listener runs, so an empty list
    must be refused by the request's shape check, not reach Bolt (a logged traceback)."""
    payload = {"type": "block_actions", "user": {"id": "U0ALICE"}, "actions": []}
    body = urlencode({"payload": json.dumps(payload)}).encode()
    with caplog.at_level(logging.INFO, logger="slackbot"):
        response = slack.post_signed(body, "application/x-www-form-urlencoded")
    assert response.status == 400
    messages = [r.getMessage() for r in caplog.records]
    assert any("reason=block_actions_without_actions" in m for m in messages), messages
    assert not any(r.exc_info for r in caplog.records)
    assert slack.slash_command("U0ALICE", "/propose").status == 200  # still serving


@pytest.mark.parametrize("value", ["²", "¹²", "٣"])  # digits to str.isdigit, not to int()
def test_a_signed_click_whose_project_number_is_no_number_is_400_not_500(
    bot: LocalBot, slack: FakeSlack, value: str
) -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": "U0ALICE"},
        "trigger_id": "1.2.3",
        "response_url": "https://hooks.slack.com/actions/T0/1/x",
        "actions": [
            {"type": "button", "action_id": "compute_works", "block_id": "b", "value": value}
        ],
    }
    body = urlencode({"payload": json.dumps(payload)}).encode()
    assert slack.post_signed(body, "application/x-www-form-urlencoded").status == 400
    assert slack.slash_command("U0ALICE", "/propose").status == 200  # still serving


def test_a_timestamp_of_other_digits_is_unsigned_not_a_crash(
    bot: LocalBot, slack: FakeSlack
) -> None:
    response = slack.post_signed(
        b'{"type": "event_callback"}',
        "application/json",
        headers={"X-Slack-Request-Timestamp": "²"},
    )
    assert response.status == 401
