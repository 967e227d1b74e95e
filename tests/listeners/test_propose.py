"""`/propose` and the proposal modal, end to end over signed HTTP."""

from __future__ import annotations

import json

import pytest

from slackbot.domain.proposal import Status
from slackbot.domain.template import SECTIONS
from slackbot.local import CHANNEL, LocalBot, open_propose_modal, proposal_values
from slackbot.sandbox import FakeSlack


def input_block_ids(view: dict) -> list[str]:
    return [b["block_id"] for b in view["blocks"] if b["type"] == "input"]


def test_propose_opens_the_template_modal_within_the_trigger_window(
    bot: LocalBot, slack: FakeSlack
) -> None:
    response = slack.slash_command("U0ALICE", "/propose")
    assert response.status == 200
    assert response.elapsed < 3.0
    (view,) = slack.views("U0ALICE")
    assert input_block_ids(view) == [
        "name",
        "description",
        "languages",
        "language_other",
        "model",
        "datasets",
        "training_scripts",
        "challenges",
        "outcome",
        "reads",
        "min_team_size",
    ]
    for section in SECTIONS:
        block = next(b for b in view["blocks"] if b.get("block_id") == section.id)
        assert block["label"]["text"] == section.label
        assert block["hint"]["text"] == section.hint
        assert block.get("optional", False) is (not section.required)
    # views.open was the first Web API call made for the command: nothing may delay it.
    assert slack.calls[-1].method == "views.open"


def test_propose_with_text_prefills_the_name(bot: LocalBot, slack: FakeSlack) -> None:
    slack.slash_command("U0ALICE", "/propose", "Spanish CLIP for image retrieval")
    (view,) = slack.views("U0ALICE")
    name = next(b for b in view["blocks"] if b.get("block_id") == "name")
    assert name["element"]["initial_value"] == "Spanish CLIP for image retrieval"


def test_a_valid_proposal_is_stored_and_posted_with_every_answer(
    bot: LocalBot, slack: FakeSlack
) -> None:
    view_id = open_propose_modal(slack, "U0ALICE")
    values = proposal_values(
        "Using a T5 model to learn grammar correction in French",
        languages=["french", "other"],
        language_other="Breton",
        model="google/mt5-small",
        datasets="https://huggingface.co/datasets/oscar\nmc4",
        challenges="Convergence takes long",
        outcome="A Streamlit demo",
        reads="https://arxiv.org/abs/1910.10683",
    )
    response = slack.submit_view("U0ALICE", view_id, values)
    assert response.status == 200
    assert response.json is not None and response.json["response_action"] == "update"

    (post,) = slack.messages(CHANNEL)
    rendered = json.dumps(post["blocks"])
    assert post["blocks"][0]["type"] == "header"
    assert post["blocks"][0]["text"]["text"] == values["name"]
    for text in [
        "French, Breton",
        "google/mt5-small",
        "mc4",
        "Convergence takes long",
        "A Streamlit demo",
        "https://arxiv.org/abs/1910.10683",
        "<@U0ALICE>",
        ":raised_hand:",
        "run_summarization_flax.py",
    ]:
        assert text in rendered, text
    assert post["text"]  # a notification / screen-reader text goes with the blocks

    (stored,) = bot.rt.uow.proposals.with_status(Status.OPEN)
    assert stored.proposer_id == "U0ALICE"
    assert (stored.channel, stored.ts) == (slack.channel_id(CHANNEL), post["ts"])
    assert stored.permalink and post["ts"].replace(".", "") in stored.permalink
    assert stored.languages == ["french", "other"] and stored.language_other == "Breton"

    # The proposer is told where it is, in the modal and by DM.
    assert stored.permalink in json.dumps(slack.view(view_id))
    assert any(stored.permalink in m["text"] for m in slack.dms("U0ALICE"))


def test_user_text_cannot_ping_the_channel(bot: LocalBot, slack: FakeSlack) -> None:
    view_id = open_propose_modal(slack, "U0ALICE")
    slack.submit_view(
        "U0ALICE",
        view_id,
        proposal_values(
            "GPT2 poetry generation in German", description="<!channel> join us & <@U0BOB>"
        ),
    )
    (post,) = slack.messages(CHANNEL)
    rendered = json.dumps(post["blocks"])
    assert "<!channel>" not in rendered and "&lt;!channel&gt; join us &amp;" in rendered


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"description": ""}, "description", "Please fill in"),
        ({"reads": "the T5 paper"}, "reads", "http(s) link"),
        ({"datasets": "ftp://example.org/data"}, "datasets", "http(s)"),
        ({"languages": []}, "languages", "at least one language"),
        ({"languages": ["other"]}, "language_other", "type the language"),
        ({"outcome": "x" * 1501}, "outcome", "Too long"),
    ],
)
def test_each_rule_gives_an_inline_error_and_stores_nothing(
    bot: LocalBot, slack: FakeSlack, changes: dict[str, object], field: str, message: str
) -> None:
    view_id = open_propose_modal(slack, "U0BOB")
    values = proposal_values("PreTrain RoBERTa from scratch in Hindi", **changes)
    response = slack.submit_view("U0BOB", view_id, values)
    assert response.status == 200
    assert response.json is not None
    assert response.json["response_action"] == "errors"
    assert message in response.json["errors"][field]
    assert slack.views("U0BOB"), "the modal stays open with the person's answers"
    assert bot.rt.store.conn.execute("SELECT COUNT(*) FROM proposals").fetchone()[0] == 0
    assert slack.messages(CHANNEL) == []


def test_fixing_the_error_then_submitting_posts_once(bot: LocalBot, slack: FakeSlack) -> None:
    view_id = open_propose_modal(slack, "U0BOB")
    bad = proposal_values("PreTrain RoBERTa from scratch in Hindi", reads="not a link")
    assert slack.submit_view("U0BOB", view_id, bad).json["response_action"] == "errors"  # type: ignore[index]
    good = proposal_values(
        "PreTrain RoBERTa from scratch in Hindi", reads="https://arxiv.org/abs/1907.11692"
    )
    assert slack.submit_view("U0BOB", view_id, good).status == 200
    assert len(slack.messages(CHANNEL)) == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reads", "https://arxiv.org/abs/1/><!channel>"),
        ("model", "https://huggingface.co/x><!here>"),
        ("datasets", "https://a.b/|<!channel>"),
    ],
)
def test_links_cannot_smuggle_mrkdwn(
    bot: LocalBot, slack: FakeSlack, field: str, value: str
) -> None:
    view_id = open_propose_modal(slack, "U0BOB")
    values = proposal_values("PreTrain RoBERTa from scratch in Hindi", **{field: value})
    response = slack.submit_view("U0BOB", view_id, values)
    assert response.json is not None and field in response.json["errors"]
    assert slack.messages(CHANNEL) == []
