"""The background scheduler and its jobs.

Jobs run in the scheduler's threads, never inside a request, so their Slack calls may wait out
rate limits. Each job must be safe to run in two processes at once: claims in the database, not
in memory, decide who does a piece of work.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timezone

from apscheduler.schedulers.background import BackgroundScheduler

from slackbot.services import digest_posting
from slackbot.services.alerting import deliver as deliver_alerts
from slackbot.services.posting import retry_pending
from slackbot.services.reconciliation import reconcile_all, reconcile_due
from slackbot.services.runtime import Runtime

log = logging.getLogger("slackbot.jobs")

INBOX_KEEP = 24 * 3600  # finished work is kept a day: Slack's retries come within minutes


def _logged(name: str, job: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            job()
        except Exception:
            log.exception("job_failed job=%s", name)

    return run


def build_scheduler(rt: Runtime) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=timezone.utc)
    now = datetime.now(timezone.utc)
    every = {
        "retry_pending": (lambda: retry_pending(rt), min(30.0, rt.settings.RETRY_DELAY_SECONDS)),
        "reconcile_reactions": (lambda: reconcile_due(rt), 60),
        "deliver_alerts": (lambda: deliver_alerts(rt), min(30.0, rt.settings.RETRY_DELAY_SECONDS)),
        "refresh_organizers": (rt.organizers.refresh, 60),
        "purge_inbox": (lambda: rt.inbox.purge(time.time() - INBOX_KEEP), 3600),
    }
    for name, (job, seconds) in every.items():
        scheduler.add_job(
            _logged(name, job),
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
        _logged("reconcile_at_start", lambda: reconcile_all(rt)),
        "date",
        run_date=now,
        id="reconcile_at_start",
    )
    cron = digest_posting.trigger(rt)
    if cron is not None:
        scheduler.add_job(
            _logged("digest", lambda: digest_posting.run_scheduled(rt)),
            cron,
            id="digest",
            misfire_grace_time=rt.settings.DIGEST_GRACE_MINUTES * 60,
            coalesce=True,
            max_instances=1,
        )
        # A slot missed while the bot was down is posted once, if still within the grace period.
        scheduler.add_job(
            _logged("digest_catch_up", lambda: digest_posting.run_scheduled(rt)),
            "date",
            run_date=now,
            id="digest_catch_up",
        )
    return scheduler
