"""A busy hour at three times the expected rate, played at real speed against two bot processes.

800 people, 200 proposals already posted; per hour 9,000 reactions, 150 new proposals through
the modal and 2,400 Home tab opens. Posts draw reactions unevenly (a heavy-tailed appeal
each). A reaction is a join (raised_hand) one time in four and otherwise another emoji (a
"like": in 2021 likes far outnumbered offers to join); a person is on at most 3 teams at once,
so a fourth join is a leave instead (9,000 joins an hour from 800 people would be 11 teams
each). Two `slackbot run` processes share one database behind a round-robin "load balancer"
(the stand-in sends each request to the next process). The stand-in enforces
Slack's tiers. Printed:

- each Web API method's most calls in any 60 s, beside its tier;
- posts into the proposals channel: most in any 60 s and any 10 s;
- rosters: from a join or leave to the first chat.update of its post made after the bot
  applied it (median, p95, max; how many were not current within 60 s), and the most posts
  whose team changed in any minute beside chat.update's budget: no design keeps rosters
  current within 60 s when more posts than that change every minute;
- acks (failed, p50, p99, max), beside the bare ack-only Bolt app given the same requests;
- 429s the bot got (each one is a tier exceeded).

Usage: python bench/busy_hour.py [--minutes 5] [--bare-minutes 2]
"""

from __future__ import annotations

import argparse
import json
import queue
import random
import sqlite3
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ms, people, percentile, start_bare
from slackbot.bot_process import BotProcess
from slackbot.local import CHANNEL, proposal_values
from slackbot.samples import IDEAS, LANGS, offline_runtime, sample_draft
from slackbot.sandbox import FakeSlack
from slackbot.sandbox.checks import load_methods
from slackbot.sandbox.transport import TIER_PER_MINUTE
from slackbot.slack.budgets import windows_for

PER_HOUR = {"reaction": 9000, "propose": 150, "home": 2400}
PEOPLE = 800
EXISTING = 200
JOIN_SHARE = 0.25
TEAMS_AT_ONCE = 3
LIKES = ("+1", "fire", "eyes", "heart", "tada")


@dataclass
class Load:
    """What was sent, and how it was answered."""

    acks: list[tuple[str, int, float]] = field(default_factory=list)  # kind, status, elapsed
    joins: list[tuple[str, float, str]] = field(default_factory=list)  # event id, sent, ts
    proposed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class World:
    """The channel as the bench sees it: posts, their appeal, who reacted."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.posts: list[str] = []
        self.appeal: list[float] = []
        self.proposer: dict[str, str] = {}
        self.reacted: dict[tuple[str, str], bool] = {}
        self.teams: dict[str, set[str]] = defaultdict(set)
        self.lock = threading.Lock()

    def add(self, ts: str, proposer: str) -> None:
        with self.lock:
            self.posts.append(ts)
            self.appeal.append(self.rng.paretovariate(1.2))
            self.proposer[ts] = proposer

    def pick(self) -> str:
        with self.lock:
            return self.rng.choices(self.posts, weights=self.appeal)[0]


def schedule(minutes: float, rng: random.Random) -> list[tuple[float, str]]:
    """Poisson arrivals of each kind over `minutes`, merged in time order."""
    plan = []
    for kind, per_hour in PER_HOUR.items():
        rate = per_hour / 3600
        at = rng.expovariate(rate)
        while at < minutes * 60:
            plan.append((at, kind))
            at += rng.expovariate(rate)
    return sorted(plan)


def play(
    slack: FakeSlack,
    plan: list[tuple[float, str]],
    world: World,
    users: list[str],
    *,
    bot: bool,
    rng: random.Random,
) -> Load:
    load = Load()
    jobs: queue.Queue[tuple[float, str] | None] = queue.Queue()
    start = time.monotonic()
    counter = iter(range(10**9))

    def react() -> None:
        ts, user = world.pick(), rng.choice(users)
        with world.lock:
            if rng.random() < JOIN_SHARE:
                emoji = "raised_hand"
                teams = world.teams[user]
                if ts not in teams and len(teams) >= TEAMS_AT_ONCE:
                    ts = rng.choice(sorted(teams))  # on three teams: leaves one instead
                on = ts in teams
                (teams.discard if on else teams.add)(ts)
            else:
                emoji = rng.choice(LIKES)
                key = (user, f"{ts}:{emoji}")
                on = world.reacted.get(key, False)
                world.reacted[key] = not on
        act = slack.unreact if on else slack.react
        sent = time.monotonic()
        response = act(user, CHANNEL, ts, emoji)
        if response is None:
            return
        with load.lock:
            load.acks.append(("reaction", response.status, response.elapsed))
            if emoji == "raised_hand" and user != world.proposer.get(ts) and response.event_id:
                load.joins.append((response.event_id, sent, ts))

    def propose() -> None:
        user = rng.choice(users)
        response = slack.slash_command(user, "/propose")
        with load.lock:
            load.acks.append(("propose", response.status, response.elapsed))
        if not bot:
            return
        try:
            view = slack.wait_for(
                lambda: [v for v in slack.views(user) if v.get("callback_id")], timeout=5
            )[-1]
        except TimeoutError:
            return
        n = next(counter)
        idea = IDEAS[n % len(IDEAS)][0].format(lang=LANGS[n % len(LANGS)].title())
        name = f"{idea}, take {n}"
        answer = slack.submit_view(user, view["id"], proposal_values(name))
        body = answer.json or {}
        with load.lock:
            load.acks.append(("submit", answer.status, answer.elapsed))
        if body.get("response_action") == "update":  # the similar-projects step: post anyway
            slack.submit_view(user, view["id"], {})
        try:
            ts = slack.wait_for(
                lambda: next(
                    (m["ts"] for m in slack.messages(CHANNEL) if name in json.dumps(m)), None
                ),
                timeout=60,
            )
        except TimeoutError:
            return
        world.add(str(ts), user)
        with load.lock:
            load.proposed += 1

    def open_home() -> None:
        response = slack.open_home(rng.choice(users))
        with load.lock:
            load.acks.append(("home", response.status, response.elapsed))

    actions = {"reaction": react, "propose": propose, "home": open_home}

    def worker() -> None:
        while (job := jobs.get()) is not None:
            due, kind = job
            time.sleep(max(0.0, start + due - time.monotonic()))
            try:
                actions[kind]()
            except Exception as exc:  # a failed send is a failed ack, not a crashed bench
                with load.lock:
                    load.acks.append((kind, 0, 0.0))
                print(f"  {kind} failed: {exc!r}", file=sys.stderr)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(24)]
    for thread in threads:
        thread.start()
    for job in plan:
        # Hand each job out shortly before it is due, so workers are free for what comes first.
        time.sleep(max(0.0, start + job[0] - 1.0 - time.monotonic()))
        jobs.put(job)
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join()
    return load


def seed_posts(slack: FakeSlack, database: Path, users: list[str], world: World) -> None:
    """200 posted proposals, in the database and as the bot's messages in the channel."""
    rt = offline_runtime(database, PROPOSALS_CHANNEL=CHANNEL)
    channel = slack.channel_id(CHANNEL)
    try:
        for n in range(EXISTING):
            proposer = users[n]
            ts = slack.add_message(channel, slack.bot_user_id, f"proposal {n}")
            proposal, _ = rt.uow.proposals.create(sample_draft(n), proposer, submission_key=f"s{n}")
            rt.uow.proposals.mark_posted(
                proposal.id, channel=channel, ts=ts, permalink="https://x/"
            )
            world.add(ts, proposer)
    finally:
        rt.close()


def ack_line(name: str, load: Load) -> str:
    elapsed = [e for _, s, e in load.acks if s == 200]
    failed = sum(1 for _, s, e in load.acks if s != 200 or e > 3.0)
    return (
        f"{name:24} {len(load.acks)} requests, {failed} failed acks, "
        f"p50 {ms(percentile(elapsed, 0.5))}, p99 {ms(percentile(elapsed, 0.99))}, "
        f"max {ms(max(elapsed, default=0.0))}"
    )


def most_within(times: list[float], window: float) -> int:
    times = sorted(times)
    best, first = 0, 0
    for last, at in enumerate(times):
        while times[first] <= at - window:
            first += 1
        best = max(best, last - first + 1)
    return best


def roster_lags(slack: FakeSlack, database: Path, load: Load, offset: float) -> list[float]:
    """For each join or leave: seconds from sending it to the first chat.update of its post
    that reached Slack after the bot had applied it (None if there was none)."""
    with sqlite3.connect(database) as conn:
        done = dict(conn.execute("SELECT key, done_at FROM inbox WHERE state = 'done'"))
    updates: dict[str, list[float]] = defaultdict(list)
    for call in slack.calls_to("chat.update"):
        if call.ok:
            updates[str(call.args.get("ts"))].append(call.at + offset)
    lags = []
    for event_id, sent, ts in load.joins:
        applied = done.get(f"event:{event_id}")
        if applied is None:
            lags.append(float("inf"))
            continue
        after = [at for at in updates.get(ts, []) if at >= applied]
        lags.append(min(after) - (sent + offset) if after else float("inf"))
    return lags


def settle(database: Path, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(database) as conn:
            pending = conn.execute(
                "SELECT (SELECT COUNT(*) FROM inbox WHERE state = 'pending') "
                "+ (SELECT COUNT(*) FROM redraws)"
            ).fetchone()[0]
        if not pending:
            return
        time.sleep(0.5)
    print("  (the bot had not settled after 180 s)")


def run_bot(minutes: float, seed: int) -> Load:
    rng = random.Random(seed)
    plan = schedule(minutes, rng)
    with tempfile.TemporaryDirectory() as workdir, FakeSlack() as slack:
        slack.add_user("U0ORG1", "org")
        slack.add_user(slack.bot_user_id, "communitybot", is_bot=True)
        slack.add_channel(CHANNEL, members=["U0ORG1", slack.bot_user_id])
        users = people(slack, PEOPLE, "U2")
        world = World(rng)
        database = Path(workdir) / "bot.db"
        seed_posts(slack, database, users, world)
        settings = {"LOG_LEVEL": "WARNING", "ORGANIZER_IDS": "U0ORG1"}
        processes = [
            BotProcess(slack, Path(workdir), database=database, **settings).start()
            for _ in range(2)
        ]
        slack.connect_app(*(f"http://127.0.0.1:{p.port}/slack/events" for p in processes))
        slack.reset_calls()
        offset = time.time() - time.monotonic()
        try:
            load = play(slack, plan, world, users, bot=True, rng=rng)
            settle(database)
            report_bot(slack, database, load, offset, minutes)
        finally:
            for process in processes:
                process.stop()
        return load


def report_bot(slack: FakeSlack, database: Path, load: Load, offset: float, minutes: float) -> None:
    methods = load_methods()
    print(f"\ntwo bot processes, {minutes:g} min at real speed, {load.proposed} proposals posted")
    print(f"  {'method':28} {'most in 60 s':>12} {'tier':>6}")
    over = 0
    for method in sorted({c.method for c in slack.calls if c.method in methods}):
        peak = slack.peak_per_minute(method)
        tier = methods[method].tier
        limit = TIER_PER_MINUTE.get(tier, 100) if method != "chat.postMessage" else 0
        flag = ""
        if limit and peak > limit:
            over += 1
            flag = "  OVER"
        shown = f"{limit}/min" if limit else "1/s/channel"
        print(f"  {method:28} {peak:12} {shown:>12}{flag}")
    channel = slack.channel_id(CHANNEL)
    posts = [c.at for c in slack.calls_to("chat.postMessage") if c.args.get("channel") == channel]
    print(
        f"  posts into the proposals channel: {len(posts)}; most in any 60 s "
        f"{most_within(posts, 60)}, in any 10 s {most_within(posts, 10)}"
    )
    changed = defaultdict(set)
    for _, sent, ts in load.joins:
        changed[int(sent // 60)].add(ts)
    busiest = max((len(posts) for posts in changed.values()), default=0)
    print(
        f"  posts whose team changed, most in one minute: {busiest} "
        f"(chat.update budget: {windows_for('chat.update')[0].limit}/min)"
    )
    lags = roster_lags(slack, database, load, offset)
    finite = [lag for lag in lags if lag != float("inf")]
    late = sum(1 for lag in lags if lag > 60)
    print(
        f"  rosters: {len(lags)} joins and leaves; current after median "
        f"{percentile(finite, 0.5):.1f} s, p95 {percentile(finite, 0.95):.1f} s, max "
        f"{max(finite, default=0):.1f} s; {late} not current within 60 s"
    )
    refused = sum(1 for c in slack.calls if c.status == 429)
    print(f"  429s from the stand-in: {refused}; methods over their tier: {over}")
    print("  " + ack_line("acks, bot (2 processes)", load))


def run_bare(minutes: float, seed: int) -> Load:
    rng = random.Random(seed)
    plan = schedule(minutes, rng)
    with tempfile.TemporaryDirectory() as workdir, FakeSlack() as slack:
        slack.add_user("U0ORG1", "org")
        slack.add_channel(CHANNEL, members=["U0ORG1", slack.bot_user_id])
        users = people(slack, PEOPLE, "U2")
        world = World(rng)
        for n in range(EXISTING):
            world.add(slack.add_message(CHANNEL, "U0ORG1", f"post {n}"), users[n])
        process = start_bare(slack, Path(workdir))
        try:
            load = play(slack, plan, world, users, bot=False, rng=rng)
        finally:
            process.terminate()
            process.wait(10)
    print(f"\nbare ack-only Bolt app, {minutes:g} min of the same load")
    print("  " + ack_line("acks, bare app", load))
    return load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--bare-minutes", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    rates = ", ".join(f"{n:,} {kind}s/h" for kind, n in PER_HOUR.items())
    print(f"busy hour at 3x: {PEOPLE} people, {EXISTING} proposals posted before; {rates}")
    run_bare(args.bare_minutes, args.seed)
    run_bot(args.minutes, args.seed)


if __name__ == "__main__":
    main()
