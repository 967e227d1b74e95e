"""The week rebuilt from Slack after the database file is lost: 1,000 posts of the bot in the
proposals channel, read back through conversations.history (Slack's Tier 3, 50+ a minute,
which the stand-in enforces: a call past it is answered 429 and counted).

Seeded: 1,000 proposals with whole answers, a third with 1 to 5 joins by reaction or by
button, 1 in 10 official; each post's metadata is what the bot writes (`posting.metadata_of`).
Printed: the rebuild's time, its calls, the 429s, and whether the rebuilt export equals the
lost one; beside it the previous design, which kept nothing (an empty week).

Usage: python bench/rebuild_1k.py [--posts 1000]
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

from slackbot.domain.proposal import Status
from slackbot.domain.teams import BUTTON, Signal
from slackbot.local import CHANNEL, LocalBot
from slackbot.samples import sample_draft
from slackbot.sandbox import FakeSlack
from slackbot.services import export
from slackbot.services.posting import metadata_of, permalink_of
from slackbot.services.rebuild import RebuildFromSlack

KEPT = ("ID", "Project", "Description", "Status", "Members", "Waitlist", "Made official by")


def sheet(bot: LocalBot) -> list[tuple[str, ...]]:
    return [tuple(str(row[k]) for k in KEPT) for row in export.project_rows(bot.rt.uow)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as workdir, FakeSlack() as slack:
        slack.add_user("U0ORG1", "org")
        slack.add_channel(CHANNEL, members=["U0ORG1"])
        users = [f"U3{n:05d}" for n in range(500)]
        for user in users:
            slack.add_user(user, user.lower())
            slack.join(CHANNEL, user)
        settings = {"ORGANIZER_IDS": "U0ORG1", "TEAM_SIZE_MAX": "10", "DIGEST_CRON": "off"}
        first = LocalBot(slack, Path(workdir) / "lost.db", **settings).start()
        rt = first.rt
        channel = slack.channel_id(CHANNEL)
        for n in range(args.posts):
            proposal, _ = rt.uow.proposals.create(
                sample_draft(n), users[n % len(users)], submission_key=f"k{n}"
            )
            ts = slack.add_message(channel, rt.bot_user_id, f"proposal {n}")
            proposal, _ = rt.uow.proposals.mark_posted(
                proposal.id,
                channel=channel,
                ts=ts,
                permalink=permalink_of(rt.team_url, channel, ts),
            )
            if n % 3 == 0:
                for k, user in enumerate(rng.sample(users, rng.randint(1, 5))):
                    source = BUTTON if k % 2 else "raised_hand"
                    rt.uow.memberships.apply(proposal, Signal(user, source, True, time.time()))
                    if source != BUTTON:
                        slack.react(user, channel, ts, "raised_hand")
            if n % 10 == 0:
                team = rt.uow.memberships.team(proposal)
                rt.uow.memberships.record_official(proposal, team, "U0ORG1")
                rt.uow.proposals.set_status(proposal.id, Status.OFFICIAL)
            current = rt.uow.proposals.get(proposal.id)
            assert current is not None
            slack.set_metadata(channel, ts, metadata_of(rt.uow, current))
        first.settle()
        lost = sheet(first)
        first.stop()

        second = LocalBot(slack, Path(workdir) / "empty.db", **settings).start()
        slack.reset_calls()
        started = time.monotonic()
        report = second.rt.bus.handle(RebuildFromSlack())
        seconds = time.monotonic() - started
        calls = slack.calls_to("conversations.history")
        rebuilt = sheet(second)
        second.stop()
    limited = sum(1 for c in calls if c.status == 429)
    print(f"posts in the channel:          {args.posts}")
    print(f"rebuild from Slack:            {seconds:.1f} s, {len(calls)} conversations.history")
    print(f"  calls (Tier 3: 50/min), {limited} answered 429")
    print(
        f"  proposals rebuilt:           {report.proposals} (joins {report.joins}, "
        f"official {report.official})"
    )
    print(f"  export equals the lost one:  {rebuilt == lost}")
    print("previous design (no record):   0 proposals, 0 teams: the week was gone")


if __name__ == "__main__":
    main()
