"""Judging the demos (issue 27): the jury (JUDGE_IDS or the members of JUDGES_CHANNEL) scores
each submission on JUDGING_CRITERIA, 1 to 5 with an optional comment, until JUDGING_CLOSES_AT;
a judge never scores their own team and never sees another judge's scores. Organizers see the
ranking (`/organize results`, to them only), follow each judge's progress on their dashboard,
remind late judges, and announce the winners once (`/organize winners 12 7 3`)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from slackbot.blocks import judging as view
from slackbot.blocks.dates import slack_date
from slackbot.blocks.replies import reply_text
from slackbot.config import Settings
from slackbot.domain.answers import Answer, say
from slackbot.domain.demo_submission import DemoSubmission
from slackbot.domain.events import DemoScored
from slackbot.domain.judging import COMMENT_MAX, JudgeScore, Ranked, check_scores, rank
from slackbot.domain.proposal import Proposal
from slackbot.machinery.refresher import Refresher
from slackbot.services.directory import Organizers
from slackbot.services.outcome import require_organizer
from slackbot.services.ports import Messenger
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.judging")

CLOSES = "JUDGING_CLOSES_AT"
NOT_A_JUDGE = "Only the judges score the demos. If you should be one, ask the organizers."
OWN_TEAM = "You are a member of this team, so you cannot score its demo."
NOT_ORGANIZER = reply_text(say(Answer.NOT_ORGANIZER))  # the one wording of the refusal


@dataclass(frozen=True)
class OpenScoring:
    judge: str
    proposal_id: int


@dataclass(frozen=True)
class ScoreDemo:
    judge: str
    proposal_id: int
    given: dict[str, str]  # criterion key -> the option chosen
    comment: str = ""


@dataclass(frozen=True)
class ShowResults:
    organizer: str


@dataclass(frozen=True)
class AnnounceWinners:
    organizer: str
    proposal_ids: tuple[int, ...]


@dataclass(frozen=True)
class RemindJudges:
    organizer: str


@dataclass(frozen=True)
class Refused:
    message: str


@dataclass(frozen=True)
class ScoreForm:
    proposal: Proposal
    submission: DemoSubmission
    criteria: list[str]
    existing: JudgeScore | None
    closes_at: float | None


@dataclass(frozen=True)
class Invalid:
    errors: dict[str, str]


@dataclass(frozen=True)
class ScoreSaved:
    proposal: Proposal
    changed: bool  # the judge had scored it before


@dataclass(frozen=True)
class Results:
    rows: list[Ranked]
    proposals: dict[int, Proposal]
    criteria: list[str]
    judges: int


@dataclass(frozen=True)
class WinnersPosted:
    names: list[str]
    ts: str


@dataclass(frozen=True)
class JudgesReminded:
    judges: list[str]  # told now
    not_reached: list[str] = field(default_factory=list)  # late, but no room in the budget now


def judging_closed(settings: Settings, now: float | None = None) -> str | None:
    at = settings.deadline(CLOSES)
    if at is None or (time.time() if now is None else now) < at:
        return None
    return f":lock: Judging closed {slack_date(at)}: scores can no longer change."


def team_members(uow: UnitOfWork, proposal: Proposal) -> list[str]:
    return list(uow.memberships.team(proposal).members)


def eligible_judges(uow: UnitOfWork, judges: Organizers, proposal: Proposal) -> list[str]:
    members = set(team_members(uow, proposal))
    return sorted(j for j in judges.everyone() if j not in members)


def _scorable(
    uow: UnitOfWork, judges: Organizers, judge: str, proposal_id: int
) -> tuple[Proposal, DemoSubmission] | Refused:
    if not judges.is_organizer(judge):
        return Refused(NOT_A_JUDGE)
    proposal = uow.proposals.get(proposal_id)
    submission = uow.demo_submissions.get(proposal_id)
    if proposal is None or submission is None:
        return Refused(f"Project #{proposal_id} has no demo to score.")
    if judge in team_members(uow, proposal):
        log.info("score_refused_own_team proposal_id=%s judge=%s", proposal_id, judge)
        return Refused(OWN_TEAM)
    return proposal, submission


def open_scoring(
    cmd: OpenScoring, uow: UnitOfWork, judges: Organizers, settings: Settings
) -> ScoreForm | Refused:
    closed = judging_closed(settings)
    if closed:
        return Refused(closed)
    found = _scorable(uow, judges, cmd.judge, cmd.proposal_id)
    if isinstance(found, Refused):
        return found
    proposal, submission = found
    return ScoreForm(
        proposal,
        submission,
        list(settings.JUDGING_CRITERIA),
        uow.scores.of(proposal.id, cmd.judge),
        settings.deadline(CLOSES),
    )


def score(
    cmd: ScoreDemo, uow: UnitOfWork, judges: Organizers, settings: Settings
) -> ScoreSaved | Invalid | Refused:
    scores, errors = check_scores(settings.JUDGING_CRITERIA, cmd.given)
    if len(cmd.comment) > COMMENT_MAX:
        errors["comment"] = f"At most {COMMENT_MAX} characters."
    if errors:
        return Invalid(errors)
    closed = judging_closed(settings)
    if closed:
        return Refused(closed)
    with uow:
        found = _scorable(uow, judges, cmd.judge, cmd.proposal_id)
        if isinstance(found, Refused):
            return found
        proposal, _ = found
        changed = uow.scores.save(proposal.id, cmd.judge, scores, cmd.comment.strip())
        # The audit says a judge scored, never the scores: they stay private.
        uow.audit.record(cmd.judge, "demo_scored", proposal.id, None, {"changed": changed})
        uow.emit(DemoScored(proposal.id, cmd.judge))
        uow.commit()
    log.info("demo_scored proposal_id=%s judge=%s changed=%s", proposal.id, cmd.judge, changed)
    return ScoreSaved(proposal, changed)


def results(
    cmd: ShowResults,
    uow: UnitOfWork,
    judges: Organizers,
    organizers: Organizers,
    settings: Settings,
) -> Results | Refused:
    if require_organizer(organizers, cmd.organizer, "judging_results"):
        return Refused(NOT_ORGANIZER)
    submissions = uow.demo_submissions.all()
    proposals = uow.proposals.get_many([s.proposal_id for s in submissions])
    eligible = {pid: eligible_judges(uow, judges, p) for pid, p in proposals.items()}
    rows = rank(proposals, settings.JUDGING_CRITERIA, uow.scores.all(), eligible)
    with uow.writing():
        uow.audit.record(cmd.organizer, "demo_results_shown", None, None, {"demos": len(rows)})
    return Results(rows, proposals, list(settings.JUDGING_CRITERIA), len(judges.everyone()))


def announce_winners(
    cmd: AnnounceWinners,
    uow: UnitOfWork,
    messenger: Messenger,
    organizers: Organizers,
    channel_id: str,
) -> WinnersPosted | Refused:
    if require_organizer(organizers, cmd.organizer, "judging_announce_winners"):
        return Refused(NOT_ORGANIZER)
    done = uow.demo_submissions.winners()
    if done is not None and done[3] is not None:
        return Refused("The winners were announced already; an announcement is made once.")
    if done is not None:
        return _finish_winners(uow, messenger, done[0], channel_id)
    ids = list(cmd.proposal_ids)
    if not ids or len(set(ids)) != len(ids):
        return Refused(
            "Name each winning project once, first place first: `/organize winners 12 7 3`."
        )
    winners: list[tuple[Proposal, DemoSubmission, list[str]]] = []
    for pid in ids:
        proposal = uow.proposals.get(pid)
        submission = uow.demo_submissions.get(pid)
        if proposal is None or submission is None:
            return Refused(f"Project #{pid} has no demo submission, so it cannot win.")
        winners.append((proposal, submission, team_members(uow, proposal)))
    with uow:
        if not uow.demo_submissions.claim_winners(ids, cmd.organizer):
            return Refused("The winners were announced already; an announcement is made once.")
        uow.audit.record(cmd.organizer, "winners_announced", None, None, {"winners": ids})
        uow.commit()
    text, blocks = view.winners_message(winners)
    ts = messenger.post(channel_id, text, blocks, metadata=_winners_metadata(ids))
    if ts is None:
        with uow:
            uow.demo_submissions.forget_winners()
            uow.commit()
        return Refused("Slack did not take the announcement; nothing was posted. Try again.")
    with uow:
        uow.demo_submissions.set_winners_message(channel_id, ts)
        uow.commit()
    for place, (proposal, _, _) in enumerate(winners, start=1):
        team_channel = uow.memberships.official_channel(proposal.id)
        where = team_channel or proposal.channel
        if where:
            messenger.post(
                where,
                view.winner_note(proposal, place, None),
                thread_ts=None if team_channel else proposal.ts,
            )
    log.info("winners_announced by=%s winners=%s ts=%s", cmd.organizer, ids, ts)
    return WinnersPosted([p.name for p, _, _ in winners], ts)


WINNERS_EVENT = "community_week_winners"
UNDER_WAY = 60.0  # seconds a claimed announcement may be in flight before it is looked for


def _winners_metadata(ids: list[int]) -> dict[str, object]:
    return {"event_type": WINNERS_EVENT, "event_payload": {"winners": ids}}


def _finish_winners(
    uow: UnitOfWork, messenger: Messenger, ids: list[int], channel_id: str
) -> WinnersPosted | Refused:
    """The winners were claimed but their message's ts never stored: the process died between
    Slack taking the message and the bot storing its ts (or another organizer's command is
    posting it now). As a proposal's post does (services/posting.py), look for the message by
    its metadata and adopt it; post it only if Slack has none."""
    claimed_at = uow.demo_submissions.winners_claimed_at() or 0.0
    if time.time() - claimed_at < UNDER_WAY:
        return Refused("The winners are being announced right now; look in the channel.")
    answered, found = messenger.find_marked(
        channel_id,
        since=claimed_at - 5,
        event_type=WINNERS_EVENT,
        payload={"winners": ids},
    )
    if not answered:
        return Refused("Slack cannot say now whether the announcement went out; try again.")
    proposals = uow.proposals.get_many(ids)
    if found is None:
        winners = []
        for pid in ids:
            submission = uow.demo_submissions.get(pid)
            if pid not in proposals or submission is None:
                return Refused(f"Project #{pid} has no demo submission any more.")
            winners.append((proposals[pid], submission, team_members(uow, proposals[pid])))
        text, blocks = view.winners_message(winners)
        found = messenger.post(channel_id, text, blocks, metadata=_winners_metadata(ids))
        if found is None:
            return Refused("Slack did not take the announcement; nothing was posted. Try again.")
    with uow:
        uow.demo_submissions.set_winners_message(channel_id, found)
        uow.commit()
    log.info("winners_announcement_finished winners=%s ts=%s", ids, found)
    return WinnersPosted([proposals[i].name for i in ids if i in proposals], found)


def progress(uow: UnitOfWork, judges: Organizers) -> list[tuple[str, int, int]]:
    """Per judge: (judge, scored, to score), the judge's own teams left out."""
    submissions = uow.demo_submissions.all()
    proposals = uow.proposals.get_many([s.proposal_id for s in submissions])
    members = {pid: set(team_members(uow, p)) for pid, p in proposals.items()}
    out = []
    for judge in sorted(judges.everyone()):
        mine = [pid for pid in proposals if judge not in members[pid]]
        scored = uow.scores.by_judge(judge)
        out.append((judge, sum(1 for pid in mine if pid in scored), len(mine)))
    return out


def remind_judges(
    cmd: RemindJudges,
    uow: UnitOfWork,
    messenger: Messenger,
    judges: Organizers,
    organizers: Organizers,
    settings: Settings,
) -> JudgesReminded | Refused:
    if require_organizer(organizers, cmd.organizer, "judging_remind_judges"):
        return Refused(NOT_ORGANIZER)
    closed = judging_closed(settings)
    if closed:
        return Refused(closed)
    told: list[str] = []
    not_reached: list[str] = []
    for judge, done, total in progress(uow, judges):
        if done >= total:
            continue
        # The DM's own budget (a DM channel is keyed by the user's id, as chat.postMessage
        # is called): clicks in a row never send faster than Slack allows; who is not
        # reached now is said, and the next click tries again.
        if not messenger.may_send("chat.postMessage", judge):
            not_reached.append(judge)
            continue
        if messenger.dm(judge, view.judge_reminder(total - done, settings.deadline(CLOSES))):
            told.append(judge)
        else:
            not_reached.append(judge)
    with uow:
        uow.audit.record(
            cmd.organizer,
            "judges_reminded",
            None,
            None,
            {"judges": told, "not_reached": not_reached},
        )
        uow.commit()
    log.info("judges_reminded by=%s told=%s not_reached=%s", cmd.organizer, told, not_reached)
    return JudgesReminded(told, not_reached)


def judge_rows(
    uow: UnitOfWork, judge: str
) -> list[tuple[Proposal, DemoSubmission, JudgeScore | None]]:
    """A judge's list: every submission but their own team's, with their own score if any."""
    submissions = uow.demo_submissions.all()
    proposals = uow.proposals.get_many([s.proposal_id for s in submissions])
    scored = uow.scores.by_judge(judge)
    return [
        (proposals[s.proposal_id], s, scored.get(s.proposal_id))
        for s in submissions
        if s.proposal_id in proposals and judge not in team_members(uow, proposals[s.proposal_id])
    ]


def refresh_judge_home(event: DemoScored, updates: Refresher) -> None:
    updates.mark_homes({event.judge})


COMMANDS = {
    OpenScoring: open_scoring,
    ScoreDemo: score,
    ShowResults: results,
    AnnounceWinners: announce_winners,
    RemindJudges: remind_judges,
}
EVENTS = {DemoScored: [refresh_judge_home]}
