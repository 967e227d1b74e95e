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
from typing import cast

from slack_sdk.errors import SlackApiError

from slackbot.blocks.dates import slack_date
from slackbot.blocks.mrkdwn import escape, mention
from slackbot.blocks.organizer_alert import alert_message
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import Team, TeamStatus, TeamSummary
from slackbot.services.directory import OrganizerDirectory
from slackbot.services.runtime import Runtime
from slackbot.slack.direct_messages import DELIVERY_ERRORS
from slackbot.slack.message_lookup import find_marked
from slackbot.store.alert_records import Alerts, Delivery
from slackbot.store.notices import REMINDER, Notices
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.alerts")

THRESHOLD = "threshold"
OVERSUBSCRIBED = "oversubscribed"
METADATA_EVENT = "community_week_alert"
SENDING_LEASE = 300.0  # longer than one chat.postMessage with its retries can take
RETRY_CAP = 900.0  # a failed delivery is tried again after RETRY_DELAY_SECONDS, doubling to this


def alerts(rt: Runtime) -> Alerts:
    return cast(Alerts, rt.uow.alerts)


def claim_alerts(
    uow: UnitOfWork, organizers: OrganizerDirectory, proposal: Proposal, team: TeamSummary
) -> bool:
    """Claim the alerts this team now calls for (in the caller's unit of work, if any); True
    if one was claimed, to be sent with `deliver`."""
    if team.status in (TeamStatus.WITHDRAWN, TeamStatus.CLOSED):
        return False
    ready = team.status is not TeamStatus.OFFICIAL and team.size >= team.threshold
    claimed = False
    if ready or team.waiting:
        targets = _targets(organizers)
        records: Alerts = uow.alerts
        if ready:
            claimed |= records.claim(proposal.id, THRESHOLD, targets)
        if team.waiting:
            claimed |= records.claim(proposal.id, OVERSUBSCRIBED, targets)
    return claimed


def check_alerts(rt: Runtime, proposal: Proposal, team: TeamSummary) -> None:
    if claim_alerts(rt.uow, rt.organizers, proposal, team):
        rt.updates.alerts_due()


def recipients(rt: Runtime) -> list[str]:
    return _targets(rt.organizers)


def _targets(organizers: OrganizerDirectory) -> list[str]:
    targets = organizers.alert_targets()
    if not targets:
        log.warning("alert_without_organizers")
    return targets


def _doubles(rt: Runtime, proposal: Proposal, team: Team) -> dict[str, list[str]]:
    official = rt.memberships.official_members(exclude_proposal=proposal.id)
    out: dict[str, list[str]] = {}
    for user in team.members:
        names = []
        for pid in official.get(user, []):
            other = rt.proposals.get(pid)
            if other is not None:
                names.append(f"“{escape(other.name)}”")
        if names:
            out[user] = names
    return out


def render_alert(rt: Runtime, proposal: Proposal, kind: str) -> tuple[str, list[dict[str, object]]]:
    team = rt.memberships.team(proposal)
    decision = alerts(rt).decision(proposal.id, THRESHOLD)
    handled = None
    if decision is not None:
        when = slack_date(decision.at)
        verb = {"official": ":white_check_mark: Made official", "not_yet": ":hourglass: Not yet"}
        action = verb.get(decision.outcome, escape(decision.outcome))
        handled = f"{action} by {mention(decision.by)}, {when}"
    seconds = [t for t in rt.proposals.second_teams(proposal.id) if t.second_of == proposal.id]
    return alert_message(
        proposal,
        team,
        kind=kind,
        doubles=_doubles(rt, proposal, team),
        handled=handled,
        second=seconds[0] if seconds else None,
        second_members=rt.memberships.team(seconds[0]).members if seconds else None,
    )


def _moot(proposal: Proposal | None, kind: str) -> bool:
    """No longer worth telling: the project is gone, or (for "ready") already decided. An
    official team that is over-subscribed is still news (a second team?)."""
    if proposal is None or proposal.status in (Status.WITHDRAWN, Status.CLOSED):
        return True
    return kind == THRESHOLD and proposal.status is Status.OFFICIAL


def deliver(
    rt: Runtime,
    proposal_id: int | None = None,
    *,
    keep_going: Callable[[], bool] = lambda: True,
) -> int:
    """Attempt every due delivery (of one project, or all), while `keep_going` says so (a
    stopping process leaves the rest for the next); returns how many reached Slack."""
    store = alerts(rt)
    for pid, kind in store.without_deliveries():
        store.add_recipients(pid, kind, recipients(rt))
    sent = 0
    for due in store.due(proposal_id=proposal_id):
        if not keep_going():
            break
        attempt = store.start_sending(due, SENDING_LEASE)
        if attempt is not None and _attempt(rt, store, attempt):
            sent += 1
    return sent


def _attempt(rt: Runtime, store: Alerts, d: Delivery) -> bool:
    proposal = rt.proposals.get(d.proposal_id)
    if _moot(proposal, d.kind):
        with rt.uow.writing():
            store.moot(d)
        log.info("alert_moot proposal_id=%s kind=%s to=%s", d.proposal_id, d.kind, d.recipient)
        return False
    assert proposal is not None
    try:
        found = _find_earlier(rt, d) if d.attempts > 0 else None
        if found is not None:
            channel, ts = found
            log.info("alert_adopted proposal_id=%s to=%s ts=%s", d.proposal_id, d.recipient, ts)
        else:
            text, blocks = render_alert(rt, proposal, d.kind)
            response = rt.client.chat_postMessage(
                channel=d.recipient,
                text=text,
                blocks=blocks,
                unfurl_links=False,
                metadata={
                    "event_type": METADATA_EVENT,
                    "event_payload": {"proposal_id": d.proposal_id, "kind": d.kind},
                },
            )
            channel, ts = str(response["channel"]), str(response["ts"])
    except DELIVERY_ERRORS as exc:
        delay = min(RETRY_CAP, rt.settings.RETRY_DELAY_SECONDS * 2 ** min(d.attempts, 10))
        with rt.uow.writing():
            store.failed(d, time.time() + delay)
        log.warning(
            "alert_failed proposal_id=%s kind=%s to=%s attempt=%s retry_in=%ss error=%s",
            d.proposal_id,
            d.kind,
            d.recipient,
            d.attempts + 1,
            delay,
            exc,
        )
        return False
    with rt.uow.writing():
        store.sent(d, channel, ts)
    log.info(
        "organizer_alert_sent proposal_id=%s kind=%s to=%s", d.proposal_id, d.kind, d.recipient
    )
    if found is None:
        # The team changed while the alert was on its way (its copies were redrawn before this
        # one was recorded): redraw it too, within chat.update's budget.
        now = rt.proposals.get(d.proposal_id)
        if now is not None and render_alert(rt, now, d.kind) != (text, blocks):
            rt.updates.mark_alerts(d.proposal_id)
    return True


def _find_earlier(rt: Runtime, d: Delivery) -> tuple[str, str] | None:
    """The alert an earlier, interrupted attempt may have posted: its (channel, ts)."""
    channel = d.recipient
    if not channel.startswith(("C", "G", "D")):
        channel = str(rt.client.conversations_open(users=d.recipient)["channel"]["id"])
    ts = find_marked(
        rt.client,
        channel,
        since=(d.sending_since or time.time()) - 5,
        event_type=METADATA_EVENT,
        payload={"proposal_id": d.proposal_id, "kind": d.kind},
    )
    return None if ts is None else (channel, ts)


def refresh_alert_messages(
    rt: Runtime, proposal_id: int, may_send: Callable[[], bool] | None = None
) -> bool:
    """Show the current team and every organizer's decision on every copy of the alerts.
    With `may_send` (the refresher's budget check, which never waits), stop at the first copy
    it refuses; returns whether every copy was sent."""
    proposal = rt.proposals.get(proposal_id)
    if proposal is None:
        return True
    for kind, channel, ts in alerts(rt).messages(proposal_id):
        if may_send is not None and not may_send():
            return False
        text, blocks = render_alert(rt, proposal, kind)
        try:
            rt.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        except SlackApiError as exc:
            log.warning(
                "alert_update_failed proposal_id=%s error=%s",
                proposal_id,
                exc.response.get("error"),
            )
        except DELIVERY_ERRORS as exc:
            log.warning("alert_update_failed proposal_id=%s error=%s", proposal_id, exc)
    return True


def record_outcome(rt: Runtime, proposal_id: int, organizer: str, outcome: str) -> None:
    with rt.uow.writing():
        alerts(rt).decide(proposal_id, THRESHOLD, organizer, outcome)


def remind_not_yet(rt: Runtime, now: float | None = None) -> int:
    """A team left at "Not yet" is raised again to the organizers after REALERT_HOURS, once
    per period (whatever the processes: the period's claim is one row update), while it still
    waits for them. Returns how many teams were raised."""
    now = time.time() if now is None else now
    period = rt.settings.REALERT_HOURS * 3600
    quiet_since = now - period
    raised = 0
    for proposal_id in alerts(rt).left_at_not_yet(THRESHOLD, quiet_since):
        proposal = rt.proposals.get(proposal_id)
        if proposal is None or proposal.status is not Status.OPEN:
            continue
        if rt.memberships.summary(proposal).status not in (TeamStatus.READY, TeamStatus.FULL):
            continue
        with rt.uow:
            if not alerts(rt).claim_reminder(proposal.id, THRESHOLD, quiet_since, now):
                continue
            for organizer in sorted(rt.organizers.everyone()):
                cast(Notices, rt.uow.notices).add(organizer, proposal.id, REMINDER)
            rt.uow.commit()
        raised += 1
        log.info("not_yet_raised_again proposal_id=%s", proposal.id)
    return raised
