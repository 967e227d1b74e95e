"""A burst of reactions against the real bot: how many chat.update calls, and the most in any
60 s window; and the notices the joiners get (one DM each, chat.postMessage within its limits).

Plays, against the local stand-in: `--burst` reactions on one post within `--seconds`, while
`--others` other posts each get a reaction too (so the whole bot has more dirty posts than
Slack's Tier 3 allows per minute). Prints the figures. Takes about `--seconds` + 70 s.
    python bench/roster_burst.py [--burst 60] [--seconds 10] [--others 80]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from pathlib import Path

from slackbot.local import CHANNEL, LocalBot, post_proposal
from slackbot.sandbox import FakeSlack


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--burst", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--others", type=int, default=80)
    parser.add_argument("--watch", type=float, default=70.0, help="seconds to keep flushing")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    fake = FakeSlack().start()
    fake.add_user("U0ALICE", "alice")
    fake.add_user("U0ORG", "organizer")
    users = [f"U1{n:06d}" for n in range(args.burst + args.others)]
    for user in users:
        fake.add_user(user, user.lower())
    fake.add_channel(CHANNEL, members=["U0ALICE", *users])
    with tempfile.TemporaryDirectory() as tmp:
        bot = LocalBot(
            fake,
            Path(tmp) / "bench.db",
            TEAM_SIZE_MAX=100,
            TEAM_SIZE_THRESHOLD=50,
            ORGANIZER_IDS="U0ORG",
        ).start()
        channel = fake.channel_id(CHANNEL)
        target = post_proposal(fake, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi")
        others = []
        for n in range(args.others):  # real posts, so chat.update has messages to edit
            others.append(
                post_proposal(fake, "U0ALICE", f"GPT2 poetry generation in German, team {n}")
            )
        fake.reset_calls()
        started = time.monotonic()
        gap = args.seconds / max(args.burst, 1)
        for n, user in enumerate(users[: args.burst]):
            fake.react(user, channel, target, "raised_hand")
            if n < args.others:
                fake.react(users[args.burst + n], channel, others[n], "raised_hand")
            time.sleep(max(0.0, started + (n + 1) * gap - time.monotonic()))
        burst_done = time.monotonic() - started
        time.sleep(args.watch)
        updates = fake.calls_to("chat.update")
        on_target = [c for c in updates if c.args.get("ts") == target]
        final = fake.message(CHANNEL, target)
        shown = sum(1 for u in users[: args.burst] if f"<@{u}>" in str(final["blocks"]))
        print(
            f"reactions: {args.burst} on one post in {burst_done:.1f} s, "
            f"+ {min(args.others, args.burst)} on {args.others} other posts"
        )
        print(f"chat.update on the burst post: {len(on_target)}")
        print(
            f"chat.update in all: {len(updates)}; most in any 60 s: "
            f"{fake.peak_per_minute('chat.update')} (limit 50)"
        )
        print(
            f"final post shows {shown}/{args.burst} joiners; "
            f"still waiting to flush: {bot.rt.updates.pending()}"
        )
        joiners = users[: args.burst + min(args.others, args.burst)]
        told = [len(fake.dms(u)) for u in joiners]
        posts = fake.calls_to("chat.postMessage")
        print(
            f"notices: {sum(told)} DMs to {len(joiners)} joiners (each told once: "
            f"{all(n == 1 for n in told)}); chat.postMessage in all: {len(posts)}, most in any "
            f"60 s: {fake.peak_per_minute('chat.postMessage')} (the bot's budget: 300); "
            f"429s: {len(fake.violations)}"
        )
        bot.stop()
    fake.stop()


if __name__ == "__main__":
    main()
