"""Demo submissions at the end of the week (issue 27): a member of an official team submits
the team's demo (one per team, any member edits it until SUBMISSIONS_CLOSE_AT, each change in
the audit trail); it is announced once in the proposal's thread with a short line in the
channel, and an edit updates both; teams without one are reminded 24 h and 2 h before the
deadline, once each, in their team channel.

The announcement's two messages are posted one at a time, each ts stored as soon as Slack
gives it: a restart after the first finishes with the second and never posts the first again.
Each carries message metadata naming the team and the part; a crash between Slack taking a
message and its ts being stored is recovered the way a proposal's post is (services/posting.py):
the next attempt finds the message by its metadata and adopts it instead of posting again.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from slackbot.blocks import submission as view
from slackbot.blocks.dates import slack_date
from slackbot.config import Settings
from slackbot.domain.demo_submission import DemoDraft, DemoSubmission, validate_demo
from slackbot.domain.events import DemoSubmitted
from slackbot.domain.proposal import Proposal, Status
from slackbot.machinery.refresher import Refresher
from slackbot.services.ports import Messenger
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.demos")

CLOSES = "SUBMISSIONS_CLOSE_AT"
METADATA_EVENT = "community_week_demo"
REMINDERS = (("24h", 24 * 3600.0), ("2h", 2 * 3600.0))  # largest first

NOT_IN_TEAM = (
    "Only the members of an official team can submit a demo, and you are not in one. "
    "Join a team with `/projects`; if your team should be official already, ask the organizers."
)


@dataclass(frozen=True)
class OpenSubmission:
    user: str
    proposal_id: int | None = None  # from a team's button
    channel: str | None = None  # where /submit was typed (a team channel names its team)


@dataclass(frozen=True)
class SubmitDemo:
    user: str
    proposal_id: int | None
    draft: DemoDraft


@dataclass(frozen=True)
class AnnounceDemo:
    proposal_id: int


@dataclass(frozen=True)
class CatchUp:
    """Announce what is not announced yet, and send the reminders that are due."""

    now: float | None = None


@dataclass(frozen=True)
class Refused:
    message: str  # why, and what to do


@dataclass(frozen=True)
class SubmissionForm:
    proposal: Proposal
    existing: DemoSubmission | None
    closes_at: float | None


@dataclass(frozen=True)
class Invalid:
    errors: dict[str, str]  # block id -> what to fix


@dataclass(frozen=True)
class Saved:
    proposal: Proposal
    submission: DemoSubmission
    created: bool


@dataclass(frozen=True)
class CaughtUp:
    announced: int
    reminded: int


def closed_message(settings: Settings, now: float | None = None) -> str | None:
    at = settings.deadline(CLOSES)
    if at is None or (time.time() if now is None else now) < at:
        return None
    return (
        f":lock: Demo submissions closed {slack_date(at)}; your team's submission can no "
        "longer change. If something is wrong with it, tell the organizers."
    )


def team_of(uow: UnitOfWork, user: str, wanted: int | None = None) -> Proposal | None:
    """The official team `user` is a member of (`wanted` if given and they are in it)."""
    candidates = uow.demo_submissions.official_candidates(user)
    if wanted is not None:
        candidates = [c for c in candidates if c == wanted]
    for pid in candidates:
        proposal = uow.proposals.get(pid)
        official = proposal is not None and proposal.status is Status.OFFICIAL
        if official and user in uow.memberships.team(proposal).members:
            return proposal
    return None


def open_form(cmd: OpenSubmission, uow: UnitOfWork, settings: Settings) -> SubmissionForm | Refused:
    closed = closed_message(settings)
    if closed:
        return Refused(closed)
    wanted = cmd.proposal_id
    if wanted is None and cmd.channel:
        wanted = uow.demo_submissions.team_of_channel(cmd.channel)
    proposal = team_of(uow, cmd.user, wanted) or (
        team_of(uow, cmd.user) if cmd.proposal_id is None else None
    )
    if proposal is None:
        return Refused(NOT_IN_TEAM)
    return SubmissionForm(
        proposal, uow.demo_submissions.get(proposal.id), settings.deadline(CLOSES)
    )


def submit(cmd: SubmitDemo, uow: UnitOfWork, settings: Settings) -> Saved | Invalid | Refused:
    errors = validate_demo(cmd.draft)
    if errors:
        return Invalid(errors)
    closed = closed_message(settings)
    if closed:
        return Refused(closed)
    with uow:
        proposal = team_of(uow, cmd.user, cmd.proposal_id)
        if proposal is None:
            return Refused(NOT_IN_TEAM)
        before = uow.demo_submissions.get(proposal.id)
        if before is not None and before.draft == cmd.draft.cleaned():
            return Saved(proposal, before, created=False)  # a repeated submission: no change
        saved = uow.demo_submissions.save(proposal.id, cmd.draft, cmd.user)
        uow.audit.record(
            cmd.user,
            "demo_edited" if before else "demo_submitted",
            proposal.id,
            _fields(before) if before else None,
            _fields(saved),
        )
        uow.emit(DemoSubmitted(proposal.id, saved.version, cmd.user))
        uow.commit()
    log.info("demo_saved proposal_id=%s version=%s by=%s", proposal.id, saved.version, cmd.user)
    return Saved(proposal, saved, created=before is None)


def _fields(s: DemoSubmission) -> dict[str, str]:
    return {
        "demo_url": s.demo_url,
        "models": s.models,
        "summary": s.summary,
        "video_url": s.video_url,
        "jury_note": s.jury_note,
    }


def announce(cmd: AnnounceDemo, uow: UnitOfWork, messenger: Messenger, channel_id: str) -> bool:
    """Post (or update) the submission's announcement; True when it shows the latest version.
    Safe to run again at any point: each message is posted once, its ts kept at once."""
    repo = uow.demo_submissions
    submission = repo.get(cmd.proposal_id)
    proposal = uow.proposals.get(cmd.proposal_id)
    if submission is None or proposal is None:
        return False
    thread_ts, line_ts, shown = repo.announced(cmd.proposal_id)
    if thread_ts and line_ts and shown >= submission.version:
        return True
    with uow.writing():
        claimed = repo.claim_announcement(cmd.proposal_id)
    if not claimed:
        return False  # another worker is on it
    try:
        members = uow.memberships.team(proposal).members
        where = proposal.channel or channel_id
        text, blocks = view.announcement(proposal, submission, members)
        if thread_ts is None:
            thread_ts = _post_once(
                uow, messenger, submission, "thread", where, text, blocks, proposal.ts
            )
            if thread_ts is None:
                return False
            with uow.writing():
                repo.set_thread_ts(proposal.id, thread_ts)
        elif shown < submission.version and not messenger.update(where, thread_ts, text, blocks):
            return False
        text, blocks = view.announcement_line(proposal, submission)
        if line_ts is None:
            line_ts = _post_once(uow, messenger, submission, "line", where, text, blocks, None)
            if line_ts is None:
                return False
            with uow.writing():
                repo.set_line_ts(proposal.id, line_ts)
        elif shown < submission.version and not messenger.update(where, line_ts, text, blocks):
            return False
        with uow.writing():
            repo.set_announced_version(proposal.id, submission.version)
        log.info(
            "demo_announced proposal_id=%s version=%s thread_ts=%s line_ts=%s",
            proposal.id,
            submission.version,
            thread_ts,
            line_ts,
        )
        return True
    finally:
        with uow.writing():
            repo.release_announcement(cmd.proposal_id)


def _post_once(
    uow: UnitOfWork,
    messenger: Messenger,
    submission: DemoSubmission,
    part: str,
    where: str,
    text: str,
    blocks: list[dict[str, object]],
    thread_ts: str | None,
) -> str | None:
    """Post one part of the announcement, or adopt the message an earlier attempt left in
    Slack (rewritten to the latest version); None: not now, the next pass tries again."""
    marker = {"proposal_id": submission.proposal_id, "part": part}
    repo = uow.demo_submissions
    if repo.tried(submission.proposal_id, part):
        answered, found = messenger.find_marked(
            where,
            since=submission.submitted_at - 5,
            event_type=METADATA_EVENT,
            payload=marker,
            thread_ts=thread_ts,
        )
        if not answered:
            return None  # Slack cannot say now: never post blind
        if found is not None:
            log.info(
                "demo_announcement_adopted proposal_id=%s part=%s ts=%s",
                submission.proposal_id,
                part,
                found,
            )
            return found if messenger.update(where, found, text, blocks) else None
    with uow.writing():
        repo.mark_tried(submission.proposal_id, part)
    metadata = {"event_type": METADATA_EVENT, "event_payload": marker}
    return messenger.post(where, text, blocks, thread_ts=thread_ts, metadata=metadata)


def catch_up(
    cmd: CatchUp, uow: UnitOfWork, messenger: Messenger, settings: Settings, channel_id: str
) -> CaughtUp:
    """The scheduled pass (one process at a time, under a job lease): announcements a crash or
    a refusal left undone, then the reminders that are due."""
    announced = sum(
        1
        for pid in uow.demo_submissions.unannounced()
        if announce(AnnounceDemo(pid), uow, messenger, channel_id)
    )
    return CaughtUp(announced, remind(uow, messenger, settings, cmd.now))


def due_reminder(closes_at: float, now: float) -> str | None:
    """ "24h" or "2h" when that reminder's window is on, else None (after the deadline, or
    more than 24 h before). A bot started inside the 2 h window sends only that one."""
    if now >= closes_at:
        return None
    for kind, before in reversed(REMINDERS):
        if now >= closes_at - before:
            return kind
    return None


def remind(uow: UnitOfWork, messenger: Messenger, settings: Settings, now: float | None) -> int:
    closes_at = settings.deadline(CLOSES)
    now = time.time() if now is None else now
    kind = None if closes_at is None else due_reminder(closes_at, now)
    if closes_at is None or kind is None:
        return 0
    repo = uow.demo_submissions
    sent = 0
    for pid in repo.official_ids():
        if repo.get(pid) is not None:
            continue
        proposal = uow.proposals.get(pid)
        if proposal is None:
            continue
        team_channel = uow.memberships.official_channel(pid)
        where = team_channel or proposal.channel
        if not where:
            continue
        with uow.writing():  # claimed first: a team reminded already spends no budget
            claimed = repo.claim_reminder(pid, kind, closes_at)
        if not claimed:
            continue
        if not messenger.may_send("chat.postMessage", where):
            with uow.writing():
                repo.unclaim_reminder(pid, kind, closes_at)
            break  # the budget is spent: the next pass goes on
        text, blocks = view.reminder(proposal, closes_at, kind)
        ts = messenger.post(where, text, blocks, thread_ts=None if team_channel else proposal.ts)
        if ts is None:
            with uow.writing():
                repo.unclaim_reminder(pid, kind, closes_at)
            continue
        sent += 1
        log.info("demo_reminder_sent proposal_id=%s kind=%s", pid, kind)
    return sent


def refresh_homes(event: DemoSubmitted, uow: UnitOfWork, updates: Refresher) -> None:
    """The team's Home tabs show the submission (and its button becomes Edit)."""
    proposal = uow.proposals.get(event.proposal_id)
    if proposal is not None:
        updates.mark_homes(set(uow.memberships.team(proposal).members))


COMMANDS = {
    OpenSubmission: open_form,
    SubmitDemo: submit,
    AnnounceDemo: announce,
    CatchUp: catch_up,
}
EVENTS = {DemoSubmitted: [refresh_homes]}
