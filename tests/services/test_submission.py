"""The submission use case alone: a command in, a result out, no Slack and no HTTP (the fast
tier issue 23 asks of every use case; milliseconds a test). The whole story over real HTTP is
in tests/listeners/test_propose.py and test_before_you_post.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from slackbot.domain.validation import Draft
from slackbot.samples import offline_runtime
from slackbot.services.runtime import Runtime
from slackbot.services.submission import (
    BeforeYouPost,
    DraftGone,
    NotPostable,
    PostAnyway,
    ProposalsClosed,
    Stored,
    SubmitProposal,
    submit,
)
from slackbot.services.submission import post_anyway as post_as_it_is


def draft(name: str, **answers: str) -> Draft:
    values = {
        "name": name,
        "description": f"{name}: we fine-tune it and share it on the Hub.",
        "model": "roberta-base",
        "datasets": "oscar",
        "training_scripts": "run_mlm_flax.py",
        **answers,
    }
    return Draft(answers=values, languages=["hindi"])


@pytest.fixture
def rt(tmp_path: Path) -> Iterator[Runtime]:
    runtime = offline_runtime(tmp_path / "week.db")
    yield runtime
    runtime.close()


def posted(rt: Runtime, name: str) -> int:
    proposal, _ = rt.proposals.create(draft(name), "U0ALICE", submission_key=f"k-{name}")
    rt.proposals.mark_posted(proposal.id, channel="C1", ts="1.000001", permalink="https://x/p1")
    return proposal.id


def test_a_clear_proposal_is_stored_once(rt: Runtime) -> None:
    command = SubmitProposal("U0BOB", "V1", draft("PreTrain RoBERTa from scratch in Hindi"))
    first = submit(rt, command)
    assert isinstance(first, Stored) and first.created and first.view_id == "V1"
    again = submit(rt, command)  # Slack's retry, or a double click
    assert isinstance(again, Stored) and not again.created
    assert again.proposal.id == first.proposal.id


def test_only_what_cannot_be_posted_is_refused(rt: Runtime) -> None:
    result = submit(rt, SubmitProposal("U0BOB", "V1", draft("")))
    assert isinstance(result, NotPostable) and "name" in result.errors
    assert rt.proposals.count() == 0


def test_a_vague_name_gets_the_step_once_and_posts_as_it_is(rt: Runtime) -> None:
    result = submit(rt, SubmitProposal("U0BOB", "V1", draft("Train a language model")))
    assert isinstance(result, BeforeYouPost) and result.advice and result.draft_key == "V1"
    assert rt.proposals.count() == 0  # held, not stored
    stored = post_as_it_is(rt, PostAnyway("U0BOB", "V1", frozenset(result.advised)))
    assert isinstance(stored, Stored) and stored.proposal.name == "Train a language model"
    # The same advice is not shown twice: submitted again with it seen, it is stored.
    seen = SubmitProposal("U0BOB", "V2", draft("Train a language model"), advised=frozenset(
        result.advised))  # fmt: skip
    assert isinstance(submit(rt, seen), Stored)


def test_the_same_idea_in_the_same_language_is_shown_before_posting(rt: Runtime) -> None:
    existing = posted(rt, "PreTrain RoBERTa from scratch in Hindi")
    twin = draft("Pre-training a RoBERTa model on Hindi text from scratch")
    result = submit(rt, SubmitProposal("U0BOB", "V1", twin))
    assert isinstance(result, BeforeYouPost)
    assert [p.id for p, _ in result.similar] == [existing] and result.seen == [existing]
    shown = SubmitProposal("U0BOB", "V1", twin, seen=frozenset(result.seen),
                           advised=frozenset(result.advised))  # fmt: skip
    assert isinstance(submit(rt, shown), Stored)


def test_a_draft_held_by_someone_else_or_gone_is_not_posted(rt: Runtime) -> None:
    submit(rt, SubmitProposal("U0BOB", "V1", draft("Train a language model")))
    assert isinstance(post_as_it_is(rt, PostAnyway("U0CAROL", "V1")), DraftGone)
    assert isinstance(post_as_it_is(rt, PostAnyway("U0BOB", "nope")), DraftGone)


def test_after_the_deadline_nothing_is_stored(tmp_path: Path) -> None:
    past = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    rt = offline_runtime(tmp_path / "closed.db", PROPOSALS_CLOSE_AT=past)
    try:
        result = submit(rt, SubmitProposal("U0BOB", "V1", draft("CLIP for Hindi")))
        assert isinstance(result, ProposalsClosed) and "/projects" in result.message
        assert rt.proposals.count() == 0
    finally:
        rt.close()


def test_a_notice_about_a_project_not_posted_yet_waits_for_its_post(rt: Runtime) -> None:
    """A second team's people are told as it is created, before its post exists: their notice
    is kept for when it is posted, not read as "nothing to say" and dropped."""
    import time

    from slackbot.services.notices import PLACE, notices, send_due

    proposal, _ = rt.proposals.create(draft("Second team"), "U0DAVE", submission_key="k-2")
    notices(rt).add("U0DAVE", proposal.id, PLACE, {"reason": "lead"})
    assert send_due(rt, time.time() + 60) == 0
    waiting = rt.store.conn.execute(
        "SELECT due_at > ?, claimed_until FROM notices", (time.time(),)
    ).fetchall()
    assert [tuple(row) for row in waiting] == [(1, 0)]  # kept, unclaimed, due again soon
