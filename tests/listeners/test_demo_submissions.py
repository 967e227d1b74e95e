"""The end of the week over signed HTTP (issue 27): a team submits its demo with `/submit` and
edits it; refusals (not in an official team, after the deadline, bad links); the announcement
posted once, across a restart; reminders once; judges who cannot score their own team, private
scores; the ranking with a missing score; the winners posted once."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from slackbot.local import CHANNEL, LocalBot, post_proposal
from slackbot.sandbox import FakeSlack
from slackbot.services import digest_posting
from slackbot.services.demo_submissions import CatchUp
from slackbot.slack.budgets import windows_for
from tests.conftest import run_offline_cli

SPACE = "https://huggingface.co/spaces/flax-community/roberta-hindi"


@pytest.fixture
def bot_settings() -> dict[str, object]:
    return {
        "ORGANIZER_IDS": "U0ORG1,U0ORG2",
        "TEAM_SIZE_THRESHOLD": 2,
        "JUDGE_IDS": "U0BOB,U0DAVE",
    }


def dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def official_team(bot: LocalBot, slack: FakeSlack, proposer: str, name: str, *members: str) -> int:
    ts = post_proposal(slack, proposer, name)
    for member in members:
        slack.click(member, "join_team", channel=slack.channel_id(CHANNEL), message_ts=ts)
    pid = bot.rt.uow.proposals.by_message(slack.channel_id(CHANNEL), ts)
    assert pid is not None
    slack.slash_command("U0ORG1", "/organize", f"official {pid.id}")
    bot.settle()
    return pid.id


def open_form(slack: FakeSlack, user: str) -> dict:  # type: ignore[type-arg]
    before = [v["id"] for v in slack.views(user)]
    assert slack.slash_command(user, "/submit").status == 200
    views = slack.views(user)
    assert views and views[-1]["id"] not in before, "no form opened"
    assert views[-1]["callback_id"] == "demo_submission"
    return views[-1]


def values(**changes: str) -> dict[str, object]:
    return {"demo_url": SPACE, "summary": "Hindi news, classified by RoBERTa.", **changes}


def replies(slack: FakeSlack, bot: LocalBot, pid: int) -> list[dict]:  # type: ignore[type-arg]
    proposal = bot.rt.uow.proposals.get(pid)
    assert proposal is not None and proposal.ts is not None
    return [
        m for m in slack.thread(CHANNEL, proposal.ts) if "submitted its demo" in m.get("text", "")
    ]


def lines(slack: FakeSlack) -> list[dict]:  # type: ignore[type-arg]
    return [
        m
        for m in slack.messages(CHANNEL)
        if "submitted its demo" in m.get("text", "") and not m.get("thread_ts")
    ]


def last_ephemeral(slack: FakeSlack, user: str) -> str:
    """The last answer the person saw (not the "Working on…" ack of a deferred command)."""
    said = [str(m.get("text", "")) for m in slack.ephemerals(user)]
    return [t for t in said if not t.startswith("Working on")][-1]


def iso(at: float) -> str:
    return datetime.fromtimestamp(at, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def test_a_submission_its_edit_and_the_refusals(bot: LocalBot, slack: FakeSlack) -> None:
    pid = official_team(bot, slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi", "U0CAROL")
    # Not in an official team: why, and what to do.
    slack.slash_command("U0ERIN", "/submit")
    assert "not in one" in last_ephemeral(slack, "U0ERIN") and not slack.views("U0ERIN")
    # Bad links are inline errors; nothing is stored or posted.
    form = open_form(slack, "U0ALICE")
    bad = slack.submit_view("U0ALICE", form["id"], values(demo_url="ftp://x", video_url="x"))
    assert bad.json is not None and bad.json["response_action"] == "errors"
    assert set(bad.json["errors"]) == {"demo_url", "video_url"}
    assert bot.rt.uow.demo_submissions.count() == 0
    ok = slack.submit_view("U0ALICE", form["id"], values(models="flax-community/roberta-hindi"))
    assert ok.json is not None and ok.json["view"]["title"]["text"] == "Demo submitted"
    bot.settle()
    (reply,) = replies(slack, bot, pid)
    (_line,) = lines(slack)
    assert "flax-community/roberta-hindi (a Space on the Hub)" in dump(reply["blocks"])
    # Any member edits it: the form is prefilled; the announcement is updated, not reposted.
    form = open_form(slack, "U0CAROL")
    assert "Hindi news" in dump(form["blocks"])
    slack.submit_view("U0CAROL", form["id"], values(summary="Now with a leaderboard."))
    bot.settle()
    (reply,) = replies(slack, bot, pid)
    assert "Now with a leaderboard." in dump(reply["blocks"]) and "(edited)" in reply[
        "text"
    ] + dump(reply["blocks"])
    assert len(lines(slack)) == 1
    actions = [e.action for e in bot.rt.uow.audit.entries(pid)]
    assert actions.count("demo_submitted") == 1 and actions.count("demo_edited") == 1
    # The Home tab shows the team's demo with "Edit your demo".
    slack.open_home("U0ALICE")
    assert "Edit your demo" in dump(slack.home("U0ALICE"))
    # Restarted: the catch-up posts nothing again.
    bot.restart()
    bot.rt.bus.handle(CatchUp())
    assert len(replies(slack, bot, pid)) == 1 and len(lines(slack)) == 1
    # After the deadline: refused, with why.
    bot.restart(SUBMISSIONS_CLOSE_AT="2020-01-01T00:00")
    slack.slash_command("U0ALICE", "/submit")
    assert "closed" in last_ephemeral(slack, "U0ALICE")


def test_an_announcement_slack_refused_is_finished_once_after_a_restart(
    bot: LocalBot, slack: FakeSlack
) -> None:
    pid = official_team(bot, slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi", "U0CAROL")
    form = open_form(slack, "U0ALICE")
    # Slack refuses the first post of the announcement; the rest waits for the next pass.
    # (A crash between the two posts is tests/services/test_submissions_judging.py's.)
    slack.fail("chat.postMessage", status=200, error="fatal_error", times=1, delay=0)
    slack.submit_view("U0ALICE", form["id"], values())
    bot.settle()
    got = len(replies(slack, bot, pid)) + len(lines(slack))
    assert got <= 2
    bot.restart()
    bot.rt.bus.handle(CatchUp())
    assert len(replies(slack, bot, pid)) == 1 and len(lines(slack)) == 1


def test_reminders_once_each_in_the_team_channel(bot: LocalBot, slack: FakeSlack) -> None:
    pid = official_team(bot, slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi", "U0CAROL")
    bot.restart(SUBMISSIONS_CLOSE_AT=iso(time.time() + 20 * 3600))
    bot.rt.bus.handle(CatchUp())
    bot.rt.bus.handle(CatchUp())
    team_channel = bot.rt.uow.memberships.official_channel(pid)
    assert team_channel is not None
    said = [m for m in slack.messages(team_channel) if "Demo submissions close" in m["text"]]
    assert len(said) == 1 and "<!date^" in dump(said[0]["blocks"])
    # The deadline moved (and the bot restarted): the Home tab says the new time.
    later = time.time() + 3 * 86400
    bot.restart(SUBMISSIONS_CLOSE_AT=iso(later))
    slack.open_home("U0ALICE")
    assert f"<!date^{int(later)}^" in dump(slack.home("U0ALICE"))


def test_judges_score_privately_and_the_winners_are_posted_once(
    bot: LocalBot, slack: FakeSlack
) -> None:
    # Bob judges and is in the first team; Dave judges both.
    first = official_team(bot, slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi", "U0BOB")
    second = official_team(bot, slack, "U0ERIN", "GPT2 poetry generation in German", "U0FRANK")
    for user in ("U0ALICE", "U0ERIN"):
        form = open_form(slack, user)
        slack.submit_view(user, form["id"], values())
    bot.settle()
    slack.open_home("U0BOB")
    bob_home = dump(slack.home("U0BOB"))
    assert f"judge-{second}" in bob_home and f"judge-{first}" not in bob_home  # not his own
    # Dave scores both; Bob scores the second only, with a comment nobody else sees.
    scores = {
        "the_demo": "5",
        "technical_difficulty": "4",
        "social_impact": "3",
        "innovativeness": "4",
    }
    for judge, pid, comment in (
        ("U0DAVE", first, ""),
        ("U0DAVE", second, ""),
        ("U0BOB", second, "kept-private-words"),
    ):
        slack.open_home(judge)
        home = slack.home(judge)
        assert home is not None
        slack.click(
            judge, "score_demo", value=str(pid), block_id=f"judge-{pid}", view_id=home["id"]
        )
        view = slack.views(judge)[-1]
        assert view["callback_id"] == "demo_score"
        answer = slack.submit_view(judge, view["id"], {**scores, "comment": comment})
        assert answer.json is not None and answer.json["view"]["title"]["text"] == "Scores saved"
    bot.settle()
    bot.rt.updates.drain()
    for person in ("U0DAVE", "U0ALICE", "U0ERIN"):
        slack.open_home(person)
        assert "kept-private-words" not in dump(slack.home(person))
    assert "kept-private-words" not in dump(slack.messages(CHANNEL))
    # The organizers' dashboard: submissions and each judge's progress.
    slack.open_home("U0ORG1")
    board = dump(slack.home("U0ORG1"))
    assert "*2* of *2* official teams submitted" in board and "scored 1 of 1" in board
    # The ranking, to the organizer only: a tie, and the missing judge named.
    slack.slash_command("U0ORG1", "/organize", "results")
    ranking = last_ephemeral(slack, "U0ORG1")
    assert "=1." in ranking and "tied" in ranking and "2 of 2 judges" in ranking
    assert "1 of 1 judges" in ranking
    assert not any("Results" in m.get("text", "") for m in slack.ephemerals("U0ALICE"))
    # The winners, once.
    slack.slash_command("U0ORG1", "/organize", f"winners {second} {first}")
    slack.slash_command("U0ORG2", "/organize", f"winners {first}")
    assert "announced already" in last_ephemeral(slack, "U0ORG2")
    posted = [m for m in slack.messages(CHANNEL) if "winners" in m.get("text", "")]
    assert len(posted) == 1 and SPACE.removeprefix("https://") in dump(posted[0]["blocks"])
    for pid in (first, second):
        channel = bot.rt.uow.memberships.official_channel(pid)
        assert channel is not None
        assert any("placed your demo" in m["text"] for m in slack.messages(channel))
    # A participant cannot score, nor read the results.
    slack.slash_command("U0ALICE", "/organize", "results")
    assert "Only the organizers" in last_ephemeral(slack, "U0ALICE")


def score(slack: FakeSlack, judge: str, pid: int, given: dict[str, str], comment: str) -> None:
    slack.open_home(judge)
    home = slack.home(judge)
    assert home is not None
    slack.click(judge, "score_demo", value=str(pid), block_id=f"judge-{pid}", view_id=home["id"])
    view = slack.views(judge)[-1]
    answer = slack.submit_view(judge, view["id"], {**given, "comment": comment})
    assert answer.json is not None and answer.json["view"]["title"]["text"] == "Scores saved"


def test_the_export_has_the_submissions_and_only_when_asked_the_scores(
    bot: LocalBot, slack: FakeSlack, tmp_path: Path
) -> None:
    first = official_team(
        bot, slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi", "U0CAROL"
    )
    second = official_team(bot, slack, "U0ERIN", "GPT2 poetry generation in German", "U0FRANK")
    form = open_form(slack, "U0ALICE")
    slack.submit_view(
        "U0ALICE",
        form["id"],
        values(models="flax-community/roberta-hindi\nhttps://huggingface.co/flax-community/x"),
    )
    form = open_form(slack, "U0CAROL")  # an edit by another member
    slack.submit_view(
        "U0CAROL",
        form["id"],
        values(
            models="flax-community/roberta-hindi",
            video_url="https://youtu.be/demo",
            jury_note="=1+1 is not a formula",
        ),
    )
    bot.settle()
    given = {"the_demo": "5", "technical_difficulty": "4", "social_impact": "3"}
    score(slack, "U0DAVE", first, {**given, "innovativeness": "2"}, "Lovely demo")
    score(slack, "U0BOB", first, {**given, "innovativeness": "4"}, "")
    stored = bot.rt.uow.demo_submissions.get(first)
    assert stored is not None

    plain = run_offline_cli(bot.database, tmp_path, "export", "--format", "json")
    assert plain.returncode == 0, plain.stderr
    sheet = json.loads(plain.stdout)
    assert "scores" not in sheet and "Lovely demo" not in plain.stdout  # private unless asked
    (demo,) = sheet["submissions"]  # one row per team that submitted: the second did not
    assert demo == {
        "ID": first,
        "Project": "PreTrain RoBERTa from scratch in Hindi",
        "Demo": SPACE,
        "Space": "flax-community/roberta-hindi",
        "Model repositories": ["flax-community/roberta-hindi"],
        "Summary": "Hindi news, classified by RoBERTa.",
        "Video": "https://youtu.be/demo",
        "Jury note": "=1+1 is not a formula",
        "Submitted": iso(stored.submitted_at),
        "Updated": iso(stored.updated_at),
        "Submitted by": "U0ALICE",
        "Submitted by name": "U0ALICE",
        "Updated by": "U0CAROL",
        "Updated by name": "U0CAROL",
        "Version": 2,
    }
    audit = [a["action"] for a in sheet["audit"]]
    assert audit.count("demo_submitted") == 1 and audit.count("demo_edited") == 1

    with_scores = run_offline_cli(bot.database, tmp_path, "export", "--format", "json", "--scores")
    scores = json.loads(with_scores.stdout)["scores"]
    assert len(scores) == 8  # two judges, four criteria
    assert {
        "Judge": "U0DAVE",
        "Judge name": "U0DAVE",
        "ID": first,
        "Project": "PreTrain RoBERTa from scratch in Hindi",
        "Criterion": "Innovativeness",
        "Score": 2,
        "Comment": "Lovely demo",
    }.items() <= scores[7].items()
    assert [s["Criterion"] for s in scores[:4]] == [
        "The demo",
        "Technical difficulty",
        "Social impact",
        "Innovativeness",
    ]

    # CSV: the projects sheet carries the demo; with --scores, to a file, the scores sheet.
    projects = run_offline_cli(bot.database, tmp_path, "export")
    rows = {int(r["ID"]): r for r in csv.DictReader(io.StringIO(projects.stdout))}
    assert rows[first]["Demo"] == SPACE and rows[first]["Space"] == "flax-community/roberta-hindi"
    assert rows[first]["Jury note"] == "'=1+1 is not a formula"  # never a formula
    assert rows[second]["Demo"] == "" and rows[second]["Submitted"] == ""
    out = tmp_path / "scores.csv"
    done = run_offline_cli(bot.database, tmp_path, "export", "--scores", "--output", str(out))
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader(io.StringIO(out.read_text())))
    assert {(r["Judge"], r["Criterion"], r["Score"]) for r in table} >= {
        ("U0BOB", "Innovativeness", "4"),
        ("U0DAVE", "The demo", "5"),
    }
    assert len(table) == 8 and "Lovely demo" in {r["Comment"] for r in table}

    # The organizers' command uploads the same to the organizer's DM.
    slack.slash_command("U0ORG1", "/organize", "export json scores")
    assert "judges' scores is in your DM" in last_ephemeral(slack, "U0ORG1")
    upload = slack.files()[-1]
    assert "scores" in upload["filename"]
    assert json.loads(upload["content"].decode())["scores"] == scores


def submit_demo(slack: FakeSlack, user: str, **changes: str) -> None:
    form = open_form(slack, user)
    answer = slack.submit_view(user, form["id"], values(**changes))
    assert answer.json is not None and answer.json["view"]["title"]["text"] == "Demo submitted"


def test_the_jury_is_the_judges_channel_read_again_by_the_job(
    bot: LocalBot, slack: FakeSlack
) -> None:
    pid = official_team(bot, slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi", "U0CAROL")
    submit_demo(slack, "U0ALICE")
    bot.settle()
    jury = slack.add_channel("jury", members=["U0BOT", "U0ERIN"])
    bot.restart(JUDGE_IDS="", JUDGES_CHANNEL="jury")
    # Erin is in the jury's channel: her Home tab lists the demo, and she scores it.
    score(slack, "U0ERIN", pid, {**SCORES}, "")
    assert bot.rt.uow.scores.of(pid, "U0ERIN") is not None
    # Bob was named by JUDGE_IDS, which is empty now: he is no judge, the bot no judge either.
    slack.open_home("U0BOB")
    assert f"judge-{pid}" not in dump(slack.home("U0BOB"))
    assert bot.rt.judges.everyone() == {"U0ERIN"}
    # Frank joins the channel; the scheduled refresh reads it again: he judges too.
    slack.add_channel_member(jury, "U0FRANK")
    assert bot.rt.judges.refresh()
    score(slack, "U0FRANK", pid, {**SCORES}, "")
    slack.slash_command("U0ORG1", "/organize", "results")
    assert "2 of 2 judges" in last_ephemeral(slack, "U0ORG1")


SCORES = {"the_demo": "4", "technical_difficulty": "4", "social_impact": "3", "innovativeness": "4"}


def test_remind_late_judges_dms_each_late_judge_once_per_click_within_budget(
    bot: LocalBot, slack: FakeSlack
) -> None:
    first = official_team(
        bot, slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi", "U0CAROL"
    )
    second = official_team(bot, slack, "U0ERIN", "GPT2 poetry generation in German", "U0FRANK")
    submit_demo(slack, "U0ALICE")
    submit_demo(slack, "U0ERIN")
    bot.restart(JUDGE_IDS="U0BOB,U0DAVE,U0FRANK")
    # Dave scored everything; Bob scored one of two; Frank (in the second team) nothing.
    for judge, pid in (("U0DAVE", first), ("U0DAVE", second), ("U0BOB", first)):
        score(slack, judge, pid, SCORES, "")
    # Frank's DM has had its minute's worth of messages: no room for one more now.
    for _ in range(60):
        bot.rt.client.budgets.spend(windows_for("chat.postMessage", "U0FRANK"), force=True)
    slack.open_home("U0ORG1")
    board = slack.home("U0ORG1")
    assert board is not None
    shown = dump(board)
    assert "<@U0BOB> scored 1 of 2" in shown and "<@U0FRANK> scored 0 of 1" in shown
    assert "<@U0DAVE> scored 2 of 2" in shown and "Remind late judges" in shown

    def click() -> str:
        slack.click(
            "U0ORG1", "remind_judges", value="late", block_id="dash-judges", view_id=board["id"]
        )
        bot.settle()
        return str(slack.dms("U0ORG1")[-1]["text"])

    def reminders(judge: str) -> list[str]:
        return [str(m["text"]) for m in slack.dms(judge) if "for your scores" in str(m["text"])]

    said = click()
    assert said.startswith("Reminded <@U0BOB>.") and "Not reached now: <@U0FRANK>" in said
    assert len(reminders("U0BOB")) == 1 and "1 demo still waits" in reminders("U0BOB")[0]
    assert reminders("U0DAVE") == [] and reminders("U0FRANK") == []
    click()  # once per click: Bob hears again, Frank still waits for room
    assert len(reminders("U0BOB")) == 2 and reminders("U0FRANK") == []
    assert slack.violations == []
    entries = [e for e in bot.rt.uow.audit.entries() if e.action == "judges_reminded"]
    assert len(entries) == 2 and entries[0].after == {
        "judges": ["U0BOB"],
        "not_reached": ["U0FRANK"],
    }


def test_the_digest_says_how_many_teams_submitted_and_when_submissions_close(
    bot: LocalBot, slack: FakeSlack
) -> None:
    official_team(bot, slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi", "U0CAROL")
    official_team(bot, slack, "U0ERIN", "GPT2 poetry generation in German", "U0FRANK")
    post_proposal(slack, "U0BOB", "CLIP for Hindi image search")  # open: the digest has news
    closes = time.time() + 2 * 86400
    bot.restart(SUBMISSIONS_CLOSE_AT=iso(closes))
    submit_demo(slack, "U0ALICE")
    assert bot.rt.bus.handle(digest_posting.PostDigestNow()) == "posted"
    digest = [m for m in slack.messages(CHANNEL) if "digest" in m["text"]][-1]
    assert f"Demos: 1 of 2 official teams submitted · close <!date^{int(closes)}^" in dump(
        digest["blocks"]
    )
    # Without SUBMISSIONS_CLOSE_AT the digest says nothing of demos.
    bot.restart(SUBMISSIONS_CLOSE_AT="")
    post_proposal(slack, "U0DAVE", "Vision transformer for Tamil handwriting")
    assert bot.rt.bus.handle(digest_posting.PostDigestNow()) == "posted"
    latest = [m for m in slack.messages(CHANNEL) if "digest" in m["text"]][-1]
    assert latest["ts"] != digest["ts"] and "Demos:" not in dump(latest["blocks"])
