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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from slackbot.blocks.project_lists import (
    DIGEST_CLOSEST_MAX,
    DIGEST_NEW_MAX,
    digest_message,
    digest_parent_message,
)
from slackbot.config import Settings
from slackbot.domain.delivery import Delivery
from slackbot.domain.ranking import DigestPlan, digest_sections
from slackbot.services.hub_checks import HubChecks
from slackbot.services.ports import Messenger
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.digest")

FIRST_DIGEST_LOOKBACK = 24 * 3600
PARENT_GONE = ("thread_not_found", "message_not_found")
PARENT_WAIT = 10.0  # seconds to wait for another process that is posting the parent
Blocks = list[dict[str, Any]]


# --- commands -----------------------------------------------------------------------------
@dataclass(frozen=True)
class RunScheduledDigest:
    """The cron job (and start-up): the digest of the latest due slot, if nobody posted it.
    Answers "posted", "empty", "failed", "already done", "no slot due" or "off"."""

    now: datetime | None = None


@dataclass(frozen=True)
class PostDigestNow:
    """An organizer's `slackbot digest` or `/organize digest`: a digest now, outside the
    schedule. Answers "posted", "empty" or "failed"."""


@dataclass(frozen=True)
class PreviewDigest:
    """`slackbot digest --dry-run`: the digest's blocks, posted nowhere (None: nothing to
    report)."""


# --- handlers -----------------------------------------------------------------------------
def run_scheduled_digest(
    cmd: RunScheduledDigest,
    uow: UnitOfWork,
    messenger: Messenger,
    settings: Settings,
    channel_id: str,
    hub: HubChecks,
    time_left: Callable[[], list[str]],
) -> str:
    """Post the digest of the latest due slot if nobody has; the cron job and start-up call it."""
    cron = schedule(settings)
    if cron is None:
        return "off"
    now = cmd.now or datetime.now(timezone.utc)
    slot = latest_slot(cron, now, timedelta(minutes=settings.DIGEST_GRACE_MINUTES))
    if slot is None:
        return "no slot due"
    key = slot.astimezone(timezone.utc).isoformat()
    with uow.writing():
        claimed = uow.digest_runs.claim(key)
    if not claimed:
        return "already done"
    return _post(key, uow, messenger, settings, channel_id, hub, time_left)


def post_digest_now(
    cmd: PostDigestNow,
    uow: UnitOfWork,
    messenger: Messenger,
    settings: Settings,
    channel_id: str,
    hub: HubChecks,
    time_left: Callable[[], list[str]],
) -> str:
    """A digest now, outside the schedule."""
    key = f"manual:{datetime.now(timezone.utc).isoformat()}"
    with uow.writing():
        uow.digest_runs.claim(key)
    return _post(key, uow, messenger, settings, channel_id, hub, time_left)


def preview_digest(
    cmd: PreviewDigest, uow: UnitOfWork, hub: HubChecks, time_left: Callable[[], list[str]]
) -> Blocks | None:
    digest = plan_digest(uow)
    if digest.empty:
        return None
    return render_digest(digest, uow, hub, time_left)[1]


COMMANDS: dict[type, Callable[..., Any]] = {
    RunScheduledDigest: run_scheduled_digest,
    PostDigestNow: post_digest_now,
    PreviewDigest: preview_digest,
}


# --- the schedule, the plan, the message ------------------------------------------------------
def schedule(settings: Settings) -> CronTrigger | None:
    if settings.DIGEST_CRON == "off":
        return None
    return CronTrigger.from_crontab(
        settings.DIGEST_CRON, timezone=ZoneInfo(settings.DIGEST_TIMEZONE)
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


def plan_digest(uow: UnitOfWork, now: float | None = None) -> DigestPlan:
    now = time.time() if now is None else now
    since = uow.digest_runs.last_posted_at() or now - FIRST_DIGEST_LOOKBACK
    # The closest to starting are left out of "new": read enough new ones to fill both lists.
    return uow.rankings.ranked_plan(
        since=since,
        need_limit=DIGEST_CLOSEST_MAX,
        new_limit=DIGEST_CLOSEST_MAX + DIGEST_NEW_MAX,
        languages=True,
    )


def render_digest(
    digest: DigestPlan, uow: UnitOfWork, hub: HubChecks, time_left: Callable[[], list[str]]
) -> tuple[str, Blocks]:
    sections = digest_sections(digest, closest_max=DIGEST_CLOSEST_MAX, fresh_max=DIGEST_NEW_MAX)
    shown = [s.proposal_id for s in (*sections.closest, *sections.fresh)]
    proposals = uow.proposals.get_many(shown)
    return digest_message(
        digest,
        sections,
        proposals,
        deadlines=time_left(),
        hub=hub.known_of(proposals.values()),
    )


# --- posting it -------------------------------------------------------------------------------
def _new_parent(uow: UnitOfWork, messenger: Messenger, channel_id: str) -> Delivery:
    text, blocks = digest_parent_message()
    try:
        sent = messenger.post_delivered(channel_id, text, blocks)
    except BaseException:
        with uow.writing():
            uow.digest_runs.release_thread_parent()
        raise
    if sent.ts is None:
        with uow.writing():
            uow.digest_runs.release_thread_parent()
        return sent
    with uow.writing():
        uow.digest_runs.record_thread_parent(sent.ts)
    log.info("digest_parent_posted channel=%s ts=%s", channel_id, sent.ts)
    if not messenger.pin(channel_id, sent.ts):  # unpinned, the thread still works
        log.warning("digest_parent_pin_failed ts=%s", sent.ts)
    return sent


def _thread_parent(
    uow: UnitOfWork, messenger: Messenger, channel_id: str, gone: str | None = None
) -> Delivery:
    """The parent to reply under: the stored one (unless it is `gone`), else a new one. One
    process at a time makes a new one; the others wait for it."""
    deadline = time.monotonic() + PARENT_WAIT
    while True:
        current = uow.digest_runs.thread_parent()
        if current is not None and current != gone:
            return Delivery(current)
        with uow.writing():
            claimed = uow.digest_runs.claim_thread_parent(replacing=gone)
        if claimed:
            return _new_parent(uow, messenger, channel_id)
        if time.monotonic() > deadline:
            log.warning("digest_parent_waited: another process is still posting it")
            return Delivery(error="TimeoutError")
        time.sleep(0.1)


def _deliver(
    uow: UnitOfWork,
    messenger: Messenger,
    settings: Settings,
    channel_id: str,
    text: str,
    blocks: Blocks,
) -> Delivery:
    if settings.DIGEST_MODE == "channel":
        return messenger.post_delivered(channel_id, text, blocks)
    parent = _thread_parent(uow, messenger, channel_id)
    if parent.ts is None:
        return parent
    sent = messenger.post_delivered(channel_id, text, blocks, parent.ts)
    if sent.error not in PARENT_GONE:
        return sent
    log.warning("digest_parent_gone ts=%s error=%s", parent.ts, sent.error)
    parent = _thread_parent(uow, messenger, channel_id, gone=parent.ts)
    if parent.ts is None:
        return parent
    return messenger.post_delivered(channel_id, text, blocks, parent.ts)


def _post(
    slot: str,
    uow: UnitOfWork,
    messenger: Messenger,
    settings: Settings,
    channel_id: str,
    hub: HubChecks,
    time_left: Callable[[], list[str]],
) -> str:
    digest = plan_digest(uow)
    ts: str | None = None
    if digest.empty:
        outcome = "empty"
    else:
        text, blocks = render_digest(digest, uow, hub, time_left)
        sent = _deliver(uow, messenger, settings, channel_id, text, blocks)
        ts, outcome = sent.ts, "posted"
        if sent.ts is None:
            outcome = "failed"
            log.warning("digest_failed slot=%s error=%s", slot, sent.error)
    with uow.writing():
        uow.digest_runs.record(slot, outcome, ts)
    log.info("digest_%s slot=%s ts=%s", outcome, slot, ts)
    return outcome
