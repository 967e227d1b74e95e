"""The organizers' controls: make official or undo, close or reopen, team sizes, compute, moving
a person between teams, the digest now, the export. Every action is refused to anyone but an
organizer (`require_organizer`), recorded in the audit trail, and shown on the post at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError

from slackbot.blocks.mrkdwn import escape, link, mention
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import ORGANIZER, Signal
from slackbot.services import digest_posting, export
from slackbot.services.alerting import check_alerts
from slackbot.services.joining import after_change, show_change
from slackbot.services.officiating import make_official
from slackbot.services.outcome import Outcome, require_organizer
from slackbot.services.runtime import Runtime
from slackbot.slack.direct_messages import dm

log = logging.getLogger("slackbot.organizing")


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
            refused = require_organizer(rt, organizer, name)
            if refused is not None:
                return refused
            proposal = rt.proposals.get(proposal_id)
            if proposal is None:
                return Outcome(False, f"There is no project #{proposal_id}.")
            outcome = action(rt, organizer, proposal, *args)
            if outcome.ok:
                log.info(
                    "organizer_action action=%s proposal_id=%s by=%s", name, proposal_id, organizer
                )
                show_change(rt, proposal_id, {proposal.proposer_id})
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
        check_alerts(rt, updated, rt.memberships.refresh_size(updated).summary)
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
    refused = require_organizer(rt, organizer, "digest_now")
    if refused is not None:
        return refused
    outcome = digest_posting.post_now(rt)
    rt.audit.record(organizer, "digest_now", None, None, {"outcome": outcome})
    return Outcome(outcome in ("posted", "empty"), f"Digest: {outcome}.")


def send_export(rt: Runtime, organizer: str, fmt: str) -> Outcome:
    """Upload the organizers' sheet to the organizer's DM, and record that they took it."""
    refused = require_organizer(rt, organizer, "export")
    if refused is not None:
        return refused
    export.upload_to_organizer(rt, organizer, fmt)
    rt.audit.record(organizer, "export", None, None, {"format": fmt})
    return Outcome(True, f"The {fmt.upper()} sheet is in your DM with me.")
