"""The language-aware similar-project check while proposing, over HTTP."""

from __future__ import annotations

import json

from slackbot.domain.proposal import Status
from slackbot.local import CHANNEL, LocalBot, open_propose_modal, post_proposal, proposal_values
from slackbot.sandbox import FakeSlack

HINDI = "PreTrain RoBERTa from scratch in Hindi"
PARAPHRASE = "Pre-training a RoBERTa model on Hindi text from scratch"


def existing(slack: FakeSlack) -> str:
    return post_proposal(slack, "U0ALICE", HINDI, languages=["hindi"], model="roberta-base")


def submit_paraphrase(slack: FakeSlack, **answers: object) -> tuple[str, dict]:
    view_id = open_propose_modal(slack, "U0BOB")
    values = proposal_values(
        PARAPHRASE, languages=["hindi"], model="roberta-base", challenges="Compute", **answers
    )
    response = slack.submit_view("U0BOB", view_id, values)
    assert response.json is not None
    return view_id, response.json


def test_a_same_language_duplicate_gets_the_confirmation_step(
    bot: LocalBot, slack: FakeSlack
) -> None:
    existing(slack)
    view_id, answer = submit_paraphrase(slack)
    assert answer["response_action"] == "update"
    step = json.dumps(slack.view(view_id))
    for seen in (HINDI, "1 of 3 members", "<@U0ALICE>", "join_similar", "Post as it is", "Hindi"):
        assert seen in step, seen
    assert len(slack.messages(CHANNEL)) == 1  # nothing posted
    assert len(bot.rt.uow.proposals.with_status(*Status)) == 1  # nothing stored


def test_post_anyway_posts_what_was_typed(bot: LocalBot, slack: FakeSlack) -> None:
    existing(slack)
    view_id, _ = submit_paraphrase(slack, outcome="A Streamlit demo")
    response = slack.submit_view("U0BOB", view_id, {})
    assert response.status == 200
    post = slack.messages(CHANNEL)[-1]
    text = json.dumps(post["blocks"])
    assert PARAPHRASE in text and "A Streamlit demo" in text and "Compute" in text
    assert len(bot.rt.uow.proposals.with_status(Status.OPEN)) == 2


def test_join_joins_the_existing_team_and_keeps_the_draft(bot: LocalBot, slack: FakeSlack) -> None:
    ts = existing(slack)
    view_id, _ = submit_paraphrase(slack, outcome="A Streamlit demo")
    slack.click("U0BOB", "join_similar", view_id=view_id)
    (proposal,) = bot.rt.uow.proposals.with_status(Status.OPEN)
    assert bot.rt.uow.memberships.team(proposal).members == ["U0ALICE", "U0BOB"]
    assert "You joined" in json.dumps(slack.view(view_id))
    bot.rt.updates.drain()
    assert "<@U0BOB>" in json.dumps(slack.message(CHANNEL, ts)["blocks"])
    # Reconciling with Slack's reactions (Bob never reacted) keeps a button join.
    from slackbot.services.reconciliation import ReconcileAll

    bot.rt.bus.handle(ReconcileAll())
    assert "U0BOB" in bot.rt.uow.memberships.team(proposal).members
    # Nothing typed is lost: back to the draft, every answer is there.
    slack.click("U0BOB", "back_to_draft", view_id=view_id)
    modal = json.dumps(slack.view(view_id))
    assert PARAPHRASE in modal and "A Streamlit demo" in modal and "Compute" in modal
    # Submitting it again is not bounced by the project already shown.
    assert slack.submit_view("U0BOB", view_id, {}).json["response_action"] == "update"  # type: ignore[index]
    assert len(slack.messages(CHANNEL)) == 2


def test_the_same_idea_in_another_language_posts_at_once_with_cross_links(
    bot: LocalBot, slack: FakeSlack
) -> None:
    existing(slack)
    first = bot.rt.uow.proposals.get(1)
    assert first is not None
    view_id = open_propose_modal(slack, "U0CAROL")
    values = proposal_values(
        "Pretraining RoBERTa from scratch in Italian", languages=["italian"], model="roberta-base"
    )
    slack.submit_view("U0CAROL", view_id, values)
    post = slack.messages(CHANNEL)[-1]
    text = json.dumps(post["blocks"])
    assert "same idea in other languages" in text and str(first.permalink) in text
    assert any("Italian" in m["text"] for m in slack.dms("U0ALICE"))


def test_a_different_idea_in_the_same_language_posts_directly(
    bot: LocalBot, slack: FakeSlack
) -> None:
    existing(slack)
    view_id = open_propose_modal(slack, "U0CAROL")
    values = proposal_values("T5 summarisation of Hindi news", languages=["hindi"])
    slack.submit_view("U0CAROL", view_id, values)
    assert len(slack.messages(CHANNEL)) == 2
    assert "same idea" not in json.dumps(slack.messages(CHANNEL)[-1]["blocks"])


def test_propose_with_a_known_name_warns_in_the_modal(bot: LocalBot, slack: FakeSlack) -> None:
    existing(slack)
    slack.slash_command("U0BOB", "/propose", "Pretraining RoBERTa in Hindi from scratch")
    (modal,) = slack.views("U0BOB")
    text = json.dumps(modal)
    assert "Similar projects exist" in text and HINDI in text
    name = next(b for b in modal["blocks"] if b.get("block_id") == "name")
    assert name["element"]["initial_value"] == "Pretraining RoBERTa in Hindi from scratch"


def test_your_own_project_is_not_offered_to_you(bot: LocalBot, slack: FakeSlack) -> None:
    existing(slack)
    view_id = open_propose_modal(slack, "U0ALICE")
    values = proposal_values(PARAPHRASE, languages=["hindi"], model="roberta-base")
    assert slack.submit_view("U0ALICE", view_id, values).json["response_action"] == "update"  # type: ignore[index]
    assert len(slack.messages(CHANNEL)) == 2  # posted: no confirmation step about her own
