"""The database file lost in the middle of a week (an ephemeral disk, a deleted file): the bot
killed (-9), the file and its -wal/-shm deleted, `slackbot run` started again on an empty disk.

The week is read back from the bot's posts in Slack: the export equals what it was (every
proposal with its whole description, every team as its post showed it, official teams with
their channels, a second team), and nothing is posted, created or alerted twice.
"""

from __future__ import annotations

import csv
import io
import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from slackbot.bot_process import BotProcess
from slackbot.local import CHANNEL, proposal_values
from slackbot.sandbox import FakeSlack
from tests.conftest import run_offline_cli

SETTINGS = {"TEAM_SIZE_THRESHOLD": "3", "TEAM_SIZE_MAX": "5", "RETRY_DELAY_SECONDS": "1"}
# Longer than the post shows (it clips long answers behind "View full proposal").
LONG = "Pre-train RoBERTa on Hindi news, poems and Wikipedia. " * 30
# What the export says that Slack holds (the audit trail, names and compute come from backups).
KEPT = [
    "ID",
    "Project",
    "Description",
    "Language",
    "Model",
    "Datasets",
    "Training scripts",
    "Desired project outcome",
    "Proposer",
    "Status",
    "Members",
    "Waitlist",
    "Team channel",
    "Official since",
    "Made official by",
    "Link",
]


def propose(slack: FakeSlack, user: str, name: str, **answers: object) -> str:
    before = {v["id"] for v in slack.views(user)}
    assert slack.slash_command(user, "/propose").status == 200
    view_id = slack.wait_for(
        lambda: [v["id"] for v in slack.views(user) if v["id"] not in before], timeout=5
    )[-1]
    response = slack.submit_view(user, view_id, proposal_values(name, **answers))
    body = response.json or {}
    assert body.get("response_action") != "errors", body
    if (body.get("view") or {}).get("callback_id") == "before_you_post":
        slack.submit_view(user, view_id, {})

    def posted() -> str | None:
        for message in slack.messages(CHANNEL):
            header = next((b for b in message.get("blocks") or [] if b["type"] == "header"), None)
            if header is not None and header["text"]["text"] == name:
                return str(message["ts"])
        return None

    return slack.wait_for(posted, timeout=10)


def sheet(database: Path, cwd: Path) -> list[dict[str, str]]:
    result = run_offline_cli(database, cwd, "export", "--format", "csv")
    assert result.returncode == 0, result.stderr
    return [{k: row[k] for k in KEPT} for row in csv.DictReader(io.StringIO(result.stdout))]


def quiet(slack: FakeSlack, bot: BotProcess) -> None:
    slack.settle(quiet=1.5, timeout=60)
    assert bot.process is not None and bot.process.poll() is None, bot.read_log()


def counts(slack: FakeSlack) -> dict[str, int]:
    """What must not happen twice: top-level posts, thread replies, channels, DMs."""
    channel = slack.channel_id(CHANNEL)
    posted = [c for c in slack.calls_to("chat.postMessage") if c.status == 200]
    return {
        "posts": len(slack.messages(CHANNEL)),
        "replies": sum(1 for c in posted if c.args.get("channel") == channel),
        "channels": len(slack.calls_to("conversations.create")),
        "dms": sum(1 for c in posted if str(c.args.get("channel", "")).startswith("U")),
        "alerts": sum(
            len([m for m in slack.dms(org) if "community_week_alert" in json.dumps(m)])
            for org in ("U0ORG1", "U0ORG2")
        ),
    }


def play_a_week(slack: FakeSlack) -> dict[str, str]:
    """Posts, joins by reaction and by button, a leave, two official teams, a second team, and
    a team waiting for the organizers (whose alerts are in their DMs)."""
    channel = slack.channel_id(CHANNEL)
    hindi = propose(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi", description=LONG)
    german = propose(slack, "U0BOB", "GPT2 poetry generation in German", languages=["german"])
    italian = propose(slack, "U0CAROL", "PreTrain RoBERTa in Italian", languages=["italian"])
    korean = propose(slack, "U0DAVE", "CLIP image search in Korean", languages=["korean"])
    # Hindi: a reaction, a button, a join then a leave; made official from the alert.
    slack.react("U0BOB", channel, hindi, "raised_hand")
    slack.click("U0CAROL", "join_team", channel=channel, message_ts=hindi)
    slack.react("U0DAVE", channel, hindi, "raised_hand")
    slack.unreact("U0DAVE", channel, hindi, "raised_hand")
    # German: two buttons; made official by /organize.
    slack.click("U0ERIN", "join_team", channel=channel, message_ts=german)
    slack.click("U0FRANK", "join_team", channel=channel, message_ts=german)
    # Korean: at its threshold, waiting for the organizers.
    slack.react("U0ERIN", channel, korean, "raised_hand")
    slack.react("U0FRANK", channel, korean, "raised_hand")
    return {"hindi": hindi, "german": german, "italian": italian, "korean": korean}


def the_rest_of_the_week(slack: FakeSlack, bot: BotProcess, posts: dict[str, str]) -> None:
    """Two teams made official (from the alert, by /organize), a second team, a join by
    button on a post made late."""
    channel = slack.channel_id(CHANNEL)
    alert = next(m for m in slack.dms("U0ORG1") if "PreTrain RoBERTa from scratch in Hindi" in
                 json.dumps(m) and "make_official" in json.dumps(m))  # fmt: skip
    slack.click("U0ORG1", "make_official", channel=alert["channel"], message_ts=alert["ts"])
    slack.slash_command("U0ORG1", "/organize", "official 2", channel=channel)
    # Italian: over-subscribed, its waitlist becomes a second team.
    slack.slash_command("U0ORG1", "/organize", "limits 3 2 2", channel=channel)
    for person in ("U0ALICE", "U0BOB", "U0DAVE"):
        slack.react(person, channel, posts["italian"], "raised_hand")
    quiet(slack, bot)
    full = next(m for m in slack.dms("U0ORG2") if "over-subscribed" in m["text"])
    slack.click("U0ORG2", "second_team_waitlist", channel=full["channel"], message_ts=full["ts"])
    late = propose(slack, "U0ERIN", "Speech recognition for Swahili", languages=["swahili"])
    slack.click("U0FRANK", "join_team", channel=channel, message_ts=late)
    quiet(slack, bot)


def lose_the_database(bot: BotProcess) -> Path:
    """kill -9, then the file and its -wal and -shm deleted."""
    database = Path(bot.env["DATABASE_PATH"])
    assert bot.stop(signal.SIGKILL) == -signal.SIGKILL
    for suffix in ("", "-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    assert not database.exists()
    return database


def same_sheet(before: list[dict[str, str]], after: list[dict[str, str]]) -> None:
    assert len(after) == len(before)
    differences = {
        (row["ID"], key): (row[key], again_row[key])
        for row, again_row in zip(before, after, strict=True)
        for key in KEPT
        if row[key] != again_row[key]
    }
    assert differences == {}


def test_a_lost_database_is_rebuilt_from_slack_and_nothing_happens_twice(
    slack: FakeSlack, tmp_path: Path
) -> None:
    bot = BotProcess(slack, tmp_path, BACKUP_MINUTES="0", **SETTINGS).start()
    channel = slack.channel_id(CHANNEL)
    posts = play_a_week(slack)
    quiet(slack, bot)
    the_rest_of_the_week(slack, bot, posts)

    database = Path(bot.env["DATABASE_PATH"])
    before = sheet(database, tmp_path)
    assert [r["Status"] for r in before].count("Official team ✅") == 2
    assert any(r["Project"].endswith("(team 2)") for r in before)
    assert before[0]["Description"] == LONG.strip()
    seen = counts(slack)
    lose_the_database(bot)

    again = BotProcess(slack, tmp_path, BACKUP_MINUTES="0", **SETTINGS).start()
    try:
        quiet(slack, again)
        log = again.read_log()
        assert "rebuilt_from_slack posts=6 proposals=6" in log, log[-3000:]
        assert "database_rebuilt_from_slack" in log
        same_sheet(before, sheet(database, tmp_path))
        assert counts(slack) == seen  # no post, reply, channel, DM or alert twice
        # The rebuilt week goes on: a new join lands on the rebuilt team.
        slack.react("U0ERIN", channel, posts["italian"], "raised_hand")
        quiet(slack, again)
        rows = {r["ID"]: r for r in sheet(database, tmp_path)}
        assert "U0ERIN" in rows["3"]["Waitlist"] + rows["3"]["Members"]
    finally:
        again.stop()
    assert "Traceback" not in again.output, again.output[-3000:]


def rebuilding(slack: FakeSlack, tmp_path: Path, bot: BotProcess) -> BotProcess:
    """`slackbot rebuild` into elsewhere.db, started."""
    command = [*bot.command[:-1], "rebuild"]
    database = tmp_path / "elsewhere.db"
    return BotProcess(slack, tmp_path, database=database, command=command, **SETTINGS).start(
        wait=False
    )


def test_rebuild_fills_an_empty_file_and_refuses_a_full_one(
    slack: FakeSlack, tmp_path: Path
) -> None:
    bot = BotProcess(slack, tmp_path, **SETTINGS).start()
    try:
        propose(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi", description=LONG)
        quiet(slack, bot)
    finally:
        bot.stop()
    rebuild = rebuilding(slack, tmp_path, bot)
    assert rebuild.process is not None
    assert rebuild.process.wait(timeout=60) == 0, rebuild.read_log()
    assert "Rebuilt from #flax-jax-community-week: 1 proposals from 1 posts" in rebuild.read_log()
    rows = sheet(tmp_path / "elsewhere.db", tmp_path)
    assert [r["Description"] for r in rows] == [LONG.strip()]
    again = rebuilding(slack, tmp_path, bot)
    assert again.process is not None
    assert again.process.wait(timeout=60) == 2
    assert "a rebuild fills an empty database" in again.read_log()


def test_a_backup_restored_catches_up_from_slack(slack: FakeSlack, tmp_path: Path) -> None:
    """A backup taken while the bot runs, before the last third of the week; the database lost;
    the backup restored: the start catches up from Slack (a late post, a join by button, two
    official teams, a second team), and the audit trail of before the backup is back."""
    bot = BotProcess(slack, tmp_path, BACKUP_MINUTES="0", **SETTINGS).start()
    posts = play_a_week(slack)
    channel = slack.channel_id(CHANNEL)
    slack.slash_command("U0ORG1", "/organize", "limits 4 3 5", channel=channel)  # audited
    quiet(slack, bot)
    saved = tmp_path / "before-the-last-third.db"
    made = slackbot(bot, "backup", "--output", str(saved))
    assert made.returncode == 0, made.stderr
    refused = slackbot(bot, "restore", str(saved))  # the bot still runs
    assert refused.returncode == 2 and "a bot process is using" in refused.stderr
    the_rest_of_the_week(slack, bot, posts)
    database = Path(bot.env["DATABASE_PATH"])
    before = sheet(database, tmp_path)
    seen = counts(slack)
    dm_calls = len(slack.calls_to("chat.postMessage"))
    lose_the_database(bot)

    restored = slackbot(bot, "restore", str(saved))
    assert restored.returncode == 0, restored.stderr
    assert "The next start catches up from Slack" in restored.stdout
    again = BotProcess(slack, tmp_path, BACKUP_MINUTES="0", **SETTINGS).start()
    try:
        quiet(slack, again)
        assert "rebuilt_from_slack posts=6 proposals=2" in again.read_log()
        same_sheet(before, sheet(database, tmp_path))
        new_dms = [
            (c.args.get("channel"), str(c.args.get("text"))[:80])
            for c in slack.calls_to("chat.postMessage")[dm_calls:]
            if str(c.args.get("channel", "")).startswith("U")
        ]
        assert new_dms == []
        assert counts(slack) == seen
        kept = json.loads(run_offline_cli(saved, tmp_path, "export", "--format", "json").stdout)
        now = json.loads(run_offline_cli(database, tmp_path, "export", "--format", "json").stdout)
        assert kept["audit"] and all(entry in now["audit"] for entry in kept["audit"])
    finally:
        again.stop()
    # Restored once: the next start reads Slack no more than any start does.
    third = BotProcess(slack, tmp_path, BACKUP_MINUTES="0", **SETTINGS).start()
    try:
        quiet(slack, third)
        assert "rebuilt_from_slack" not in third.read_log()
    finally:
        third.stop()


def test_a_backup_that_is_not_one_is_refused_with_one_sentence(
    slack: FakeSlack, tmp_path: Path
) -> None:
    bot = BotProcess(slack, tmp_path, BACKUP_MINUTES="0", **SETTINGS)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    stranger = tmp_path / "stranger.db"
    with sqlite3.connect(stranger) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    conn.close()
    for path, says in [
        (garbage, "is not a backup of this bot's database"),
        (stranger, "schema version 0"),
        (tmp_path / "missing.db", "there is no file at"),
    ]:
        result = slackbot(bot, "restore", str(path))
        assert result.returncode == 2, path
        assert says in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert not Path(bot.env["DATABASE_PATH"]).exists()  # nothing was touched


def test_scheduled_backups_keep_the_newest(tmp_path: Path) -> None:
    from slackbot.store.backups import check, scheduled_backup
    from slackbot.store.db import Store

    store = Store(tmp_path / "week.db")
    store.migrate()
    store.close()
    folder = tmp_path / "backups"
    for n in range(4):
        (folder / f"week-2020010{n}-000000.db").parent.mkdir(exist_ok=True)
        (folder / f"week-2020010{n}-000000.db").write_bytes(b"old")
    made = scheduled_backup(tmp_path / "week.db", folder, keep=3)
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == 3 and made.name in kept and "week-20200100-000000.db" not in kept
    assert check(made).proposals == 0


def slackbot(bot: BotProcess, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m slackbot ARGS` with the bot's settings."""
    return subprocess.run(
        [sys.executable, "-m", "slackbot", *args],
        capture_output=True,
        text=True,
        env=bot.env,
        cwd=bot.workdir,
        timeout=60,
    )
