"""Organizer alerts, exactly once per project and kind.

A row in `alerts` is the claim: whoever inserts it sends the alert. Flapping around the
threshold, redelivered events, restarts and a second process all find the row and stay quiet.
A claim whose sending was cut short (a crash before Slack answered) is re-sent by the retry job.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone

from slackbot.blocks.team import alert_message
from slackbot.blocks.text import escape, mention
from slackbot.domain.proposals import Proposal
from slackbot.domain.teams import Team, TeamStatus
from slackbot.runtime import Runtime
from slackbot.services.notify import DELIVERY_ERRORS

log = logging.getLogger("slackbot.alerts")

THRESHOLD = "threshold"
OVERSUBSCRIBED = "oversubscribed"
RESEND_AFTER = 120.0


def check_alerts(rt: Runtime, proposal: Proposal, team: Team) -> None:
    if team.status in (TeamStatus.WITHDRAWN, TeamStatus.CLOSED):
        return
    ready = team.status is not TeamStatus.OFFICIAL and team.size >= team.threshold
    if ready and _claim(rt, proposal.id, THRESHOLD):
        send_alert(rt, proposal.id, THRESHOLD)
    if team.waitlist and _claim(rt, proposal.id, OVERSUBSCRIBED):
        send_alert(rt, proposal.id, OVERSUBSCRIBED)


def _claim(rt: Runtime, proposal_id: int, kind: str) -> bool:
    cursor = rt.store.conn.execute(
        "INSERT OR IGNORE INTO alerts (proposal_id, kind, state, claimed_at) "
        "VALUES (?, ?, 'claimed', ?)",
        (proposal_id, kind, time.time()),
    )
    return cursor.rowcount == 1


def recipients(rt: Runtime) -> list[str]:
    return rt.organizers.alert_targets()


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
    row = rt.store.conn.execute(
        "SELECT handled_by, handled_at, outcome FROM alerts WHERE proposal_id = ? AND kind = ?",
        (proposal.id, kind),
    ).fetchone()
    handled = None
    if row is not None and row["handled_by"]:
        when = datetime.fromtimestamp(row["handled_at"], timezone.utc).strftime("%b %d %H:%M UTC")
        verb = {"official": ":white_check_mark: Made official", "not_yet": ":hourglass: Not yet"}
        action = verb.get(row["outcome"], escape(str(row["outcome"])))
        handled = f"{action} by {mention(row['handled_by'])}, {when}"
    return alert_message(
        proposal, team, kind=kind, doubles=_doubles(rt, proposal, team), handled=handled
    )


def send_alert(rt: Runtime, proposal_id: int, kind: str) -> int:
    proposal = rt.proposals.get(proposal_id)
    if proposal is None:
        return 0
    targets = recipients(rt)
    if not targets:
        log.warning("alert_without_organizers proposal_id=%s kind=%s", proposal_id, kind)
    text, blocks = render_alert(rt, proposal, kind)
    sent = 0
    for target in targets:
        try:
            response = rt.client.chat_postMessage(
                channel=target, text=text, blocks=blocks, unfurl_links=False
            )
        except DELIVERY_ERRORS as exc:
            log.warning("alert_failed proposal_id=%s to=%s error=%s", proposal_id, target, exc)
            continue
        rt.store.conn.execute(
            "INSERT OR IGNORE INTO alert_messages (proposal_id, kind, channel, ts, recipient) "
            "VALUES (?, ?, ?, ?, ?)",
            (proposal_id, kind, response["channel"], response["ts"], target),
        )
        sent += 1
    if sent or not targets:
        rt.store.conn.execute(
            "UPDATE alerts SET state = 'sent', sent_at = ? WHERE proposal_id = ? AND kind = ?",
            (time.time(), proposal_id, kind),
        )
    log.info("organizer_alert_sent proposal_id=%s kind=%s messages=%s", proposal_id, kind, sent)
    return sent


def resend_unsent(rt: Runtime) -> int:
    """Alerts claimed but never sent (a crash, Slack down): send them now."""
    rows = rt.store.conn.execute(
        "SELECT proposal_id, kind FROM alerts WHERE state = 'claimed' AND claimed_at < ?",
        (time.time() - RESEND_AFTER,),
    ).fetchall()
    sent = 0
    for pid, kind in rows:
        now = time.time()
        # Re-claim before sending: of several processes, only the one whose update hits resends.
        cursor = rt.store.conn.execute(
            "UPDATE alerts SET claimed_at = ? WHERE proposal_id = ? AND kind = ? "
            "AND state = 'claimed' AND claimed_at < ?",
            (now, pid, kind, now - RESEND_AFTER),
        )
        if cursor.rowcount == 1:
            send_alert(rt, int(pid), str(kind))
            sent += 1
    return sent


def refresh_alert_messages(rt: Runtime, proposal_id: int) -> None:
    """Show every organizer who acted on an alert, on every copy of it."""
    proposal = rt.proposals.get(proposal_id)
    if proposal is None:
        return
    rows = rt.store.conn.execute(
        "SELECT kind, channel, ts FROM alert_messages WHERE proposal_id = ?", (proposal_id,)
    ).fetchall()
    for kind, channel, ts in rows:
        text, blocks = render_alert(rt, proposal, kind)
        try:
            rt.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        except DELIVERY_ERRORS as exc:
            log.warning("alert_update_failed proposal_id=%s error=%s", proposal_id, exc)


def record_outcome(rt: Runtime, proposal_id: int, organizer: str, outcome: str) -> None:
    rt.store.conn.execute(
        "INSERT INTO alerts "
        "(proposal_id, kind, state, claimed_at, handled_by, handled_at, outcome) "
        "VALUES (?, ?, 'sent', ?, ?, ?, ?) ON CONFLICT(proposal_id, kind) DO UPDATE SET "
        "handled_by = excluded.handled_by, handled_at = excluded.handled_at, "
        "outcome = excluded.outcome",
        (proposal_id, THRESHOLD, time.time(), organizer, time.time(), outcome),
    )
