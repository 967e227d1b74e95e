"""The week's deadlines (PROPOSALS_CLOSE_AT, TEAMS_CLOSE_AT): whether each has passed, the
time left in words for the digest and the Home tab, and the one summary the organizers get
when teams close."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import cast

from slackbot.blocks.dates import slack_date
from slackbot.blocks.organizer_news import teams_closed_summary
from slackbot.config import Settings
from slackbot.domain.proposal import Status
from slackbot.domain.teams import TeamStatus
from slackbot.services.dashboard import bystanders
from slackbot.services.demo_surfaces import demo_progress
from slackbot.services.directory import OrganizerDirectory
from slackbot.services.ports import Messenger
from slackbot.store.dashboard_queries import DashboardQueries
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.deadlines")

PROPOSALS = "PROPOSALS_CLOSE_AT"
TEAMS = "TEAMS_CLOSE_AT"
LABELS = {PROPOSALS: "Proposals", TEAMS: "Teams"}


@dataclass(frozen=True)
class SummarizeTeamsClosed:
    """Once TEAMS_CLOSE_AT has passed, tell the organizers how the week stands (once)."""


def passed(settings: Settings, name: str, now: float | None = None) -> bool:
    at = settings.deadline(name)
    return at is not None and (time.time() if now is None else now) >= at


def when(settings: Settings, name: str) -> str:
    """The deadline as a Slack date: each reader sees it in their own time zone."""
    at = settings.deadline(name)
    return "" if at is None else slack_date(at)


def duration(seconds: float) -> str:
    """ "2 days 3 h", "5 h 20 min", "12 min"."""
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} day{'s' if days > 1 else ''} {hours} h"
    if hours:
        return f"{hours} h {mins} min"
    return f"{max(mins, 1)} min"


def time_words(settings: Settings, uow: UnitOfWork, now: float | None = None) -> list[str]:
    """ "Proposals close in 2 days 3 h (<!date^…>)", or "Teams closed <!date^…>"; then how
    the demos stand, once SUBMISSIONS_CLOSE_AT is set."""
    now = time.time() if now is None else now
    out = []
    for name in (PROPOSALS, TEAMS):
        at = settings.deadline(name)
        if at is None:
            continue
        label = LABELS[name]
        if now >= at:
            out.append(f"{label} closed {when(settings, name)}")
        else:
            out.append(f"{label} close in {duration(at - now)} ({when(settings, name)})")
    demos = demo_progress(settings, uow, now)
    if demos:
        out.append(demos)
    return out


def closed_to_proposals(settings: Settings, now: float | None = None) -> str | None:
    """What to tell someone who wants to propose after PROPOSALS_CLOSE_AT (None: still open)."""
    at = settings.deadline(PROPOSALS)
    if at is None or (time.time() if now is None else now) < at:
        return None
    return (
        f":lock: Proposals closed {slack_date(at)}. You can still join a team: "
        "`/projects` lists the ones that need people."
    )


def summarize_teams_closed(
    cmd: SummarizeTeamsClosed,
    uow: UnitOfWork,
    messenger: Messenger,
    settings: Settings,
    organizers: OrganizerDirectory,
    bot_user_id: str,
) -> bool:
    """Once, after TEAMS_CLOSE_AT: each organizer gets the state of the week (official teams,
    teams still waiting, people in no team). True if this call sent it."""
    if not passed(settings, TEAMS):
        return False
    with uow.writing():
        claimed = uow.people.claim_once("teams_closed_summary")
    if not claimed:
        return False
    facts = cast(DashboardQueries, uow.dashboard).facts(
        default_max=settings.TEAM_SIZE_MAX,
        stale_after=settings.STALE_DAYS * 86400,
        not_participants=bystanders(uow, organizers, bot_user_id),
    )
    live = uow.proposals.with_status(Status.OPEN, Status.OFFICIAL)
    official = [p for p in live if p.status is Status.OFFICIAL]
    waiting = [
        p for p in live if uow.memberships.team(p).status in (TeamStatus.READY, TeamStatus.FULL)
    ]
    alone = [u for u in facts.participants if u not in facts.teams_of]
    text = teams_closed_summary(settings.deadline(TEAMS), official, waiting, alone)
    for organizer in sorted(organizers.everyone()):
        messenger.dm(organizer, text)
    log.info(
        "teams_closed_summary official=%s waiting=%s alone=%s",
        len(official),
        len(waiting),
        len(alone),
    )
    return True


COMMANDS = {SummarizeTeamsClosed: summarize_teams_closed}
