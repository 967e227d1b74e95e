"""Posting the digest: exactly once per scheduled slot, across restarts and processes.

A slot is a time the cron schedule fires. Whoever inserts the slot's row in `digest_runs` posts
it; everyone else (a second process, a restart catching up) finds the row and does nothing. At
start-up the latest slot is posted if it was missed and is still within the grace period.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from slackbot.blocks.project_lists import DIGEST_NEED_MAX, DIGEST_NEW_MAX, digest_message
from slackbot.domain.ranking import DigestPlan
from slackbot.services.runtime import Runtime
from slackbot.slack.direct_messages import DELIVERY_ERRORS

log = logging.getLogger("slackbot.digest")

FIRST_DIGEST_LOOKBACK = 24 * 3600


def trigger(rt: Runtime) -> CronTrigger | None:
    if rt.settings.DIGEST_CRON == "off":
        return None
    return CronTrigger.from_crontab(
        rt.settings.DIGEST_CRON, timezone=ZoneInfo(rt.settings.DIGEST_TIMEZONE)
    )


def latest_slot(cron: CronTrigger, now: datetime, grace: timedelta) -> datetime | None:
    """The latest fire time in (now - grace, now], if any."""
    start = now - grace
    slot = None
    fire = cron.get_next_fire_time(None, start)
    while fire is not None and fire <= now:
        slot = fire
        fire = cron.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return slot


def plan(rt: Runtime, now: float | None = None) -> DigestPlan:
    now = time.time() if now is None else now
    since = rt.digest_runs.last_posted_at() or now - FIRST_DIGEST_LOOKBACK
    return rt.rankings.ranked_plan(
        since=since, need_limit=DIGEST_NEED_MAX, new_limit=DIGEST_NEW_MAX
    )


def render(rt: Runtime, digest: DigestPlan) -> tuple[str, list[dict[str, Any]]]:
    shown = [s.proposal_id for s in digest.need_members[:DIGEST_NEED_MAX]]
    shown += [s.proposal_id for s in digest.newest[:DIGEST_NEW_MAX]]
    return digest_message(digest, rt.proposals.get_many(shown))


def _post(rt: Runtime, slot: str) -> str:
    digest = plan(rt)
    if digest.empty:
        outcome = "empty"
        ts = None
    else:
        text, blocks = render(rt, digest)
        try:
            response = rt.client.chat_postMessage(
                channel=rt.channel_id, text=text, blocks=blocks, unfurl_links=False
            )
            ts, outcome = str(response["ts"]), "posted"
        except DELIVERY_ERRORS as exc:
            log.warning("digest_failed slot=%s error=%s", slot, exc)
            ts, outcome = None, "failed"
    rt.digest_runs.record(slot, outcome, ts)
    log.info("digest_%s slot=%s ts=%s", outcome, slot, ts)
    return outcome


def run_scheduled(rt: Runtime, now: datetime | None = None) -> str:
    """Post the digest of the latest due slot if nobody has; the cron job and start-up call it."""
    cron = trigger(rt)
    if cron is None:
        return "off"
    now = now or datetime.now(timezone.utc)
    slot = latest_slot(cron, now, timedelta(minutes=rt.settings.DIGEST_GRACE_MINUTES))
    if slot is None:
        return "no slot due"
    key = slot.astimezone(timezone.utc).isoformat()
    if not rt.digest_runs.claim(key):
        return "already done"
    return _post(rt, key)


def post_now(rt: Runtime) -> str:
    """An organizer's `slackbot digest`: a digest now, outside the schedule."""
    key = f"manual:{datetime.now(timezone.utc).isoformat()}"
    rt.digest_runs.claim(key)
    return _post(rt, key)
