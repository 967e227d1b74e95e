"""`slackbot run` (the Procfile's command): HTTP mode on $PORT, stops on SIGTERM, and the
start-up traps a new organizer meets, each answered with one message that says what to do."""

from __future__ import annotations

from pathlib import Path

from slackbot.bot_process import BotProcess
from slackbot.local import CHANNEL
from slackbot.sandbox import FakeSlack


def test_the_real_entry_point_serves_signed_requests(slack: FakeSlack, tmp_path: Path) -> None:
    bot = BotProcess(slack, tmp_path).start()
    try:
        response = slack.slash_command("U0ALICE", "/propose", "GPT2 poetry generation in German")
        assert response.status == 200
        slack.wait_for(lambda: slack.views("U0ALICE"), timeout=5)
        assert slack.calls_to("conversations.list")  # found the channel by name at start-up
        assert slack.channel_id(CHANNEL)
        forged = slack.post_signed(
            b"command=/propose", "application/x-www-form-urlencoded", signature="v0=" + "0" * 64
        )
        assert forged.status == 401
    finally:
        code = bot.stop()
    assert code == 0, bot.output
    assert "xoxb" not in bot.output  # the token never reaches the log
    assert "will be unused" not in bot.output  # Bolt's token/client warning is not shown


def start_up_failure(bot: BotProcess) -> str:
    bot.start(wait=False)
    assert bot.wait_exit() == 2
    assert "Traceback" not in bot.output
    return bot.output


def test_without_organizers_the_bot_refuses_to_start_and_says_how_to_find_ids(
    slack: FakeSlack, tmp_path: Path
) -> None:
    output = start_up_failure(BotProcess(slack, tmp_path, ORGANIZER_IDS=""))
    assert "ORGANIZER_IDS is empty and ORGANIZERS_CHANNEL is not set" in output
    assert "Copy member ID" in output
    assert slack.calls == []  # said before asking Slack anything


def test_a_private_organizers_channel_without_the_bot_is_one_message_with_the_fix(
    slack: FakeSlack, tmp_path: Path
) -> None:
    slack.add_channel("organizers", members=["U0ORG1"], is_private=True)
    output = start_up_failure(BotProcess(slack, tmp_path, ORGANIZERS_CHANNEL="organizers"))
    assert "ORGANIZERS_CHANNEL: no channel named #organizers is visible" in output
    assert f"/invite @{slack.bot_name} in #organizers" in output


def test_a_public_organizers_channel_is_joined_and_its_members_are_organizers(
    slack: FakeSlack, tmp_path: Path
) -> None:
    room = slack.add_channel("organizers", members=["U0ORG1"])
    bot = BotProcess(slack, tmp_path, ORGANIZER_IDS="", ORGANIZERS_CHANNEL="#organizers").start()
    try:
        assert slack.bot_user_id in slack.members(room)
        slack.slash_command("U0ORG1", "/organize", "help")
        slack.slash_command("U0BOB", "/organize", "help")
        assert "official" in slack.ephemerals("U0ORG1")[-1]["text"]
        assert "Only the organizers" in slack.ephemerals("U0BOB")[-1]["text"]
    finally:
        assert bot.stop() == 0, bot.output
