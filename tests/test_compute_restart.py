"""Compute across a stop, the real `slackbot run` against the stand-in: a bot killed (-9) while
Slack was taking a member's DM with the details sends, at its next start, the DMs it had not
sent and not the one Slack had taken; and official teams waiting when compute was imported
while the bot was stopped (Slack refusing the import's DMs) get theirs at the next start."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from slackbot.bot_process import BotProcess
from slackbot.local import CHANNEL
from slackbot.sandbox import FakeSlack
from tests.test_lost_database import propose, quiet

SETTINGS = {"TEAM_SIZE_THRESHOLD": "2", "TEAM_SIZE_MAX": "4", "BACKUP_MINUTES": "0"}
SECRET = "ssh-key-SECRET-9c1d"
MEMBERS = ("U0ALICE", "U0BOB", "U0CAROL")


def details_dms(slack: FakeSlack, user: str) -> int:
    return sum(1 for m in slack.dms(user) if SECRET in json.dumps(m))


def a_team_of_three(slack: FakeSlack, bot: BotProcess) -> None:
    ts = propose(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi")
    for person in MEMBERS[1:]:
        slack.react(person, slack.channel_id(CHANNEL), ts, "raised_hand")
    quiet(slack, bot)


def organize(slack: FakeSlack, words: str) -> None:
    slack.slash_command("U0ORG1", "/organize", words, channel=slack.channel_id(CHANNEL))


def click_it_works(slack: FakeSlack, user: str) -> None:
    message = next(m for m in slack.dms(user) if "compute_works" in json.dumps(m))
    value = next(
        e["value"]
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "compute_works"
    )
    slack.click(user, "compute_works", value=value, channel=user, message_ts=message["ts"])


def test_a_kill_during_the_hand_out_sends_the_rest_at_the_next_start_and_nothing_twice(
    slack: FakeSlack, tmp_path: Path
) -> None:
    # At DEBUG slack_sdk would log each request's and answer's body: the details stay out.
    bot = BotProcess(slack, tmp_path, LOG_LEVEL="DEBUG", **SETTINGS).start()
    a_team_of_three(slack, bot)
    organize(slack, f"compute add tpu-a | zone europe-west4-a {SECRET}")
    quiet(slack, bot)
    # Slack takes Bob's DM at once and answers late: the bot is killed before it hears.
    slack.fail("chat.postMessage", status=200, delay=60, channel="U0BOB")
    organize(slack, "official 1")
    slack.wait_for(lambda: details_dms(slack, "U0BOB"), timeout=20)
    assert bot.stop(signal.SIGKILL) == -signal.SIGKILL
    assert details_dms(slack, "U0ALICE") == 1 and details_dms(slack, "U0CAROL") == 0

    first_log = bot.output
    assert "Sending a request - url:" in first_log  # DEBUG was on
    assert SECRET not in first_log

    again = BotProcess(slack, tmp_path, LOG_LEVEL="DEBUG", **SETTINGS).start()
    try:
        quiet(slack, again)
        assert {u: details_dms(slack, u) for u in MEMBERS} == dict.fromkeys(MEMBERS, 1)
        click_it_works(slack, "U0BOB")  # the click's payload carries the DM it was in
        quiet(slack, again)
        assert "compute_answered proposal_id=1 user=U0BOB works=True" in again.read_log()
        assert "compute_sent_found label=tpu-a proposal_id=1 to=U0BOB" in again.read_log()
    finally:
        again.stop()
    assert "Traceback" not in again.output, again.output[-3000:]
    assert SECRET not in again.output


def test_at_debug_in_socket_mode_the_details_reach_no_log_line(
    slack: FakeSlack, tmp_path: Path
) -> None:
    slack.connect_socket_mode()
    bot = BotProcess(slack, tmp_path, socket_mode=True, LOG_LEVEL="DEBUG", **SETTINGS).start()
    try:
        a_team_of_three(slack, bot)
        organize(slack, f"compute add tpu-a | zone europe-west4-a {SECRET}")
        organize(slack, "official 1")
        quiet(slack, bot)
        assert {u: details_dms(slack, u) for u in MEMBERS} == dict.fromkeys(MEMBERS, 1)
        click_it_works(slack, "U0ALICE")
        quiet(slack, bot)
        log = bot.read_log()
        assert "compute_answered proposal_id=1 user=U0ALICE works=True" in log
        assert "DEBUG slack_sdk" in log
        assert SECRET not in log
    finally:
        bot.stop()


def test_teams_waiting_when_compute_was_imported_while_stopped_get_it_at_the_next_start(
    slack: FakeSlack, tmp_path: Path
) -> None:
    bot = BotProcess(slack, tmp_path, **SETTINGS).start()
    a_team_of_three(slack, bot)
    organize(slack, "official 1")
    quiet(slack, bot)
    assert bot.stop() == 0
    assert not any(details_dms(slack, u) for u in MEMBERS)

    # Imported beside the stopped bot; Slack refuses every DM the import tries to send.
    pool = tmp_path / "pool.csv"
    pool.write_text(f"label,details\ntpu-a,zone us-central1-f {SECRET}\n", encoding="utf-8")
    slack.fail("chat.postMessage", status=200, error="fatal_error", times=20)
    imported = subprocess.run(
        [sys.executable, "-m", "slackbot", "compute", "import", str(pool)],
        env=bot.env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert imported.returncode == 0, imported.stderr
    slack.clear_failures()
    assert not any(details_dms(slack, u) for u in MEMBERS)

    again = BotProcess(slack, tmp_path, **SETTINGS).start()
    try:
        quiet(slack, again)
        assert {u: details_dms(slack, u) for u in MEMBERS} == dict.fromkeys(MEMBERS, 1)
    finally:
        again.stop()
    assert "Traceback" not in again.output, again.output[-3000:]
