"""The background scheduler and its jobs.

Jobs run in the scheduler's threads, never inside a request, so their Slack calls may wait out
rate limits. Every process schedules every job, and a lease row (`store.job_leases`) lets one
of them run it each time: with N web processes, a job still runs once per interval. The work
inside stays safe to run twice anyway (claims in the database decide who does each piece), as a
lease can expire under a job that hangs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timezone

from apscheduler.schedulers.background import BackgroundScheduler

from slackbot.services import digest_posting
from slackbot.services.alerting import DeliverAlerts, RemindNotYet
from slackbot.services.deadlines import SummarizeTeamsClosed
from slackbot.services.demo_submissions import CatchUp
from slackbot.services.people_directory import KeepDirectory
from slackbot.services.posting import RetryPending
from slackbot.services.reconciliation import ReconcileAtStart, ReconcileDue
from slackbot.services.runtime import Runtime
from slackbot.services.slack_access import writing_stopped
from slackbot.store.backups import scheduled_backup
from slackbot.store.job_leases import JobLeases

log = logging.getLogger("slackbot.jobs")

INBOX_KEEP = 24 * 3600  # finished work is kept a day: Slack's retries come within minutes
# Processes starting together (a deploy of N) make one start-up reconcile pass between them.
START_PASS_EVERY = 300.0


def _leased(
    leases: JobLeases, name: str, job: Callable[[], object], every: float
) -> Callable[[], None]:
    """Run `job` if no other process is running it or ran it less than `every` s ago."""

    def run() -> None:
        started = time.time()
        if not leases.take(name):
            log.debug("job_skipped job=%s holder=%s", name, leases.holder(name))
            return
        try:
            job()
        except Exception:
            log.exception("job_failed job=%s", name)
        finally:
            leases.finish(name, free_at=started + every * 0.9)

    return run


def _logged(name: str, job: Callable[[], object]) -> Callable[[], None]:
    """Run `job` in every process whose timer fires: for work whose own claim in the database
    already makes each piece exactly-once (the digest's slot rows)."""

    def run() -> None:
        try:
            job()
        except Exception:
            log.exception("job_failed job=%s", name)

    return run


def _unless_access_lost(rt: Runtime, job: Callable[[], object]) -> Callable[[], object]:
    """Skipped once Slack no longer lets the bot act (services/slack_access.py says why)."""
    return lambda: None if writing_stopped(rt.messenger) else job()


def build_scheduler(rt: Runtime) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=timezone.utc)
    now = datetime.now(timezone.utc)
    every: dict[str, tuple[Callable[[], object], float]] = {
        "retry_pending": (
            lambda: rt.bus.handle(RetryPending()),
            min(30.0, rt.settings.RETRY_DELAY_SECONDS),
        ),
        "reconcile_reactions": (lambda: rt.bus.handle(ReconcileDue()), 60),
        "deliver_alerts": (
            lambda: rt.bus.handle(DeliverAlerts()),
            min(30.0, rt.settings.RETRY_DELAY_SECONDS),
        ),
        "refresh_organizers": (rt.organizers.refresh, 60),
        "purge_inbox": (lambda: rt.inbox.purge(time.time() - INBOX_KEEP), 3600),
        "people_directory": (lambda: rt.bus.handle(KeepDirectory()), 60),
        "remind_not_yet": (lambda: rt.bus.handle(RemindNotYet()), 300),
        "teams_closed_summary": (lambda: rt.bus.handle(SummarizeTeamsClosed()), 60),
        # Demo announcements a restart left half-done; reminders 24 h and 2 h before the
        # deadline, read from the settings at each run (a moved deadline moves them).
        "demo_submissions": (lambda: rt.bus.handle(CatchUp()), 60),
        "refresh_judges": (rt.judges.refresh, 60),
    }
    if rt.settings.BACKUP_MINUTES:
        every["backup"] = (
            lambda: scheduled_backup(
                rt.settings.DATABASE_PATH, rt.settings.backup_dir(), rt.settings.BACKUP_KEEP
            ),
            rt.settings.BACKUP_MINUTES * 60,
        )
    for name, (job, seconds) in every.items():
        scheduler.add_job(
            _leased(rt.leases, name, _unless_access_lost(rt, job), seconds),
            "interval",
            seconds=seconds,
            id=name,
            # Also at start-up: post what was pending, send alerts not delivered yet.
            next_run_time=now,
            max_instances=1,
            coalesce=True,
        )
    # Every open post, whatever the last pass: reactions made (and events lost) while the bot
    # was down are applied now, not RECONCILE_MINUTES later.
    scheduler.add_job(
        _leased(
            rt.leases,
            "reconcile_at_start",
            lambda: rt.bus.handle(ReconcileAtStart()),
            START_PASS_EVERY,
        ),
        "date",
        run_date=now,
        id="reconcile_at_start",
    )
    cron = digest_posting.schedule(rt.settings)
    if cron is not None:
        # No lease: a slot's row in digest_runs makes it exactly-once, and a lease held after a
        # run (a start-up catch-up a few seconds before a slot) made that slot's run skip it.
        digest = _logged(
            "digest",
            _unless_access_lost(rt, lambda: rt.bus.handle(digest_posting.RunScheduledDigest())),
        )
        scheduler.add_job(
            digest,
            cron,
            id="digest",
            misfire_grace_time=rt.settings.DIGEST_GRACE_MINUTES * 60,
            coalesce=True,
            max_instances=1,
        )
        # A slot missed while the bot was down is posted once, if still within the grace period.
        scheduler.add_job(digest, "date", run_date=now, id="digest_catch_up")
    return scheduler
