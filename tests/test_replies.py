"""The catalog of answers (blocks/replies.py): every answer has words, every placeholder is a
fact the words can show, and user text never becomes markup."""

from __future__ import annotations

import string

import pytest

from slackbot.blocks.replies import WORDS, reply_text
from slackbot.domain.answers import Answer, Linked, Moment, People, Person, say


@pytest.mark.parametrize("answer", list(Answer))
def test_every_answer_renders(answer: Answer) -> None:
    fields = {f for _, f, _, _ in string.Formatter().parse(WORDS[answer]) if f}
    text = reply_text(say(answer, **{f: "x" for f in fields}))
    assert text and "{" not in text


def test_nothing_to_say_is_empty() -> None:
    assert reply_text(None) == ""


def test_user_text_is_escaped() -> None:
    said = say(Answer.LEFT, name="<!channel> & co")
    assert reply_text(said) == "You left *&lt;!channel&gt; &amp; co*."


def test_facts_become_mentions_links_and_dates() -> None:
    moved = say(Answer.MOVED, user=Person("U0BOB"), name="A <b>")
    assert reply_text(moved) == "<@U0BOB> moved to *A &lt;b&gt;*."
    started = say(
        Answer.SECOND_TEAM_STARTED_WITH,
        team=Linked("https://x.slack.com/archives/C1/p1", "T <2>"),
        lead=Person("U0AL"),
        others=People(("U0BO", "<!here>")),
        count=3,
    )
    text = reply_text(started)
    assert text.startswith("Second team started: <https://x.slack.com/archives/C1/p1|T &lt;2&gt;>")
    assert "led by <@U0AL>, with <@U0BO>, &lt;!here&gt;: the 3 on" in text
    assert "<!here>" not in text
    assert (
        reply_text(say(Answer.TEAMS_CLOSED, at=Moment(1626652800))).count("<!date^1626652800") == 1
    )
    assert reply_text(say(Answer.SECOND_TEAM_EXISTS, team=Linked(None, "<!channel>"))) == (
        "A second team exists already: &lt;!channel&gt;."
    )
