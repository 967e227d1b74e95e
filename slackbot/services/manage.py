"""Changing a project after it is posted: the proposer's edit and withdrawal, leaving a team,
and the organizers' controls. Who may do what is checked here, for every call, whatever
surface it came from (a button, a command, or a forged payload).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError

from slackbot.blocks.text import escape, link, mention
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import ORGANIZER, Signal, TeamStatus
from slackbot.domain.validation import Draft, validate
from slackbot.runtime import Runtime
from slackbot.services import digest
from slackbot.services.alerts import check_alerts, recipients
from slackbot.services.notify import dm
from slackbot.services.official import Outcome, make_official
from slackbot.services.teams import after_change

log = logging.getLogger("slackbot.manage")

NOT_ORGANIZER = "Only the organizers can do that."
NOT_PROPOSER = "Only the person who proposed this project can {what} it."


def _refresh(rt: Runtime, proposal_id: int, users: set[str] | None = None) -> None:
    rt.updates.mark(proposal_id)
    rt.updates.mark_homes((users or set()) | rt.organizers.everyone())


def _owned(rt: Runtime, proposal_id: int, user: str, what: str) -> Proposal | Outcome:
    proposal = rt.proposals.get(proposal_id)
    if proposal is None:
        return Outcome(False, "That project does not exist.")
    if proposal.proposer_id != user:
        return Outcome(False, NOT_PROPOSER.format(what=what))
    return proposal


# --- participants -----------------------------------------------------------------------
def edit(rt: Runtime, proposal_id: int, user: str, draft: Draft) -> Outcome:
    """Save the proposer's edit (the database only: `after_edit` does the rest, after the
    ack); field problems come back in `errors`, for the form."""
    found = _owned(rt, proposal_id, user, "edit")
    if isinstance(found, Outcome):
        return found
    if found.status is Status.WITHDRAWN:
        return Outcome(False, "This proposal was withdrawn; it cannot be edited.")
    errors = validate(draft)
    if errors:
        return Outcome(False, "Some answers need a change.", errors=errors)
    updated = rt.proposals.update_answers(proposal_id, draft)
    log.info("proposal_edited proposal_id=%s user=%s", proposal_id, user)
    return Outcome(
        True, f"*{escape(updated.name)}* is updated: {link(updated.permalink, 'view it')}"
    )


def after_edit(rt: Runtime, proposal_id: int, user: str) -> None:
    """An edit's consequences: a lower minimum may be met now; the post and Home tabs show it."""
    updated = rt.proposals.get(proposal_id)
    if updated is None:
        return
    check_alerts(rt, updated, rt.memberships.team(updated))
    _refresh(rt, proposal_id, {user})


def withdraw(rt: Runtime, proposal_id: int, user: str) -> Outcome:
    found = _owned(rt, proposal_id, user, "withdraw")
    if isinstance(found, Outcome):
        return found
    if not (found.is_live or found.status is Status.PENDING):
        return Outcome(False, f"This proposal is already {found.status.value}.")
    team = rt.memberships.team(found)
    rt.proposals.set_status(proposal_id, Status.WITHDRAWN)
    log.info("proposal_withdrawn proposal_id=%s", proposal_id)
    if team.status in (TeamStatus.READY, TeamStatus.FULL, TeamStatus.OFFICIAL):
        for target in recipients(rt):
            dm(
                rt.client,
                target,
                f":wastebasket: {link(found.permalink, found.name)} was withdrawn by its proposer "
                f"({team.status.value} team of {team.size}).",
            )
    _refresh(rt, proposal_id, set(team.members + team.waitlist))
    return Outcome(True, f"*{escape(found.name)}* is withdrawn; reactions no longer count.")


def leave(rt: Runtime, proposal_id: int, user: str) -> Outcome:
    proposal = rt.proposals.get(proposal_id)
    if proposal is None:
        return Outcome(False, "That project does not exist.")
    if proposal.proposer_id == user:
        return Outcome(False, "You proposed this project: withdraw it instead of leaving.")
    change = rt.memberships.leave(proposal, user)
    after_change(rt, proposal, change)
    rt.updates.mark_homes({user})
    return Outcome(True, f"You left *{escape(proposal.name)}*.")


def is_person(rt: Runtime, user: str) -> bool:
    """A member of the workspace (not a bot, not deactivated), as Slack says (users.info)."""
    try:
        found = rt.client.users_info(user=user)["user"]
    except SlackApiError:
        return False
    return not (found.get("deleted") or found.get("is_bot"))


# --- organizers -------------------------------------------------------------------------
def _organizer_action(
    name: str,
) -> Callable[[Callable[..., Outcome]], Callable[..., Outcome]]:
    """Every organizer action: refused for anyone else, logged, and the post refreshed."""

    def decorate(action: Callable[..., Outcome]) -> Callable[..., Outcome]:
        def run(rt: Runtime, organizer: str, proposal_id: int, *args: object) -> Outcome:
            if not rt.is_organizer(organizer):
                log.info("organizer_action_refused action=%s user=%s", name, organizer)
                return Outcome(False, NOT_ORGANIZER)
            proposal = rt.proposals.get(proposal_id)
            if proposal is None:
                return Outcome(False, f"There is no project #{proposal_id}.")
            outcome = action(rt, organizer, proposal, *args)
            if outcome.ok:
                log.info(
                    "organizer_action action=%s proposal_id=%s by=%s", name, proposal_id, organizer
                )
                _refresh(rt, proposal_id, {proposal.proposer_id})
            return outcome

        return run

    return decorate


def official(rt: Runtime, organizer: str, proposal_id: int) -> Outcome:
    return make_official(rt, proposal_id, organizer)


@_organizer_action("undo_official")
def undo_official(rt: Runtime, organizer: str, proposal: Proposal) -> Outcome:
    if proposal.status is not Status.OFFICIAL:
        return Outcome(False, f"*{escape(proposal.name)}* is not official.")
    with rt.store.transaction():
        rt.memberships.undo_official(proposal.id)
        rt.proposals.set_status(proposal.id, Status.OPEN)
        rt.audit.record(
            organizer, "undo_official", proposal.id, {"status": "official"}, {"status": "open"}
        )
    return Outcome(True, f"*{escape(proposal.name)}* is open again (its channel is kept).")


@_organizer_action("close")
def close(rt: Runtime, organizer: str, proposal: Proposal) -> Outcome:
    if not proposal.is_live:
        return Outcome(False, f"*{escape(proposal.name)}* is {proposal.status.value}.")
    rt.proposals.set_status(proposal.id, Status.CLOSED)
    rt.audit.record(
        organizer, "close", proposal.id, {"status": proposal.status.value}, {"status": "closed"}
    )
    return Outcome(True, f"*{escape(proposal.name)}* is closed.")


@_organizer_action("reopen")
def reopen(rt: Runtime, organizer: str, proposal: Proposal) -> Outcome:
    if proposal.status not in (Status.CLOSED, Status.WITHDRAWN):
        return Outcome(False, f"*{escape(proposal.name)}* is {proposal.status.value}, not closed.")
    back = Status.OFFICIAL if rt.memberships.made_official_by(proposal.id) else Status.OPEN
    rt.proposals.set_status(proposal.id, back)
    rt.audit.record(
        organizer, "reopen", proposal.id, {"status": proposal.status.value}, {"status": back.value}
    )
    return Outcome(True, f"*{escape(proposal.name)}* is {back.value} again.")


@_organizer_action("set_limits")
def set_limits(
    rt: Runtime, organizer: str, proposal: Proposal, minimum: int, maximum: int
) -> Outcome:
    if not 2 <= minimum <= maximum <= 100:
        return Outcome(False, "Sizes must satisfy 2 <= threshold <= max <= 100.")
    before = {"threshold": proposal.min_team_size, "max": proposal.max_team_size}
    rt.proposals.set_limits(proposal.id, minimum, maximum)
    rt.audit.record(
        organizer, "set_limits", proposal.id, before, {"threshold": minimum, "max": maximum}
    )
    updated = rt.proposals.get(proposal.id)
    if updated is not None:
        check_alerts(rt, updated, rt.memberships.refresh_size(updated))
    return Outcome(True, f"*{escape(proposal.name)}*: threshold {minimum}, max {maximum}.")


@_organizer_action("set_compute")
def set_compute(rt: Runtime, organizer: str, proposal: Proposal, compute: str) -> Outcome:
    rt.proposals.set_compute(proposal.id, compute.strip()[:500])
    rt.audit.record(
        organizer,
        "set_compute",
        proposal.id,
        {"compute": proposal.compute},
        {"compute": compute.strip()[:500]},
    )
    return Outcome(True, f"Compute for *{escape(proposal.name)}*: {escape(compute.strip()[:500])}")


@_organizer_action("move")
def move(rt: Runtime, organizer: str, proposal: Proposal, user: str, to_id: int) -> Outcome:
    target = rt.proposals.get(to_id)
    if target is None or not target.is_live:
        return Outcome(False, f"Project #{to_id} does not take members.")
    if user in (proposal.proposer_id, target.proposer_id):
        return Outcome(False, "A proposer cannot be moved out of or into their own project.")
    if not is_person(rt, user):
        return Outcome(False, "I cannot find that person in this workspace.")
    now = time.time()
    after_change(rt, proposal, rt.memberships.leave(proposal, user, now))
    after_change(rt, target, rt.memberships.apply(target, Signal(user, ORGANIZER, True, now)))
    rt.audit.record(
        organizer,
        "move",
        proposal.id,
        {"user": user, "project": proposal.id},
        {"user": user, "project": target.id},
    )
    rt.updates.mark(target.id)
    dm(
        rt.client,
        user,
        f"An organizer moved you from {link(proposal.permalink, proposal.name)} "
        f"to {link(target.permalink, target.name)}.",
    )
    return Outcome(True, f"{mention(user)} moved to *{escape(target.name)}*.")


def post_digest_now(rt: Runtime, organizer: str) -> Outcome:
    if not rt.is_organizer(organizer):
        return Outcome(False, NOT_ORGANIZER)
    outcome = digest.post_now(rt)
    rt.audit.record(organizer, "digest_now", None, None, {"outcome": outcome})
    return Outcome(outcome in ("posted", "empty"), f"Digest: {outcome}.")
