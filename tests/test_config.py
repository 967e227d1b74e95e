"""Start-up settings: every problem named, with how to fix it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def _slackbot(cwd, *args: str, **env: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "slackbot", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", **env},
        timeout=120,
    )


def test_a_first_start_names_every_missing_setting_at_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _slackbot(tmp_path)
    assert result.returncode == 2
    for name in ("SLACK_BOT_TOKEN is missing", "SLACK_SIGNING_SECRET is required", "ORGANIZER_IDS"):
        assert name in result.stderr, name
    assert result.stderr.count("HTTP mode") == 1  # said once, not "required in…; needed in…"
    assert list(tmp_path.iterdir()) == []  # no database for a start that failed


def test_field_errors_and_rules_across_fields_come_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DIGEST_CRON", "every morning")
    monkeypatch.setenv("TEAM_SIZE_THRESHOLD", "9")
    monkeypatch.setenv("TEAM_SIZE_MAX", "4")
    with pytest.raises(ConfigError) as caught:
        load_settings(running=True)
    message = str(caught.value)
    for expected in [
        "SLACK_BOT_TOKEN is missing",
        "DIGEST_CRON must be a 5-field crontab",
        "SLACK_SIGNING_SECRET is required in HTTP mode",
        "TEAM_SIZE_THRESHOLD (9) must not exceed TEAM_SIZE_MAX (4)",
        "ORGANIZER_IDS is empty",
    ]:
        assert expected in message, expected


def test_commands_that_only_read_never_create_a_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for args in (("export",), ("digest", "--dry-run")):
        result = _slackbot(tmp_path, *args)
        assert result.returncode == 2, args
        assert f"no database at {tmp_path / 'community_week.db'}" in result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""
    result = _slackbot(tmp_path, "export", DATABASE_PATH="/nonexistent/x.db")
    assert result.returncode == 2 and "no database at /nonexistent/x.db" in result.stderr
    (tmp_path / "notes.db").write_text("not a database")
    result = _slackbot(tmp_path, "export", DATABASE_PATH="notes.db")
    assert result.returncode == 2 and "cannot be used as the bot's database" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_an_unreachable_slack_is_one_sentence_and_leaves_no_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _slackbot(
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="s",
        ORGANIZER_IDS="U0ORG1",
        SLACK_API_URL="http://127.0.0.1:9/api/",
    )
    assert result.returncode == 2
    assert "Slack could not be reached at http://127.0.0.1:9/api/" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2
    assert list(tmp_path.iterdir()) == []


def test_a_path_that_cannot_be_written_is_refused_before_any_work(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _slackbot(tmp_path, "demo", "--fast", "--html", "nodir/week.html")
    assert result.returncode == 2
    assert f"the folder {tmp_path / 'nodir'} does not exist" in result.stderr
    assert result.stdout == ""  # the week was not played first
    result = _slackbot(tmp_path, "export", "--output", "nodir/sheet.csv")
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_the_example_env_file_copied_as_is_says_what_to_fill_in(tmp_path) -> None:  # type: ignore[no-untyped-def]
    example = Path(__file__).resolve().parents[1] / ".env.example"
    (tmp_path / ".env").write_text(example.read_text())
    result = _slackbot(tmp_path)
    assert result.returncode == 2
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "ORGANIZER_IDS"):
        assert name in result.stderr, name
    assert "Traceback" not in result.stderr
