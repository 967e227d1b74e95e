"""Compute and Hub access over signed HTTP, the whole app: the pool imported from a CSV (a bad
one refused whole), handed out in the order teams became official, a team too small, the pool
running out and refilled, the details private (no public channel, no log line, no dashboard),
It works and Problem on the dashboard, Hub usernames with `--hub-invites`, and the reminder's
once-a-day limit."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest

from slackbot import cli
from slackbot.local import CHANNEL, LocalBot, post_proposal
from slackbot.sandbox import FakeSlack
from tests.conftest import run_offline_cli

SECRET = "ssh-key-SECRET-7f3a"
POOL = f"label,details,kind,note\ntpu-a,zone europe-west4-a {SECRET},v3-8,\n"


@pytest.fixture
def bot_settings() -> dict[str, object]:
    return {"ORGANIZER_IDS": "U0ORG1,U0ORG2", "TEAM_SIZE_THRESHOLD": 2, "TEAM_SIZE_MAX": 4}


def settle(bot: LocalBot) -> None:
    bot.settle()
    bot.rt.updates.drain()


def organize(slack: FakeSlack, bot: LocalBot, words: str) -> str:
    """The answer to an organizer's command (after the ack's "Working on…")."""
    slack.slash_command("U0ORG1", "/organize", words, channel=slack.channel_id(CHANNEL))
    settle(bot)
    answers = [m["text"] for m in slack.ephemerals("U0ORG1")]
    final = [a for a in answers if not a.startswith("Working on")]
    return final[-1]


def team(slack: FakeSlack, bot: LocalBot, proposer: str, name: str, *joiners: str) -> int:
    ts = post_proposal(slack, proposer, name)
    for person in joiners:
        slack.react(person, slack.channel_id(CHANNEL), ts, "raised_hand")
    settle(bot)
    proposal = bot.rt.uow.proposals.by_message(slack.channel_id(CHANNEL), ts)
    assert proposal is not None
    return proposal.id


def import_pool(
    monkeypatch: pytest.MonkeyPatch, slack: FakeSlack, bot: LocalBot, tmp_path: Path, text: str
) -> int:
    """`slackbot compute import FILE.csv`, as an organizer runs it beside the bot."""
    path = tmp_path / "pool.csv"
    path.write_text(text, encoding="utf-8")
    for name, value in {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_PATH": str(bot.database),
        "PROPOSALS_CHANNEL": CHANNEL,
        "ORGANIZER_IDS": "U0ORG1,U0ORG2",
    }.items():
        monkeypatch.setenv(name, value)
    code = cli.main(["compute", "import", str(path)])
    settle(bot)
    return code


def click_in_dm(slack: FakeSlack, bot: LocalBot, user: str, action: str, value: str) -> None:
    """Press a button of the bot's newest DM to `user` that has it."""
    message = next(m for m in reversed(slack.dms(user)) if action in json.dumps(m))
    slack.click(user, action, value=value, channel=user, message_ts=message["ts"])
    settle(bot)


def said_to(slack: FakeSlack, user: str) -> str:
    return json.dumps(slack.dms(user))


def test_the_pool_is_handed_out_in_order_privately_and_refilled(
    bot: LocalBot,
    slack: FakeSlack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.INFO)
    # A bad file is refused whole, with its line numbers: nothing is stored.
    bad = "label,details\ntpu-a,one\ntpu-a,two\ntpu-b,\n"
    assert import_pool(monkeypatch, slack, bot, tmp_path, bad) == 2
    err = capsys.readouterr().err
    assert "line 3: the label tpu-a is already on line 2" in err
    assert "line 4: the details to hand over are required" in err
    assert bot.rt.uow.compute.all() == []
    assert import_pool(monkeypatch, slack, bot, tmp_path, POOL) == 0

    first = team(slack, bot, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi", "U0BOB")
    second = team(slack, bot, "U0CAROL", "GPT2 for Bengali poetry generation", "U0DAVE")
    solo = team(slack, bot, "U0ERIN", "Solo: CLIP for Swahili captions")
    bot.rt.uow.proposals.set_limits(solo, 1, 4)  # an organizer lets one person start
    for pid in (first, second, solo):
        assert "now an official team" in organize(slack, bot, f"official {pid}")

    # The first official team gets the machine, each member by DM, with the buttons.
    assert SECRET in said_to(slack, "U0ALICE") and SECRET in said_to(slack, "U0BOB")
    assert "compute_works" in said_to(slack, "U0BOB")
    # The second waits; the solo team is told why it gets none.
    assert "waiting for compute (#1 in line)" in json.dumps(slack.shown())
    assert SECRET not in said_to(slack, "U0CAROL")
    assert "fewer than 2 people get no compute" in json.dumps(slack.shown())
    listing = organize(slack, bot, "compute")
    assert "tpu-a" in listing and "given" in listing and SECRET not in listing

    # Refilled from Slack: the waiting team gets it at once.
    assert "Added to the pool" in organize(slack, bot, f"compute add tpu-b | zone us-c {SECRET}2")
    assert f"{SECRET}2" in said_to(slack, "U0CAROL") and f"{SECRET}2" in said_to(slack, "U0DAVE")
    assert "not an official team" not in organize(slack, bot, f"compute give {second} tpu-b")
    assert "There is no project #99" in organize(slack, bot, "compute give 99 tpu-b")

    # Privacy: the details went to members' DMs and nowhere else; no log line has them.
    dm_channels = {c["id"] for c in slack.channels.values() if c.get("is_im")}
    members = {"U0ALICE", "U0BOB", "U0CAROL", "U0DAVE"}
    shown_with_secret = [(m, p) for m, p in slack.shown() if SECRET in json.dumps(p)]
    assert shown_with_secret
    for method, payload in shown_with_secret:
        assert method == "chat.postMessage", method  # never a view (Home tab, modal)
        assert payload["channel"] in dm_channels | members, payload["channel"]
    assert not [r for r in caplog.records if SECRET in r.getMessage()]
    # Echoed back to the organizer without the details.
    assert all(SECRET not in json.dumps(e) for e in slack.ephemerals("U0ORG1"))
    # The export has the label; the details only with --with-secrets.
    plain = run_offline_cli(bot.database, tmp_path, "export")
    assert "tpu-a" in plain.stdout and SECRET not in plain.stdout
    secret = run_offline_cli(bot.database, tmp_path, "export", "--with-secrets")
    assert SECRET in secret.stdout


def test_answers_problems_usernames_and_reminders(
    bot: LocalBot, slack: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_pool(monkeypatch, slack, bot, tmp_path, POOL)
    pid = team(slack, bot, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi", "U0BOB", "U0CAROL")
    organize(slack, bot, f"official {pid}")

    # Alice: It works. Bob: a problem, in the modal.
    click_in_dm(slack, bot, "U0ALICE", "compute_works", str(pid))
    click_in_dm(slack, bot, "U0BOB", "compute_problem", str(pid))
    modal = slack.views("U0BOB")[-1]
    slack.submit_view("U0BOB", modal["id"], {"problem": "ssh: connection refused"})
    settle(bot)
    alert = slack.dms("U0ORG1")[-1]
    assert "connection refused" in alert["text"] and SECRET not in json.dumps(alert)
    slack.open_home("U0ORG1")
    settle(bot)
    home = slack.home("U0ORG1")
    assert home is not None
    compute = next(b for b in home["blocks"] if b.get("block_id") == "dash-compute")
    assert "confirmed by 1 of 3" in compute["text"]["text"]
    assert "<@U0BOB>: ssh: connection refused" in compute["text"]["text"]
    assert SECRET not in json.dumps(home)

    # Hub usernames: a wrong one is refused in the modal; a right one kept.
    click_in_dm(slack, bot, "U0ALICE", "hub_username", "hub")
    modal = slack.views("U0ALICE")[-1]
    slack.submit_view("U0ALICE", modal["id"], {"hub_username": "alice smith"})
    assert "hub_username" in slack.view_errors(modal["id"])
    slack.submit_view("U0ALICE", modal["id"], {"hub_username": "https://huggingface.co/alice-hf"})
    settle(bot)
    assert "alice-hf" in slack.dms("U0ALICE")[-1]["text"]
    invites = run_offline_cli(bot.database, tmp_path, "export", "--hub-invites")
    assert invites.stdout == "alice-hf\n"
    sheet = run_offline_cli(bot.database, tmp_path, "export")
    assert "alice-hf, (none), (none)" in sheet.stdout

    # The dashboard lists who has none; Remind them sends one DM each, once a day.
    slack.open_home("U0ORG1")
    settle(bot)
    home = slack.home("U0ORG1")
    assert home is not None
    hub = next(b for b in home["blocks"] if b.get("block_id") == "dash-hub")
    assert "<@U0BOB>" in hub["text"]["text"] and "<@U0ALICE>" not in hub["text"]["text"]
    before = {u: len(slack.dms(u)) for u in ("U0ALICE", "U0BOB", "U0CAROL")}
    for _ in range(2):  # pressed twice: the second sends nothing
        home = slack.home("U0ORG1")
        assert home is not None
        slack.click("U0ORG1", "hub_remind", value="remind", view_id=home["id"])
        settle(bot)
    after = {u: len(slack.dms(u)) for u in ("U0ALICE", "U0BOB", "U0CAROL")}
    assert after == {
        "U0ALICE": before["U0ALICE"],
        "U0BOB": before["U0BOB"] + 1,
        "U0CAROL": before["U0CAROL"] + 1,
    }
    answers = [m["text"] for m in slack.dms("U0ORG1")]
    assert "less than a day ago" in answers[-1]


def button_value(message: dict, action: str) -> str:
    return next(
        str(e["value"])
        for b in message.get("blocks") or []
        if b["type"] in ("actions", "section")
        for e in (b.get("elements") or [b.get("accessory") or {}])
        if e.get("action_id") == action
    )


def test_an_organizer_replies_to_a_problem_and_official_members_give_their_username_at_home(
    bot: LocalBot, slack: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_pool(monkeypatch, slack, bot, tmp_path, POOL)
    pid = team(slack, bot, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi", "U0BOB")
    organize(slack, bot, f"official {pid}")
    team(slack, bot, "U0CAROL", "GPT2 for Bengali poetry generation")  # not official

    # Bob reports a problem; the organizer answers from the alert's Reply, in a modal.
    click_in_dm(slack, bot, "U0BOB", "compute_problem", str(pid))
    slack.submit_view("U0BOB", slack.views("U0BOB")[-1]["id"], {"problem": "ssh: refused"})
    settle(bot)
    alert = next(m for m in reversed(slack.dms("U0ORG1")) if "compute_reply" in json.dumps(m))
    slack.click(
        "U0ORG1",
        "compute_reply",
        value=button_value(alert, "compute_reply"),
        channel=alert["channel"],
        message_ts=alert["ts"],
    )
    settle(bot)
    modal = slack.views("U0ORG1")[-1]
    assert modal["callback_id"] == "compute_reply_modal"
    slack.submit_view("U0ORG1", modal["id"], {"reply": "Try the <zone> b, it is back"})
    settle(bot)
    answer = slack.dms("U0BOB")[-1]
    assert "Try the &lt;zone&gt; b, it is back" in json.dumps(answer)
    assert "<@U0ORG1>" in answer["text"] and SECRET not in json.dumps(answer)

    # Re-give from the alert: another machine for the team; the broken one set aside until
    # an organizer says it is fixed.
    organize(slack, bot, "compute add tpu-b | zone europe-west4-b key-b")
    slack.click(
        "U0ORG1",
        "compute_regive",
        value=button_value(alert, "compute_regive"),
        channel=alert["channel"],
        message_ts=alert["ts"],
    )
    settle(bot)
    assert "key-b" in json.dumps(slack.dms("U0BOB")[-1])
    listing = organize(slack, bot, "compute")
    assert "`tpu-a` (v3-8): set aside" in listing and f"`tpu-b`: given → #{pid}" in listing
    assert "Added to the pool: `tpu-a`" in organize(slack, bot, "compute fixed tpu-a")
    assert "`tpu-a` (v3-8): returned" in organize(slack, bot, "compute")  # free again

    # The Home tab: an official member gets the Hub username button; one who is not, none.
    slack.open_home("U0CAROL")
    settle(bot)
    assert "hub_username" not in json.dumps(slack.home("U0CAROL"))
    slack.open_home("U0ALICE")
    settle(bot)
    home = slack.home("U0ALICE")
    assert home is not None and "hub_username" in json.dumps(home)
    slack.click("U0ALICE", "hub_username", value=button_value(home, "hub_username"),
                view_id=home["id"])  # fmt: skip
    settle(bot)
    modal = slack.views("U0ALICE")[-1]
    assert modal["callback_id"] == "hub_username_modal"
    slack.submit_view("U0ALICE", modal["id"], {"hub_username": "alice-hf"})
    settle(bot)
    slack.open_home("U0ALICE")
    settle(bot)
    assert "Your Hub username: *alice-hf*" in json.dumps(slack.home("U0ALICE"))


def test_remind_them_within_the_rate_budget_each_dm_in_its_own_channel(
    bot: LocalBot, slack: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Members with no room left in their DM's budget are left for later, and the organizer is
    told so (Slack never answers 429). Once there is room, a second click reaches the rest, each
    DM counted in its own channel (not three for all of them together), and nobody twice."""
    slack.add_user("U0GRACE", "grace")
    slack.add_user("U0HEIDI", "heidi")
    import_pool(monkeypatch, slack, bot, tmp_path, POOL)
    first = team(slack, bot, "U0ALICE", "PreTrain RoBERTa in Hindi", "U0BOB", "U0CAROL", "U0DAVE")
    second = team(slack, bot, "U0ERIN", "GPT2 for Bengali poetry", "U0FRANK", "U0GRACE", "U0HEIDI")
    for pid in (first, second):
        organize(slack, bot, f"official {pid}")
    people = ("U0ALICE", "U0BOB", "U0CAROL", "U0DAVE", "U0ERIN", "U0FRANK", "U0GRACE", "U0HEIDI")
    before = {u: len(slack.dms(u)) for u in people}

    def remind() -> str:
        slack.open_home("U0ORG1")
        settle(bot)
        home = slack.home("U0ORG1")
        assert home is not None
        slack.click("U0ORG1", "hub_remind", value="remind", view_id=home["id"])
        settle(bot)
        return str(slack.dms("U0ORG1")[-1]["text"])

    # A DM's budget is 3 posts in 3 seconds: once the hand-out's messages are out of it, half
    # of them have just been sent three more.
    time.sleep(3.1)
    for user in people[:4]:
        assert [bot.rt.client.try_spend("chat.postMessage", user) for _ in range(4)] == [
            True,
            True,
            True,
            False,
        ]
    first_answer = remind()
    assert first_answer.startswith("Reminded 4 members by DM."), first_answer
    assert "4 are left for Slack's rate limit: press again in a minute" in first_answer
    time.sleep(3.1)  # room again in those DMs' budget
    second_answer = remind()
    assert second_answer.startswith("Reminded 4 members by DM."), second_answer
    assert "4 were reminded less than a day ago" in second_answer
    assert "rate limit" not in second_answer, second_answer
    assert {u: len(slack.dms(u)) - before[u] for u in people} == dict.fromkeys(people, 1)
    assert not [c for c in slack.calls_to("chat.postMessage") if c.status == 429]
