"""The kickoff rush: a flood of reactions while people run /propose, against the real bot.

The bot runs as its own process (`slackbot run`, HTTP mode) against the in-package stand-in;
the same flood is sent, in the same run, to a bare ack-only Bolt app served by waitress (the
fair floor). Printed:

- acks: failed acks (non-2xx, or later than Slack's 3 s) and ack throughput, for the bot and
  the bare app, at 10 and 50 senders;
- /propose every 0.5 s during the flood: its ack, and how long until the bot's views.open
  reached Slack (the trigger dies after 3 s);
- processing: reactions applied per second, on a post that already has 400 joins.

Usage: python bench/kickoff_flood.py [--events 5000]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ms as _ms
from bench.common import people, start_bare
from slackbot.bot_process import BotProcess
from slackbot.local import CHANNEL, proposal_values
from slackbot.sandbox import FakeSlack

REACTED: dict[str, bool] = {}  # who has the reaction on now (across runs)


def flood(
    slack: FakeSlack, ts: str, users: list[str], events: int, senders: int
) -> tuple[list[tuple[int, float]], float]:
    """`events` reactions (each user reacts, unreacts, reacts…) from `senders` threads;
    returns (status, elapsed) of each and the wall time."""
    results: list[tuple[int, float]] = []
    lock = threading.Lock()
    per_sender = [users[i::senders] for i in range(senders)]
    quota = [events // senders + (1 if i < events % senders else 0) for i in range(senders)]

    def send(mine: list[str], n: int) -> None:
        added = REACTED
        for k in range(n):
            user = mine[k % len(mine)]
            act = slack.unreact if added.get(user) else slack.react
            try:
                response = act(user, CHANNEL, ts, "raised_hand")
                outcome = (response.status, response.elapsed) if response else (0, 0.0)
            except OSError:
                outcome = (0, 0.0)
            added[user] = not added.get(user)
            with lock:
                results.append(outcome)

    threads = [
        threading.Thread(target=send, args=(mine, n), daemon=True)
        for mine, n in zip(per_sender, quota, strict=True)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.monotonic() - started


def proposing(slack: FakeSlack, users: list[str], stop: threading.Event) -> list[tuple]:
    """/propose every 0.5 s: (ack status, ack elapsed, trigger_id, sent at)."""
    out = []
    for user in users:
        if stop.is_set():
            break
        sent = time.monotonic()
        response = slack.slash_command(user, "/propose")
        out.append((response.status, response.elapsed, response.trigger_id, sent))
        time.sleep(max(0.0, 0.5 - (time.monotonic() - sent)))
    return out


def failed(results: list[tuple[int, float]]) -> int:
    return sum(1 for status, elapsed in results if not 200 <= status < 300 or elapsed > 3.0)


def run_bot(events: int, senders_list: list[int]) -> None:
    REACTED.clear()
    with tempfile.TemporaryDirectory() as workdir, FakeSlack() as slack:
        slack.add_user("U0ALICE", "alice")
        slack.add_user("U0ORG1", "org")
        slack.add_channel(CHANNEL, members=["U0ALICE", "U0ORG1"])
        joiners = people(slack, 400, "U1")
        flooders = people(slack, 1000, "U2")
        proposers = people(slack, 200, "U3")
        bot = BotProcess(slack, Path(workdir), TEAM_SIZE_MAX="100", LOG_LEVEL="WARNING")
        bot.start()
        try:
            slack.slash_command("U0ALICE", "/propose")
            view = slack.wait_for(lambda: slack.views("U0ALICE"), timeout=5)[-1]
            values = proposal_values("PreTrain RoBERTa from scratch in Hindi", languages=["hindi"])
            slack.submit_view("U0ALICE", view["id"], values)
            post = slack.wait_for(lambda: slack.messages(CHANNEL), timeout=10)[-1]
            ts = str(post["ts"])
            for user in joiners:
                slack.react(user, CHANNEL, ts, "raised_hand")
            database = Path(bot.env["DATABASE_PATH"])
            wait_applied(database)
            for senders in senders_list:
                stop = threading.Event()
                proposals: list[tuple] = []

                def keep_proposing(
                    out: list[tuple] = proposals, done: threading.Event = stop
                ) -> None:
                    out.extend(proposing(slack, proposers, done))

                thread = threading.Thread(target=keep_proposing, daemon=True)
                slack.reset_calls()
                thread.start()
                before = applied(database)
                results, wall = flood(slack, ts, flooders, events, senders)
                ended = time.time()
                stop.set()
                thread.join()
                rate, lag = processing_rate(database, before, ended)
                opens = {c.args.get("trigger_id"): c.at for c in slack.calls_to("views.open")}
                delays = [
                    opens[trigger] - sent for _, _, trigger, sent in proposals if trigger in opens
                ]
                report(
                    f"bot, {senders} senders",
                    results,
                    wall,
                    extra=(
                        f"/propose: {len(proposals)} sent, {failed([p[:2] for p in proposals])} "
                        f"failed acks, {len(delays)} modals opened, views.open after "
                        f"{_ms(max(delays, default=0))} at most "
                        f"(median {_ms(statistics.median(delays) if delays else 0)}); "
                        f"reactions applied at {rate:.0f}/s with 400+ joins on the post, the "
                        f"last {lag:.1f} s after the flood ended"
                    ),
                )
                flooders = flooders[::-1]  # a new round starts from the other end
        finally:
            bot.stop()


def run_bare(events: int, senders_list: list[int]) -> None:
    REACTED.clear()
    with tempfile.TemporaryDirectory() as workdir, FakeSlack() as slack:
        slack.add_user("U0ALICE", "alice")
        slack.add_channel(CHANNEL, members=["U0ALICE", slack.bot_user_id])
        flooders = people(slack, 1000, "U2")
        ts = slack.add_message(CHANNEL, "U0ALICE", "a post")
        process = start_bare(slack, Path(workdir))
        try:
            for senders in senders_list:
                results, wall = flood(slack, ts, flooders, events, senders)
                report(f"bare Bolt app, {senders} senders", results, wall)
        finally:
            process.terminate()
            process.wait(10)


THROUGHPUT: dict[str, float] = {}


def report(name: str, results: list[tuple[int, float]], wall: float, extra: str = "") -> None:
    acked = len(results) / wall
    THROUGHPUT[name] = acked
    elapsed = sorted(e for _, e in results)
    p95 = elapsed[int(len(elapsed) * 0.95) - 1] if elapsed else 0.0
    line = (
        f"{name:26} {len(results)} events, {failed(results)} failed acks, "
        f"{acked:6.0f} acks/s, ack p95 {_ms(p95)}"
    )
    print(line + (f"\n{'':26} {extra}" if extra else ""), flush=True)


def applied(database: Path) -> int:
    with sqlite3.connect(database) as conn:
        return int(
            conn.execute(
                "SELECT COUNT(*) FROM inbox WHERE handler = 'reaction' AND state = 'done'"
            ).fetchone()[0]
        )


def wait_applied(database: Path, timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(database) as conn:
            pending = conn.execute("SELECT COUNT(*) FROM inbox WHERE state = 'pending'").fetchone()[
                0
            ]
        if not pending:
            return
        time.sleep(0.1)
    raise TimeoutError("the bot did not apply the reactions")


def processing_rate(database: Path, before: int, flood_ended: float) -> tuple[float, float]:
    """(reactions applied per second while the bot was applying them, seconds from the end of
    the flood until the last was applied)."""
    wait_applied(database)
    with sqlite3.connect(database) as conn:
        rows = conn.execute(
            "SELECT done_at FROM inbox WHERE handler = 'reaction' AND state = 'done' ORDER BY id"
        ).fetchall()[before:]
    if not rows:
        return 0.0, 0.0
    done = sorted(r[0] for r in rows)
    span = done[-1] - done[0]
    return (len(done) / span if span > 0 else float("inf")), max(0.0, done[-1] - flood_ended)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    args = parser.parse_args()
    senders = [10, 50]
    print(f"{args.events} reaction events per run, /propose every 0.5 s during the bot's runs\n")
    run_bare(args.events, senders)
    run_bot(args.events, senders)
    for n in senders:
        ratio = THROUGHPUT[f"bot, {n} senders"] / THROUGHPUT[f"bare Bolt app, {n} senders"]
        print(f"ack throughput at {n} senders: {ratio:.2f}x the bare app")


if __name__ == "__main__":
    main()
