"""Demo submissions and judging alone (issue 27): each handler with a real unit of work on a
migrated database and the FakeMessenger, no Slack, no HTTP. The stories over real HTTP are in
tests/listeners/test_demo_submissions.py."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from slackbot import bootstrap
from slackbot.config import Settings
from slackbot.domain.demo_submission import DemoDraft, hf_space, model_repos
from slackbot.domain.judging import criterion_key, rank
from slackbot.domain.proposal import Status
from slackbot.domain.teams import ORGANIZER, Signal
from slackbot.domain.validation import Draft
from slackbot.samples import offline_runtime
from slackbot.services import demo_submissions as demos
from slackbot.services import judging
from slackbot.services.messagebus import MessageBus
from slackbot.services.runtime import Runtime
from slackbot.slack.organizer_directory import Organizers
from slackbot.store.unit_of_work import UnitOfWork
from tests.fakes import Crash, FakeMessenger, FakeUpdates

SPACE = "https://huggingface.co/spaces/flax-community/roberta-hindi"
CRITERIA = ["The demo", "Technical difficulty", "Social impact", "Innovativeness"]


@pytest.fixture
def rt(tmp_path: Path) -> Iterator[Runtime]:
    runtime = offline_runtime(tmp_path / "week.db", JUDGE_IDS="U0J1,U0J2,U0BOB")
    yield runtime
    runtime.close()


def settings(rt: Runtime, **changes: Any) -> Settings:
    return rt.settings.model_copy(update=changes)


def official(rt: Runtime, name: str, proposer: str, *members: str) -> int:
    answers = {"name": name, "description": name, "model": "t5-base", "datasets": "oscar"}
    draft = Draft(answers={**answers, "training_scripts": "run.py"}, languages=["hindi"])
    proposal, _ = rt.uow.proposals.create(draft, proposer, submission_key=f"k-{name}")
    rt.uow.proposals.mark_posted(
        proposal.id, channel="C1", ts=f"1.{proposal.id:06d}", permalink="https://x/p"
    )
    for n, user in enumerate(members):
        rt.uow.memberships.apply(proposal, Signal(user, ORGANIZER, True, time.time() + n))
    proposal = rt.uow.proposals.get(proposal.id)
    assert proposal is not None
    rt.uow.memberships.record_official(proposal, rt.uow.memberships.team(proposal), "U0ORG1")
    rt.uow.proposals.set_status(proposal.id, Status.OFFICIAL)
    return proposal.id


def draft(**changes: str) -> DemoDraft:
    values = {"demo_url": SPACE, "summary": "Hindi news, classified.", **changes}
    return DemoDraft(**values)


def submit(rt: Runtime, user: str, pid: int | None, d: DemoDraft, **s: Any) -> object:
    return demos.submit(demos.SubmitDemo(user, pid, d), rt.uow, settings(rt, **s))


def test_links_are_read_as_the_hub_names_them() -> None:
    assert hf_space(SPACE) == "flax-community/roberta-hindi"
    assert hf_space("https://flax-community-demo.hf.space/") == "flax-community-demo"
    assert hf_space("https://example.org/spaces/a/b") is None
    assert model_repos("a/b\nhttps://huggingface.co/c/d, a/b") == ["a/b", "c/d"]


def test_a_member_submits_once_and_an_edit_is_a_new_version_audited(rt: Runtime) -> None:
    pid = official(rt, "RoBERTa Hindi", "U0ALICE", "U0CAROL")
    first = submit(rt, "U0CAROL", pid, draft())
    assert isinstance(first, demos.Saved) and first.created and first.submission.version == 1
    again = submit(rt, "U0CAROL", pid, draft())  # Slack's retry: nothing new
    assert isinstance(again, demos.Saved) and not again.created and again.submission.version == 1
    edited = submit(rt, "U0ALICE", pid, draft(summary="Better now."))
    assert isinstance(edited, demos.Saved) and edited.submission.version == 2
    actions = [(e.action, e.actor) for e in rt.uow.audit.entries(pid)]
    assert ("demo_submitted", "U0CAROL") in actions and ("demo_edited", "U0ALICE") in actions
    assert rt.uow.demo_submissions.count() == 1


def test_refusals_say_why(rt: Runtime) -> None:
    pid = official(rt, "RoBERTa Hindi", "U0ALICE")
    outsider = submit(rt, "U0DAVE", pid, draft())
    assert isinstance(outsider, demos.Refused) and "/projects" in outsider.message
    bad = submit(rt, "U0ALICE", pid, draft(demo_url="ftp://x.org/demo", video_url="nope"))
    assert isinstance(bad, demos.Invalid) and set(bad.errors) == {"demo_url", "video_url"}
    plain = submit(rt, "U0ALICE", pid, draft(demo_url="http://example.org/demo"))
    assert isinstance(plain, demos.Invalid)  # https only
    long = submit(rt, "U0ALICE", pid, draft(summary="x" * 501))
    assert isinstance(long, demos.Invalid) and "500" in long.errors["summary"]
    late = submit(rt, "U0ALICE", pid, draft(), SUBMISSIONS_CLOSE_AT="2020-01-01T00:00")
    assert isinstance(late, demos.Refused) and "closed" in late.message
    assert rt.uow.demo_submissions.count() == 0


def test_the_announcement_is_posted_once_and_an_edit_updates_it(rt: Runtime) -> None:
    pid = official(rt, "RoBERTa Hindi", "U0ALICE")
    submit(rt, "U0ALICE", pid, draft())
    slack = FakeMessenger(refuse={"C1"})
    assert not demos.announce(demos.AnnounceDemo(pid), rt.uow, slack, "C1")
    slack.refuse.clear()
    assert demos.announce(demos.AnnounceDemo(pid), rt.uow, slack, "C1")
    assert demos.announce(demos.AnnounceDemo(pid), rt.uow, slack, "C1")  # nothing new
    assert [(s.kind, s.thread_ts) for s in slack.sent] == [("post", "1.000001"), ("post", None)]
    submit(rt, "U0ALICE", pid, draft(summary="Edited."))
    demos.announce(demos.AnnounceDemo(pid), rt.uow, slack, "C1")
    assert [s.kind for s in slack.sent] == ["post", "post", "update", "update"]
    assert "Edited." in json.dumps(slack.sent[2].blocks)


def test_a_half_done_announcement_is_finished_not_repeated(rt: Runtime) -> None:
    pid = official(rt, "RoBERTa Hindi", "U0ALICE")
    submit(rt, "U0ALICE", pid, draft())
    rt.uow.demo_submissions.set_thread_ts(pid, "9.000001")  # the thread reply went out
    slack = FakeMessenger()
    done = demos.catch_up(demos.CatchUp(), rt.uow, slack, rt.settings, "C1")
    assert done.announced == 1
    # The line is posted; the thread's reply is not posted again (rewritten to be sure it
    # shows the latest version, which costs one chat.update and duplicates nothing).
    assert [(s.kind, s.thread_ts) for s in slack.sent if s.kind == "post"] == [("post", None)]


@pytest.mark.parametrize("crash_at", [1, 2])  # after the thread's reply, after the line
def test_a_crash_before_a_messages_ts_is_stored_never_posts_it_twice(
    rt: Runtime, crash_at: int
) -> None:
    pid = official(rt, "RoBERTa Hindi", "U0ALICE")
    submit(rt, "U0ALICE", pid, draft())
    slack = FakeMessenger(crash_after_posts=crash_at)
    with pytest.raises(Crash):  # Slack has the message; the bot never stored its ts
        demos.announce(demos.AnnounceDemo(pid), rt.uow, slack, "C1")
    lost = slack.sent[-1].ts
    assert demos.announce(demos.AnnounceDemo(pid), rt.uow, slack, "C1")
    posts = [(s.thread_ts, s.metadata) for s in slack.sent if s.kind == "post"]
    assert posts == [
        (
            "1.000001",
            {
                "event_type": demos.METADATA_EVENT,
                "event_payload": {"proposal_id": pid, "part": "thread"},
            },
        ),
        (
            None,
            {
                "event_type": demos.METADATA_EVENT,
                "event_payload": {"proposal_id": pid, "part": "line"},
            },
        ),
    ]
    thread_ts, line_ts, shown = rt.uow.demo_submissions.announced(pid)
    assert lost in (thread_ts, line_ts) and shown == 1
    # The adopted message is rewritten (to show the latest version), never reposted.
    assert lost in [s.ts for s in slack.sent if s.kind == "update"]


def test_reminders_once_each_and_only_to_teams_without_a_demo(rt: Runtime) -> None:
    late = official(rt, "Late team", "U0ALICE")
    done = official(rt, "Done team", "U0BOB")
    submit(rt, "U0BOB", done, draft())
    closes = time.time() + 20 * 3600
    s = settings(rt, SUBMISSIONS_CLOSE_AT=_iso(closes))
    slack = FakeMessenger()
    assert demos.remind(rt.uow, slack, s, None) == 1
    assert demos.remind(rt.uow, slack, s, None) == 0  # once
    assert demos.remind(rt.uow, slack, s, closes - 3600) == 1  # the 2 h one
    assert demos.remind(rt.uow, slack, s, closes + 1) == 0  # after the deadline: nothing
    assert rt.uow.demo_submissions.reminders() == [(late, "24h"), (late, "2h")]
    # Within the budget: none left, none sent, none claimed.
    other = official(rt, "Other team", "U0CAROL")
    assert demos.remind(rt.uow, FakeMessenger(budget={"chat.postMessage": 0}), s, None) == 0
    assert (other, "24h") not in rt.uow.demo_submissions.reminders()


def test_a_judge_cannot_score_their_own_team_and_scores_stay_private(rt: Runtime) -> None:
    mine = official(rt, "Bob's team", "U0BOB")
    other = official(rt, "Alice's team", "U0ALICE")
    for pid, user in ((mine, "U0BOB"), (other, "U0ALICE")):
        submit(rt, user, pid, draft())
    judges = Organizers(["U0J1", "U0J2", "U0BOB"], None, None, "UBOT")  # type: ignore[arg-type]
    own = judging.score(judging.ScoreDemo("U0BOB", mine, _all(5)), rt.uow, judges, rt.settings)
    assert isinstance(own, judging.Refused) and own.message == judging.OWN_TEAM
    assert [p.id for p, _, _ in judging.judge_rows(rt.uow, "U0BOB")] == [other]
    outsider = judging.score(
        judging.ScoreDemo("U0DAVE", other, _all(5)), rt.uow, judges, rt.settings
    )
    assert isinstance(outsider, judging.Refused)
    bad = judging.score(judging.ScoreDemo("U0J1", other, {}), rt.uow, judges, rt.settings)
    assert isinstance(bad, judging.Invalid) and len(bad.errors) == 4
    saved = judging.score(
        judging.ScoreDemo("U0J1", other, _all(4), "secret words"), rt.uow, judges, rt.settings
    )
    assert isinstance(saved, judging.ScoreSaved) and not saved.changed
    assert judging.judge_rows(rt.uow, "U0J2")[0][2] is None  # J2 does not see J1's
    assert "secret" not in json.dumps([e.after for e in rt.uow.audit.entries()])
    closed = settings(rt, JUDGING_CLOSES_AT="2020-01-01T00:00")
    late = judging.score(judging.ScoreDemo("U0J1", other, _all(1)), rt.uow, judges, closed)
    assert isinstance(late, judging.Refused)


def test_the_ranking_shows_ties_and_missing_scores() -> None:
    from slackbot.domain.judging import JudgeScore

    k = [criterion_key(c) for c in CRITERIA]
    scores = [
        JudgeScore(1, "J1", dict.fromkeys(k, 4), "", 0),
        JudgeScore(2, "J1", dict.fromkeys(k, 4), "", 0),
        JudgeScore(2, "J2", dict.fromkeys(k, 4), "", 0),
        JudgeScore(3, "J1", dict.fromkeys(k[:3], 5), "", 0),  # a criterion missing
    ]
    rows = rank([1, 2, 3], CRITERIA, scores, {1: ["J1", "J2"], 2: ["J1", "J2"], 3: ["J1"]})
    assert [(r.proposal_id, r.place, r.tied) for r in rows] == [
        (1, 1, True),
        (2, 1, True),
        (3, 3, False),
    ]
    assert rows[0].missing == ["J2"] and rows[0].judges == 1 and rows[1].missing == []
    assert rows[2].means[k[3]] is None and rows[2].missing == ["J1"]


def test_winners_are_announced_once_and_their_teams_told(rt: Runtime) -> None:
    first = official(rt, "First", "U0ALICE")
    second = official(rt, "Second", "U0BOB")
    rt.uow.memberships.set_team_channel(first, "CTEAM1", "team-first")
    for pid, user in ((first, "U0ALICE"), (second, "U0BOB")):
        submit(rt, user, pid, draft())
    org = Organizers(["U0ORG1"], None, None, "UBOT")  # type: ignore[arg-type]
    slack = FakeMessenger()
    nobody = judging.announce_winners(
        judging.AnnounceWinners("U0ALICE", (first,)), rt.uow, slack, org, "C1"
    )
    assert isinstance(nobody, judging.Refused)
    missing = judging.announce_winners(
        judging.AnnounceWinners("U0ORG1", (first, 99)), rt.uow, slack, org, "C1"
    )
    assert isinstance(missing, judging.Refused) and "#99" in missing.message
    posted = judging.announce_winners(
        judging.AnnounceWinners("U0ORG1", (first, second)), rt.uow, slack, org, "C1"
    )
    assert isinstance(posted, judging.WinnersPosted)
    assert [s.to for s in slack.sent] == ["C1", "CTEAM1", "C1"]  # second: its post's thread
    again = judging.announce_winners(
        judging.AnnounceWinners("U0ORG1", (second,)), rt.uow, slack, org, "C1"
    )
    assert isinstance(again, judging.Refused) and len(slack.sent) == 3


def _all(n: int) -> dict[str, str]:
    return {criterion_key(c): str(n) for c in CRITERIA}


def _iso(at: float) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(at, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def test_the_unit_of_work_holds_the_new_repositories(rt: Runtime) -> None:
    assert isinstance(rt.uow, UnitOfWork)
    assert rt.uow.demo_submissions.all() == [] and rt.uow.scores.all() == []


def test_winners_claimed_but_never_stored_are_found_again_not_posted_twice(rt: Runtime) -> None:
    first = official(rt, "First", "U0ALICE")
    submit(rt, "U0ALICE", first, draft())
    org = Organizers(["U0ORG1"], None, None, "UBOT")  # type: ignore[arg-type]
    slack = FakeMessenger(crash_after_posts=1)
    command = judging.AnnounceWinners("U0ORG1", (first,))
    with pytest.raises(Crash):  # Slack has the announcement; its ts was never stored
        judging.announce_winners(command, rt.uow, slack, org, "C1")
    lost = slack.sent[-1].ts
    # At once: another organizer's command may be posting it; nothing is posted.
    busy = judging.announce_winners(command, rt.uow, slack, org, "C1")
    assert isinstance(busy, judging.Refused) and "right now" in busy.message
    # A minute later (the process restarted): the message is found by its metadata.
    rt.store.conn.execute("UPDATE demo_winners SET at = at - 120")
    again = judging.announce_winners(command, rt.uow, slack, org, "C1")
    assert isinstance(again, judging.WinnersPosted) and again.ts == lost
    assert [s.kind for s in slack.sent] == ["post"]  # one announcement, ever
    assert rt.uow.demo_submissions.winners() == ([first], "U0ORG1", "C1", lost)
    once = judging.announce_winners(command, rt.uow, slack, org, "C1")
    assert isinstance(once, judging.Refused) and "already" in once.message


def test_winners_claimed_whose_post_never_reached_slack_are_posted(rt: Runtime) -> None:
    first = official(rt, "First", "U0ALICE")
    submit(rt, "U0ALICE", first, draft())
    assert rt.uow.demo_submissions.claim_winners([first], "U0ORG1")  # then the process died
    rt.store.conn.execute("UPDATE demo_winners SET at = at - 120")
    org = Organizers(["U0ORG1"], None, None, "UBOT")  # type: ignore[arg-type]
    slack = FakeMessenger()
    done = judging.announce_winners(
        judging.AnnounceWinners("U0ORG2", (9,)), rt.uow, slack, org, "C1"
    )
    assert isinstance(done, judging.Refused)  # not an organizer: nothing happens
    done = judging.announce_winners(
        judging.AnnounceWinners("U0ORG1", (9,)), rt.uow, slack, org, "C1"
    )
    # The claimed winners, not the new command's: the announcement made is the one claimed.
    assert isinstance(done, judging.WinnersPosted) and done.names == ["First"]
    (post,) = slack.sent
    assert post.metadata == {
        "event_type": judging.WINNERS_EVENT,
        "event_payload": {"winners": [first]},
    }


# --- through the bus, as the bootstrap wires it --------------------------------------------
JUDGES = ["U0J1", "U0J2", "U0J3", "U0BOB"]  # U0BOB judges, and is in a team


@dataclass
class Jury:
    bus: MessageBus
    messenger: FakeMessenger
    updates: FakeUpdates


def wired(rt: Runtime, **changes: Any) -> Jury:
    """The bus over demos and judging, with fakes, the jury and the settings `changes` make."""
    messenger, updates = FakeMessenger(), FakeUpdates()
    deps = {
        "uow": rt.uow,
        "messenger": messenger,
        "settings": settings(rt, **changes),
        "judges": Organizers(JUDGES, None, None, "UBOT"),  # type: ignore[arg-type]
        "organizers": Organizers(["U0ORG1"], None, None, "UBOT"),  # type: ignore[arg-type]
        "updates": updates,
        "channel_id": "C1",
    }
    return Jury(bootstrap.wire(rt.uow, deps, [demos, judging]), messenger, updates)


def scored(jury: Jury, judge: str, pid: int, n: int, comment: str = "") -> None:
    saved = jury.bus.handle(judging.ScoreDemo(judge, pid, _all(n), comment))
    assert isinstance(saved, judging.ScoreSaved)


def audited(rt: Runtime, action: str) -> list[tuple[str, object]]:
    return [(e.actor, e.after) for e in rt.uow.audit.entries() if e.action == action]


def test_a_member_opens_their_official_teams_form_with_what_it_holds(rt: Runtime) -> None:
    pid = official(rt, "RoBERTa Hindi", "U0ALICE", "U0CAROL")
    jury = wired(rt)
    form = jury.bus.handle(demos.OpenSubmission("U0CAROL"))
    assert isinstance(form, demos.SubmissionForm)
    assert form.proposal.id == pid and form.existing is None and form.closes_at is None
    jury.bus.handle(demos.SubmitDemo("U0ALICE", pid, draft()))
    again = jury.bus.handle(demos.OpenSubmission("U0CAROL", proposal_id=pid))
    assert isinstance(again, demos.SubmissionForm)
    assert again.existing is not None and again.existing.demo_url == SPACE
    assert jury.messenger.sent == []  # a form is shown by the listener; nothing is sent


def test_the_form_is_refused_to_an_outsider_a_waiting_team_and_after_the_deadline(
    rt: Runtime,
) -> None:
    official(rt, "RoBERTa Hindi", "U0ALICE")
    draft_only = Draft(answers={"name": "Open idea"}, languages=["hindi"])
    proposal, _ = rt.uow.proposals.create(draft_only, "U0DAVE", submission_key="k-open")
    rt.uow.proposals.set_status(proposal.id, Status.OPEN)  # a team, not official yet
    jury = wired(rt)
    assert jury.bus.handle(demos.OpenSubmission("U0ERIN")) == demos.Refused(demos.NOT_IN_TEAM)
    refused = jury.bus.handle(demos.OpenSubmission("U0DAVE", proposal_id=proposal.id))
    assert refused == demos.Refused(demos.NOT_IN_TEAM)
    closed = wired(rt, SUBMISSIONS_CLOSE_AT="2020-01-01T00:00").bus.handle(
        demos.OpenSubmission("U0ALICE")
    )
    assert isinstance(closed, demos.Refused) and "closed" in closed.message
    later = time.time() + 3600
    still = wired(rt, SUBMISSIONS_CLOSE_AT=_iso(later)).bus.handle(demos.OpenSubmission("U0ALICE"))
    assert isinstance(still, demos.SubmissionForm) and still.closes_at == int(later)


def test_a_member_of_two_teams_gets_the_one_its_channel_or_button_names(rt: Runtime) -> None:
    first = official(rt, "RoBERTa Hindi", "U0ALICE")
    second = official(rt, "Bengali GPT2", "U0BOB", "U0ALICE")
    third = official(rt, "Tamil T5", "U0CAROL")
    rt.uow.memberships.set_team_channel(second, "CTEAM2", "team-bengali-gpt2")
    jury = wired(rt)

    def opened(**where: Any) -> object:
        form = jury.bus.handle(demos.OpenSubmission("U0ALICE", **where))
        return form.proposal.id if isinstance(form, demos.SubmissionForm) else form

    assert opened(channel="CTEAM2") == second
    assert opened(proposal_id=second) == second
    assert opened() == first and opened(channel="C0ELSEWHERE") == first
    # Another team's button: refused, never her own team's form instead.
    assert opened(proposal_id=third) == demos.Refused(demos.NOT_IN_TEAM)


def test_a_judge_opens_a_demos_form_with_only_their_own_scores(rt: Runtime) -> None:
    mine = official(rt, "Bob's team", "U0BOB")
    other = official(rt, "Alice's team", "U0ALICE")
    bare = official(rt, "No demo yet", "U0CAROL")
    jury = wired(rt)
    for pid, user in ((mine, "U0BOB"), (other, "U0ALICE")):
        jury.bus.handle(demos.SubmitDemo(user, pid, draft()))
    open_ = judging.OpenScoring
    assert jury.bus.handle(open_("U0DAVE", other)) == judging.Refused(judging.NOT_A_JUDGE)
    assert jury.bus.handle(open_("U0BOB", mine)) == judging.Refused(judging.OWN_TEAM)
    assert jury.bus.handle(open_("U0J1", bare)) == judging.Refused(
        f"Project #{bare} has no demo to score."
    )
    form = jury.bus.handle(open_("U0J1", other))
    assert isinstance(form, judging.ScoreForm)
    assert form.proposal.id == other and form.submission.demo_url == SPACE
    assert form.criteria == CRITERIA and form.existing is None
    scored(jury, "U0J2", other, 2, "J2's private words")
    form = jury.bus.handle(open_("U0J1", other))
    assert form.existing is None  # another judge's scores are never shown
    scored(jury, "U0J1", other, 4, "fine")
    mine_now = jury.bus.handle(open_("U0J1", other)).existing
    assert mine_now.judge_id == "U0J1" and mine_now.comment == "fine"
    assert set(mine_now.scores.values()) == {4}
    closed = wired(rt, JUDGING_CLOSES_AT="2020-01-01T00:00").bus.handle(open_("U0J1", other))
    assert isinstance(closed, judging.Refused) and "closed" in closed.message
    assert jury.messenger.sent == []


def test_the_results_rank_ties_and_missing_judges_for_an_organizer_only(rt: Runtime) -> None:
    bobs = official(rt, "Bob's team", "U0BOB")
    alices = official(rt, "Alice's team", "U0ALICE")
    carols = official(rt, "Carol's team", "U0CAROL")
    jury = wired(rt)
    for pid, user in ((bobs, "U0BOB"), (alices, "U0ALICE"), (carols, "U0CAROL")):
        jury.bus.handle(demos.SubmitDemo(user, pid, draft()))
    scored(jury, "U0J1", alices, 4)
    scored(jury, "U0J2", alices, 4)
    scored(jury, "U0J1", bobs, 4)
    scored(jury, "U0J1", carols, 5)
    refused = jury.bus.handle(judging.ShowResults("U0J1"))  # a judge is not an organizer
    assert refused == judging.Refused(judging.NOT_ORGANIZER)
    assert audited(rt, "demo_results_shown") == []
    results = jury.bus.handle(judging.ShowResults("U0ORG1"))
    assert isinstance(results, judging.Results) and results.judges == 4
    assert results.criteria == CRITERIA and set(results.proposals) == {bobs, alices, carols}
    lines = {
        r.proposal_id: (r.place, r.tied, r.judges, r.expected, r.missing) for r in results.rows
    }
    assert [r.proposal_id for r in results.rows] == [carols, bobs, alices]
    assert lines[carols] == (1, False, 1, 4, ["U0BOB", "U0J2", "U0J3"])
    # Equal totals share second place; Bob is not expected to score his own team.
    assert lines[bobs] == (2, True, 1, 3, ["U0J2", "U0J3"])
    assert lines[alices] == (2, True, 2, 4, ["U0BOB", "U0J3"])
    assert audited(rt, "demo_results_shown") == [("U0ORG1", {"demos": 3})]
    assert jury.messenger.sent == []  # shown to the organizer who asked, posted nowhere


def test_late_judges_are_reminded_within_the_budget_and_the_rest_left_alone(rt: Runtime) -> None:
    bobs = official(rt, "Bob's team", "U0BOB")
    alices = official(rt, "Alice's team", "U0ALICE")
    closes = time.time() + 5 * 3600
    jury = wired(rt, JUDGING_CLOSES_AT=_iso(closes))
    for pid, user in ((bobs, "U0BOB"), (alices, "U0ALICE")):
        jury.bus.handle(demos.SubmitDemo(user, pid, draft()))
    scored(jury, "U0J1", bobs, 3)
    scored(jury, "U0J1", alices, 3)
    scored(jury, "U0BOB", alices, 3)  # all but his own team's: done
    scored(jury, "U0J2", alices, 3)  # one of two left
    assert jury.bus.handle(judging.RemindJudges("U0J1")) == judging.Refused(judging.NOT_ORGANIZER)
    assert jury.messenger.sent == []
    jury.messenger.budget["chat.postMessage"] = 1  # room for one DM now
    first = jury.bus.handle(judging.RemindJudges("U0ORG1"))
    assert first == judging.JudgesReminded(["U0J2"], ["U0J3"])
    (dm,) = jury.messenger.sent
    assert (dm.kind, dm.to) == ("dm", "U0J2")
    assert dm.text.startswith(":wave: 1 demo still waits for your scores")
    assert str(int(closes)) in dm.text  # when judging closes
    jury.messenger.budget.clear()
    jury.messenger.refuse.add("U0J2")
    second = jury.bus.handle(judging.RemindJudges("U0ORG1"))
    assert second == judging.JudgesReminded(["U0J3"], ["U0J2"])
    assert "2 demos still wait" in jury.messenger.to("U0J3", "dm")[0].text
    assert {s.to for s in jury.messenger.sent} == {"U0J2", "U0J3"}
    assert audited(rt, "judges_reminded") == [
        ("U0ORG1", {"judges": ["U0J2"], "not_reached": ["U0J3"]}),
        ("U0ORG1", {"judges": ["U0J3"], "not_reached": ["U0J2"]}),
    ]
    late = wired(rt, JUDGING_CLOSES_AT="2020-01-01T00:00")
    closed = late.bus.handle(judging.RemindJudges("U0ORG1"))
    assert isinstance(closed, judging.Refused) and late.messenger.sent == []


def test_a_team_reminded_already_spends_no_budget_and_the_next_ones_are_reached(
    rt: Runtime,
) -> None:
    teams = [official(rt, f"Team {n}", f"U0P{n}") for n in range(3)]
    closes = time.time() + 20 * 3600
    s = settings(rt, SUBMISSIONS_CLOSE_AT=_iso(closes))
    # One post a pass (a channel's budget): each pass reaches the next team, however many
    # were reminded before it.
    for _ in teams:
        assert demos.remind(rt.uow, FakeMessenger(budget={"chat.postMessage": 1}), s, None) == 1
    assert sorted(pid for pid, kind in rt.uow.demo_submissions.reminders()) == teams
