"""Organizer alerts: exactly once per project and kind, and exactly once per organizer.

A team reaching its threshold (or over-subscribed) claims its alert once: flapping around the
threshold, redelivered events, restarts and a second process all find the claim and stay
quiet. Each recipient (an organizer's DM, or the organizers' channel) has its own delivery:
one that fails is retried with backoff until it is in Slack or the alert is moot (the team is
official, withdrawn or closed), without sending again to those who have it. Each alert carries
message metadata, so an attempt cut short by a crash is found in the recipient's history
instead of being posted twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from slackbot.blocks.organizer_alert import alert_message
from slackbot.config import Settings
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import Team, TeamStatus, TeamSummary
from slackbot.machinery.refresher import Refresher
from slackbot.services.directory import OrganizerDirectory
from slackbot.services.ports import Messenger
from slackbot.store.alert_records import Alerts, Delivery
from slackbot.store.notices import REMINDER, Notices
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.alerts")

THRESHOLD = "threshold"
OVERSUBSCRIBED = "oversubscribed"
METADATA_EVENT = "community_week_alert"
SENDING_LEASE = 300.0  # longer than one chat.postMessage with its retries can take
RETRY_CAP = 900.0  # a failed delivery is tried again after RETRY_DELAY_SECONDS, doubling to this


@dataclass(frozen=True)
class DeliverAlerts:
    """Send every alert delivery that is due (the scheduler's catch-up)."""

    proposal_id: int | None = None


@dataclass(frozen=True)
class RemindNotYet:
    """Raise again the teams left at "Not yet" for a whole period (`now`: the clock's)."""

    now: float | None = None


def claim_alerts(
    uow: UnitOfWork, organizers: OrganizerDirectory, proposal: Proposal, team: TeamSummary
) -> bool:
    """Claim the alerts this team now calls for (in the caller's unit of work, if any); True
    if one was claimed, to be sent with `deliver_due`."""
    if team.status in (TeamStatus.WITHDRAWN, TeamStatus.CLOSED):
        return False
    ready = team.status is not TeamStatus.OFFICIAL and team.size >= team.threshold
    claimed = False
    if ready or team.waiting:
        targets = alert_recipients(organizers)
        records: Alerts = uow.alerts
        if ready:
            claimed |= records.claim(proposal.id, THRESHOLD, targets)
        if team.waiting:
            claimed |= records.claim(proposal.id, OVERSUBSCRIBED, targets)
    return claimed


def alert_if_due(
    uow: UnitOfWork,
    organizers: OrganizerDirectory,
    updates: Refresher,
    proposal: Proposal,
    team: TeamSummary,
) -> None:
    """Claim what this team calls for, and wake the alert sender if anything was."""
    with uow:  # the caller's, if it holds one
        claimed = claim_alerts(uow, organizers, proposal, team)
        uow.commit()
    if claimed:
        updates.alerts_due()


def alert_recipients(organizers: OrganizerDirectory) -> list[str]:
    targets = organizers.alert_targets()
    if not targets:
        log.warning("alert_without_organizers")
    return targets


def _doubles(uow: UnitOfWork, proposal: Proposal, team: Team) -> dict[str, list[str]]:
    official = uow.memberships.official_members(exclude_proposal=proposal.id)
    out: dict[str, list[str]] = {}
    for user in team.members:
        names = []
        for pid in official.get(user, []):
            other = uow.proposals.get(pid)
            if other is not None:
                names.append(other.name)
        if names:
            out[user] = names
    return out


def render_alert(
    uow: UnitOfWork, proposal: Proposal, kind: str
) -> tuple[str, list[dict[str, object]]]:
    team = uow.memberships.team(proposal)
    records: Alerts = uow.alerts
    decision = records.decision(proposal.id, THRESHOLD)
    seconds = [t for t in uow.proposals.second_teams(proposal.id) if t.second_of == proposal.id]
    return alert_message(
        proposal,
        team,
        kind=kind,
        doubles=_doubles(uow, proposal, team),
        decided=None if decision is None else (decision.outcome, decision.by, decision.at),
        second=seconds[0] if seconds else None,
        second_members=uow.memberships.team(seconds[0]).members if seconds else None,
    )


def _moot(proposal: Proposal | None, kind: str) -> bool:
    """No longer worth telling: the project is gone, or (for "ready") already decided. An
    official team that is over-subscribed is still news (a second team?)."""
    if proposal is None or proposal.status in (Status.WITHDRAWN, Status.CLOSED):
        return True
    return kind == THRESHOLD and proposal.status is Status.OFFICIAL


def deliver_alerts(
    cmd: DeliverAlerts,
    uow: UnitOfWork,
    messenger: Messenger,
    organizers: OrganizerDirectory,
    settings: Settings,
    updates: Refresher,
) -> int:
    return deliver_due(
        uow=uow,
        messenger=messenger,
        organizers=organizers,
        settings=settings,
        updates=updates,
        proposal_id=cmd.proposal_id,
    )


def deliver_due(
    keep_going: Callable[[], bool] = lambda: True,
    *,
    uow: UnitOfWork,
    messenger: Messenger,
    organizers: OrganizerDirectory,
    settings: Settings,
    updates: Refresher,
    proposal_id: int | None = None,
) -> int:
    """Attempt every due delivery (of one project, or all), while `keep_going` says so (a
    stopping process leaves the rest for the next); returns how many reached Slack."""
    store: Alerts = uow.alerts
    for pid, kind in store.without_deliveries():
        with uow.writing():
            store.add_recipients(pid, kind, alert_recipients(organizers))
    sent = 0
    for due in store.due(proposal_id=proposal_id):
        if not keep_going():
            break
        with uow.writing():
            attempt = store.start_sending(due, SENDING_LEASE)
        if attempt is not None and _attempt(attempt, uow, messenger, settings, updates):
            sent += 1
    return sent


def _attempt(
    d: Delivery, uow: UnitOfWork, messenger: Messenger, settings: Settings, updates: Refresher
) -> bool:
    store: Alerts = uow.alerts
    proposal = uow.proposals.get(d.proposal_id)
    if _moot(proposal, d.kind):
        with uow.writing():
            store.moot(d)
        log.info("alert_moot proposal_id=%s kind=%s to=%s", d.proposal_id, d.kind, d.recipient)
        return False
    assert proposal is not None
    found, error = _find_earlier(messenger, d) if d.attempts > 0 else (None, None)
    if found is not None:
        channel, ts = found
        log.info("alert_adopted proposal_id=%s to=%s ts=%s", d.proposal_id, d.recipient, ts)
    elif error is None:
        text, blocks = render_alert(uow, proposal, d.kind)
        posted = messenger.send(
            d.recipient,
            text,
            blocks,
            metadata={
                "event_type": METADATA_EVENT,
                "event_payload": {"proposal_id": d.proposal_id, "kind": d.kind},
            },
        )
        channel, ts, error = posted.channel or "", posted.ts or "", posted.error
    if error is not None:
        delay = min(RETRY_CAP, settings.RETRY_DELAY_SECONDS * 2 ** min(d.attempts, 10))
        with uow.writing():
            store.failed(d, time.time() + delay)
        log.warning(
            "alert_failed proposal_id=%s kind=%s to=%s attempt=%s retry_in=%ss error=%s",
            d.proposal_id,
            d.kind,
            d.recipient,
            d.attempts + 1,
            delay,
            error,
        )
        return False
    with uow.writing():
        store.sent(d, channel, ts)
    log.info(
        "organizer_alert_sent proposal_id=%s kind=%s to=%s", d.proposal_id, d.kind, d.recipient
    )
    if found is None:
        # The team changed while the alert was on its way (its copies were redrawn before this
        # one was recorded): redraw it too, within chat.update's budget.
        now = uow.proposals.get(d.proposal_id)
        if now is not None and render_alert(uow, now, d.kind) != (text, blocks):
            updates.mark_alerts(d.proposal_id)
    return True


def _find_earlier(messenger: Messenger, d: Delivery) -> tuple[tuple[str, str] | None, str | None]:
    """The alert an earlier, interrupted attempt may have posted: its (channel, ts), or why
    Slack could not say (then nothing is posted: the next attempt looks again)."""
    channel = d.recipient
    if not channel.startswith(("C", "G", "D")):
        opened = messenger.open_dm(d.recipient)
        if opened is None:
            return None, "conversations.open failed"
        channel = opened
    answered, ts = messenger.find_marked(
        channel,
        since=(d.sending_since or time.time()) - 5,
        event_type=METADATA_EVENT,
        payload={"proposal_id": d.proposal_id, "kind": d.kind},
    )
    if not answered:
        return None, "conversations.history failed"
    return (None if ts is None else (channel, ts)), None


def redraw_alerts(
    proposal_id: int,
    may_send: Callable[[], bool] | None = None,
    *,
    uow: UnitOfWork,
    messenger: Messenger,
) -> bool:
    """Show the current team and every organizer's decision on every copy of the alerts.
    With `may_send` (the refresher's budget check, which never waits), stop at the first copy
    it refuses; returns whether every copy was sent."""
    proposal = uow.proposals.get(proposal_id)
    if proposal is None:
        return True
    records: Alerts = uow.alerts
    for kind, channel, ts in records.messages(proposal_id):
        if may_send is not None and not may_send():
            return False
        text, blocks = render_alert(uow, proposal, kind)
        if not messenger.update(channel, ts, text, blocks):
            log.warning("alert_update_failed proposal_id=%s", proposal_id)
    return True


def record_decision(uow: UnitOfWork, proposal_id: int, organizer: str, outcome: str) -> None:
    """What an organizer decided of a team's "ready" alert (shown on every copy)."""
    with uow.writing():
        records: Alerts = uow.alerts
        records.decide(proposal_id, THRESHOLD, organizer, outcome)


def remind(
    cmd: RemindNotYet, uow: UnitOfWork, settings: Settings, organizers: OrganizerDirectory
) -> int:
    return raise_not_yet_again(uow=uow, settings=settings, organizers=organizers, now=cmd.now)


def raise_not_yet_again(
    *,
    uow: UnitOfWork,
    settings: Settings,
    organizers: OrganizerDirectory,
    now: float | None = None,
) -> int:
    """A team left at "Not yet" is raised again to the organizers after REALERT_HOURS, once
    per period (whatever the processes: the period's claim is one row update), while it still
    waits for them. Returns how many teams were raised."""
    now = time.time() if now is None else now
    period = settings.REALERT_HOURS * 3600
    quiet_since = now - period
    raised = 0
    records: Alerts = uow.alerts
    for proposal_id in records.left_at_not_yet(THRESHOLD, quiet_since):
        proposal = uow.proposals.get(proposal_id)
        if proposal is None or proposal.status is not Status.OPEN:
            continue
        if uow.memberships.summary(proposal).status not in (TeamStatus.READY, TeamStatus.FULL):
            continue
        with uow:
            if not records.claim_reminder(proposal.id, THRESHOLD, quiet_since, now):
                continue
            outbox: Notices = uow.notices
            for organizer in sorted(organizers.everyone()):
                outbox.add(organizer, proposal.id, REMINDER)
            uow.commit()
        raised += 1
        log.info("not_yet_raised_again proposal_id=%s", proposal.id)
    return raised


COMMANDS = {
    DeliverAlerts: deliver_alerts,
    RemindNotYet: remind,
}
