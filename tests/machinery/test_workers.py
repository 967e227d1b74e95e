"""The work queues: a full lane sheds to the inbox (counted, logged, never lost), and its
counters are served at GET /metrics."""

from __future__ import annotations

import threading
import urllib.request
from pathlib import Path
from typing import Any

from slackbot.local import LocalBot
from slackbot.machinery.workers import Lane, Workers
from slackbot.sandbox import FakeSlack
from slackbot.store.db import Store
from slackbot.store.inbox import Inbox


def test_a_full_lane_sheds_to_the_inbox_and_the_sweeper_brings_it_back(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.db")
    store.migrate()
    gate = threading.Event()
    done: list[int] = []

    def slow(body: dict[str, Any]) -> None:
        gate.wait(10)
        done.append(int(body["n"]))

    workers = Workers(
        Inbox(store),
        {"slow": ("ui", slow)},
        retryable=(OSError,),
        on_failure=lambda work, exc: None,
        lanes=(Lane("ui", threads=1, capacity=1),),
        sweep_every=0.05,
    ).start()
    try:
        for n in range(4):  # one runs, one waits in the lane, two find it full
            assert workers.defer(f"k{n}", "slow", {"n": n})
        figures = workers.metrics()
        assert figures["shed:ui"] >= 2 and figures["queued:ui"] <= 1
        gate.set()
        assert workers.wait_idle(10)
        pause = threading.Event()
        for _ in range(200):
            if workers.metrics().get("done") == 4:
                break
            pause.wait(0.05)
        assert sorted(done) == [0, 1, 2, 3]  # the shed work was done from the inbox
        assert workers.metrics()["done"] == 4
    finally:
        workers.stop(1.0)
        store.close()


def test_the_counters_are_served_at_metrics(bot: LocalBot, slack: FakeSlack) -> None:
    slack.slash_command("U0ALICE", "/propose")
    slack.settle()
    with urllib.request.urlopen(f"http://127.0.0.1:{bot.server.port}/metrics", timeout=5) as answer:
        text = answer.read().decode()
    lines = dict(line.rsplit(" ", 1) for line in text.splitlines())
    assert int(lines["slackbot_work_done"]) >= 1
    assert lines['slackbot_work_shed{lane="ui"}'] == "0"
    assert 'slackbot_work_queued{lane="events"}' in lines
