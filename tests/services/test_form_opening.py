"""Opening modals, handler by handler: the proposal form (new, prefilled, pasted, the edit),
the similar projects pointed at once it is open, the whole proposal, and the updates deferred
work shows. A real unit of work on a migrated database and a FakeViews; milliseconds each.
The trigger's 3 seconds over real HTTP are in tests/listeners/test_propose.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from slackbot import bootstrap
from slackbot.config import Settings
from slackbot.domain.validation import Draft
from slackbot.services import form_opening
from slackbot.services.form_opening import (
    NotOpened,
    NotYours,
    Opened,
    OpenProposalForm,
    OpenView,
    ProposalGone,
    ShowInModal,
    ShowProposal,
    UpdateModal,
    looks_pasted,
)
from slackbot.services.hub_checks import HubChecks
from slackbot.services.messagebus import MessageBus
from slackbot.services.submission import ProposalsClosed
from slackbot.store.db import Store
from slackbot.store.hub_answers import HubAnswers
from slackbot.store.proposal_repository import Proposals
from slackbot.store.standing_columns import StandingColumns
from slackbot.store.unit_of_work import UnitOfWork
from tests.fakes import FakeMessenger, FakeViews

CHANNEL = "C0PROPOSALS"
PROPOSER = "U0PROP"
NAME = "PreTrain RoBERTa from scratch in Hindi"


@dataclass
class World:
    store: Store
    uow: UnitOfWork
    bus: MessageBus
    views: FakeViews
    messenger: FakeMessenger

    def post(self, name: str = NAME, user: str = PROPOSER) -> int:
        with self.uow:
            proposals: Proposals = self.uow.proposals
            answers = {"name": name, "description": f"{name}, shared on the Hub.", "model": "x"}
            created, _ = proposals.create(
                Draft(answers=answers, languages=["hindi"]), user, submission_key=f"k-{name}"
            )
            proposals.claim_for_posting(created.id)
            proposals.mark_posted(
                created.id, channel=CHANNEL, ts="1700000000.000001", permalink="https://x/p1"
            )
            self.uow.commit()
        return created.id


def build(tmp_path: Path, **settings: Any) -> World:
    store = Store(tmp_path / "week.db")
    store.migrate()
    standings = StandingColumns(store, default_threshold=3, default_max=6)
    uow = bootstrap.unit_of_work(store, standings)
    views, messenger = FakeViews(), FakeMessenger()
    deps = {
        "uow": uow,
        "views": views,
        "messenger": messenger,
        "hub": HubChecks(None, HubAnswers(store), time_box=0.1),  # offline: asks nothing
        "channel_id": CHANNEL,
        "settings": Settings(
            _env_file=None, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="s", **settings
        ),  # type: ignore[call-arg]
    }
    return World(store, uow, bootstrap.wire(uow, deps, [form_opening]), views, messenger)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = build(tmp_path)
    yield built
    built.store.close()


# --- the proposal form ------------------------------------------------------------------------
def test_a_new_form_opens_first_and_blank(world: World) -> None:
    result = world.bus.handle(OpenProposalForm("T1", "U1"))
    assert isinstance(result, Opened)
    assert world.views.calls == [("open", "T1")]
    assert "proposal" in world.views.text(result.view_id)


def test_a_name_like_a_project_is_pointed_at_after_the_form_is_open(world: World) -> None:
    world.post()
    result = world.bus.handle(OpenProposalForm("T1", "U1", name="Pretrain RoBERTa in Hindi"))
    assert isinstance(result, Opened)
    # views.open first (the trigger dies in 3 s), then the notice, guarded by the view's hash
    assert world.views.calls == [("open", "T1"), ("update_unless_changed", result.view_id)]
    shown = world.views.text(result.view_id)
    assert "Similar projects exist" in shown and NAME in shown


def test_a_form_the_person_typed_in_keeps_what_they_typed(world: World) -> None:
    world.post()
    world.views.changed.add("V0001")
    result = world.bus.handle(OpenProposalForm("T1", "U1", name="Pretrain RoBERTa in Hindi"))
    assert isinstance(result, Opened) and "Similar projects" not in world.views.text("V0001")


def test_ones_own_project_is_not_pointed_at(world: World) -> None:
    world.post()
    world.bus.handle(OpenProposalForm("T1", PROPOSER, name="Pretrain RoBERTa in Hindi"))
    assert world.views.calls == [("open", "T1")]


def test_an_expired_trigger_opens_nothing_and_is_said(world: World) -> None:
    world.post()
    world.views.expired.add("T1")
    result = world.bus.handle(OpenProposalForm("T1", "U1", name="Pretrain RoBERTa in Hindi"))
    assert isinstance(result, NotOpened) and world.views.calls == [("open", "T1")]


def test_a_pasted_proposal_fills_the_sections_and_says_which(world: World) -> None:
    pasted = "# Hindi ASR\n\n## Description\nWe fine-tune wav2vec2 on Hindi speech."
    assert looks_pasted(pasted) and not looks_pasted("Hindi ASR")
    result = world.bus.handle(OpenProposalForm("T1", "U1", message=pasted))
    assert isinstance(result, Opened)
    shown = world.views.text(result.view_id)
    assert "Hindi ASR" in shown and "We fine-tune wav2vec2 on Hindi speech." in shown


def test_only_the_proposer_opens_the_edit(world: World) -> None:
    project = world.post()
    refused = world.bus.handle(OpenProposalForm("T1", "U1", proposal_id=project))
    assert isinstance(refused, NotYours) and world.views.calls == []
    opened = world.bus.handle(OpenProposalForm("T2", PROPOSER, proposal_id=project))
    assert isinstance(opened, Opened) and world.views.calls == [("open", "T2")]
    assert NAME in world.views.text(opened.view_id)


def test_after_the_deadline_only_edits_open(tmp_path: Path) -> None:
    past = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    world = build(tmp_path, PROPOSALS_CLOSE_AT=past)
    try:
        project = world.post()
        closed = world.bus.handle(OpenProposalForm("T1", "U1", name="CLIP for Hindi"))
        assert isinstance(closed, ProposalsClosed) and "/projects" in closed.message
        assert world.views.calls == []
        edit = world.bus.handle(OpenProposalForm("T2", PROPOSER, proposal_id=project))
        assert isinstance(edit, Opened)
    finally:
        world.store.close()


# --- other modals -----------------------------------------------------------------------------
def test_the_whole_proposal_opens_for_anyone(world: World) -> None:
    project = world.post()
    shown = world.bus.handle(ShowProposal("T1", project))
    assert isinstance(shown, Opened) and NAME in world.views.text(shown.view_id)
    assert isinstance(world.bus.handle(ShowProposal("T2", 999)), ProposalGone)
    world.views.expired.add("T3")
    assert isinstance(world.bus.handle(ShowProposal("T3", project)), NotOpened)


def test_a_modal_drawn_elsewhere_opens_at_once(world: World) -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Hi"}, "blocks": []}
    opened = world.bus.handle(OpenView("T1", view))
    assert opened is not None and world.views.shown[opened["id"]] == view
    world.views.expired.add("T2")
    assert world.bus.handle(OpenView("T2", view)) is None


def test_an_update_that_fails_is_raised_and_an_outcome_on_a_closed_modal_is_not(
    world: World,
) -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Hi"}, "blocks": []}
    world.bus.handle(UpdateModal("V1", view))
    assert world.views.shown["V1"] == view
    world.views.failing = True
    with pytest.raises(OSError):  # the deferred work that asked is tried again
        world.bus.handle(UpdateModal("V1", view))
    world.views.changed.add("V2")  # the person closed it
    world.bus.handle(ShowInModal("V2", view))  # the DM said it all
    world.bus.handle(ShowInModal("V3", view))
    assert "V2" not in world.views.shown and world.views.shown["V3"] == view
