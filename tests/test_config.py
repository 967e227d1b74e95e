"""Start-up settings: every problem named, with how to fix it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from slackbot.config import ConfigError, load_settings


def test_missing_bot_token_names_the_setting_and_where_to_get_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert "SLACK_BOT_TOKEN is missing" in message
    assert "manifest.yml" in message and "OAuth & Permissions" in message


def test_http_mode_needs_a_signing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET is required in HTTP mode"):
        load_settings()


def test_socket_mode_needs_no_signing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-test")
    settings = load_settings()
    assert settings.socket_mode


def test_every_problem_is_listed_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-user-token")
    monkeypatch.setenv("SLACK_APP_TOKEN", "oops")
    monkeypatch.setenv("ORGANIZER_IDS", "U0ORG1, suzana")
    monkeypatch.setenv("TEAM_SIZE_THRESHOLD", "zero")
    monkeypatch.setenv("DIGEST_CRON", "every morning")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    for expected in [
        "SLACK_BOT_TOKEN must be a bot token starting with xoxb-",
        "SLACK_APP_TOKEN must be an app-level token starting with xapp-",
        "ORGANIZER_IDS suzana is not a Slack user ID",
        "TEAM_SIZE_THRESHOLD",
        "DIGEST_CRON must be a 5-field crontab",
    ]:
        assert expected in message


def test_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("ORGANIZER_IDS", "U0ORG1, U0ORG2")
    monkeypatch.setenv("JOIN_EMOJI", ":raised_hand:,hand")
    settings = load_settings()
    assert settings.ORGANIZER_IDS == ["U0ORG1", "U0ORG2"]
    assert settings.JOIN_EMOJI == ["raised_hand", "hand"]


def test_the_command_exits_with_the_message_and_no_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [sys.executable, "-m", "slackbot"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN is missing" in result.stderr
    assert "slackbot demo" in result.stderr
    assert "Traceback" not in result.stderr


def test_importing_the_package_reads_no_settings_and_builds_no_app() -> None:
    code = (
        "import slackbot.app, slackbot.cli, slackbot.listeners, slackbot.jobs.scheduler; "
        "print('ok')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
