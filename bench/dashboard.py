"""The organizers' dashboard with a big week: 10,000 proposals and 50,000 memberships.

Times building the dashboard (queries and Block Kit) beside the obvious design measured in the
same run (each live team read in Python to count who is in how many teams), and prints
median and p95 (target: p95 under 100 ms). Then a cold start of names: 1,000 people nobody
has looked up, read by the scheduled job against the stand-in enforcing users.info's tier.
Run:
    python bench/dashboard.py [--proposals 10000] [--joins 5] [--runs 30]
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import percentile
from slackbot.blocks.dashboard import dashboard_blocks
from slackbot.domain.proposal import Status
from slackbot.domain.teams import Signal
from slackbot.local import CHANNEL, LocalBot
from slackbot.samples import offline_runtime, sample_draft
from slackbot.sandbox import FakeSlack
from slackbot.services import dashboard
from slackbot.services.people_directory import NAMES_PER_RUN, KeepDirectory

TARGET_MS = 100.0


def seed_week(rt, proposals: int, joins: int) -> int:  # type: ignore[no-untyped-def]
    rng = random.Random(11)
    users = [f"U{n:07d}" for n in range(5000)]
    base = time.time() - proposals * 60
    count = 0
    with rt.store.transaction():
        rt.uow.people.set_channel_members(users)
        for n in range(proposals):
            proposal, _ = rt.uow.proposals.create(
                sample_draft(n), rng.choice(users), submission_key=f"dash-{n}"
            )
            rt.uow.proposals.mark_posted(
                proposal.id,
                channel="C0SEED",
                ts=f"{base + n * 60:.6f}",
                permalink=f"https://example.slack.com/archives/C0SEED/p{n}",
            )
            for k, user in enumerate(rng.sample(users, joins)):
                rt.uow.memberships.apply(proposal, Signal(user, "raised_hand", True, base + n + k))
                count += 1
    rt.store.conn.execute("UPDATE proposals SET posted_at = created_at")
    return count


def timed(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return percentile(samples, 0.5), percentile(samples, 0.95)


def names_cold_start(people: int) -> None:
    logging.getLogger().setLevel(logging.ERROR)
    fake = FakeSlack().start()
    users = [f"U0N{n:05d}" for n in range(people)]
    fake.add_user("U0ORG", "organizer")
    for user in users:
        fake.add_user(user, user.lower())
    fake.add_channel(CHANNEL, members=["U0ORG", *users])
    with tempfile.TemporaryDirectory() as tmp:
        bot = LocalBot(fake, Path(tmp) / "names.db", ORGANIZER_IDS="U0ORG").start()
        try:
            started = time.monotonic()
            bot.rt.bus.handle(KeepDirectory())
            first_run = len(fake.calls_to("users.info"))
            bot.rt.bus.handle(KeepDirectory())  # a second run at once: the minute's budget is spent
            second = len(fake.calls_to("users.info")) - first_run
            elapsed = time.monotonic() - started
            known = len(bot.rt.uow.people.names(users))
        finally:
            bot.stop()
    fake.stop()
    minutes = -(-people // NAMES_PER_RUN)
    print(
        f"names, cold start with {people:,} unknown people: {first_run} users.info in the first "
        f"run, {second} more in a second run right after ({elapsed:.1f} s), {known} known; "
        f"peak {fake.peak_per_minute('users.info')} per minute (Tier 4: about 100); "
        f"429s: {len(fake.violations)}; every name read after about {minutes} runs (one a minute)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--joins", type=int, default=5)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--people", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rt = offline_runtime(Path(tmp) / "bench.db", ORGANIZER_IDS=["U0ORG1"])
        started = time.perf_counter()
        joins = seed_week(rt, args.proposals, args.joins)
        print(
            f"seeded {args.proposals:,} proposals and {joins:,} memberships in "
            f"{time.perf_counter() - started:.1f} s"
        )

        def build() -> object:
            return dashboard_blocks(
                dashboard.build(rt.uow, rt.settings, rt.organizers, rt.bot_user_id)
            )

        def obvious() -> object:
            teams_of: Counter[str] = Counter()
            for proposal in rt.uow.proposals.with_status(Status.OPEN, Status.OFFICIAL):
                for member in rt.uow.memberships.team(proposal).members:
                    teams_of[member] += 1
            return teams_of

        median, p95 = timed(build, args.runs)
        base_median, base_p95 = timed(obvious, max(3, args.runs // 10))
        board = dashboard.build(rt.uow, rt.settings, rt.organizers, rt.bot_user_id)
        print(
            f"dashboard: {len(board.facts.participants):,} in the channel, {board.in_a_team:,} in "
            f"a team, {len(board.no_team):,} in none, {len(board.several):,} in several"
        )
        verdict = "ok" if p95 < TARGET_MS else "OVER"
        print(
            f"dashboard build: median {median:.1f} ms, p95 {p95:.1f} ms (target p95 < "
            f"{TARGET_MS:.0f} ms: {verdict}); each team read in Python: median "
            f"{base_median:.1f} ms, p95 {base_p95:.1f} ms"
        )
        rt.close()
    names_cold_start(args.people)


if __name__ == "__main__":
    main()
