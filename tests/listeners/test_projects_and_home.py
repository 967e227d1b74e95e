"""`/projects` browsing and search, and the App Home, over HTTP."""

from __future__ import annotations

import json

import pytest

from slackbot.local import CHANNEL, LocalBot, post_proposal
from slackbot.samples import seed
from slackbot.sandbox import FakeSlack


@pytest.fixture
def bot_settings() -> dict[str, object]:
    return {"ORGANIZER_IDS": "U0ORG1", "TEAM_SIZE_THRESHOLD": 3}


def test_projects_lists_what_can_be_joined_closest_first(bot: LocalBot, slack: FakeSlack) -> None:
    post_proposal(slack, "U0ALICE", "GPT2 for Bengali poetry generation")
    ts = post_proposal(slack, "U0BOB", "PreTrain RoBERTa from scratch in Hindi")
    slack.react("U0CAROL", slack.channel_id(CHANNEL), ts, "raised_hand")
    response = slack.slash_command("U0DAVE", "/projects")
    assert response.status == 200 and response.json is not None
    assert response.json["response_type"] == "ephemeral"
    body = json.dumps(response.json["blocks"])
    assert body.index("Hindi") < body.index("Bengali")
    assert "2 of 3 members" in body and "needs 1 more!" in body


def test_search_matches_name_description_language_model_and_datasets(
    bot: LocalBot, slack: FakeSlack
) -> None:
    post_proposal(
        slack, "U0ALICE", "GPT2 for Bengali poetry generation", languages=["bengali"], model="gpt2"
    )
    post_proposal(
        slack, "U0BOB", "PreTrain RoBERTa from scratch in Hindi", datasets="oscar\nhindi_wikipedia"
    )
    for words, expected, absent in [
        ("bengali", "Bengali", "Hindi"),
        ("roberta", "Hindi", "Bengali"),
        ("oscar hindi", "Hindi", "Bengali"),
        ("poet", "Bengali", "Hindi"),  # prefix match
    ]:
        body = json.dumps(slack.slash_command("U0DAVE", "/projects", words).json)
        assert expected in body and absent not in body, words
    body = json.dumps(slack.slash_command("U0DAVE", "/projects", "klingon opera").json)
    assert "Nothing found" in body
    # Operators and quotes are words, not FTS syntax errors.
    assert slack.slash_command("U0DAVE", "/projects", 'NEAR( "x" OR *').status == 200


def test_long_lists_are_paginated_with_buttons(bot: LocalBot, slack: FakeSlack) -> None:
    seed(bot.rt, 25, channel=slack.channel_id(CHANNEL))
    channel = slack.channel_id(CHANNEL)
    response = slack.slash_command("U0DAVE", "/projects", channel=channel)
    first = response.json
    assert first is not None and "page 1 of 3" in json.dumps(first)
    assert "projects_prev" not in json.dumps(first)
    # Pressing the real Next button on the ephemeral answer replaces it with page 2, then 3.
    slack.click("U0DAVE", "projects_next", channel=channel)
    assert "page 2 of 3" in json.dumps(slack.ephemerals("U0DAVE")[-1])
    slack.click("U0DAVE", "projects_next", channel=channel)
    last = json.dumps(slack.ephemerals("U0DAVE")[-1])
    assert "page 3 of 3" in last and "projects_next" not in last


def test_home_tab_for_a_participant(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi")
    post_proposal(slack, "U0BOB", "GPT2 for Bengali poetry generation")
    slack.react("U0CAROL", slack.channel_id(CHANNEL), ts, "raised_hand")
    slack.open_home("U0CAROL")
    home = json.dumps(slack.home("U0CAROL"))
    assert "Teams you joined" in home and "PreTrain RoBERTa" in home
    assert "Organizers" not in home
    slack.open_home("U0ALICE")
    assert "Your proposals" in json.dumps(slack.home("U0ALICE"))
    # Alice's Home refreshes when her team changes; Bob's (not affected) does not.
    slack.open_home("U0BOB")
    bob_before = len(slack.calls_to("views.publish"))
    slack.react("U0DAVE", slack.channel_id(CHANNEL), ts, "raised_hand")
    bot.rt.updates.drain()
    published_for = [c.args["user_id"] for c in slack.calls_to("views.publish")[bob_before:]]
    assert "U0ALICE" in published_for and "U0BOB" not in published_for
    assert "<@U0DAVE>" in json.dumps(slack.home("U0ALICE"))


def test_an_unchanged_home_tab_is_not_published_again(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi")
    for _ in range(3):
        slack.open_home("U0CAROL")
    slack.settle()
    assert [c.args["user_id"] for c in slack.calls_to("views.publish")] == ["U0CAROL"]
    slack.react("U0CAROL", slack.channel_id(CHANNEL), ts, "raised_hand")
    bot.rt.updates.drain()
    slack.open_home("U0CAROL")
    slack.settle()
    # Her joining changed her tab: published once more, then opening it again costs nothing.
    assert [c.args["user_id"] for c in slack.calls_to("views.publish")] == ["U0CAROL"] * 2
    assert "Teams you joined" in json.dumps(slack.home("U0CAROL"))


def test_home_tab_for_an_organizer_has_the_waiting_teams(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi")
    for user in ("U0BOB", "U0CAROL"):
        slack.react(user, slack.channel_id(CHANNEL), ts, "raised_hand")
    slack.open_home("U0ORG1")
    home = slack.home("U0ORG1")
    assert home is not None and "waiting for you" in json.dumps(home)
    slack.click("U0ORG1", "make_official", view_id=home["id"])
    assert bot.rt.uow.proposals.get(1).status.value == "official"  # type: ignore[union-attr]


def test_a_long_non_ascii_search_still_paginates(bot: LocalBot, slack: FakeSlack) -> None:
    seed(bot.rt, 25, channel=slack.channel_id(CHANNEL))
    query = "roberta " + "ह" * 600
    response = slack.slash_command("U0DAVE", "/projects", query, channel=slack.channel_id(CHANNEL))
    assert response.status == 200  # the page buttons' values stay under 2000 characters
