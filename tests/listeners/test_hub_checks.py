"""What the Hugging Face Hub says of a proposal's model and datasets, over real HTTP: the bot
against the Slack stand-in and the Hub stand-in (`hub` fixture, HF_ENDPOINT pointed at it).

The "Before you post" step and the post say what a proposer needs to know (Flax weights ✓, the
guide's `from_pt=True`, "a typo?", a gated dataset); a Hub that does not answer in time changes
nothing but its own remarks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from slackbot.blocks.before_you_post import CALLBACK_ID as STEP_CALLBACK_ID
from slackbot.local import CHANNEL, LocalBot, open_propose_modal, post_proposal, proposal_values
from slackbot.sandbox import FakeSlack
from slackbot.sandbox.hub import FakeHub
from tests.conftest import hub_settings

NAME = "Using a T5 model to learn grammar correction in French"


@pytest.fixture
def hub_bot(slack: FakeSlack, hub: FakeHub, tmp_path: Path) -> Iterator[LocalBot]:
    settings = {"ORGANIZER_IDS": "U0ORG1,U0ORG2", **hub_settings(hub)}
    running = LocalBot(slack, tmp_path / "community_week.db", **settings).start()
    yield running
    running.stop()


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def submit(slack: FakeSlack, user: str, **answers: object) -> tuple[str, dict]:
    view_id = open_propose_modal(slack, user)
    response = slack.submit_view(user, view_id, proposal_values(NAME, **answers))
    assert response.status == 200 and response.json is not None
    return view_id, response.json


def is_step(answer: dict) -> bool:
    return (answer.get("view") or {}).get("callback_id") == STEP_CALLBACK_ID


def post_text(slack: FakeSlack) -> str:
    (post,) = slack.messages(CHANNEL)
    return dumps(post["blocks"])


def test_a_checkpoint_with_flax_weights_is_marked_on_the_post(
    hub_bot: LocalBot, slack: FakeSlack, hub: FakeHub
) -> None:
    _, answer = submit(slack, "U0ALICE", model="google/mt5-small")
    assert not is_step(answer)
    hub_bot.settle()
    text = post_text(slack)
    assert "<https://huggingface.co/google/mt5-small|google/mt5-small> ✓ Flax weights" in text
    assert "/api/models/google/mt5-small" in hub.paths()
    assert "/api/datasets/oscar" in hub.paths()  # the default answer links the oscar dataset


def test_a_checkpoint_without_flax_weights_gets_the_guides_from_pt_advice(
    hub_bot: LocalBot, slack: FakeSlack
) -> None:
    view_id, answer = submit(slack, "U0BOB", model="distilbert-base-uncased")
    assert not is_step(answer)  # a note, not a reason to stop
    hub_bot.settle()
    outcome = dumps(slack.view(view_id))
    assert "without Flax weights" in outcome and "from_pt=True" in outcome
    assert "Quickstart" in outcome
    text = post_text(slack)
    assert "distilbert-base-uncased" in text and "✓" not in text


def test_a_model_the_hub_does_not_have_is_a_typo_with_the_closest_ids(
    hub_bot: LocalBot, slack: FakeSlack, hub: FakeHub
) -> None:
    view_id, answer = submit(slack, "U0CAROL", model="roberta-bse")
    assert is_step(answer)
    step = dumps(slack.view(view_id))
    assert "no model `roberta-bse` on the Hub — a typo?" in step
    assert "<https://huggingface.co/roberta-base|roberta-base>" in step
    assert any(r.path == "/api/models" and r.query.get("search") for r in hub.requests)
    slack.submit_view("U0CAROL", view_id, {})  # post as it is
    hub_bot.settle()
    text = post_text(slack)
    assert "roberta-bse" in text and "huggingface.co/roberta-bse" not in text  # not linked


def test_an_architecture_to_train_from_scratch_is_not_asked_about(
    hub_bot: LocalBot, slack: FakeSlack, hub: FakeHub
) -> None:
    _, answer = submit(slack, "U0DAVE", model="T5 from scratch")
    assert not is_step(answer)
    hub_bot.settle()
    assert not any(p.startswith("/api/models") for p in hub.paths())


def test_a_dataset_on_the_hub_is_linked(hub_bot: LocalBot, slack: FakeSlack, hub: FakeHub) -> None:
    _, answer = submit(slack, "U0ALICE", model="t5-base", datasets="mc4 (hi)\nsome scraped news")
    assert not is_step(answer)
    hub_bot.settle()
    text = post_text(slack)
    assert "<https://huggingface.co/datasets/mc4|mc4> (hi)" in text
    assert "/api/datasets/mc4" in hub.paths()


def test_a_gated_dataset_says_each_member_accepts_its_conditions(
    hub_bot: LocalBot, slack: FakeSlack
) -> None:
    view_id, answer = submit(slack, "U0BOB", model="t5-base", datasets="bigcode/the-stack")
    assert not is_step(answer)
    hub_bot.settle()
    assert "is gated" in dumps(slack.view(view_id))
    assert "gated: accept its conditions on the Hub" in post_text(slack)


def test_a_dataset_the_hub_does_not_have_is_a_typo(hub_bot: LocalBot, slack: FakeSlack) -> None:
    view_id, answer = submit(
        slack, "U0CAROL", model="t5-base", datasets="flax-community/hindi-news-2021"
    )
    assert is_step(answer)
    step = dumps(slack.view(view_id))
    assert "no dataset `flax-community/hindi-news-2021` on the Hub — a typo?" in step
    slack.submit_view("U0CAROL", view_id, {})
    hub_bot.settle()
    assert len(slack.messages(CHANNEL)) == 1


def test_a_hub_that_does_not_answer_changes_nothing_and_the_mark_comes_later(
    hub_bot: LocalBot, slack: FakeSlack, hub: FakeHub
) -> None:
    hub.slow(4.0)  # longer than the time box: the ack cannot wait for it
    view_id, answer = submit(slack, "U0ERIN", model="roberta-bse", datasets="bigcode/the-stack")
    assert not is_step(answer)  # no "typo?": the Hub said nothing in time
    assert "Posting" in dumps(answer["view"])
    hub_bot.settle()
    text = post_text(slack)
    assert "roberta-bse" in text and "gated" not in text
    assert "a typo" not in dumps(slack.view(view_id))
    # The answers come after all, get cached, and the post is redrawn with them.
    slack.wait_for(lambda: "gated: accept" in post_text(slack), timeout=20.0)


def test_a_hub_that_is_down_is_not_asked_for_every_proposal(
    hub_bot: LocalBot, slack: FakeSlack, hub: FakeHub
) -> None:
    hub.down(503)
    _, first = submit(slack, "U0ALICE", model="google/mt5-small")
    assert not is_step(first)
    hub_bot.settle()
    asked = len(hub.requests)
    _, second = submit(slack, "U0BOB", model="google/mt5-base", languages=["german"])
    assert not is_step(second)
    hub_bot.settle()
    assert len(hub.requests) == asked  # quiet for a while after a failure
    assert len(slack.messages(CHANNEL)) == 2
    assert "✓" not in dumps(slack.messages(CHANNEL))


def test_answers_are_cached(hub_bot: LocalBot, slack: FakeSlack, hub: FakeHub) -> None:
    submit(slack, "U0ALICE", model="google/mt5-small")
    hub_bot.settle()
    submit(slack, "U0BOB", model="google/mt5-small", languages=["german"])
    hub_bot.settle()
    assert hub.paths().count("/api/models/google/mt5-small") == 1


def test_hub_checks_off_asks_nothing(slack: FakeSlack, hub: FakeHub, tmp_path: Path) -> None:
    running = LocalBot(
        slack, tmp_path / "off.db", ORGANIZER_IDS="U0ORG1", HF_ENDPOINT=hub.endpoint
    ).start()  # HUB_CHECKS is off in the harness unless a test turns it on
    try:
        _, answer = submit(slack, "U0ALICE", model="roberta-bse", datasets="bigcode/the-stack")
        assert not is_step(answer)
        running.settle()
        assert hub.requests == []
        assert "✓" not in post_text(slack)
    finally:
        running.stop()


def test_hf_token_lets_the_bot_see_a_private_model(
    slack: FakeSlack, hub: FakeHub, tmp_path: Path
) -> None:
    hub.add_model("acme/private-t5", flax=True, private=True, pipeline_tag="summarization")
    hub.allow_token("hf_readonly_token")
    settings = {**hub_settings(hub), "HF_TOKEN": "hf_readonly_token"}
    running = LocalBot(slack, tmp_path / "token.db", ORGANIZER_IDS="U0ORG1", **settings).start()
    try:
        _, answer = submit(slack, "U0BOB", model="acme/private-t5")
        assert not is_step(answer)
        running.settle()
        assert "acme/private-t5> ✓ Flax weights" in post_text(slack)
        assert {r.token for r in hub.requests} == {"hf_readonly_token"}
    finally:
        running.stop()


def test_every_surface_shows_what_the_hub_said_from_the_cache(
    slack: FakeSlack, hub: FakeHub, tmp_path: Path
) -> None:
    """The ✓ is on the post, and the same on "View full proposal", the team channel's pinned
    proposal, `/projects` and the Home tab's list: all read the cached answers and ask the
    Hub nothing more (a modal or a list inside an acknowledgement must not wait for it)."""
    settings = {"ORGANIZER_IDS": "U0ORG1", "TEAM_SIZE_THRESHOLD": 2, **hub_settings(hub)}
    running = LocalBot(slack, tmp_path / "surfaces.db", **settings).start()
    try:
        mark = "<https://huggingface.co/google/mt5-small|google/mt5-small> ✓ Flax weights"
        submit(slack, "U0ALICE", model="google/mt5-small")
        running.settle()
        assert mark in post_text(slack)
        asked = len(hub.requests)
        (post,) = slack.messages(CHANNEL)
        slack.click(
            "U0DAVE",
            "proposal_menu",
            channel=slack.channel_id(CHANNEL),
            message_ts=post["ts"],
            selected_option="view:1",
        )
        running.settle()
        (full,) = [v for v in slack.views("U0DAVE") if v["callback_id"] == "proposal_full"]
        assert mark in dumps(full)
        slack.slash_command("U0DAVE", "/projects")
        assert "google/mt5-small ✓ Flax weights" in dumps(slack.ephemerals("U0DAVE")[-1])
        slack.open_home("U0DAVE")
        running.settle()
        assert "google/mt5-small ✓ Flax weights" in dumps(slack.home("U0DAVE"))
        slack.react("U0BOB", slack.channel_id(CHANNEL), post["ts"], "raised_hand")
        running.settle()
        running.rt.updates.drain()
        alert = slack.dms("U0ORG1")[-1]
        slack.click("U0ORG1", "make_official", channel=alert["channel"], message_ts=alert["ts"])
        running.settle()
        team_channel = running.rt.uow.memberships.official_channel(1)
        assert team_channel is not None
        (pinned,) = [
            m for m in slack.messages(team_channel) if m["ts"] in slack.pinned(team_channel)
        ]
        assert mark in dumps(pinned["blocks"])
        assert len(hub.requests) == asked  # the cache answered every surface
    finally:
        running.stop()


def test_a_list_shows_no_mark_the_hub_has_not_given(
    slack: FakeSlack, hub: FakeHub, tmp_path: Path
) -> None:
    """A model without Flax weights gets no ✓ in `/projects`, and a Hub that is down is not
    asked by the list (its body is the acknowledgement)."""
    running = LocalBot(slack, tmp_path / "plain.db", ORGANIZER_IDS="U0ORG1", **hub_settings(hub))
    try:
        running.start()
        submit(slack, "U0BOB", model="distilbert-base-uncased")
        running.settle()
        hub.down(503)
        asked = len(hub.requests)
        response = slack.slash_command("U0DAVE", "/projects")
        assert response.status == 200
        listed = dumps(slack.ephemerals("U0DAVE")[-1])
        assert "distilbert-base-uncased" in listed and "✓" not in listed
        assert len(hub.requests) == asked
    finally:
        running.stop()


def test_an_edit_gives_the_idea_the_hubs_task_of_the_model(
    slack: FakeSlack, hub: FakeHub, tmp_path: Path
) -> None:
    """A proposal stored without the Hub's task (checks off, or the Hub late) gets it when its
    proposer edits it: from the cache at once, else when the Hub answers, after the ack."""
    hub.add_model("acme/sketchy-net", flax=True, pipeline_tag="image-classification")
    database = tmp_path / "edit.db"
    running = LocalBot(slack, database, ORGANIZER_IDS="U0ORG1").start()  # checks off
    try:
        ts = post_proposal(
            slack, "U0ALICE", "Archive cards from old Hindi libraries", model="acme/sketchy-net"
        )
        running.settle()
        before = running.rt.uow.proposals.idea(1)
        assert before is not None and "image" not in before.modalities
        running.restart(**hub_settings(hub))

        def edit(description: str) -> None:
            slack.click(
                "U0ALICE",
                "proposal_menu",
                channel=slack.channel_id(CHANNEL),
                message_ts=ts,
                selected_option="edit:1",
            )
            modal = next(v for v in slack.views("U0ALICE") if "Edit proposal" in dumps(v))
            answer = slack.submit_view("U0ALICE", modal["id"], {"description": description})
            assert answer.status == 200 and "errors" not in dumps(answer.json)
            running.settle()

        edit("Reading the catalogue cards of old libraries, written in Hindi.")
        # The cache did not hold the model: the edit was stored at once, the Hub asked after.
        slack.wait_for(
            lambda: "image" in running.rt.uow.proposals.idea(1).modalities,  # type: ignore[union-attr]
            timeout=20.0,
        )
        assert hub.paths().count("/api/models/acme/sketchy-net") == 1
        # Cached now: a later edit keeps the task without asking the Hub, even when it is down.
        hub.down(503)
        asked = len(hub.requests)
        edit("Reading the catalogue cards of old libraries in Hindi, with their pictures.")
        idea = running.rt.uow.proposals.idea(1)
        assert idea is not None and "image" in idea.modalities
        assert len(hub.requests) == asked
    finally:
        running.stop()
