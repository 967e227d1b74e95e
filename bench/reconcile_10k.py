"""A full reconcile pass over 10,000 open posts, within Slack's Tier 3, against the stand-in
(which enforces the tiers: a call past one is answered 429 and counted).

10,000 posts of the bot in the proposals channel, their reactions made while the bot heard
nothing: a third of the posts have 1 to 5 joins, and 1 in 100 is popular (60 to 120 joins,
more than conversations.history lists, so it costs a reactions.get of its own). Printed: the
pass's time, its calls, the 429s, and whether every team matches its reactions afterwards;
beside it the previous design (one reactions.get per open post), its calls counted on the same
posts and its time at Tier 3's 50 a minute.

Usage: python bench/reconcile_10k.py [--posts 10000]
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slackbot.local import CHANNEL, LocalBot
from slackbot.samples import sample_draft
from slackbot.sandbox import FakeSlack
from slackbot.services.reconciliation import ReconcileAll
from slackbot.slack.budgets import windows_for

TIER3 = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as workdir, FakeSlack() as slack:
        slack.add_user("U0ORG1", "org")
        slack.add_user(slack.bot_user_id, "communitybot", is_bot=True)
        slack.add_channel(CHANNEL, members=["U0ORG1", slack.bot_user_id])
        users = [f"U3{n:05d}" for n in range(2000)]
        for user in users:
            slack.add_user(user, user.lower())
            slack.join(CHANNEL, user)
        bot = LocalBot(
            slack, Path(workdir) / "bot.db", ORGANIZER_IDS="U0ORG1", TEAM_SIZE_MAX=100
        ).start()
        rt = bot.rt
        channel = slack.channel_id(CHANNEL)
        started = time.monotonic()
        expected: dict[str, set[str]] = {}
        with rt.store.transaction():
            for n in range(args.posts):
                ts = slack.add_message(channel, rt.bot_user_id, f"proposal {n}")
                proposal, _ = rt.uow.proposals.create(
                    sample_draft(n), users[n % len(users)], submission_key=f"r{n}"
                )
                rt.uow.proposals.mark_posted(proposal.id, channel=channel, ts=ts, permalink="x")
                roll = rng.random()
                count = (
                    rng.randint(60, 120) if roll < 0.01 else rng.randint(1, 5) if roll < 0.34 else 0
                )
                joiners = set(rng.sample(users, count)) - {users[n % len(users)]}
                for user in joiners:
                    slack.react(user, channel, ts, "raised_hand", deliver=False)
                expected[ts] = joiners
        popular = sum(1 for j in expected.values() if len(j) > 50)
        print(
            f"{args.posts:,} open posts, {sum(map(len, expected.values())):,} joins made while "
            f"the bot heard nothing ({popular} popular posts); set up in "
            f"{time.monotonic() - started:.0f} s"
        )
        slack.reset_calls()
        started = time.monotonic()
        done = rt.bus.handle(ReconcileAll())
        took = time.monotonic() - started
        pages = len(slack.calls_to("conversations.history"))
        singles = len(slack.calls_to("reactions.get"))
        refused = sum(1 for c in slack.calls if c.status == 429)
        wrong = 0
        for ts, joiners in expected.items():
            proposal = rt.uow.proposals.by_message(channel, ts)
            assert proposal is not None
            team = rt.uow.memberships.team(proposal)
            if set(team.members[1:] + team.waitlist) != joiners:
                wrong += 1
        budget = windows_for("reactions.get")[0].limit
        print(
            f"by the page:    {done:,} posts reconciled in {took:.0f} s "
            f"({pages} conversations.history pages + {singles} reactions.get, "
            f"{budget}/min budget each); {refused} 429s; {wrong} teams not matching"
        )
        baseline_calls = len(rt.uow.proposals.live_posts(channel))
        print(
            f"previous design: {baseline_calls:,} reactions.get (one per open post), "
            f"{baseline_calls / TIER3:.0f} min at Tier 3's {TIER3}/min"
        )
        # Stopping gives up the DMs still waiting for their budget (they stay claimed, for the
        # next start): not this benchmark's business.
        logging.getLogger("slackbot").setLevel(logging.ERROR)
        bot.stop()


if __name__ == "__main__":
    main()
