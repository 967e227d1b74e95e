"""What the week's surfaces say about the demos: a member's team demo and a judge's list on the
Home tab, the organizers' dashboard section, and the line the digest and the Home tab show
(how many official teams have submitted, and when submissions close)."""

from __future__ import annotations

import time
from typing import Any

from slackbot.blocks import judging as judging_view
from slackbot.blocks import submission as submission_view
from slackbot.config import Settings
from slackbot.services import judging
from slackbot.services.demo_submissions import CLOSES, team_of
from slackbot.services.directory import Organizers
from slackbot.store.unit_of_work import UnitOfWork


def demo_progress(settings: Settings, uow: UnitOfWork, now: float | None = None) -> str | None:
    """For the digest and the Home tab; None until SUBMISSIONS_CLOSE_AT is set."""
    closes_at = settings.deadline(CLOSES)
    if closes_at is None:
        return None
    repo = uow.demo_submissions
    return submission_view.progress_line(
        repo.count(), len(repo.official_ids()), closes_at, time.time() if now is None else now
    )


def home_blocks(
    uow: UnitOfWork,
    settings: Settings,
    judges: Organizers,
    user: str,
    now: float | None = None,
) -> list[Any]:
    """The person's demo section: their team's submission, and, for a judge, what to score."""
    now = time.time() if now is None else now
    blocks: list[Any] = []
    proposal = team_of(uow, user)
    if proposal is not None:
        blocks += submission_view.home_blocks(
            [(proposal, uow.demo_submissions.get(proposal.id))],
            settings.deadline(CLOSES),
            now,
        )
    if judges.is_organizer(user):
        blocks += judging_view.judge_home_blocks(
            judging.judge_rows(uow, user), settings.deadline(judging.CLOSES), now
        )
    return blocks


def dashboard_blocks(
    uow: UnitOfWork, settings: Settings, judges: Organizers, now: float | None = None
) -> list[Any]:
    """The organizers' section: N of M submitted, each judge's progress, remind late judges."""
    repo = uow.demo_submissions
    teams = len(repo.official_ids())
    if not teams and not judges.everyone():
        return []
    return judging_view.judging_dashboard(
        repo.count(),
        teams,
        settings.deadline(CLOSES),
        judging.progress(uow, judges) if repo.count() else [],
        time.time() if now is None else now,
    )
