"""The week's compute, handed to official teams: the pool (import, add, list), the automatic
hand-out in the order teams became official (too-small teams get none, the rest wait when the
pool is empty and get one when it is refilled), an organizer's give and take, and members'
answers (It works / Problem).

The details of an allocation are secret: they go by DM to each member of the team holding it
(and into the team's channel only when that channel is private). They are never logged, never
in a result an organizer sees in a channel, never on the dashboard.

The hand-out runs whenever something could change who gets what (a team made official, a
member joining, compute added or returned) and at start-up. It is idempotent: each team holds
one allocation at most (a unique index), and each recipient's message is claimed (with a
lease) before it is sent and marked sent after, so an event heard twice gives one allocation and
one DM per member, and a message a stopped process had claimed but not sent is sent by the next
hand-out (the start-up's, at the latest), after a look for the copy it may have posted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from slackbot.blocks.compute import (
    compute_message,
    left_with_compute_text,
    problem_alert,
    reply_text,
    team_told,
    undone_with_compute_text,
)
from slackbot.config import Settings
from slackbot.domain.compute import (
    PROBLEM_MAX,
    SET_ASIDE,
    Allocation,
    PoolFileError,
    PoolRow,
    details_problem,
    gets_compute,
    label_problem,
    parse_pool_csv,
)
from slackbot.domain.events import (
    ComputeAdded,
    ComputeAnswered,
    ComputeGiven,
    ComputeProblemReported,
    ComputeReturned,
    MemberJoinedOfficialTeam,
    MemberLeftOfficialTeam,
    OfficialUndone,
    TeamMadeOfficial,
)
from slackbot.domain.proposal import Proposal, Status
from slackbot.machinery.refresher import Refresher
from slackbot.services.directory import Organizers
from slackbot.services.outcome import require_organizer
from slackbot.services.ports import Messenger
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.compute")

TOO_SMALL, WAITING = "too_small", "waiting"
SENT_EVENT = "compute_details"  # the metadata a details message carries, to be found again
SEND_LEASE = 300.0  # longer than one chat.postMessage with its retries can take


# --- commands --------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportCompute:
    actor: str  # who ran `slackbot compute import` (an organizer id, or "cli")
    csv_text: str


@dataclass(frozen=True)
class AddCompute:
    organizer: str
    label: str
    details: str


@dataclass(frozen=True)
class GiveCompute:
    organizer: str
    proposal_id: int
    label: str


@dataclass(frozen=True)
class TakeCompute:
    organizer: str
    label: str


@dataclass(frozen=True)
class RegiveCompute:
    """From a problem's alert: take the team's allocation back and give it the next free one."""

    organizer: str
    proposal_id: int


@dataclass(frozen=True)
class FixedCompute:
    """`/organize compute fixed LABEL`: a machine set aside after a problem is in the pool again."""

    organizer: str
    label: str


@dataclass(frozen=True)
class ListCompute:
    organizer: str


@dataclass(frozen=True)
class HandOutCompute:
    """At start-up: finish what a stopped process left (teams still waiting, messages unsent)."""


@dataclass(frozen=True)
class AnswerCompute:
    user: str
    proposal_id: int
    works: bool
    problem: str = ""


@dataclass(frozen=True)
class ReplyToProblem:
    organizer: str
    proposal_id: int
    user: str
    text: str


# --- results ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Refused:
    """Why nothing changed: `why` is a code the renderer words (blocks/compute.py)."""

    why: str
    label: str = ""
    team: str = ""
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class PoolAdded:
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Handed:
    label: str
    team: str
    proposal_id: int
    taken_from: str = ""  # the team it was taken back from, if any


@dataclass(frozen=True)
class Taken:
    label: str
    team: str
    given_next: str = ""  # the label given instead (a re-give)


@dataclass(frozen=True)
class PoolLine:
    label: str
    kind: str
    state: str  # free, given, returned
    team: str = ""
    proposal_id: int | None = None


@dataclass(frozen=True)
class PoolListing:
    lines: tuple[PoolLine, ...]
    waiting: tuple[str, ...]  # teams waiting for compute, in order


@dataclass(frozen=True)
class Answered:
    works: bool
    team: str


@dataclass(frozen=True)
class Replied:
    user: str


@dataclass
class TeamCompute:
    """One official team's compute, as the organizers' dashboard shows it (never the details)."""

    proposal_id: int
    team: str
    permalink: str | None
    members: list[str]
    label: str = ""
    waiting: bool = False
    too_small: bool = False
    works: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (member, text)


# --- the pool ---------------------------------------------------------------------------
def import_pool(cmd: ImportCompute, uow: UnitOfWork, organizers: Organizers) -> PoolAdded | Refused:
    with uow:
        try:
            rows = parse_pool_csv(cmd.csv_text, taken=uow.compute.labels())
        except PoolFileError as bad:
            return Refused("bad_file", problems=tuple(bad.problems))
        added = uow.compute.add(rows, cmd.actor)
        labels = tuple(a.label for a in added)
        uow.audit.record(cmd.actor, "compute_import", None, None, {"labels": list(labels)})
        uow.emit(ComputeAdded(labels))
        uow.commit()
    log.info("compute_imported count=%s by=%s", len(labels), cmd.actor)
    return PoolAdded(labels)


def add(cmd: AddCompute, uow: UnitOfWork, organizers: Organizers) -> PoolAdded | Refused:
    if require_organizer(organizers, cmd.organizer, "compute_add"):
        return Refused("not_organizer")
    problem = label_problem(cmd.label) or details_problem(cmd.details)
    if problem:
        return Refused("bad_input", problems=(problem,))
    with uow:
        existing = uow.compute.by_label(cmd.label)
        if existing is not None and existing.state != SET_ASIDE:
            return Refused("label_taken", label=cmd.label)
        if existing is not None:  # a machine set aside, added again: fixed, with these details
            return _put_back(uow, existing, cmd.organizer, cmd.details)
        uow.compute.add([PoolRow(0, cmd.label, cmd.details)], cmd.organizer)
        uow.audit.record(cmd.organizer, "compute_add", None, None, {"label": cmd.label})
        uow.emit(ComputeAdded((cmd.label,)))
        uow.commit()
    log.info("compute_added label=%s by=%s", cmd.label, cmd.organizer)
    return PoolAdded((cmd.label,))


def fixed(cmd: FixedCompute, uow: UnitOfWork, organizers: Organizers) -> PoolAdded | Refused:
    if require_organizer(organizers, cmd.organizer, "compute_fixed"):
        return Refused("not_organizer")
    with uow:
        allocation = uow.compute.by_label(cmd.label)
        if allocation is None:
            return Refused("no_label", label=cmd.label)
        if allocation.state != SET_ASIDE:
            return Refused("not_set_aside", label=allocation.label)
        return _put_back(uow, allocation, cmd.organizer, None)


def _put_back(
    uow: UnitOfWork, allocation: Allocation, organizer: str, details: str | None
) -> PoolAdded:
    uow.compute.put_back(allocation.id, details)
    uow.audit.record(organizer, "compute_fixed", None, None, {"label": allocation.label})
    uow.emit(ComputeAdded((allocation.label,)))
    uow.commit()
    log.info("compute_fixed label=%s by=%s", allocation.label, organizer)
    return PoolAdded((allocation.label,))


def listing(
    cmd: ListCompute, uow: UnitOfWork, organizers: Organizers, settings: Settings
) -> PoolListing | Refused:
    if require_organizer(organizers, cmd.organizer, "compute_listing"):
        return Refused("not_organizer")
    pool = uow.compute.all()
    teams = uow.proposals.get_many([a.proposal_id for a in pool if a.proposal_id is not None])
    lines = tuple(
        PoolLine(
            a.label,
            a.kind,
            a.state,
            teams[a.proposal_id].name if a.proposal_id in teams else "",
            a.proposal_id,
        )
        for a in pool
    )
    waiting = tuple(t.name for t in _waiting_teams(uow, settings.COMPUTE_MIN_TEAM_SIZE))
    return PoolListing(lines, waiting)


def give(cmd: GiveCompute, uow: UnitOfWork, organizers: Organizers) -> Handed | Refused:
    """An organizer gives a named allocation to a team by hand (taking it from the team that
    held it, if any, which is then back in the queue)."""
    if require_organizer(organizers, cmd.organizer, "compute_give"):
        return Refused("not_organizer")
    with uow:
        proposal = uow.proposals.get(cmd.proposal_id)
        if proposal is None:
            return Refused("no_team", team=f"#{cmd.proposal_id}")
        if proposal.status is not Status.OFFICIAL:
            return Refused("not_official", team=proposal.name)
        allocation = uow.compute.by_label(cmd.label)
        if allocation is None:
            return Refused("no_label", label=cmd.label)
        if allocation.proposal_id == proposal.id:
            return Refused("already_theirs", label=allocation.label, team=proposal.name)
        taken_from = ""
        if allocation.proposal_id is not None:
            before = uow.proposals.get(allocation.proposal_id)
            taken_from = before.name if before else f"#{allocation.proposal_id}"
            uow.compute.take_back(allocation.id)
            uow.emit(ComputeReturned(allocation.proposal_id, allocation.label))
        current = uow.compute.of_team(proposal.id)
        if current is not None:
            uow.compute.take_back(current.id)
            uow.emit(ComputeReturned(proposal.id, current.label))
        uow.compute.give(allocation.id, proposal.id)
        uow.audit.record(
            cmd.organizer,
            "compute_give",
            proposal.id,
            {"label": current.label if current else None},
            {"label": allocation.label},
        )
        uow.emit(ComputeGiven(proposal.id, allocation.label, cmd.organizer))
        uow.commit()
    log.info(
        "compute_given label=%s proposal_id=%s by=%s", allocation.label, proposal.id, cmd.organizer
    )
    return Handed(allocation.label, proposal.name, proposal.id, taken_from)


def take(cmd: TakeCompute, uow: UnitOfWork, organizers: Organizers) -> Taken | Refused:
    if require_organizer(organizers, cmd.organizer, "compute_take"):
        return Refused("not_organizer")
    with uow:
        allocation = uow.compute.by_label(cmd.label)
        if allocation is None:
            return Refused("no_label", label=cmd.label)
        if allocation.proposal_id is None:
            return Refused("not_given", label=allocation.label)
        proposal = uow.proposals.get(allocation.proposal_id)
        team = proposal.name if proposal else f"#{allocation.proposal_id}"
        _take_back(uow, allocation, cmd.organizer)
        uow.commit()
    return Taken(allocation.label, team)


def regive(cmd: RegiveCompute, uow: UnitOfWork, organizers: Organizers) -> Taken | Refused:
    """Take a team's allocation back and give it the next free one at once, ahead of the
    queue. The one taken back had a problem: it is set aside, given to nobody, until an
    organizer says it is fixed (`/organize compute fixed LABEL`, or `add` of its label)."""
    if require_organizer(organizers, cmd.organizer, "compute_regive"):
        return Refused("not_organizer")
    with uow:
        proposal = uow.proposals.get(cmd.proposal_id)
        current = uow.compute.of_team(cmd.proposal_id)
        if proposal is None or current is None:
            return Refused("nothing_to_regive", team=proposal.name if proposal else "")
        replacement = uow.compute.next_free()
        if replacement is None:
            return Refused("pool_empty", team=proposal.name)
        uow.compute.set_aside(current.id)
        uow.audit.record(
            cmd.organizer, "compute_set_aside", proposal.id, {"label": current.label}, None
        )
        uow.emit(ComputeReturned(proposal.id, current.label))
        log.info(
            "compute_set_aside label=%s proposal_id=%s by=%s",
            current.label,
            proposal.id,
            cmd.organizer,
        )
        uow.compute.give(replacement.id, proposal.id)
        uow.audit.record(
            cmd.organizer,
            "compute_give",
            proposal.id,
            {"label": current.label},
            {"label": replacement.label},
        )
        uow.emit(ComputeGiven(proposal.id, replacement.label, cmd.organizer))
        uow.commit()
    return Taken(current.label, proposal.name, replacement.label)


def _take_back(uow: UnitOfWork, allocation: Allocation, organizer: str) -> None:
    assert allocation.proposal_id is not None
    uow.compute.take_back(allocation.id)
    uow.audit.record(
        organizer, "compute_take", allocation.proposal_id, {"label": allocation.label}, None
    )
    uow.emit(ComputeReturned(allocation.proposal_id, allocation.label))
    log.info(
        "compute_taken label=%s proposal_id=%s by=%s",
        allocation.label,
        allocation.proposal_id,
        organizer,
    )


# --- the hand-out -----------------------------------------------------------------------
def hand_out(
    event: object,
    uow: UnitOfWork,
    messenger: Messenger,
    settings: Settings,
    organizers: Organizers,
    updates: Refresher,
    bot_user_id: str,
) -> None:
    """Give free allocations to the official teams without one, in the order they became
    official; then send every member (and private team channel) what they were not sent yet;
    then tell a too-small or waiting team so, once."""
    minimum = settings.COMPUTE_MIN_TEAM_SIZE
    given: list[tuple[int, str]] = []
    with uow:
        for team in _official_in_order(uow):
            if uow.compute.of_team(team.id) is not None:
                continue
            if not gets_compute(len(uow.memberships.team(team).members), minimum):
                continue
            free = uow.compute.next_free()
            if free is None:
                break
            if uow.compute.give(free.id, team.id):
                uow.compute.forget_told(team.id, WAITING)
                uow.audit.record(bot_user_id, "compute_auto", team.id, None, {"label": free.label})
                given.append((team.id, free.label))
        uow.commit()
    for proposal_id, label in given:
        log.info("compute_given label=%s proposal_id=%s by=hand-out", label, proposal_id)
    changed = bool(given)
    for team in _official_in_order(uow):
        allocation = uow.compute.of_team(team.id)
        if allocation is not None:
            changed |= _deliver(uow, messenger, settings, team, allocation)
        else:
            changed |= _tell_why_not(uow, messenger, settings, team)
    if changed:
        updates.mark_homes(organizers.everyone())


def hand_out_now(
    cmd: HandOutCompute,
    uow: UnitOfWork,
    messenger: Messenger,
    settings: Settings,
    organizers: Organizers,
    updates: Refresher,
    bot_user_id: str,
) -> None:
    hand_out(cmd, uow, messenger, settings, organizers, updates, bot_user_id)


def _official_in_order(uow: UnitOfWork) -> list[Proposal]:
    official = uow.memberships.official_teams()
    order = sorted(official, key=lambda pid: (official[pid][1], pid))
    proposals = uow.proposals.get_many(order)
    return [
        proposals[pid]
        for pid in order
        if pid in proposals and proposals[pid].status is Status.OFFICIAL
    ]


def _deliver(
    uow: UnitOfWork,
    messenger: Messenger,
    settings: Settings,
    team: Proposal,
    allocation: Allocation,
) -> bool:
    """The allocation's details to each member not sent them yet (and to a private team
    channel). Each send is claimed with a lease and marked sent once Slack took it: a message
    Slack refused, or one a stopped process had claimed, is sent at the next hand-out, after a
    look for the copy an interrupted attempt may have posted."""
    members = uow.memberships.team(team).members
    done = uow.compute.sent_to(allocation.id, team.id)
    pending = uow.compute.unsent(allocation.id, team.id)
    channel = uow.memberships.official_channel(team.id)
    checked = f"channel_checked:{allocation.id}"
    # Asked once per allocation (conversations.info): the details go to a channel only when
    # Slack says it is private. Queued before it is noted as asked, so a stop in between
    # asks again rather than forgetting the channel.
    if channel and channel not in done | pending and not uow.compute.told(team.id, checked):
        if messenger.is_private(channel):
            with uow.writing():
                uow.compute.queue_send(allocation.id, team.id, channel)
            pending.add(channel)
        with uow.writing():
            uow.compute.tell_once(team.id, checked)
    recipients = [m for m in members if m not in done]
    if channel and channel in pending:
        recipients.append(channel)
    delivered = False
    for recipient in recipients:
        with uow.writing():
            claim = uow.compute.claim_send(allocation.id, team.id, recipient, SEND_LEASE)
        if claim is None:
            continue  # sent, or another attempt holds it
        in_channel = recipient == channel
        payload = {"allocation_id": allocation.id, "proposal_id": team.id}
        mark = {"event_type": SENT_EVENT, "event_payload": payload}
        if claim.earlier_attempt is not None:
            answered, found = messenger.find_marked(
                recipient,
                since=claim.earlier_attempt - 5,
                event_type=SENT_EVENT,
                payload=payload,
            )
            if not answered:
                with uow.writing():
                    uow.compute.release_send(claim)
                continue
            if found is not None:
                with uow.writing():
                    uow.compute.mark_sent(claim)
                log.info(
                    "compute_sent_found label=%s proposal_id=%s to=%s",
                    allocation.label,
                    team.id,
                    recipient,
                )
                continue
        text, blocks = compute_message(
            team_name=team.name,
            proposal_id=team.id,
            allocation=allocation,
            hub_org=settings.HUB_ORG,
            in_channel=in_channel,
        )
        if in_channel:
            ts = messenger.post(recipient, text, blocks, metadata=mark)
        else:
            ts = messenger.dm(recipient, text, blocks, metadata=mark)
        if ts is None:
            with uow.writing():
                uow.compute.release_send(claim)
            continue
        with uow.writing():
            uow.compute.mark_sent(claim)
        delivered = True
        log.info("compute_sent label=%s proposal_id=%s to=%s", allocation.label, team.id, recipient)
    return delivered


def _tell_why_not(
    uow: UnitOfWork, messenger: Messenger, settings: Settings, team: Proposal
) -> bool:
    """A team without compute hears why, once: too small, or waiting (and its place)."""
    members = uow.memberships.team(team).members
    if not gets_compute(len(members), settings.COMPUTE_MIN_TEAM_SIZE):
        what, place = TOO_SMALL, 0
    elif not uow.compute.all():
        return False  # no pool loaded (yet): nothing to wait for, nothing to say
    else:
        what = WAITING
        waiting = [t.id for t in _waiting_teams(uow, settings.COMPUTE_MIN_TEAM_SIZE)]
        place = waiting.index(team.id) + 1 if team.id in waiting else 0
    with uow.writing():
        first = uow.compute.tell_once(team.id, what)
    if not first:
        return False
    text = team_told(what, team_name=team.name, minimum=settings.COMPUTE_MIN_TEAM_SIZE, place=place)
    channel = uow.memberships.official_channel(team.id)
    targets = [channel] if channel else members
    reached = [
        (messenger.post(target, text) if channel else messenger.dm(target, text))
        for target in targets
    ]
    if not any(reached):  # nobody heard it (Slack refused or was down): the next pass tells
        with uow.writing():
            uow.compute.forget_told(team.id, what)
        return False
    log.info("compute_told what=%s proposal_id=%s", what, team.id)
    return True


def _waiting_teams(uow: UnitOfWork, minimum: int) -> list[Proposal]:
    return [
        team
        for team in _official_in_order(uow)
        if uow.compute.of_team(team.id) is None
        and gets_compute(len(uow.memberships.team(team).members), minimum)
    ]


def welcome_line(uow: UnitOfWork, settings: Settings, proposal_id: int, size: int) -> str:
    """What `{compute}` says in an official team's welcome, written just before the hand-out
    runs: whether its compute is on its way, or why not. (Plain words; the welcome escapes
    nothing of it because nothing in it comes from a person.)"""
    if not gets_compute(size, settings.COMPUTE_MIN_TEAM_SIZE):
        return team_told(TOO_SMALL, team_name="", minimum=settings.COMPUTE_MIN_TEAM_SIZE)
    ahead = [t for t in _waiting_teams(uow, settings.COMPUTE_MIN_TEAM_SIZE) if t.id != proposal_id]
    if not uow.compute.all():
        return team_told("no_pool", team_name="", minimum=settings.COMPUTE_MIN_TEAM_SIZE)
    if uow.compute.free_count() > len(ahead):
        return team_told("coming", team_name="", minimum=settings.COMPUTE_MIN_TEAM_SIZE)
    return team_told(
        WAITING, team_name="", minimum=settings.COMPUTE_MIN_TEAM_SIZE, place=len(ahead) + 1
    )


def member_left(
    event: MemberLeftOfficialTeam,
    uow: UnitOfWork,
    messenger: Messenger,
    organizers: Organizers,
    updates: Refresher,
) -> None:
    """One who leaves stops being listed; what they were sent cannot be taken back, and the
    organizers hear so (they may want to change the machine's access)."""
    allocation = uow.compute.of_team(event.proposal_id)
    proposal = uow.proposals.get(event.proposal_id)
    updates.mark_homes(organizers.everyone())
    if allocation is None or proposal is None:
        return
    if event.user not in uow.compute.sent_to(allocation.id, event.proposal_id):
        return
    _to_organizers(
        messenger, organizers, left_with_compute_text(event.user, proposal.name, allocation.label)
    )


def official_undone(
    event: OfficialUndone, uow: UnitOfWork, messenger: Messenger, organizers: Organizers
) -> None:
    """An undone official team keeps its allocation (its members have the details; making it
    official again needs no new machine). The organizers are told how to take it back."""
    allocation = uow.compute.of_team(event.proposal_id)
    proposal = uow.proposals.get(event.proposal_id)
    if allocation is None or proposal is None:
        return
    _to_organizers(messenger, organizers, undone_with_compute_text(proposal.name, allocation.label))


def _to_organizers(
    messenger: Messenger, organizers: Organizers, text: str, blocks: list | None = None
) -> None:
    """One message where alerts go: the organizers' channel, or each organizer's DM."""
    for target in organizers.alert_targets():
        if target.startswith(("C", "G")):
            messenger.post(target, text, blocks)
        else:
            messenger.dm(target, text, blocks)


# --- answers ----------------------------------------------------------------------------
def answer(cmd: AnswerCompute, uow: UnitOfWork) -> Answered | Refused:
    with uow:
        proposal = uow.proposals.get(cmd.proposal_id)
        allocation = uow.compute.of_team(cmd.proposal_id)
        if proposal is None or allocation is None:
            return Refused("no_compute")
        if cmd.user not in uow.memberships.team(proposal).members:
            return Refused("not_member", team=proposal.name)
        problem = " ".join(cmd.problem.split())[:PROBLEM_MAX]
        if not cmd.works and not problem:
            return Refused("empty_problem")
        uow.compute.answer(proposal.id, cmd.user, allocation.id, cmd.works, problem)
        uow.emit(ComputeAnswered(proposal.id, cmd.user, cmd.works))
        if not cmd.works:
            uow.emit(ComputeProblemReported(proposal.id, cmd.user, problem))
        uow.commit()
    log.info("compute_answered proposal_id=%s user=%s works=%s", proposal.id, cmd.user, cmd.works)
    return Answered(cmd.works, proposal.name)


def alert_problem(
    event: ComputeProblemReported,
    uow: UnitOfWork,
    messenger: Messenger,
    organizers: Organizers,
) -> None:
    """A problem reaches the organizers at once: one message, with Re-give and Reply."""
    proposal = uow.proposals.get(event.proposal_id)
    allocation = uow.compute.of_team(event.proposal_id)
    if proposal is None or allocation is None:
        return
    text, blocks = problem_alert(
        team_name=proposal.name,
        proposal_id=proposal.id,
        permalink=proposal.permalink,
        label=allocation.label,
        user=event.user,
        problem=event.problem,
    )
    _to_organizers(messenger, organizers, text, blocks)


def refresh_dashboards(event: object, organizers: Organizers, updates: Refresher) -> None:
    updates.mark_homes(organizers.everyone())


def reply(
    cmd: ReplyToProblem, uow: UnitOfWork, messenger: Messenger, organizers: Organizers
) -> Replied | Refused:
    if require_organizer(organizers, cmd.organizer, "compute_reply"):
        return Refused("not_organizer")
    proposal = uow.proposals.get(cmd.proposal_id)
    words = cmd.text.strip()
    if proposal is None or not words:
        return Refused("empty_reply")
    if messenger.dm(cmd.user, reply_text(cmd.organizer, proposal.name, words)) is None:
        return Refused("not_delivered")
    with uow:
        uow.audit.record(cmd.organizer, "compute_reply", proposal.id, None, {"user": cmd.user})
        uow.commit()
    return Replied(cmd.user)


# --- the dashboard's read side ----------------------------------------------------------
def team_compute(uow: UnitOfWork, minimum: int) -> list[TeamCompute]:
    """Per official team, in the order they became official: its allocation's label (never
    the details), who confirmed, who reported a problem, or why it has none."""
    out = []
    for team in _official_in_order(uow):
        members = uow.memberships.team(team).members
        row = TeamCompute(team.id, team.name, team.permalink, members)
        allocation = uow.compute.of_team(team.id)
        if allocation is None:
            row.too_small = not gets_compute(len(members), minimum)
            row.waiting = not row.too_small
        else:
            row.label = allocation.label
            for user, said in uow.compute.answers(team.id, allocation.id).items():
                if user not in members:
                    continue  # one who left stops being listed
                if said.works:
                    row.works.append(user)
                else:
                    row.problems.append((user, said.problem))
        out.append(row)
    return out


COMMANDS = {
    ImportCompute: import_pool,
    AddCompute: add,
    GiveCompute: give,
    TakeCompute: take,
    RegiveCompute: regive,
    FixedCompute: fixed,
    ListCompute: listing,
    HandOutCompute: hand_out_now,
    AnswerCompute: answer,
    ReplyToProblem: reply,
}

EVENTS = {
    TeamMadeOfficial: [hand_out],
    MemberJoinedOfficialTeam: [hand_out],
    MemberLeftOfficialTeam: [member_left],
    OfficialUndone: [official_undone, refresh_dashboards],
    ComputeAdded: [hand_out],
    ComputeReturned: [hand_out],
    ComputeGiven: [hand_out],
    ComputeProblemReported: [alert_problem],
    ComputeAnswered: [refresh_dashboards],
}
