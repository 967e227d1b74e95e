"""The organizers' controls: undo an official team, close or reopen, team sizes, moving a
person between teams, a request to join an official team, a second team, the digest now, the
export. (Making a team official is services/officiating.py.) Every action is refused to anyone
but an organizer (`officiating.refusal`), recorded in the audit trail, and shown on the post
at once.

Commands: `UndoOfficial`, `CloseProposal`, `CloseAll`, `ReopenProposal`, `SetLimits`,
`MovePerson`, `DecideJoinRequest`, `StartSecondTeam`, `DigestNow`, `SendExport`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from slackbot.blocks.limits import clip
from slackbot.config import Settings
from slackbot.domain.answers import Answer, Fact, Linked, People, Person, say
from slackbot.domain.events import OfficialUndone
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import ORGANIZER, Signal
from slackbot.domain.template import SECTIONS_BY_ID
from slackbot.machinery.refresher import Refresher
from slackbot.services import export, join_requests
from slackbot.services.alerting import alert_if_due, redraw_alerts
from slackbot.services.joining import record_change, show_change
from slackbot.services.notices import DECLINED, PLACE
from slackbot.services.officiating import Organizers
from slackbot.services.outcome import Outcome, require_organizer
from slackbot.services.ports import Messenger
from slackbot.services.posting import Poster, publish
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.organizing")

# The digest posted now (services/digest_posting.py's PostDigestNow, bound by the bootstrap):
# "posted", "empty" or "failed".
PostDigest = Callable[[], str]

SECOND_LEADS = ("proposer", "waitlist")


# --- commands -----------------------------------------------------------------------------
@dataclass(frozen=True)
class MayOrganize:
    """Whether `user` may use /organize at all (asked before the ack: a refusal is the ack)."""

    user: str


@dataclass(frozen=True)
class UndoOfficial:
    organizer: str
    proposal_id: int


@dataclass(frozen=True)
class CloseProposal:
    organizer: str
    proposal_id: int


@dataclass(frozen=True)
class CloseAll:
    """Close every open proposal; `confirm` repeats how many (None: asks for it)."""

    organizer: str
    confirm: int | None


@dataclass(frozen=True)
class ReopenProposal:
    organizer: str
    proposal_id: int


@dataclass(frozen=True)
class SetLimits:
    organizer: str
    proposal_id: int
    minimum: int
    maximum: int


@dataclass(frozen=True)
class MovePerson:
    organizer: str
    proposal_id: int  # from
    user: str
    to_id: int


@dataclass(frozen=True)
class DecideJoinRequest:
    organizer: str
    proposal_id: int
    user: str  # who asked to join
    outcome: str  # approved, declined


@dataclass(frozen=True)
class StartSecondTeam:
    organizer: str
    proposal_id: int
    lead_by: str  # proposer, waitlist


@dataclass(frozen=True)
class DigestNow:
    """`/organize digest`: the digest posted now, and who asked recorded."""

    organizer: str


@dataclass(frozen=True)
class SendExport:
    organizer: str
    fmt: str  # csv, json
    scores: bool = False


# --- on one project: checked, logged, and shown -------------------------------------------
def _on_a_project(
    name: str,
    organizer: str,
    proposal_id: int,
    uow: UnitOfWork,
    organizers: Organizers,
    updates: Refresher,
    action: Callable[[Proposal], Outcome],
) -> Outcome:
    """Every organizer action on a project: refused for anyone else, logged, and the post
    refreshed."""
    refused = require_organizer(organizers, organizer, name)
    if refused is not None:
        return refused
    proposal = uow.proposals.get(proposal_id)
    if proposal is None:
        return Outcome(False, say(Answer.NO_PROJECT_NUMBER, id=proposal_id))
    outcome = action(proposal)
    if outcome.ok:
        log.info("organizer_action action=%s proposal_id=%s by=%s", name, proposal_id, organizer)
        show_change(updates, organizers, proposal_id, {proposal.proposer_id})
    return outcome


def undo_official(
    cmd: UndoOfficial, uow: UnitOfWork, organizers: Organizers, updates: Refresher
) -> Outcome:
    def undo(proposal: Proposal) -> Outcome:
        if proposal.status is not Status.OFFICIAL:
            return Outcome(False, say(Answer.NOT_OFFICIAL, name=proposal.name))
        with uow:
            uow.memberships.undo_official(proposal.id)
            uow.proposals.set_status(proposal.id, Status.OPEN)
            uow.audit.record(
                cmd.organizer,
                "undo_official",
                proposal.id,
                {"status": "official"},
                {"status": "open"},
            )
            uow.emit(OfficialUndone(proposal.id))
            uow.commit()
        return Outcome(True, say(Answer.OPEN_AGAIN, name=proposal.name))

    return _on_a_project(
        "undo_official", cmd.organizer, cmd.proposal_id, uow, organizers, updates, undo
    )


def close(
    cmd: CloseProposal, uow: UnitOfWork, organizers: Organizers, updates: Refresher
) -> Outcome:
    def close_it(proposal: Proposal) -> Outcome:
        if not proposal.is_live:
            return Outcome(
                False, say(Answer.NOT_LIVE, name=proposal.name, status=proposal.status.value)
            )
        with uow:
            uow.proposals.set_status(proposal.id, Status.CLOSED)
            uow.audit.record(
                cmd.organizer,
                "close",
                proposal.id,
                {"status": proposal.status.value},
                {"status": "closed"},
            )
            uow.commit()
        return Outcome(True, say(Answer.CLOSED, name=proposal.name))

    return _on_a_project(
        "close", cmd.organizer, cmd.proposal_id, uow, organizers, updates, close_it
    )


def close_all(
    cmd: CloseAll, uow: UnitOfWork, organizers: Organizers, updates: Refresher
) -> Outcome:
    """Close every open proposal at once (official teams stay). Confirmed by repeating the
    number of proposals it closes: a count that changed meanwhile asks again."""
    refused = require_organizer(organizers, cmd.organizer, "close_all")
    if refused is not None:
        return refused
    open_now = uow.proposals.with_status(Status.OPEN)
    if cmd.confirm != len(open_now) or not open_now:
        if not open_now:
            return Outcome(False, say(Answer.NONE_OPEN))
        return Outcome(False, say(Answer.CONFIRM_CLOSE_ALL, count=len(open_now)))
    with uow:
        for proposal in open_now:
            uow.proposals.set_status(proposal.id, Status.CLOSED)
            uow.audit.record(
                cmd.organizer, "close_all", proposal.id, {"status": "open"}, {"status": "closed"}
            )
        uow.commit()
    for proposal in open_now:
        updates.mark(proposal.id)  # redrawn within chat.update's budget
    updates.mark_homes(organizers.everyone() | {p.proposer_id for p in open_now})
    log.info("close_all by=%s count=%s", cmd.organizer, len(open_now))
    return Outcome(True, say(Answer.CLOSED_ALL, count=len(open_now)))


def reopen(
    cmd: ReopenProposal, uow: UnitOfWork, organizers: Organizers, updates: Refresher
) -> Outcome:
    def reopen_it(proposal: Proposal) -> Outcome:
        if proposal.status not in (Status.CLOSED, Status.WITHDRAWN):
            return Outcome(
                False, say(Answer.NOT_CLOSED, name=proposal.name, status=proposal.status.value)
            )
        with uow:
            back = Status.OFFICIAL if uow.memberships.made_official_by(proposal.id) else Status.OPEN
            uow.proposals.set_status(proposal.id, back)
            uow.audit.record(
                cmd.organizer,
                "reopen",
                proposal.id,
                {"status": proposal.status.value},
                {"status": back.value},
            )
            uow.commit()
        return Outcome(True, say(Answer.REOPENED, name=proposal.name, status=back.value))

    return _on_a_project(
        "reopen", cmd.organizer, cmd.proposal_id, uow, organizers, updates, reopen_it
    )


def set_limits(
    cmd: SetLimits, uow: UnitOfWork, organizers: Organizers, updates: Refresher
) -> Outcome:
    minimum, maximum = cmd.minimum, cmd.maximum

    def limit(proposal: Proposal) -> Outcome:
        if not 2 <= minimum <= maximum <= 100:
            return Outcome(False, say(Answer.BAD_SIZES))
        before = {"threshold": proposal.min_team_size, "max": proposal.max_team_size}
        with uow:
            uow.proposals.set_limits(proposal.id, minimum, maximum)
            uow.audit.record(
                cmd.organizer,
                "set_limits",
                proposal.id,
                before,
                {"threshold": minimum, "max": maximum},
            )
            updated = uow.proposals.get(proposal.id)
            summary = uow.memberships.refresh_size(updated).summary if updated else None
            uow.commit()
        if updated is not None and summary is not None:
            alert_if_due(uow, organizers, updates, updated, summary)
        return Outcome(
            True, say(Answer.LIMITS_SET, name=proposal.name, minimum=minimum, maximum=maximum)
        )

    return _on_a_project(
        "set_limits", cmd.organizer, cmd.proposal_id, uow, organizers, updates, limit
    )


def move(
    cmd: MovePerson,
    uow: UnitOfWork,
    messenger: Messenger,
    organizers: Organizers,
    updates: Refresher,
) -> Outcome:
    user = cmd.user

    def move_them(proposal: Proposal) -> Outcome:
        target = uow.proposals.get(cmd.to_id)
        if target is None or not target.is_live:
            return Outcome(False, say(Answer.NO_TARGET, id=cmd.to_id))
        if user in (proposal.proposer_id, target.proposer_id):
            return Outcome(False, say(Answer.PROPOSER_NOT_MOVED))
        if not messenger.is_person(user):
            return Outcome(False, say(Answer.NO_SUCH_PERSON))
        now = time.time()
        with uow:
            left = uow.memberships.leave(proposal, user, now)
            record_change(uow, updates, organizers, proposal, left)
            joined = uow.memberships.apply(target, Signal(user, ORGANIZER, True, now))
            record_change(uow, updates, organizers, target, joined)
            uow.notices.add(user, target.id, PLACE, {"reason": "moved"})
            uow.audit.record(
                cmd.organizer,
                "move",
                proposal.id,
                {"user": user, "project": proposal.id},
                {"user": user, "project": target.id},
            )
            uow.commit()
        updates.mark(target.id)
        return Outcome(True, say(Answer.MOVED, user=Person(user), name=target.name))

    return _on_a_project(
        "move", cmd.organizer, cmd.proposal_id, uow, organizers, updates, move_them
    )


def decide_join_request(
    cmd: DecideJoinRequest,
    uow: UnitOfWork,
    messenger: Messenger,
    organizers: Organizers,
    updates: Refresher,
) -> Outcome:
    """Approve or decline a request to join an official team; the first decision wins."""
    organizer, user, decided_as = cmd.organizer, cmd.user, cmd.outcome

    def decide(proposal: Proposal) -> Outcome:
        if decided_as not in ("approved", "declined"):
            return Outcome(False, say(Answer.APPROVE_OR_DECLINE))
        if not join_requests.decide(uow, proposal, user, organizer, decided_as):
            decided = join_requests.decision(uow, proposal.id, user)
            if decided is None:
                return Outcome(False, say(Answer.DECIDED_ELSEWHERE))
            return Outcome(False, say(Answer.DECIDED_BY, organizer=Person(decided[1])))
        with uow:
            if decided_as == "approved":
                signal = Signal(user, ORGANIZER, True, time.time())
                change = uow.memberships.apply(proposal, signal)
                record_change(uow, updates, organizers, proposal, change)
                uow.notices.add(user, proposal.id, PLACE, {"reason": "approved"})
            else:
                uow.notices.add(user, proposal.id, DECLINED)
            uow.audit.record(
                organizer,
                "join_request",
                proposal.id,
                {"user": user},
                {"user": user, "outcome": decided_as},
            )
            uow.commit()
        join_requests.refresh_copies(uow, messenger, proposal, user)
        return Outcome(True, say(Answer.DECIDED, user=Person(user), outcome=decided_as))

    return _on_a_project(
        "join_request", organizer, cmd.proposal_id, uow, organizers, updates, decide
    )


def start_second_team(
    cmd: StartSecondTeam,
    uow: UnitOfWork,
    messenger: Messenger,
    organizers: Organizers,
    updates: Refresher,
    poster: Poster,
) -> Outcome:
    """An over-subscribed idea gets a second team: the same answers as "… (team 2)", the
    waitlist as its members in order of arrival, led by the same proposer or by the first who
    waited; both posts link each other and every moved person is told."""

    def second_team(proposal: Proposal) -> Outcome:
        if cmd.lead_by not in SECOND_LEADS:
            return Outcome(False, say(Answer.LEAD_BY))
        earlier = [t for t in uow.proposals.second_teams(proposal.id) if t.second_of == proposal.id]
        if earlier:
            first = earlier[0]
            return Outcome(
                False, say(Answer.SECOND_TEAM_EXISTS, team=Linked(first.permalink, first.name))
            )
        waiting = list(uow.memberships.team(proposal).waitlist)
        if not waiting or not proposal.is_live:
            return Outcome(False, say(Answer.NOBODY_WAITING, name=proposal.name))
        lead = proposal.proposer_id if cmd.lead_by == "proposer" else waiting[0]
        second = _second_team(cmd.organizer, proposal, waiting, lead, uow, organizers, updates)
        published = publish(poster, second.id)
        if published.proposal is not None:
            summary = uow.memberships.summary(published.proposal)
            alert_if_due(uow, organizers, updates, published.proposal, summary)
        updates.mark(proposal.id)  # the first post links the second
        redraw_alerts(proposal.id, uow=uow, messenger=messenger)
        name = published.proposal.name if published.proposal else second.name
        permalink = published.proposal.permalink if published.proposal else None
        others = [u for u in waiting if u != lead]
        facts: dict[str, Fact] = {
            "team": Linked(permalink, name),
            "lead": Person(lead),
            "count": len(waiting),
        }
        if others:
            return Outcome(
                True, say(Answer.SECOND_TEAM_STARTED_WITH, others=People(tuple(others)), **facts)
            )
        return Outcome(True, say(Answer.SECOND_TEAM_STARTED, **facts))

    return _on_a_project(
        "second_team", cmd.organizer, cmd.proposal_id, uow, organizers, updates, second_team
    )


def _second_team(
    organizer: str,
    proposal: Proposal,
    waiting: list[str],
    lead: str,
    uow: UnitOfWork,
    organizers: Organizers,
    updates: Refresher,
) -> Proposal:
    """The second team, created in the unit of work that moves its people (posted after)."""
    draft = proposal.draft
    draft.answers["name"] = clip(f"{proposal.name} (team 2)", SECTIONS_BY_ID["name"].max_length)
    now = time.time()
    with uow:
        second, _ = uow.proposals.create(
            draft,
            lead,
            submission_key=f"second-team:{proposal.id}",
            min_team_size=proposal.min_team_size,
            second_of=proposal.id,
        )
        for user in waiting:
            left = uow.memberships.leave(proposal, user, now)
            record_change(uow, updates, organizers, proposal, left)
        for order, user in enumerate(u for u in waiting if u != lead):
            uow.memberships.apply(second, Signal(user, ORGANIZER, True, now + order / 1000))
        for user in waiting:
            uow.notices.add(user, second.id, PLACE, {"reason": "lead" if user == lead else "moved"})
        uow.audit.record(
            organizer,
            "second_team",
            proposal.id,
            {"waitlist": waiting},
            {"project": second.id, "lead": lead, "members": [u for u in waiting if u != lead]},
        )
        uow.commit()
    return second


# --- for everything at once ---------------------------------------------------------------
def digest_now(
    cmd: DigestNow, uow: UnitOfWork, organizers: Organizers, post_digest: PostDigest
) -> Outcome:
    refused = require_organizer(organizers, cmd.organizer, "digest_now")
    if refused is not None:
        return refused
    outcome = post_digest()
    with uow.writing():
        uow.audit.record(cmd.organizer, "digest_now", None, None, {"outcome": outcome})
    return Outcome(outcome in ("posted", "empty"), say(Answer.DIGEST, outcome=outcome))


def send_export(
    cmd: SendExport,
    uow: UnitOfWork,
    messenger: Messenger,
    settings: Settings,
    organizers: Organizers,
) -> Outcome:
    """Upload the organizers' sheet (or, asked for, the judges' scores) to the organizer's DM,
    and record that they took it."""
    refused = require_organizer(organizers, cmd.organizer, "export")
    if refused is not None:
        return refused
    fmt, scores = cmd.fmt, cmd.scores
    export.send_to_organizer(
        cmd.organizer, fmt, scores=scores, uow=uow, settings=settings, messenger=messenger
    )
    with uow.writing():
        uow.audit.record(
            cmd.organizer,
            "export",
            None,
            None,
            {"format": fmt, **({"scores": True} if scores else {})},
        )
    return Outcome(
        True, say(Answer.SCORES_SENT if scores else Answer.SHEET_SENT, format=fmt.upper())
    )


def may_organize(cmd: MayOrganize, organizers: Organizers) -> Outcome | None:
    return require_organizer(organizers, cmd.user, "organize")


COMMANDS = {
    MayOrganize: may_organize,
    UndoOfficial: undo_official,
    CloseProposal: close,
    CloseAll: close_all,
    ReopenProposal: reopen,
    SetLimits: set_limits,
    MovePerson: move,
    DecideJoinRequest: decide_join_request,
    StartSecondTeam: start_second_team,
    DigestNow: digest_now,
    SendExport: send_export,
}
