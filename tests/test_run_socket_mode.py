"""Socket Mode, the default: `slackbot run` with SLACK_APP_TOKEN against the stand-in's WebSocket.

The same journey as over HTTP (a modal, inline errors in the ack, a post, joins, an alert, the
Home tab), then the faults a long-lived WebSocket meets: Slack asking for a refresh, the server
closing the connection, and a connection that dies without a word.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from slackbot.bot_process import BotProcess
from slackbot.local import CHANNEL, proposal_values
from slackbot.sandbox import FakeSlack


@pytest.fixture
def socket_bot(slack: FakeSlack, tmp_path: Path) -> Iterator[BotProcess]:
    slack.connect_socket_mode()
    bot = BotProcess(slack, tmp_path, socket_mode=True, TEAM_SIZE_THRESHOLD="3").start()
    yield bot
    code = bot.stop()
    assert code == 0, bot.output
    assert "xapp-" not in bot.output and "xoxb-" not in bot.output  # tokens never logged


def open_modal(slack: FakeSlack, user: str, text: str = "") -> str:
    before = len(slack.views(user))
    response = slack.slash_command(user, "/propose", text)
    assert response.status == 200
    views = slack.wait_for(lambda: slack.views(user)[before:], timeout=5)
    return str(views[-1]["id"])


def test_the_whole_journey_over_socket_mode(slack: FakeSlack, socket_bot: BotProcess) -> None:
    view_id = open_modal(slack, "U0ALICE")

    refused = slack.submit_view(
        "U0ALICE",
        view_id,
        proposal_values("GPT2 poetry generation in German", reads="javascript:alert(1)"),
    )
    assert refused.status == 200
    assert (refused.json or {}).get("response_action") == "errors"  # carried in the ack
    assert "reads" in slack.view_errors(view_id)

    slack.submit_view("U0ALICE", view_id, proposal_values("GPT2 poetry generation in German"))
    post = slack.wait_for(lambda: slack.messages(CHANNEL), timeout=10)[-1]
    assert "GPT2 poetry generation in German" in post["text"]

    for user in ("U0BOB", "U0CAROL"):
        slack.react(user, CHANNEL, post["ts"], "raised_hand")
    alerts = slack.wait_for(lambda: slack.dms("U0ORG1"), timeout=10)
    assert "GPT2 poetry generation" in alerts[-1]["text"]

    slack.open_home("U0BOB")
    home = slack.wait_for(lambda: slack.home("U0BOB"), timeout=5)
    assert "GPT2 poetry generation" in str(home["blocks"])

    acks = slack.socket.acks
    assert {a.type for a in acks} == {"slash_commands", "interactive", "events_api"}
    assert max(a.elapsed for a in acks) < 3.0


@pytest.mark.parametrize("fault", ["refresh", "close_all", "kill_all"])
def test_the_bot_reconnects_and_acks_the_next_envelope_in_time(
    slack: FakeSlack, socket_bot: BotProcess, fault: str
) -> None:
    open_modal(slack, "U0ALICE")
    first = slack.socket.acks[-1].connection
    getattr(slack.socket, fault)()
    if fault == "kill_all":
        # Only the bot's pings can notice a silent connection (bench/socket_reconnect.py
        # measures how fast); what Slack sends meanwhile is lost, as it would be on Slack.
        slack.socket.wait_connected(timeout=20)
    # Slack sends the next envelope as soon as there is a connection to send it on; the person
    # waits for the reconnection and the ack together (the stand-in flags a wait over 3 s).
    response = slack.slash_command("U0BOB", "/projects")
    assert response.status == 200
    assert slack.socket.acks[-1].connection != first
    open_modal(slack, "U0CAROL")


def test_a_refused_app_token_is_one_clear_message(slack: FakeSlack, tmp_path: Path) -> None:
    slack.connect_socket_mode()
    bot = BotProcess(slack, tmp_path, socket_mode=True, SLACK_APP_TOKEN="xapp-1-revoked")
    bot.start(wait=False)
    code = bot.wait_exit()
    assert code == 2
    assert "SLACK_APP_TOKEN was refused by Slack (invalid_auth)" in bot.output
    assert "Traceback" not in bot.output
    # Before any other start-up work: nothing else was asked of Slack.
    assert [c.method for c in slack.calls] == ["apps.connections.open"]
