"""A participant changing a project after it is posted: the proposer's edit and withdrawal,
and leaving a team. Who may do what is checked here, for every call, whatever surface it came
from (a button, a command, or a forged payload).
"""

from __future__ import annotations

import logging
from functools import partial

from slackbot.blocks.replies import withdrawn_notice
from slackbot.domain.answers import Answer, Linked, say
from slackbot.domain.hub import hub_refs, model_refs, model_tasks
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import TeamStatus
from slackbot.domain.validation import Draft, validate
from slackbot.services.alerting import check_alerts, recipients
from slackbot.services.joining import record_change, show_change
from slackbot.services.outcome import Outcome
from slackbot.services.runtime import Runtime
from slackbot.slack.direct_messages import dm

log = logging.getLogger("slackbot.editing")


def _owned(rt: Runtime, proposal_id: int, user: str, what: str) -> Proposal | Outcome:
    proposal = rt.proposals.get(proposal_id)
    if proposal is None:
        return Outcome(False, say(Answer.NO_SUCH_PROJECT))
    if proposal.proposer_id != user:
        return Outcome(False, say(Answer.NOT_PROPOSER, what=what))
    return proposal


# --- participants -----------------------------------------------------------------------
def edit(rt: Runtime, proposal_id: int, user: str, draft: Draft) -> Outcome:
    """Save the proposer's edit (the database only: `after_edit` does the rest, after the
    ack); field problems come back in `errors`, for the form."""
    found = _owned(rt, proposal_id, user, "edit")
    if isinstance(found, Outcome):
        return found
    if found.status is Status.WITHDRAWN:
        return Outcome(False, say(Answer.WITHDRAWN_NO_EDIT))
    errors = validate(draft)
    if errors:
        return Outcome(False, say(Answer.NEEDS_CHANGES), errors=errors)
    # The Hub's task of the model tells the idea's modality: from the cache only (this is the
    # form's acknowledgement); `after_edit` asks the Hub for what the cache does not hold.
    tasks = model_tasks(draft.get("model"), rt.hub.known(hub_refs(draft.answers)))
    updated = rt.proposals.update_answers(proposal_id, draft, model_tasks=tasks)
    log.info("proposal_edited proposal_id=%s user=%s", proposal_id, user)
    post = Linked(updated.permalink, "view it")
    return Outcome(True, say(Answer.EDITED, name=updated.name, post=post))


def own_draft(rt: Runtime, proposal_id: int, user: str) -> Draft | None:
    """The answers of `user`'s own proposal, to edit (None: not theirs, or gone)."""
    proposal = rt.proposals.get(proposal_id)
    if proposal is None or proposal.proposer_id != user:
        return None
    return proposal.draft


def after_edit(rt: Runtime, proposal_id: int, user: str) -> None:
    """An edit's consequences: a lower minimum may be met now; the post and Home tabs show it."""
    updated = rt.proposals.get(proposal_id)
    if updated is None:
        return
    check_alerts(rt, updated, rt.memberships.summary(updated))
    show_change(rt.updates, rt.organizers, proposal_id, {user})
    models = model_refs(updated.answers.get("model", ""))
    if any(ref.key not in rt.hub.known(models) for ref in models):
        rt.hub.when_known(models, partial(rederive_idea, rt, proposal_id))


def rederive_idea(rt: Runtime, proposal_id: int) -> None:
    """The Hub answered after the edit was stored: the idea takes the model's task from it
    (on the Hub asker's thread; the post redraws itself, see posting.render)."""
    proposal = rt.proposals.get(proposal_id)
    if proposal is None:
        return
    tasks = model_tasks(proposal.answers.get("model", ""), rt.hub.known(hub_refs(proposal.answers)))
    if rt.proposals.rederive_idea(proposal_id, tasks):
        log.info("proposal_idea_rederived proposal_id=%s tasks=%s", proposal_id, ",".join(tasks))


def withdraw(rt: Runtime, proposal_id: int, user: str) -> Outcome:
    found = _owned(rt, proposal_id, user, "withdraw")
    if isinstance(found, Outcome):
        return found
    if not (found.is_live or found.status is Status.PENDING):
        return Outcome(False, say(Answer.ALREADY_STATUS, status=found.status.value))
    team = rt.memberships.team(found)
    with rt.uow.writing():
        rt.uow.proposals.set_status(proposal_id, Status.WITHDRAWN)
    log.info("proposal_withdrawn proposal_id=%s", proposal_id)
    if team.status in (TeamStatus.READY, TeamStatus.FULL, TeamStatus.OFFICIAL):
        for target in recipients(rt):
            dm(rt.client, target, withdrawn_notice(found, team))
    show_change(rt.updates, rt.organizers, proposal_id, set(team.members + team.waitlist))
    return Outcome(True, say(Answer.WITHDRAWN, name=found.name))


def leave(rt: Runtime, proposal_id: int, user: str, at: float | None = None) -> Outcome:
    proposal = rt.proposals.get(proposal_id)
    if proposal is None:
        return Outcome(False, say(Answer.NO_SUCH_PROJECT))
    if proposal.proposer_id == user:
        return Outcome(False, say(Answer.PROPOSER_CANNOT_LEAVE))
    with rt.uow:
        change = rt.uow.memberships.leave(proposal, user, at)
        record_change(rt.uow, rt.updates, rt.organizers, proposal, change)
        rt.uow.commit()
    rt.bus.publish_committed()
    rt.updates.mark_homes({user})
    if not change.left and not change.unqueued:
        return Outcome(True, say(Answer.NOT_IN_TEAM, name=proposal.name))
    return Outcome(True, say(Answer.LEFT, name=proposal.name))
