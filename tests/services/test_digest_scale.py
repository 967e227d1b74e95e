"""A digest that scales: about 25 lines whatever the week's size, each project once, counts by
language, and (DIGEST_MODE=thread) replies under one pinned message instead of new posts."""

from __future__ import annotations

import re
import threading
from collections import Counter
from datetime import datetime, timezone
from typing import Any

import pytest

from slackbot.bootstrap import build_runtime
from slackbot.domain.ranking import DigestPlan, Standing, digest_sections
from slackbot.domain.teams import TeamStatus
from slackbot.local import CHANNEL, LocalBot, post_proposal
from slackbot.samples import seed
from slackbot.sandbox import FakeSlack
from slackbot.services import digest_posting
from slackbot.services.project_search import FindProjects

LINE_CAP = 25
LINK = re.compile(r"<(https?://[^|>]+)\|")


@pytest.fixture
def bot_settings() -> dict[str, object]:
    return {"ORGANIZER_IDS": "U0ORG1", "DIGEST_MODE": "channel"}


def rendered_lines(blocks: list[dict[str, Any]]) -> int:
    """Lines a reader scrolls past: each line of each text, one per header."""
    count = 0
    for block in blocks:
        if block["type"] == "header":
            count += 1
        elif block["type"] == "section":
            count += len(block["text"]["text"].split("\n")) + len(block.get("fields") or [])
        elif block["type"] == "context":
            count += sum(len(e.get("text", "").split("\n")) for e in block["elements"])
        else:
            assert block["type"] == "divider", block["type"]
    return count


def parts(blocks: list[dict[str, Any]]) -> dict[str, str]:
    """The digest's parts (between dividers), by their heading's key word."""
    groups: list[list[str]] = [[]]
    for block in blocks:
        if block["type"] == "divider":
            groups.append([])
        elif block["type"] == "section":
            groups[-1].append(block["text"]["text"])
        elif block["type"] == "context":
            groups[-1].extend(e["text"] for e in block["elements"])
    named = {}
    for group in groups[1:]:
        text = "\n".join(group)
        key = next(k for k in ("Closest", "language", "New") if k in text.split("\n")[0])
        named[key] = text
    return named


def the_digest(slack: FakeSlack) -> dict[str, Any]:
    (message,) = [m for m in slack.messages(CHANNEL) if "digest" in m["text"]]
    return message


@pytest.mark.parametrize("count", [30, 200, 10_000])
def test_a_digest_stays_short_and_lists_each_project_once(
    bot: LocalBot, slack: FakeSlack, count: int
) -> None:
    seed(bot.rt, count, channel=slack.channel_id(CHANNEL))
    assert bot.rt.bus.handle(digest_posting.PostDigestNow()) == "posted"
    blocks = the_digest(slack)["blocks"]
    assert rendered_lines(blocks) <= LINE_CAP
    named = parts(blocks)
    closest, new = LINK.findall(named["Closest"]), LINK.findall(named["New"])
    assert len(closest) == 8 and len(new) == 6
    assert not set(closest) & set(new)  # every seeded project is new: none shows twice
    # Closest to starting: the ranking's first eight, in its order.
    ranked = bot.rt.uow.proposals.get_many(
        [s.proposal_id for s in bot.rt.uow.rankings.ranked_need(8)]
    )
    assert closest == [ranked[s.proposal_id].permalink for s in bot.rt.uow.rankings.ranked_need(8)]
    # Every seeded project is new; the eight above are not counted again.
    assert f"+{count - 8 - 6} more in `/projects`" in named["New"]


def test_the_language_line_counts_projects_looking_for_members(
    bot: LocalBot, slack: FakeSlack
) -> None:
    channel = slack.channel_id(CHANNEL)
    for user, name, languages in [
        ("U0ALICE", "PreTrain RoBERTa from scratch in Hindi", ["hindi"]),
        ("U0BOB", "GPT2 poetry generation in Hindi and Tamil", ["hindi", "tamil"]),
        ("U0CAROL", "T5 summarization of Hindi news", ["hindi"]),
        ("U0DAVE", "Wav2Vec2 speech recognition in Spanish", ["spanish"]),
        ("U0ERIN", "BART grammar correction in Spanish", ["spanish"]),
    ]:
        post_proposal(slack, user, name, languages=languages)
    ready = post_proposal(slack, "U0FRANK", "CLIP image retrieval in Hindi", languages=["hindi"])
    slack.react("U0ALICE", channel, ready, "raised_hand")
    slack.react("U0BOB", channel, ready, "raised_hand")  # at its threshold: no longer looking
    bot.rt.updates.drain()
    assert bot.rt.bus.handle(digest_posting.PostDigestNow()) == "posted"
    named = parts(the_digest(slack)["blocks"])
    assert "Hindi 3 · Spanish 2 · Tamil 1" in named["language"]
    assert "Find yours: `/projects LANGUAGE`, e.g. `/projects hindi`" in named["language"]
    assert bot.rt.bus.handle(FindProjects("hindi")).total >= 3  # the pointer finds them


def test_many_languages_fit_on_two_lines(bot: LocalBot, slack: FakeSlack) -> None:
    seed(bot.rt, 400, channel=slack.channel_id(CHANNEL))  # 16 languages
    assert bot.rt.bus.handle(digest_posting.PostDigestNow()) == "posted"
    text = parts(the_digest(slack)["blocks"])["language"]
    counted = text.split("\n")[1:-1]
    assert 1 <= len(counted) <= 2 and all(len(line) <= 80 for line in counted)
    shown = re.findall(r"([A-Z][a-z]+) (\d+)", " ".join(counted))
    (more,) = re.findall(r"\+(\d+) more languages", counted[-1])
    assert len(shown) + int(more) == 16
    # The counts are those of the database, largest first.
    looking = [
        s.proposal_id for s in bot.rt.uow.rankings.standings() if s.status.value == "looking"
    ]
    expected = Counter(
        lang for p in bot.rt.uow.proposals.get_many(looking).values() for lang in p.languages
    )
    assert [int(n) for _, n in shown] == sorted(expected.values(), reverse=True)[: len(shown)]
    assert all(expected[name.lower()] == int(n) for name, n in shown)


def test_no_more_line_when_everything_new_is_shown(bot: LocalBot, slack: FakeSlack) -> None:
    post_proposal(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi")
    post_proposal(slack, "U0BOB", "GPT2 for Bengali poetry generation", languages=["bengali"])
    assert bot.rt.bus.handle(digest_posting.PostDigestNow()) == "posted"
    named = parts(the_digest(slack)["blocks"])
    assert len(LINK.findall(named["Closest"])) == 2
    assert "New" not in named  # both are new, and both are listed above already


def standing(pid: int, needed: int, posted_at: float) -> Standing:
    return Standing(pid, TeamStatus.LOOKING, 3 - needed, 3, 10, posted_at)


def test_sections_never_repeat_a_project_and_count_the_rest() -> None:
    need = [standing(1, 1, 5.0), standing(2, 1, 1.0), standing(3, 2, 6.0)]
    newest = [
        standing(9, 2, 9.0),
        Standing(8, TeamStatus.READY, 3, 3, 10, 8.0),
        standing(7, 2, 7.0),
        standing(3, 2, 6.0),
        standing(1, 1, 5.0),
    ]
    plan = DigestPlan(1, 1, 0, need, newest, need_total=3, newest_total=7, since=4.0)
    sections = digest_sections(plan, closest_max=2, fresh_max=3)
    assert [s.proposal_id for s in sections.closest] == [1, 2]
    assert [s.proposal_id for s in sections.fresh] == [9, 8, 7]
    assert sections.fresh_total == 6  # project 1 is new, and listed among the closest


# ---------------------------------------------------------------------- DIGEST_MODE=thread


@pytest.fixture
def threaded(slack: FakeSlack, tmp_path: Any) -> Any:
    bot = LocalBot(
        slack,
        tmp_path / "week.db",
        ORGANIZER_IDS="U0ORG1",
        DIGEST_MODE="thread",
        DIGEST_CRON="0 9 * * *",
        DIGEST_GRACE_MINUTES=60,
    )
    yield bot.start()
    bot.stop()


def test_thread_mode_replies_under_one_pinned_message(threaded: LocalBot, slack: FakeSlack) -> None:
    post_proposal(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi")
    before = len(slack.messages(CHANNEL))
    nine = datetime(2026, 12, 1, 9, 5, tzinfo=timezone.utc)
    assert threaded.rt.bus.handle(digest_posting.RunScheduledDigest(nine)) == "posted"
    assert threaded.rt.bus.handle(digest_posting.RunScheduledDigest(nine)) == "already done"
    top = slack.messages(CHANNEL)[before:]
    (parent,) = top  # the parent, and nothing else in the channel
    assert "reply in this thread" in parent["text"]
    assert slack.pinned(CHANNEL) == [parent["ts"]]
    post_proposal(slack, "U0BOB", "GPT2 for Bengali poetry generation", languages=["bengali"])
    assert threaded.rt.bus.handle(digest_posting.PostDigestNow()) == "posted"
    replies = slack.thread(CHANNEL, parent["ts"])
    assert [r["text"].startswith("Community week digest:") for r in replies] == [True, True]
    assert "Closest to starting" in str(replies[1]["blocks"])
    assert len(slack.messages(CHANNEL)) == before + 2  # the parent and Bob's post
    assert len(slack.calls_to("pins.add")) == 1


def test_a_deleted_parent_is_replaced(threaded: LocalBot, slack: FakeSlack) -> None:
    post_proposal(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi")
    assert threaded.rt.bus.handle(digest_posting.PostDigestNow()) == "posted"
    old = threaded.rt.uow.digest_runs.thread_parent()
    assert old is not None
    threaded.rt.client.chat_delete(channel=slack.channel_id(CHANNEL), ts=old)  # an organizer
    assert threaded.rt.bus.handle(digest_posting.PostDigestNow()) == "posted"
    new = threaded.rt.uow.digest_runs.thread_parent()
    assert new is not None and new != old
    assert new in slack.pinned(CHANNEL)  # (Slack drops a deleted message's pin; the stand-in not)
    (reply,) = slack.thread(CHANNEL, new)
    assert "Community week digest" in reply["text"]


def test_a_parent_that_failed_to_post_is_tried_again(threaded: LocalBot, slack: FakeSlack) -> None:
    post_proposal(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi")
    slack.fail("chat.postMessage", status=200, error="channel_not_found")
    assert threaded.rt.bus.handle(digest_posting.PostDigestNow()) == "failed"
    assert threaded.rt.uow.digest_runs.thread_parent() is None
    assert threaded.rt.bus.handle(digest_posting.PostDigestNow()) == "posted"
    parent = threaded.rt.uow.digest_runs.thread_parent()
    assert parent is not None and len(slack.thread(CHANNEL, parent)) == 1


def test_processes_posting_at_once_make_one_parent(threaded: LocalBot, slack: FakeSlack) -> None:
    post_proposal(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi")
    other = build_runtime(threaded.settings)  # a second process on the same database
    try:
        outcomes: list[str] = []
        runners = [
            threading.Thread(
                target=lambda rt=rt: outcomes.append(rt.bus.handle(digest_posting.PostDigestNow()))
            )
            for rt in (threaded.rt, other, threaded.rt, other)
        ]
        for t in runners:
            t.start()
        for t in runners:
            t.join()
    finally:
        other.close()
    assert outcomes == ["posted"] * 4  # four manual digests: four replies
    parents = [m for m in slack.messages(CHANNEL) if "reply in this thread" in m["text"]]
    assert len(parents) == 1 and slack.pinned(CHANNEL) == [parents[0]["ts"]]
    assert len(slack.thread(CHANNEL, parents[0]["ts"])) == 4
