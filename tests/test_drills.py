"""Drills on the real entry point: `slackbot run` killed (-9) or stopped (SIGTERM) in the
middle of a burst of reactions and submissions, then started again on the same database.

After the restart: every event the bot acknowledged was applied, every team equals the
reactions on its post and every post shows that team, every organizer has each alert once,
and no proposal was posted twice.
"""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from slackbot.bot_process import BotProcess
from slackbot.domain.proposal import Status
from slackbot.local import CHANNEL, proposal_values
from slackbot.sandbox import FakeSlack
from slackbot.store.db import Store
from slackbot.store.membership_repository import Memberships
from slackbot.store.proposal_repository import Proposals
from slackbot.store.standing_columns import StandingColumns

SETTINGS = {
    "TEAM_SIZE_THRESHOLD": "3",
    "TEAM_SIZE_MAX": "5",
    "RETRY_DELAY_SECONDS": "1",
    "RECONCILE_MINUTES": "1",
}
IDEAS = [
    ("PreTrain RoBERTa from scratch in Hindi", "hindi"),
    ("GPT2 poetry generation in German", "german"),
    ("Summarize Spanish news articles with mT5", "spanish"),
]
LATE = ("Fine-tune CLIP for zero-shot image search in Korean", "korean")
JOINERS = [f"U1{n:03d}" for n in range(7)]
ORGANIZERS = ("U0ORG1", "U0ORG2")


@pytest.fixture
def people(slack: FakeSlack) -> Iterator[list[str]]:
    for user in JOINERS:
        slack.add_user(user, user.lower())
        slack.join(CHANNEL, user)
    yield JOINERS


def propose(slack: FakeSlack, user: str, name: str, language: str) -> None:
    """Open the form and submit it (the post itself may come later)."""
    before = {v["id"] for v in slack.views(user)}
    assert slack.slash_command(user, "/propose").status == 200
    view = slack.wait_for(
        lambda: [v for v in slack.views(user) if v["id"] not in before], timeout=5
    )
    response = slack.submit_view(user, view[-1]["id"], proposal_values(name, languages=[language]))
    assert response.status == 200 and (response.json or {}).get("response_action") != "errors"


def posts(slack: FakeSlack) -> dict[str, str]:
    """Proposal name -> ts of its post."""
    out = {}
    for message in slack.messages(CHANNEL):
        header = next((b for b in message.get("blocks") or [] if b["type"] == "header"), None)
        if header is not None:
            out[header["text"]["text"]] = message["ts"]
    return out


def burst(slack: FakeSlack, ts_list: list[str]) -> list[tuple[str, str, str]]:
    """Everyone reacts on every post, some change their minds: (user, ts, added?) in order."""
    plan = [(user, ts, "add") for user in JOINERS for ts in ts_list]
    plan += [(JOINERS[1], ts_list[0], "remove"), (JOINERS[2], ts_list[1], "remove")]
    plan += [(JOINERS[1], ts_list[0], "add")]
    return plan


def send(slack: FakeSlack, step: tuple[str, str, str]) -> str | None:
    """One reaction; the event_id if the bot acknowledged it."""
    user, ts, what = step
    act = slack.react if what == "add" else slack.unreact
    try:
        response = act(user, CHANNEL, ts, "raised_hand")
    except OSError:  # the bot is down: the reaction stays on Slack, the event is not delivered
        return None
    return response.event_id if response is not None and response.status == 200 else None


def database(bot: BotProcess) -> Path:
    return Path(bot.env["DATABASE_PATH"])


def unsent_alerts(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT COUNT(*) FROM alert_deliveries WHERE state IN ('pending', 'sending')"
        ).fetchone()
        return int(row[0])


def pending_work(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM inbox WHERE state = 'pending'").fetchone()[0])


def reactions_on(slack: FakeSlack, ts: str) -> set[str]:
    message = next(m for m in slack.messages(CHANNEL) if m["ts"] == ts)
    return set(message.get("reactions", {}).get("raised_hand", []))


def shown_team(slack: FakeSlack, ts: str) -> tuple[list[str], list[str]]:
    text = json.dumps(next(m for m in slack.messages(CHANNEL) if m["ts"] == ts)["blocks"])
    members = re.search(r"\*Team:\* ([^\\\"]*)", text)
    waiting = re.search(r"\*Waitlist:\* ([^\\\"]*)", text)
    return (
        re.findall(r"<@(\w+)>", members.group(1)) if members else [],
        re.findall(r"<@(\w+)>", waiting.group(1)) if waiting else [],
    )


WHY: list[str] = []


def settled(slack: FakeSlack, path: Path) -> bool:
    """The restarted bot has done everything: no pending work, rosters redrawn."""
    WHY.clear()
    if pending_work(path):
        WHY.append(f"pending work {pending_work(path)}")
        return False
    if unsent_alerts(path):  # paced: about one message a second into each organizer's DM
        WHY.append(f"unsent alerts {unsent_alerts(path)}")
        return False
    store = Store(path)
    try:
        standings = StandingColumns(store, default_threshold=3, default_max=5)
        proposals = Proposals(store, standings)
        memberships = Memberships(store, standings)
        for proposal in proposals.with_status(Status.OPEN, Status.OFFICIAL):
            team = memberships.team(proposal)
            assert proposal.ts is not None
            if set(team.members[1:] + team.waitlist) != reactions_on(slack, proposal.ts):
                WHY.append(f"team {proposal.id} {team} vs {reactions_on(slack, proposal.ts)}")
                return False
            if shown_team(slack, proposal.ts) != (team.members, team.waitlist):
                WHY.append(f"shown {proposal.id} {shown_team(slack, proposal.ts)} vs {team}")
                return False
        return not proposals.with_status(Status.PENDING)
    finally:
        store.close()


def check_the_week(slack: FakeSlack, path: Path, acked: list[str]) -> None:
    try:
        slack.wait_for(lambda: settled(slack, path), timeout=45)
    except TimeoutError:
        raise AssertionError(f"not settled: {WHY}") from None
    with sqlite3.connect(path) as conn:
        done = {
            key for (key,) in conn.execute("SELECT key FROM inbox WHERE state = 'done'").fetchall()
        }
    assert {f"event:{e}" for e in acked} <= done, "an acknowledged event was not applied"
    names = [m["blocks"][0]["text"]["text"] for m in slack.messages(CHANNEL) if m.get("blocks")]
    proposed = [name for name, _ in IDEAS] + [LATE[0]]
    assert sorted(n for n in names if n in proposed) == sorted(proposed), "a post twice, or lost"
    for organizer in ORGANIZERS:
        texts = [m["text"] for m in slack.dms(organizer)]
        for name, _ in IDEAS:
            ready = [t for t in texts if name in t and "reached its size" in t]
            crowded = [t for t in texts if name in t and "over-subscribed" in t]
            assert len(ready) == 1, (organizer, name, texts)
            assert len(crowded) == 1, (organizer, name, texts)


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_a_stop_in_the_middle_of_a_burst_loses_nothing_and_repeats_nothing(
    slack: FakeSlack, tmp_path: Path, people: list[str], stop: int
) -> None:
    bot = BotProcess(slack, tmp_path, **SETTINGS).start()
    for user, (name, language) in zip(("U0ALICE", "U0BOB", "U0CAROL"), IDEAS, strict=True):
        propose(slack, user, name, language)
    found = slack.wait_for(lambda: len(posts(slack)) == len(IDEAS) and posts(slack), timeout=10)
    ts_list = [found[name] for name, _ in IDEAS]

    # Slack answers messages slowly now: the workers fall behind the acks.
    slack.slow("chat.postMessage", 1.5, times=200)
    plan = burst(slack, ts_list)
    cut = len(plan) * 2 // 3
    acked = [e for e in (send(slack, step) for step in plan[:cut]) if e]
    propose(slack, "U0DAVE", *LATE)  # acknowledged: it must be posted once, whatever happens
    started = time.monotonic()
    code = bot.stop(stop, timeout=15)
    stopped_in = time.monotonic() - started
    for step in plan[cut:]:  # reactions while the bot is down: on Slack, never delivered
        assert send(slack, step) is None
    if stop == signal.SIGKILL:
        assert code == -signal.SIGKILL
        assert pending_work(database(bot)) > 0, "the drill did not catch work in flight"
    else:
        assert code == 0, bot.output
        assert stopped_in < 10, f"SIGTERM took {stopped_in:.1f} s"
        assert "Traceback" not in bot.output

    slack.clear_failures()
    again = BotProcess(slack, tmp_path, database=database(bot), **SETTINGS)
    again.start()
    try:
        check_the_week(slack, database(bot), acked)
    finally:
        assert again.stop() == 0, again.output


def test_one_organizers_alert_failing_is_retried_until_each_has_it_once(
    slack: FakeSlack, tmp_path: Path, people: list[str]
) -> None:
    bot = BotProcess(slack, tmp_path, **SETTINGS).start()
    try:
        name, language = IDEAS[0]
        propose(slack, "U0ALICE", name, language)
        ts = slack.wait_for(lambda: posts(slack).get(name), timeout=10)
        # Slack refuses the first organizer's DM for a while (each attempt and its retries).
        slack.fail("chat.postMessage", status=503, times=9, channel="U0ORG1")
        for user in JOINERS[:2]:
            slack.react(user, CHANNEL, ts, "raised_hand")

        def ready(organizer: str) -> list[str]:
            return [m["text"] for m in slack.dms(organizer) if "reached its size" in m["text"]]

        slack.wait_for(lambda: ready("U0ORG2"), timeout=10)
        assert ready("U0ORG1") == []
        slack.wait_for(lambda: ready("U0ORG1"), timeout=30)  # retried with backoff, then in
        time.sleep(2.5)  # the delivery job runs again: nobody gets a second copy
        assert len(ready("U0ORG1")) == 1 and len(ready("U0ORG2")) == 1
    finally:
        assert bot.stop() == 0, bot.output
