"""The stand-in's Socket Mode side, spoken to with a plain WebSocket client."""

from __future__ import annotations

import json
import threading

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from slackbot.sandbox import FakeSlack


def test_only_the_app_level_token_opens_a_connection() -> None:
    with FakeSlack() as fs:
        client = WebClient(base_url=fs.api_url)
        with pytest.raises(SlackApiError, match="socket_mode_not_enabled"):
            client.apps_connections_open(app_token=fs.app_token)
        fs.connect_socket_mode()
        assert client.apps_connections_open(app_token=fs.app_token)["url"].startswith("ws://")
        for token, error in [(fs.bot_token, "not_allowed_token_type"), ("xapp-x", "invalid_auth")]:
            with pytest.raises(SlackApiError, match=error):
                client.apps_connections_open(app_token=token)
        with pytest.raises(SlackApiError, match="not_allowed_token_type"):
            WebClient(base_url=fs.api_url, token=fs.app_token).auth_test()


def test_hello_then_envelopes_whose_acks_are_the_apps_answers() -> None:
    with FakeSlack() as fs:
        fs.add_user("U0ALICE", "alice")
        server = fs.connect_socket_mode()
        url = WebClient(base_url=fs.api_url).apps_connections_open(app_token=fs.app_token)["url"]
        with connect(url) as ws:
            assert json.loads(ws.recv())["type"] == "hello"

            def app() -> None:
                envelope = json.loads(ws.recv())
                assert envelope["type"] == "slash_commands"
                assert envelope["payload"]["command"] == "/projects"
                assert envelope["accepts_response_payload"] is True
                answer = {"text": "nothing yet", "response_type": "ephemeral"}
                ws.send(json.dumps({"envelope_id": envelope["envelope_id"], "payload": answer}))

            thread = threading.Thread(target=app)
            thread.start()
            response = fs.slash_command("U0ALICE", "/projects")
            thread.join(5)
        assert response.status == 200 and response.json == {
            "text": "nothing yet",
            "response_type": "ephemeral",
        }
        assert fs.ephemerals("U0ALICE")[-1]["text"] == "nothing yet"
        assert [a.type for a in server.acks] == ["slash_commands"]
        # A used URL does not connect twice.
        with connect(url) as again, pytest.raises(ConnectionClosed):
            again.recv(timeout=2)
        assert fs.violations == []
