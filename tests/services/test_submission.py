"""The submission use case alone: commands in, results out, through the bus the bootstrap wires
(a real unit of work on a migrated database, the Hub checks offline, a FakeMessenger; no Slack
and no HTTP, milliseconds a test). The whole story over real HTTP is in
tests/listeners/test_propose.py, test_before_you_post.py and tests/services/test_publishing.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from slackbot import bootstrap
from slackbot.blocks.proposal_status import posted_view, saved_view
from slackbot.config import Settings
from slackbot.domain.advice import Code
from slackbot.domain.proposal import Status
from slackbot.domain.validation import Draft
from slackbot.samples import offline_runtime
from slackbot.services import form_opening, posting, submission
from slackbot.services.form_opening import ShowInModal
from slackbot.services.hub_checks import HubChecks
from slackbot.services.messagebus import MessageBus
from slackbot.services.posting import METADATA_EVENT, PublishProposal, RetryPending
from slackbot.services.runtime import Runtime
from slackbot.services.submission import (
    BackToDraft,
    BeforeYouPost,
    DraftGone,
    JoinedInstead,
    JoinInstead,
    NotPostable,
    PostAnyway,
    Posted,
    PostProposal,
    ProposalsClosed,
    SavedForRetry,
    Stored,
    SubmitProposal,
)
from slackbot.slack.organizer_directory import Organizers
from slackbot.store.db import Store
from slackbot.store.hub_answers import HubAnswers
from slackbot.store.proposal_repository import Proposals
from slackbot.store.standing_columns import StandingColumns
from slackbot.store.unit_of_work import UnitOfWork
from tests.fakes import Crash, FakeMessenger, FakeUpdates, FakeViews

CHANNEL = "C0PROPOSALS"
TEAM_URL = "https://week.slack.com/"


def draft(name: str, languages: tuple[str, ...] = ("hindi",), **answers: str) -> Draft:
    values = {
        "name": name,
        "description": f"{name}: we fine-tune it and share it on the Hub.",
        "model": "roberta-base",
        "datasets": "oscar",
        "training_scripts": "run_mlm_flax.py",
        **answers,
    }
    return Draft(answers=values, languages=list(languages))


@dataclass
class World:
    bus: MessageBus
    uow: UnitOfWork
    messenger: FakeMessenger
    updates: FakeUpdates
    store: Store
    views: FakeViews

    @property
    def proposals(self) -> Proposals:
        repository: Proposals = self.uow.proposals
        return repository

    def posted(self, name: str, user: str = "U0ALICE", **kw: Any) -> int:
        """A proposal already in the channel."""
        proposal, _ = self.proposals.create(draft(name, **kw), user, submission_key=f"k-{name}")
        ts = f"1600000000.{proposal.id:06d}"
        self.proposals.mark_posted(
            proposal.id, channel=CHANNEL, ts=ts, permalink=f"https://x/p{proposal.id}"
        )
        return proposal.id

    def stored(self, name: str, user: str = "U0BOB", view_id: str = "V1", **kw: Any) -> Stored:
        result = self.bus.handle(SubmitProposal(user, view_id, draft(name, **kw)))
        assert isinstance(result, Stored)
        return result

    def post(self, stored: Stored, user: str = "U0BOB") -> Posted | SavedForRetry | None:
        p = stored
        result: Posted | SavedForRetry | None = self.bus.handle(
            PostProposal(p.proposal.id, p.view_id, user, p.note, p.notes)
        )
        return result

    def channel_posts(self) -> list[Any]:
        return self.messenger.to(CHANNEL, "post")

    def dms(self, user: str) -> list[str]:
        return [s.text for s in self.messenger.to(user, "dm")]

    def view(self, view_id: str) -> str:
        return json.dumps(self.views.shown.get(view_id))

    @staticmethod
    def shown(result: Posted | SavedForRetry | None) -> str:
        """What the listener shows in the modal for `result`."""
        if isinstance(result, Posted):
            view = posted_view(result.proposal, result.channel_id, result.join_emoji, result.notes)
        else:
            view = saved_view()
        return json.dumps(view.to_dict())


def build(tmp_path: Path, messenger: FakeMessenger | None = None, **settings: Any) -> World:
    store = Store(tmp_path / "week.db")
    store.migrate()
    standings = StandingColumns(store, default_threshold=3, default_max=6)
    uow = bootstrap.unit_of_work(store, standings)
    messenger, updates, views = messenger or FakeMessenger(), FakeUpdates(), FakeViews()
    chosen = Settings(
        _env_file=None, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="s", **settings
    )  # type: ignore[call-arg]
    deps = {
        "uow": uow,
        "messenger": messenger,
        "hub": HubChecks(None, HubAnswers(store), time_box=0.1),  # offline: asks nothing
        "updates": updates,
        "settings": chosen,
        "channel_id": CHANNEL,
        "team_url": TEAM_URL,
        "organizers": Organizers(["U0ORG1"], None, None, "UBOT"),  # type: ignore[arg-type]
        "views": views,
    }
    deps["poster"] = posting.Poster(
        uow,
        messenger,
        deps["hub"],
        updates,
        deps["organizers"],
        CHANNEL,
        TEAM_URL,
        chosen.JOIN_EMOJI[0],
    )
    bus = bootstrap.wire(uow, deps, [submission, posting, form_opening])
    return World(bus, uow, messenger, updates, store, views)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = build(tmp_path)
    yield built
    built.store.close()


# --- submitting -----------------------------------------------------------------------------
def test_a_clear_proposal_is_stored_once(world: World) -> None:
    command = SubmitProposal("U0BOB", "V1", draft("PreTrain RoBERTa from scratch in Hindi"))
    first = world.bus.handle(command)
    assert isinstance(first, Stored) and first.created and first.view_id == "V1"
    assert first.channel_id == CHANNEL
    again = world.bus.handle(command)  # Slack's retry, or a double click
    assert isinstance(again, Stored) and not again.created
    assert again.proposal.id == first.proposal.id
    assert world.messenger.sent == []  # storing says nothing to Slack: posting is deferred


def test_only_what_cannot_be_posted_is_refused(world: World) -> None:
    result = world.bus.handle(SubmitProposal("U0BOB", "V1", draft("")))
    assert isinstance(result, NotPostable) and "name" in result.errors
    assert world.proposals.count() == 0


def test_a_vague_name_gets_the_step_once_and_posts_as_it_is(world: World) -> None:
    result = world.bus.handle(SubmitProposal("U0BOB", "V1", draft("Train a language model")))
    assert isinstance(result, BeforeYouPost) and result.advice and result.draft_key == "V1"
    assert world.proposals.count() == 0  # held, not stored
    stored = world.bus.handle(PostAnyway("U0BOB", "V1", frozenset(result.advised)))
    assert isinstance(stored, Stored) and stored.proposal.name == "Train a language model"
    # The same advice is not shown twice: submitted again with it seen, it is stored.
    seen = SubmitProposal("U0BOB", "V2", draft("Train a language model"), advised=frozenset(
        result.advised))  # fmt: skip
    assert isinstance(world.bus.handle(seen), Stored)


def test_the_same_idea_in_the_same_language_is_shown_before_posting(world: World) -> None:
    existing = world.posted("PreTrain RoBERTa from scratch in Hindi")
    twin = draft("Pre-training a RoBERTa model on Hindi text from scratch")
    result = world.bus.handle(SubmitProposal("U0BOB", "V1", twin))
    assert isinstance(result, BeforeYouPost)
    assert [p.id for p, _ in result.similar] == [existing] and result.seen == [existing]
    shown = SubmitProposal("U0BOB", "V1", twin, seen=frozenset(result.seen),
                           advised=frozenset(result.advised))  # fmt: skip
    assert isinstance(world.bus.handle(shown), Stored)


def test_a_draft_held_by_someone_else_or_gone_is_not_posted(world: World) -> None:
    world.bus.handle(SubmitProposal("U0BOB", "V1", draft("Train a language model")))
    assert isinstance(world.bus.handle(PostAnyway("U0CAROL", "V1")), DraftGone)
    assert isinstance(world.bus.handle(PostAnyway("U0BOB", "nope")), DraftGone)


def test_back_to_the_draft_gives_it_only_to_its_writer(world: World) -> None:
    world.bus.handle(SubmitProposal("U0BOB", "V1", draft("Train a language model")))
    held = world.bus.handle(BackToDraft("U0BOB", "V1"))
    assert isinstance(held, Draft) and held.get("name") == "Train a language model"
    assert isinstance(world.bus.handle(BackToDraft("U0CAROL", "V1")), DraftGone)


def test_after_the_deadline_nothing_is_stored(tmp_path: Path) -> None:
    past = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    closed = build(tmp_path, PROPOSALS_CLOSE_AT=past)
    try:
        result = closed.bus.handle(SubmitProposal("U0BOB", "V1", draft("CLIP for Hindi")))
        assert isinstance(result, ProposalsClosed) and "/projects" in result.message
        assert closed.proposals.count() == 0
    finally:
        closed.store.close()


# --- posting the stored proposal -------------------------------------------------------------
def test_a_stored_proposal_is_posted_once_and_the_proposer_told(world: World) -> None:
    stored = world.stored("PreTrain RoBERTa from scratch in Hindi")
    result = world.post(stored)
    (post,) = world.channel_posts()
    assert post.metadata and post.metadata["event_type"] == METADATA_EVENT
    assert post.metadata["event_payload"]["proposal_id"] == stored.proposal.id
    posted = world.proposals.get(stored.proposal.id)
    assert posted is not None and posted.status is Status.OPEN and posted.ts == post.ts
    assert (
        posted.permalink == f"https://week.slack.com/archives/{CHANNEL}/p{post.ts.replace('.', '')}"
    )
    (dm,) = world.dms("U0BOB")
    assert posted.permalink in dm and ":raised_hand:" in dm
    assert isinstance(result, Posted) and result.proposal.permalink == posted.permalink
    assert result.channel_id == CHANNEL and result.notes == ()
    assert "Proposal posted" in world.shown(result) and posted.permalink in world.shown(result)
    assert world.views.calls == []  # the listener shows it

    # the lane runs the same work again (a redelivery after a restart): nothing more to say
    assert world.post(stored) is None
    assert len(world.channel_posts()) == 1 and len(world.dms("U0BOB")) == 1


def test_a_refused_post_is_saved_said_so_and_posted_by_the_retry(world: World) -> None:
    stored = world.stored("PreTrain RoBERTa from scratch in Hindi")
    world.messenger.refuse.add(CHANNEL)
    result = world.post(stored)
    assert world.channel_posts() == []
    (pending,) = world.proposals.with_status(Status.PENDING)
    assert pending.last_post_error == "internal_error"
    assert isinstance(result, SavedForRetry)
    assert "Proposal saved" in world.shown(result) and "posted automatically" in world.shown(result)
    (told,) = world.dms("U0BOB")
    assert "is saved; Slack refused to post it just now" in told

    world.messenger.refuse.clear()  # Slack is back: the retry job posts it, once
    assert world.bus.handle(RetryPending()) == 1
    assert world.bus.handle(RetryPending()) == 0
    (post,) = world.channel_posts()
    posted = world.proposals.get(stored.proposal.id)
    assert posted is not None and posted.ts == post.ts and posted.last_post_error is None
    assert posted.permalink and posted.permalink in world.dms("U0BOB")[-1]


def test_a_closed_modal_loses_nothing(world: World) -> None:
    stored = world.stored("PreTrain RoBERTa from scratch in Hindi")
    world.views.changed.add("V1")  # the person closed it
    result = world.post(stored)
    world.bus.handle(ShowInModal("V1", world.shown(result)))  # refused quietly
    assert len(world.channel_posts()) == 1 and len(world.dms("U0BOB")) == 1
    assert world.view("V1") == "null"


def test_the_outcome_shows_the_notes_the_proposer_has_not_seen(world: World) -> None:
    stored = world.stored("PreTrain RoBERTa from scratch in Hindi")
    # An older request said only that there was a note: the one on a model outside
    # 🤗 Transformers.
    request = PostProposal(stored.proposal.id, "V1", "U0BOB", note=True, notes=None)
    result = world.bus.handle(request)
    assert isinstance(result, Posted)
    (note,) = result.notes
    assert note.code is Code.OUTSIDE_TRANSFORMERS and note.subject == "roberta-base"
    assert "is not part of" in world.shown(result) and "awesome-jax" in world.shown(result)


def test_a_crash_between_the_post_and_its_ts_adopts_the_post(world: World) -> None:
    stored = world.stored("PreTrain RoBERTa from scratch in Hindi")
    world.messenger.crash_after_posts = 1  # Slack has the message; the ts is never stored
    with pytest.raises(Crash):
        world.post(stored)
    (pending,) = world.proposals.with_status(Status.PENDING)
    assert pending.ts is None and pending.post_attempts == 1
    # The lease of the dead attempt runs out; the next attempt looks before posting again.
    world.store.conn.execute("UPDATE proposals SET post_claim_until = NULL")
    result = world.bus.handle(PublishProposal(pending.id))
    (post,) = world.channel_posts()
    assert result.fresh and result.proposal is not None and result.proposal.ts == post.ts


def test_a_retry_that_cannot_look_does_not_post_blind(tmp_path: Path) -> None:
    @dataclass
    class Blind(FakeMessenger):
        blind: bool = False  # the history lookup fails (Slack down for conversations.history)

        def find_marked(self, channel: str, **kw: Any) -> tuple[bool, str | None]:
            return (False, None) if self.blind else super().find_marked(channel, **kw)

    messenger = Blind()
    world = build(tmp_path, messenger)
    stored = world.stored("PreTrain RoBERTa from scratch in Hindi")
    messenger.crash_after_posts = 1
    with pytest.raises(Crash):
        world.post(stored)
    world.store.conn.execute("UPDATE proposals SET post_claim_until = NULL")
    messenger.blind = True
    result = world.bus.handle(PublishProposal(stored.proposal.id))
    assert result.proposal is None and result.error
    assert len(world.channel_posts()) == 1  # only the first attempt's
    messenger.blind = False  # the next attempt can look: it adopts the post
    assert world.bus.handle(RetryPending()) == 1
    assert len(world.channel_posts()) == 1
    world.store.close()


def test_the_same_idea_in_another_language_links_back_and_tells_its_proposer(
    world: World,
) -> None:
    german = world.posted("PreTrain RoBERTa from scratch in German", languages=("german",))
    stored = world.stored("PreTrain RoBERTa from scratch in Hindi")
    assert stored.proposal.variants == [german]
    world.post(stored)
    assert world.updates.posts == [german]  # its post is redrawn with the link
    (told,) = world.dms("U0ALICE")
    assert "was just proposed in Hindi too" in told


# --- the step's Join button -------------------------------------------------------------------
def test_joining_the_similar_project_instead(world: World) -> None:
    existing = world.posted("PreTrain RoBERTa from scratch in Hindi")
    world.proposals.set_status(existing, Status.OPEN)
    joined = world.bus.handle(JoinInstead("U0BOB", existing, at=1.0))
    assert isinstance(joined, JoinedInstead) and not joined.waitlisted
    assert joined.proposal.id == existing
    members = world.uow.memberships.team(joined.proposal).members
    assert "U0BOB" in members and world.updates.posts == [existing]
    # the proposer's own project, or one gone, is not joined
    assert world.bus.handle(JoinInstead("U0ALICE", existing, at=2.0)) is None
    assert world.bus.handle(JoinInstead("U0BOB", 999, at=3.0)) is None


# --- kept from before the bus: notices wait for a post ----------------------------------------
@pytest.fixture
def rt(tmp_path: Path) -> Iterator[Runtime]:
    runtime = offline_runtime(tmp_path / "week.db")
    yield runtime
    runtime.close()


def test_a_notice_about_a_project_not_posted_yet_waits_for_its_post(rt: Runtime) -> None:
    """A second team's people are told as it is created, before its post exists: their notice
    is kept for when it is posted, not read as "nothing to say" and dropped."""
    import time

    from slackbot.services.notices import PLACE, send_notices

    proposal, _ = rt.uow.proposals.create(draft("Second team"), "U0DAVE", submission_key="k-2")
    rt.uow.notices.add("U0DAVE", proposal.id, PLACE, {"reason": "lead"})
    assert (
        send_notices(time.time() + 60, uow=rt.uow, messenger=rt.messenger, settings=rt.settings)
        == 0
    )
    waiting = rt.store.conn.execute(
        "SELECT due_at > ?, claimed_until FROM notices", (time.time(),)
    ).fetchall()
    assert [tuple(row) for row in waiting] == [(1, 0)]  # kept, unclaimed, due again soon
