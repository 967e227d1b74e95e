"""Creating the app from manifest.yml gives a working bot: everything it declares is handled."""

from __future__ import annotations

from pathlib import Path

import yaml

from slackbot.local import LocalBot
from slackbot.sandbox import FakeSlack

MANIFEST = yaml.safe_load((Path(__file__).parents[1] / "manifest.yml").read_text())


def test_socket_mode_and_interactivity_are_on() -> None:
    settings = MANIFEST["settings"]
    assert settings["socket_mode_enabled"] is True
    assert settings["interactivity"]["is_enabled"] is True
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True


def test_every_declared_command_is_answered(bot: LocalBot, slack: FakeSlack) -> None:
    for command in MANIFEST["features"]["slash_commands"]:
        response = slack.slash_command("U0ALICE", command["command"])
        assert response.status == 200, command["command"]
        assert len(command["description"]) <= 100


def test_every_subscribed_event_is_handled(bot: LocalBot, slack: FakeSlack) -> None:
    handled = {"reaction_added", "reaction_removed", "app_home_opened"}
    assert set(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == handled
    slack.open_home("U0ALICE")
    assert slack.home("U0ALICE") is not None


def test_scopes_cover_the_methods_the_bot_calls() -> None:
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    needed = {
        "chat:write",  # chat.postMessage / update / postEphemeral
        "channels:join",  # conversations.join at start-up
        "channels:read",  # conversations.list to find the channel by name
        "channels:history",  # conversations.history to adopt a lost post
        "reactions:read",  # reactions.get to reconcile
        "channels:manage",  # conversations.create / invite for official teams
        "im:write",  # direct messages, conversations.open for the export
        "files:write",  # files_upload_v2
        "commands",
    }
    assert needed <= scopes
