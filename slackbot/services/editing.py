"""A participant changing a project after it is posted: the proposer's edit and withdrawal,
and leaving a team. Who may do what is checked here, for every call, whatever surface it came
from (a button, a command, or a forged payload).

Commands: `EditProposal` (the form's acknowledgement: the database only), `AfterEdit` (what
an edit changes beyond the proposal, after the ack), `Withdraw` and `LeaveTeam`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from slackbot.blocks.replies import withdrawn_notice
from slackbot.domain.answers import Answer, Linked, say
from slackbot.domain.hub import hub_refs, model_refs, model_tasks
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import TeamStatus
from slackbot.domain.validation import Draft, validate
from slackbot.machinery.refresher import Refresher
from slackbot.services.alerting import claim_alerts
from slackbot.services.directory import OrganizerDirectory
from slackbot.services.hub_checks import HubChecks
from slackbot.services.joining import record_change, show_change
from slackbot.services.outcome import Outcome
from slackbot.services.ports import Messenger
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.editing")


# --- commands -----------------------------------------------------------------------------
@dataclass(frozen=True)
class EditProposal:
    """The proposer's edit, submitted from the form."""

    user: str
    proposal_id: int
    draft: Draft


@dataclass(frozen=True)
class AfterEdit:
    """What an edit changes beyond the proposal (deferred after the form's ack)."""

    user: str
    proposal_id: int


@dataclass(frozen=True)
class Withdraw:
    user: str
    proposal_id: int


@dataclass(frozen=True)
class LeaveTeam:
    user: str
    proposal_id: int
    at: float | None = None  # the click's time in Slack (None: now)


# --- handlers -----------------------------------------------------------------------------
def _owned(uow: UnitOfWork, proposal_id: int, user: str, what: str) -> Proposal | Outcome:
    proposal: Proposal | None = uow.proposals.get(proposal_id)
    if proposal is None:
        return Outcome(False, say(Answer.NO_SUCH_PROJECT))
    if proposal.proposer_id != user:
        return Outcome(False, say(Answer.NOT_PROPOSER, what=what))
    return proposal


def edit(cmd: EditProposal, uow: UnitOfWork, hub: HubChecks) -> Outcome:
    """Save the proposer's edit (the database only: `AfterEdit` does the rest, after the
    ack); field problems come back in `errors`, for the form."""
    with uow:
        found = _owned(uow, cmd.proposal_id, cmd.user, "edit")
        if isinstance(found, Outcome):
            return found
        if found.status is Status.WITHDRAWN:
            return Outcome(False, say(Answer.WITHDRAWN_NO_EDIT))
        errors = validate(cmd.draft)
        if errors:
            return Outcome(False, say(Answer.NEEDS_CHANGES), errors=errors)
        # The Hub's task of the model tells the idea's modality: from the cache only (this is
        # the form's acknowledgement); `AfterEdit` asks the Hub for what the cache does not
        # hold.
        tasks = model_tasks(cmd.draft.get("model"), hub.known(hub_refs(cmd.draft.answers)))
        updated = uow.proposals.update_answers(cmd.proposal_id, cmd.draft, model_tasks=tasks)
        uow.commit()
    log.info("proposal_edited proposal_id=%s user=%s", cmd.proposal_id, cmd.user)
    post = Linked(updated.permalink, "view it")
    return Outcome(True, say(Answer.EDITED, name=updated.name, post=post))


def own_draft(uow: UnitOfWork, proposal_id: int, user: str) -> Draft | None:
    """The answers of `user`'s own proposal, to edit (None: not theirs, or gone)."""
    proposal: Proposal | None = uow.proposals.get(proposal_id)
    if proposal is None or proposal.proposer_id != user:
        return None
    return proposal.draft


def after_edit(
    cmd: AfterEdit,
    uow: UnitOfWork,
    hub: HubChecks,
    organizers: OrganizerDirectory,
    updates: Refresher,
) -> None:
    """An edit's consequences: a lower minimum may be met now; the post and Home tabs show it."""
    with uow:
        updated: Proposal | None = uow.proposals.get(cmd.proposal_id)
        if updated is None:
            return
        claimed = claim_alerts(uow, organizers, updated, uow.memberships.summary(updated))
        uow.commit()
    if claimed:
        updates.alerts_due()
    show_change(updates, organizers, cmd.proposal_id, {cmd.user})
    models = model_refs(updated.answers.get("model", ""))
    if any(ref.key not in hub.known(models) for ref in models):
        hub.when_known(models, partial(rederive_idea, cmd.proposal_id, uow=uow, hub=hub))


def rederive_idea(proposal_id: int, *, uow: UnitOfWork, hub: HubChecks) -> None:
    """The Hub answered after the edit was stored: the idea takes the model's task from it
    (on the Hub asker's thread; the post redraws itself, see posting.render)."""
    with uow:
        proposal: Proposal | None = uow.proposals.get(proposal_id)
        if proposal is None:
            return
        known = hub.known(hub_refs(proposal.answers))
        tasks = model_tasks(proposal.answers.get("model", ""), known)
        changed = uow.proposals.rederive_idea(proposal_id, tasks)
        uow.commit()
    if changed:
        log.info("proposal_idea_rederived proposal_id=%s tasks=%s", proposal_id, ",".join(tasks))


def withdraw(
    cmd: Withdraw,
    uow: UnitOfWork,
    messenger: Messenger,
    organizers: OrganizerDirectory,
    updates: Refresher,
) -> Outcome:
    with uow:
        found = _owned(uow, cmd.proposal_id, cmd.user, "withdraw")
        if isinstance(found, Outcome):
            return found
        if not (found.is_live or found.status is Status.PENDING):
            return Outcome(False, say(Answer.ALREADY_STATUS, status=found.status.value))
        team = uow.memberships.team(found)
        uow.proposals.set_status(cmd.proposal_id, Status.WITHDRAWN)
        uow.commit()
    log.info("proposal_withdrawn proposal_id=%s", cmd.proposal_id)
    if team.status in (TeamStatus.READY, TeamStatus.FULL, TeamStatus.OFFICIAL):
        targets = organizers.alert_targets()
        if not targets:
            log.warning("alert_without_organizers")
        for target in targets:
            messenger.dm(target, withdrawn_notice(found, team))
    show_change(updates, organizers, cmd.proposal_id, set(team.members + team.waitlist))
    return Outcome(True, say(Answer.WITHDRAWN, name=found.name))


def leave(
    cmd: LeaveTeam, uow: UnitOfWork, organizers: OrganizerDirectory, updates: Refresher
) -> Outcome:
    """Leave a team (the proposer cannot); `TeamChanged` is heard once the change commits."""
    with uow:
        proposal: Proposal | None = uow.proposals.get(cmd.proposal_id)
        if proposal is None:
            return Outcome(False, say(Answer.NO_SUCH_PROJECT))
        if proposal.proposer_id == cmd.user:
            return Outcome(False, say(Answer.PROPOSER_CANNOT_LEAVE))
        change = uow.memberships.leave(proposal, cmd.user, cmd.at)
        record_change(uow, updates, organizers, proposal, change)
        uow.commit()
    updates.mark_homes({cmd.user})
    if not change.left and not change.unqueued:
        return Outcome(True, say(Answer.NOT_IN_TEAM, name=proposal.name))
    return Outcome(True, say(Answer.LEFT, name=proposal.name))


COMMANDS = {
    EditProposal: edit,
    AfterEdit: after_edit,
    Withdraw: withdraw,
    LeaveTeam: leave,
}
