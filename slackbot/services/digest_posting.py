"""Posting the digest: exactly once per scheduled slot, across restarts and processes.

A slot is a time the cron schedule fires. Whoever inserts the slot's row in `digest_runs` posts
it; everyone else (a second process, a restart catching up) finds the row and does nothing. At
start-up the latest slot is posted if it was missed and is still within the grace period.

What a digest lists (`domain.ranking.digest_sections`, drawn by `blocks.project_lists`) stays
about 25 lines however many proposals there are: the counts, the projects closest to starting,
how many look for members in each language (with a pointer to `/projects LANGUAGE`), and a
capped list of what is new since the last digest; no project is listed twice.

`DIGEST_MODE` says where it goes:
- `channel` (the default): each digest is a message in the proposals channel.
- `thread`: the first digest posts a parent message in the proposals channel and pins it; every
  digest is then a reply in its thread, so the channel shows one message for the whole week.
  The parent's ts is kept in `digest_runs` (slot `thread-parent`); if Slack no longer has it
  (deleted), the next digest posts and pins a new one.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from slack_sdk.errors import SlackApiError

from slackbot.blocks.project_lists import (
    DIGEST_CLOSEST_MAX,
    DIGEST_NEW_MAX,
    digest_message,
    digest_parent_message,
)
from slackbot.domain.ranking import DigestPlan, digest_sections
from slackbot.services.deadlines import time_left
from slackbot.services.runtime import Runtime
from slackbot.slack.direct_messages import DELIVERY_ERRORS

log = logging.getLogger("slackbot.digest")

FIRST_DIGEST_LOOKBACK = 24 * 3600
PARENT_GONE = ("thread_not_found", "message_not_found")
PARENT_WAIT = 10.0  # seconds to wait for another process that is posting the parent


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
    # The closest to starting are left out of "new": read enough new ones to fill both lists.
    return rt.rankings.ranked_plan(
        since=since,
        need_limit=DIGEST_CLOSEST_MAX,
        new_limit=DIGEST_CLOSEST_MAX + DIGEST_NEW_MAX,
        languages=True,
    )


def render(rt: Runtime, digest: DigestPlan) -> tuple[str, list[dict[str, Any]]]:
    sections = digest_sections(digest, closest_max=DIGEST_CLOSEST_MAX, fresh_max=DIGEST_NEW_MAX)
    shown = [s.proposal_id for s in (*sections.closest, *sections.fresh)]
    proposals = rt.proposals.get_many(shown)
    return digest_message(
        digest,
        sections,
        proposals,
        deadlines=time_left(rt),
        hub=rt.hub.known_of(proposals.values()),
    )


def _say(rt: Runtime, text: str, blocks: list[dict[str, Any]], thread_ts: str | None) -> str:
    response = rt.client.chat_postMessage(
        channel=rt.channel_id, text=text, blocks=blocks, thread_ts=thread_ts, unfurl_links=False
    )
    return str(response["ts"])


def _new_parent(rt: Runtime) -> str:
    text, blocks = digest_parent_message()
    try:
        ts = _say(rt, text, blocks, None)
    except BaseException:
        with rt.uow.writing():
            rt.digest_runs.release_thread_parent()
        raise
    with rt.uow.writing():
        rt.digest_runs.record_thread_parent(ts)
    log.info("digest_parent_posted channel=%s ts=%s", rt.channel_id, ts)
    try:
        rt.client.pins_add(channel=rt.channel_id, timestamp=ts)
    except DELIVERY_ERRORS as exc:  # unpinned, the thread still works
        log.warning("digest_parent_pin_failed ts=%s error=%s", ts, exc)
    return ts


def _thread_parent(rt: Runtime, gone: str | None = None) -> str:
    """The parent to reply under: the stored one (unless it is `gone`), else a new one. One
    process at a time makes a new one; the others wait for it."""
    deadline = time.monotonic() + PARENT_WAIT
    while True:
        current = rt.digest_runs.thread_parent()
        if current is not None and current != gone:
            return current
        with rt.uow.writing():
            claimed = rt.digest_runs.claim_thread_parent(replacing=gone)
        if claimed:
            return _new_parent(rt)
        if time.monotonic() > deadline:
            raise TimeoutError("another process is still posting the digest's thread parent")
        time.sleep(0.1)


def _deliver(rt: Runtime, text: str, blocks: list[dict[str, Any]]) -> str:
    if rt.settings.DIGEST_MODE == "channel":
        return _say(rt, text, blocks, None)
    parent = _thread_parent(rt)
    try:
        return _say(rt, text, blocks, parent)
    except SlackApiError as exc:
        if exc.response.get("error") not in PARENT_GONE:
            raise
        log.warning("digest_parent_gone ts=%s error=%s", parent, exc.response.get("error"))
    return _say(rt, text, blocks, _thread_parent(rt, gone=parent))


def _post(rt: Runtime, slot: str) -> str:
    digest = plan(rt)
    if digest.empty:
        outcome = "empty"
        ts = None
    else:
        text, blocks = render(rt, digest)
        try:
            ts, outcome = _deliver(rt, text, blocks), "posted"
        except DELIVERY_ERRORS as exc:
            log.warning("digest_failed slot=%s error=%s", slot, exc)
            ts, outcome = None, "failed"
    with rt.uow.writing():
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
    with rt.uow.writing():
        claimed = rt.digest_runs.claim(key)
    if not claimed:
        return "already done"
    return _post(rt, key)


def post_now(rt: Runtime) -> str:
    """An organizer's `slackbot digest`: a digest now, outside the schedule."""
    key = f"manual:{datetime.now(timezone.utc).isoformat()}"
    with rt.uow.writing():
        rt.digest_runs.claim(key)
    return _post(rt, key)
